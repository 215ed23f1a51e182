"""From a postcode or an LSOA to its deprivation: national and local quintiles.

A national quintile pairs the England-wide deciles (1 is the most deprived fifth of
England). A local quintile ranks the LSOAs of one local authority against each other
(1 is the most deprived fifth of that authority). "The most deprived areas of Sheffield"
can mean either, so a report must say which it uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Q, Subquery

from healthtrainer.deprivation.models import (
    EDITIONS_NEWEST_FIRST,
    POSTCODE_LSOA_FIELD,
    Edition,
    LsoaDeprivation,
    PostcodeLsoa,
)

# The shape of every UK postcode except a handful of special ones, none in England's LSOAs.
POSTCODE_PATTERN = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$")


@dataclass(frozen=True)
class Deprivation:
    """An LSOA's place in one edition of the English Index of Multiple Deprivation."""

    edition: str
    lsoa_code: str
    imd_decile: int
    national_quintile: int
    local_authority_code: str


def national_quintile(decile: int) -> int:
    """The national quintile of a decile: deciles 1 and 2 are quintile 1, ..., 9 and 10 are 5."""
    if not 1 <= decile <= 10:
        raise ValueError(f"A decile is 1 to 10, not {decile}.")
    return (decile + 1) // 2


def normalise_postcode(postcode: str) -> str:
    """Upper case, no spaces but one before the last three characters: " s1  2he" → "S1 2HE"."""
    compact = "".join(postcode.split()).upper()
    if len(compact) <= 3:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def newest_loaded_edition() -> str | None:
    """The newest edition with any LSOA loaded, or None when none is."""
    for edition in EDITIONS_NEWEST_FIRST:
        if LsoaDeprivation.objects.filter(edition=edition).exists():
            return edition.value
    return None


def deprivation_for_postcode(postcode: str, *, edition: str | None = None) -> Deprivation | None:
    """The deprivation of the LSOA a postcode lies in, or None when either is unknown.

    The postcode may be in any case and spacing. Its LSOA is taken on the boundaries the
    edition ranks: 2011 for IoD2019, 2021 for IoD2025. Without an edition, the newest one
    loaded is used, and a postcode with no LSOA on its boundaries has no deprivation: the
    answer never falls back to an older edition, so answers given together stay comparable.
    At most three queries.
    """
    normalised = normalise_postcode(postcode)
    if not POSTCODE_PATTERN.match(normalised):
        return None
    chosen = _edition(edition) if edition is not None else newest_loaded_edition()
    if chosen is None:
        return None
    field = POSTCODE_LSOA_FIELD[Edition(chosen)]
    lsoa_code = (
        PostcodeLsoa.objects.filter(postcode=normalised).exclude(**{field: ""}).values(field)[:1]
    )
    row = LsoaDeprivation.objects.filter(edition=chosen, lsoa_code=Subquery(lsoa_code)).first()
    return _deprivation(row) if row is not None else None


def deprivation_for_lsoa(lsoa_code: str, *, edition: str | None = None) -> Deprivation | None:
    """The deprivation of an LSOA, or None when it is not ranked.

    Without an edition, the newest edition that ranks this LSOA is used: an LSOA code
    belongs to one set of boundaries, and the edition in the answer says which. One query.
    """
    rows = LsoaDeprivation.objects.filter(lsoa_code=lsoa_code.strip().upper())
    if edition is not None:
        row = rows.filter(edition=_edition(edition)).first()
        return _deprivation(row) if row is not None else None
    by_edition = {row.edition: row for row in rows}
    for newest in EDITIONS_NEWEST_FIRST:
        if newest in by_edition:
            return _deprivation(by_edition[newest])
    return None


def quintile_of_position(position: int, count: int) -> int:
    """The fifth (1 to 5) that the LSOA at `position` (0 is the first) of `count` falls in.

    Each LSOA takes the fifth in which the middle of its slot lies: quintile
    floor(5 * (position + 1/2) / count) + 1. No slot's middle falls on a boundary, the groups
    differ in size by at most one, the rule is the same read from either end, and a lone
    LSOA is in the middle quintile.
    """
    if not 0 <= position < count:
        raise ValueError(f"Position {position} is outside a list of {count}.")
    return (10 * position + 5) // (2 * count) + 1


def local_quintiles(local_authority_code: str, edition: str) -> dict[str, int]:
    """The local quintile of every LSOA in a local authority, by LSOA code. One query.

    The authority's LSOAs are put in order of their national IMD rank (1, the most
    deprived, first) and split into five groups of equal size: quintile 1 is the most
    deprived fifth within the authority. When the number of LSOAs is not a multiple of
    five, the groups differ in size by at most one (see `quintile_of_position`). Official
    ranks have no ties; should two LSOAs share a rank, the lower LSOA code comes first.
    """
    codes = list(
        LsoaDeprivation.objects.filter(
            edition=_edition(edition), local_authority_code=local_authority_code
        )
        .order_by("imd_rank", "lsoa_code")
        .values_list("lsoa_code", flat=True)
    )
    return {code: quintile_of_position(i, len(codes)) for i, code in enumerate(codes)}


def local_quintile(lsoa_code: str, local_authority_code: str, edition: str) -> int | None:
    """One LSOA's local quintile, as `local_quintiles` gives it, or None when the LSOA is
    not in that authority in that edition.

    Counts in the database how many of the authority's LSOAs come before this one, rather
    than loading them all. Two queries.
    """
    in_authority = LsoaDeprivation.objects.filter(
        edition=_edition(edition), local_authority_code=local_authority_code
    )
    rank = in_authority.filter(lsoa_code=lsoa_code).values_list("imd_rank", flat=True).first()
    if rank is None:
        return None
    counts = in_authority.aggregate(
        count=Count("pk"),
        before=Count("pk", filter=Q(imd_rank__lt=rank) | Q(imd_rank=rank, lsoa_code__lt=lsoa_code)),
    )
    return quintile_of_position(counts["before"], counts["count"])


def _edition(edition: str) -> str:
    if edition not in Edition.values:
        raise ValueError(f"Unknown edition {edition!r}: use one of {', '.join(Edition.values)}.")
    return edition


def _deprivation(row: LsoaDeprivation) -> Deprivation:
    return Deprivation(
        edition=row.edition,
        lsoa_code=row.lsoa_code,
        imd_decile=row.imd_decile,
        national_quintile=national_quintile(row.imd_decile),
        local_authority_code=row.local_authority_code,
    )
