"""Read and check a programme workbook: its `programme` and `referrals` sheets here, and
the sheets of an episode's records through the readers other apps register
(`register_sheet_reader`), since casework and measures sit above referrals.

The format is a contract with the services that bring their history (docs/import-format.md
in the shared documents): one `.xlsx` file, or a `.zip` or folder of CSV files named after
the sheets. Reading writes nothing. Every row is checked and every problem is collected,
with its sheet, its row as a person sees it in a spreadsheet (the header is row 1), its
column and a plain-English message, so a service can fix them all in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from openpyxl.utils import get_column_letter

from healthtrainer.referrals import workbook_cells as readers
from healthtrainer.referrals import workbook_files as sources
from healthtrainer.referrals.workbook_format import (
    EPISODE_SHEETS,
    LABELS,
    LONGEST_PAIN_MONTHS,
    OLDEST_AGE,
    OUTCOMES,
    PROGRAMME,
    REFERRALS,
    SEXES,
    SHEETS,
)

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ODS_CODE = re.compile(r"^[A-Z0-9]{3,10}$")
_LSOA_CODE = re.compile(r"^[EW]01\d{6}$")
_LOCAL_AUTHORITY_CODE = re.compile(r"^[EWSN]\d{8}$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a workbook. `row` is None for the file or a whole sheet."""

    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = [self.sheet or "file"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(self.column)
        return f"{', '.join(where)}: {self.message}"


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


@dataclass
class Workbook:
    """What a file holds, checked: the rows to import, or the problems that stop it."""

    programme: ProgrammeRow | None = None
    referrals: ReferralRows = field(default_factory=ReferralRows)
    # The checked rows of each episode sheet, by sheet name. Each row has `row` (its number)
    # and `referral_id`.
    episode_rows: dict[str, list[Any]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.problems


# Checks the rows of one episode sheet, appending checked rows to
# workbook.episode_rows[sheet] and problems to workbook.problems.
SheetReader = Callable[[Iterator[tuple[int, dict[str, Any]]], "Workbook", date], None]
SHEET_READERS: dict[str, SheetReader] = {}


def register_sheet_reader(sheet: str, reader: SheetReader) -> None:
    if sheet not in EPISODE_SHEETS:
        raise ValueError(f"{sheet} is not an episode sheet of the workbook.")
    SHEET_READERS[sheet] = reader


def read_workbook(
    path: Path, *, max_bytes: int | None = None, today: date | None = None
) -> Workbook:
    """Read and check the workbook at `path`: an .xlsx file, a .zip of CSV files, or a
    folder of CSV files. Never raises for anything in the file: problems are returned."""
    limit = settings.IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    today = today or timezone.localdate()
    workbook = Workbook()
    size = sources.file_size(path)
    if size > limit:
        workbook.problems.append(
            Problem(
                "",
                None,
                "",
                f"The file is {sources.size_text(size)}: the largest that can be imported is "
                f"{sources.size_text(limit)}. Split the referrals into smaller workbooks.",
            )
        )
        return workbook
    try:
        with sources.open_sheets(path, limit * sources.UNPACKED_SIZE_FACTOR) as source:
            _check_sheets(source, workbook, today)
    except sources.Unreadable as error:
        workbook.problems.append(Problem("", None, "", str(error)))
    workbook.referrals.reread = lambda: _reread_referrals(path, limit, today)
    return workbook


def _reread_referrals(path: Path, limit: int, today: date) -> Iterator[ReferralRow]:
    """The referrals sheet's rows, read and checked again; their problems were recorded
    the first time."""
    if not path.exists():
        raise FileNotFoundError(f"{path} is gone: a workbook's rows are read from its file.")
    already_recorded: list[Problem] = []
    with sources.open_sheets(path, limit * sources.UNPACKED_SIZE_FACTOR) as source:
        for number, cells in data_rows(REFERRALS, source[REFERRALS](), already_recorded):
            row = _check_referral(number, cells, already_recorded, today)
            if row is not None:
                yield row
            already_recorded.clear()


def _check_sheets(source: sources.Sheets, workbook: Workbook, today: date) -> None:
    for name in source:
        if name in SHEETS:
            continue
        near = next((sheet for sheet in SHEETS if sheet.lower() == name.lower()), None)
        hint = (
            f"rename it {near}"
            if near
            else f"the sheets are {', '.join(SHEETS)}. Rename it or take it out"
        )
        workbook.problems.append(
            Problem(name, None, "", f"{name} is not a sheet of the programme workbook: {hint}.")
        )
    if REFERRALS not in source:
        workbook.problems.append(
            Problem(REFERRALS, None, "", "The workbook has no referrals sheet.")
        )
    for name, rows in source.items():
        if name not in SHEETS:
            continue
        try:
            if name == PROGRAMME:
                _check_programme(rows(), workbook)
            elif name == REFERRALS:
                _check_referrals(rows(), workbook, today)
            elif name in SHEET_READERS:
                SHEET_READERS[name](data_rows(name, rows(), workbook.problems), workbook, today)
            else:
                _check_header_only(name, rows(), workbook)
        except sources.Unreadable as error:
            workbook.problems.append(Problem(name, None, "", str(error)))
    _check_episode_references(workbook)


def _check_episode_references(workbook: Workbook) -> None:
    """Every episode row names a referral of the referrals sheet, and an accepted one."""
    referrals = workbook.referrals
    unread = {problem.row for problem in workbook.problems if problem.sheet == REFERRALS}
    if unread and not referrals:
        return  # The referrals sheet could not be read: its problems say why.
    for sheet, rows in workbook.episode_rows.items():
        for row in rows:
            outcome = referrals.outcome_of(row.referral_id)
            if outcome is None:
                message = (
                    f"The referral ID {row.referral_id} is not in the referrals sheet, or its "
                    "row there has a problem: every row must belong to a referral of this workbook"
                )
            elif outcome != "accepted":
                message = (
                    f"Referral {row.referral_id} was not accepted (its outcome is {outcome}), "
                    f"so it can have no {sheet.replace('_', '-')}"
                )
            else:
                continue
            workbook.problems.append(Problem(sheet, row.row, "referral_id", message))


# Checking sheets.


class RowChecker:
    """Reads the cells of one row by column name, recording a problem for each bad cell."""

    def __init__(
        self, sheet: str, number: int, cells: dict[str, Any], problems: list[Problem]
    ) -> None:
        self.sheet = sheet
        self.number = number
        self.cells = cells
        self.problems = problems
        self.ok = True

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.sheet, self.number, column, message))
        self.ok = False

    def get(self, column: str, parse: Callable[[Any], Any], *, required: bool) -> Any:
        if column not in self.cells:
            # A missing column is reported once, on the header, not on every row.
            self.ok = self.ok and not required
            return None
        value = self.cells[column]
        if readers.is_blank(value):
            if required:
                self.problem(column, f"Enter the {LABELS[column]}")
            return None
        try:
            return parse(value)
        except readers.CellError as error:
            self.problem(column, str(error))
            return None


