"""The import's own sheets of a programme workbook: the programme, and its referrals
(docs/import-format.md)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from healthtrainer.core import cells as readers
from healthtrainer.core.row_checks import Problem, RowChecker
from healthtrainer.imports import referral_cells
from healthtrainer.imports.format import (
    LABELS,
    LONGEST_PAIN_MONTHS,
    OLDEST_AGE,
    OUTCOMES,
    PROGRAMME,
    REFERRALS,
    SEXES,
)

# Each non-blank row of a sheet, by its number, as {column: cell}.
DataRows = Iterator[tuple[int, dict[str, Any]]]

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ODS_CODE = re.compile(r"^[A-Z0-9]{3,10}$")
_LSOA_CODE = re.compile(r"^[EW]01\d{6}$")
_LOCAL_AUTHORITY_CODE = re.compile(r"^[EWSN]\d{8}$")


@dataclass(frozen=True)
class ProgrammeRow:
    row: int
    slug: str
    name: str
    projected_referrals: int | None
    local_authority_code: str
    start_date: date | None
    end_date: date | None
    primary_wellbeing_instrument: str


@dataclass(frozen=True, slots=True)
class ReferralRow:
    """One row of the referrals sheet, checked. Blank optional text is ""; blank dates and
    numbers are None."""

    row: int
    referral_id: str
    received_date: date
    practice_ods_code: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str
    pain_duration_months: int
    outcome: str
    nhs_number: str = ""
    postcode: str = ""
    ethnic_category: str = ""
    employment_status: str = ""
    pain_sites: str = ""
    reason: str = ""
    first_contact_date: date | None = None
    lsoa_code: str = ""
    imd_decile: int | None = None


class ReferralRows:
    """The good rows of the referrals sheet.

    Walking them reads the sheet again from the file, so that a workbook of a million rows
    is never held in memory whole (docs/performance.md). What the other checks need is
    kept as the sheet is checked: each referral ID's row and outcome, the practices named
    and the first and last dates received.
    """

    def __init__(self) -> None:
        # Each referral ID's row and outcome, packed in one small number: a million of
        # them are held at once.
        self.kept: dict[str, int] = {}
        self.practice_codes: set[str] = set()
        self.received: tuple[date, date] | None = None
        self.reread: Callable[[], Iterator[ReferralRow]] | None = None

    def keep(self, row: ReferralRow) -> None:
        self.kept[row.referral_id] = row.row * len(OUTCOMES) + OUTCOMES.index(row.outcome)
        self.practice_codes.add(row.practice_ods_code)
        first, last = self.received or (row.received_date, row.received_date)
        self.received = (min(first, row.received_date), max(last, row.received_date))

    def outcome_of(self, referral_id: str) -> str | None:
        kept = self.kept.get(referral_id)
        return None if kept is None else OUTCOMES[kept % len(OUTCOMES)]

    def row_of(self, referral_id: str) -> int | None:
        kept = self.kept.get(referral_id)
        return None if kept is None else kept // len(OUTCOMES)

    def ids_with_outcome(self, outcome: str) -> list[str]:
        wanted = OUTCOMES.index(outcome)
        return [
            referral_id for referral_id, kept in self.kept.items() if kept % len(OUTCOMES) == wanted
        ]

    def __len__(self) -> int:
        return len(self.kept)

    def __iter__(self) -> Iterator[ReferralRow]:
        if not self.kept or self.reread is None:
            return iter(())
        return (row for row in self.reread() if self.row_of(row.referral_id) == row.row)


def check_programme(rows: DataRows, problems: list[Problem]) -> ProgrammeRow | None:
    """The programme sheet's one row, checked."""
    found: list[ProgrammeRow] = []
    seen = 0
    for number, cells in rows:
        seen += 1
        if seen > 1:
            problems.append(Problem(PROGRAMME, number, "", "The programme sheet has one row only."))
            continue
        check = RowChecker(PROGRAMME, number, cells, problems, LABELS)
        slug = check.get(
            "slug",
            lambda v: readers.pattern(
                v, "slug", _SLUG, "sheffield-pilot (lower case, digits, hyphens)", upper=False
            ),
            required=True,
        )
        if slug and len(slug) > 60:
            check.problem("slug", "The slug is longer than 60 characters")
        name = check.get("name", lambda v: readers.text(v, "name", 200), required=True)
        projected = check.get(
            "projected_referrals",
            lambda v: readers.whole_number(
                v, LABELS["projected_referrals"], minimum=0, maximum=10**6
            ),
            required=False,
        )
        authority = check.get(
            "local_authority_code",
            lambda v: readers.pattern(
                v, "local authority code", _LOCAL_AUTHORITY_CODE, "E08000019"
            ),
            required=False,
        )
        start = check.get("start_date", lambda v: readers.iso_date(v, "start date"), required=False)
        end = check.get("end_date", lambda v: readers.iso_date(v, "end date"), required=False)
        if start and end and end < start:
            check.problem("end_date", "The end date is before the start date")
        instrument = check.get(
            "primary_wellbeing_instrument",
            lambda v: readers.text(v, LABELS["primary_wellbeing_instrument"], 30),
            required=False,
        )
        if check.ok:
            found.append(
                ProgrammeRow(
                    row=number,
                    slug=slug,
                    name=name,
                    projected_referrals=projected,
                    local_authority_code=authority or "",
                    start_date=start,
                    end_date=end,
                    primary_wellbeing_instrument=instrument or "",
                )
            )
    if found:
        return found[0]
    if seen == 0 and not any(problem.sheet == PROGRAMME for problem in problems):
        problems.append(
            Problem(PROGRAMME, None, "", "The programme sheet has a header but no row.")
        )
    return None


