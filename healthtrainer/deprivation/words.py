"""Deprivation as people read it: "Most deprived 20% of areas in England (IMD 2025 decile 1)",
with the numbers and codes behind it kept for whoever asks."""

from __future__ import annotations

from healthtrainer.deprivation.lookup import national_quintile
from healthtrainer.deprivation.models import Edition

FIFTHS = {
    1: "Most deprived 20%",
    2: "Second most deprived 20%",
    3: "Middle 20%",
    4: "Second least deprived 20%",
    5: "Least deprived 20%",
}


def _index_name(edition: str) -> str:
    """ "IMD 2025" for iod2025: the year people know the release by."""
    year = edition.removeprefix("iod")
    return f"IMD {year}" if year.isdigit() else "IMD"


def national_in_words(decile: int, edition: str) -> str:
    fifth = FIFTHS[national_quintile(decile)]
    return f"{fifth} of areas in England ({_index_name(edition)} decile {decile})"


def local_in_words(quintile: int) -> str:
    return f"{FIFTHS[quintile]} of areas in the programme's local authority"


def detail_in_words(
    *, decile: int, edition: str, lsoa_code: str, local_quintile: int | None, authority: str
) -> str:
    release = Edition(edition).label if edition in Edition.values else "the release recorded"
    parts = [
        f"Index of Multiple Deprivation decile {decile} of 10, where 1 is the most deprived "
        f"tenth of small areas in England, from the {release}",
        f"national quintile {national_quintile(decile)} of 5",
    ]
    if local_quintile is not None:
        parts.append(f"quintile {local_quintile} of 5 within local authority {authority}")
    area = f"small area (LSOA) {lsoa_code}" if lsoa_code else "a small area not recorded"
    return f"{'; '.join(parts)}. The postcode lies in {area}."