@dataclass
class _Header:
    columns: dict[int, str]
    named: set[int]


def _read_header(sheet: str, cells: tuple[Any, ...], problems: list[Problem]) -> _Header:
    known = SHEETS[sheet]
    columns: dict[int, str] = {}
    named: set[int] = set()
    for index, cell in enumerate(cells):
        name = readers.as_text(cell).lstrip("\ufeff").strip()
        if not name:
            continue
        named.add(index)
        if name in columns.values():
            problems.append(Problem(sheet, 1, name, f"The column {name} appears more than once."))
            continue
        if name not in known:
            near = next((column for column in known if column.lower() == name.lower()), None)
            hint = (
                f"write it as {near}"
                if near
                else f"the columns of the {sheet} sheet are {', '.join(known)}"
            )
            problems.append(
                Problem(sheet, 1, name, f"{name} is not a column of the {sheet} sheet: {hint}.")
            )
            continue
        columns[index] = name
    for column, required in known.items():
        if required and column not in columns.values():
            problems.append(Problem(sheet, 1, column, f"The column {column} is missing."))
    return _Header(columns, named)


def data_rows(
    sheet: str, rows: sources.Rows, problems: list[Problem]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The header's problems, then each non-blank row as {column: cell}."""
    header: _Header | None = None
    for number, cells in rows:
        if header is None:
            if all(readers.is_blank(cell) for cell in cells):
                continue
            header = _read_header(sheet, cells, problems)
            continue
        if all(readers.is_blank(cell) for cell in cells):
            continue
        for index, cell in enumerate(cells):
            if index not in header.named and not readers.is_blank(cell):
                problems.append(
                    Problem(
                        sheet,
                        number,
                        f"column {get_column_letter(index + 1)}",
                        "This cell is in a column with no header: give the column its name "
                        "or clear the cell.",
                    )
                )
        yield (
            number,
            {
                name: cells[index] if index < len(cells) else None
                for index, name in header.columns.items()
            },
        )
    if header is None:
        problems.append(Problem(sheet, None, "", f"The {sheet} sheet is empty: it has no header."))


def _check_header_only(sheet: str, rows: sources.Rows, workbook: Workbook) -> None:
    for _number, cells in rows:
        if not all(readers.is_blank(cell) for cell in cells):
            _read_header(sheet, cells, workbook.problems)
            workbook.notes.append(f"The {sheet} sheet is not imported yet: its rows were not read.")
            return
    workbook.notes.append(f"The {sheet} sheet is empty and was ignored.")


def _check_programme(rows: sources.Rows, workbook: Workbook) -> None:
    found: list[ProgrammeRow] = []
    seen = 0
    for number, cells in data_rows(PROGRAMME, rows, workbook.problems):
        seen += 1
        if seen > 1:
            workbook.problems.append(
                Problem(PROGRAMME, number, "", "The programme sheet has one row only.")
            )
            continue
        check = RowChecker(PROGRAMME, number, cells, workbook.problems)
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
        workbook.programme = found[0]
    elif seen == 0 and not any(problem.sheet == PROGRAMME for problem in workbook.problems):
        workbook.problems.append(
            Problem(PROGRAMME, None, "", "The programme sheet has a header but no row.")
        )


def _check_referrals(rows: sources.Rows, workbook: Workbook, today: date) -> None:
    first_row_of: dict[str, int] = {}
    read = 0
    for number, cells in data_rows(REFERRALS, rows, workbook.problems):
        read += 1
        referral = _check_referral(number, cells, workbook.problems, today)
        referral_id = " ".join(readers.as_text(cells.get("referral_id")).split())
        first = first_row_of.setdefault(referral_id, number) if referral_id else number
        if first != number:
            workbook.problems.append(
                Problem(
                    REFERRALS,
                    number,
                    "referral_id",
                    f"The referral ID {referral_id} is also on row {first}: "
                    "each referral needs its own ID",
                )
            )
        elif referral is not None:
            workbook.referrals.keep(referral)
    if read == 0 and not any(problem.sheet == REFERRALS for problem in workbook.problems):
        workbook.problems.append(Problem(REFERRALS, None, "", "The referrals sheet has no rows."))


def _check_referral(
    number: int, cells: dict[str, Any], problems: list[Problem], today: date
) -> ReferralRow | None:
    check = RowChecker(REFERRALS, number, cells, problems)

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
    nhs_number = check.get("nhs_number", readers.nhs_number, required=False)
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
    postcode = check.get("postcode", readers.postcode, required=False)
    ethnic_category = check.get("ethnic_category", readers.ethnic_category, required=False)
    employment_status = check.get("employment_status", readers.employment_status, required=False)
    pain_months = check.get(
        "pain_duration_months",
        lambda v: readers.whole_number(
            v, LABELS["pain_duration_months"], minimum=0, maximum=LONGEST_PAIN_MONTHS
        ),
        required=True,
    )
    pain_sites = check.get("pain_sites", readers.pain_sites, required=False)
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