def check_referrals(
    rows: DataRows, problems: list[Problem], today: date, into: ReferralRows
) -> None:
    """Check the referrals sheet, keeping each good row's facts `into` the workbook's rows."""
    first_row_of: dict[str, int] = {}
    read = 0
    for number, cells in rows:
        read += 1
        referral = check_referral(number, cells, problems, today)
        referral_id = " ".join(readers.as_text(cells.get("referral_id")).split())
        first = first_row_of.setdefault(referral_id, number) if referral_id else number
        if first != number:
            problems.append(
                Problem(
                    REFERRALS,
                    number,
                    "referral_id",
                    f"The referral ID {referral_id} is also on row {first}: "
                    "each referral needs its own ID",
                )
            )
        elif referral is not None:
            into.keep(referral)
    if read == 0 and not any(problem.sheet == REFERRALS for problem in problems):
        problems.append(Problem(REFERRALS, None, "", "The referrals sheet has no rows."))


def check_referral(
    number: int, cells: dict[str, Any], problems: list[Problem], today: date
) -> ReferralRow | None:
    check = RowChecker(REFERRALS, number, cells, problems, LABELS)

    def text(column: str, max_length: int | None = None) -> Callable[[Any], str]:
        return lambda value: readers.text(value, LABELS[column], max_length)

    def a_date(column: str) -> Callable[[Any], date]:
        def parse(value: Any) -> date:
            parsed = readers.iso_date(value, LABELS[column])
            if parsed > today:
                raise readers.CellError(f"The {LABELS[column]} must be today or in the past")
            return parsed

        return parse

    referral_id = check.get("referral_id", text("referral_id", 40), required=True)
    received = check.get("received_date", a_date("received_date"), required=True)
    practice = check.get(
        "practice_ods_code",
        lambda v: readers.pattern(v, "practice ODS code", _ODS_CODE, "C88001"),
        required=True,
    )
    nhs_number = check.get("nhs_number", referral_cells.nhs_number, required=False)
    given_name = check.get("given_name", text("given_name", 100), required=True)
    family_name = check.get("family_name", text("family_name", 100), required=True)
    born = check.get("date_of_birth", a_date("date_of_birth"), required=True)
    if born and received:
        if born > received:
            check.problem("date_of_birth", "The date of birth is after the date received")
        elif born < _years_before(received, OLDEST_AGE):
            check.problem(
                "date_of_birth",
                f"The date of birth makes the person older than {OLDEST_AGE} when referred: "
                "check the year",
            )
    sex = check.get("sex", lambda v: readers.choice(v, "sex", SEXES), required=True)
    postcode = check.get("postcode", referral_cells.postcode, required=False)
    ethnic_category = check.get("ethnic_category", referral_cells.ethnic_category, required=False)
    employment_status = check.get(
        "employment_status", referral_cells.employment_status, required=False
    )
    pain_months = check.get(
        "pain_duration_months",
        lambda v: readers.whole_number(
            v, LABELS["pain_duration_months"], minimum=0, maximum=LONGEST_PAIN_MONTHS
        ),
        required=True,
    )
    pain_sites = check.get("pain_sites", referral_cells.pain_sites, required=False)
    reason = check.get("reason", text("reason"), required=False)
    outcome = check.get("outcome", lambda v: readers.choice(v, "outcome", OUTCOMES), required=True)
    first_contact = check.get("first_contact_date", a_date("first_contact_date"), required=False)
    if first_contact and received and first_contact < received:
        check.problem("first_contact_date", "The first contact date is before the date received")
    lsoa_code = check.get(
        "lsoa_code",
        lambda v: readers.pattern(v, "LSOA code", _LSOA_CODE, "E01007321"),
        required=False,
    )
    imd_decile = check.get(
        "imd_decile",
        lambda v: readers.whole_number(v, "IMD decile", minimum=1, maximum=10),
        required=False,
    )
    if imd_decile is not None and readers.is_blank(cells.get("lsoa_code")):
        check.problem(
            "imd_decile",
            "An IMD decile needs the LSOA code it belongs to: "
            "fill in lsoa_code or clear the decile",
        )
    if not check.ok:
        return None
    return ReferralRow(
        row=number,
        referral_id=referral_id,
        received_date=received,
        practice_ods_code=practice,
        nhs_number=nhs_number or "",
        given_name=given_name,
        family_name=family_name,
        date_of_birth=born,
        sex=sex,
        postcode=postcode or "",
        ethnic_category=ethnic_category or "",
        employment_status=employment_status or "",
        pain_duration_months=pain_months,
        pain_sites=pain_sites or "",
        reason=reason or "",
        outcome=outcome,
        first_contact_date=first_contact,
        lsoa_code=lsoa_code or "",
        imd_decile=imd_decile,
    )


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)
