"""Read and check a programme workbook: its `programme` and `referrals` sheets.

The format is a contract with the services that bring their history (docs/import-format.md
in the shared documents): one `.xlsx` file, or a `.zip` or folder of CSV files named after
the sheets. Reading writes nothing. Every row is checked and every problem is collected,
with its sheet, its row as a person sees it in a spreadsheet (the header is row 1), its
column and a plain-English message, so a service can fix them all in one pass.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from healthtrainer.clients.codes import EmploymentStatus, EthnicCategory, Sex
from healthtrainer.clients.identifiers import (
    InvalidIdentifier,
    normalise_nhs_number,
    normalise_postcode,
)

PROGRAMME = "programme"
REFERRALS = "referrals"

# Every sheet of the format, with its columns: True where the column is required.
SHEETS: dict[str, dict[str, bool]] = {
    PROGRAMME: {
        "slug": True,
        "name": True,
        "projected_referrals": False,
        "local_authority_code": False,
        "start_date": False,
        "end_date": False,
        "primary_wellbeing_instrument": False,
    },
    REFERRALS: {
        "referral_id": True,
        "received_date": True,
        "practice_ods_code": True,
        "nhs_number": False,
        "given_name": True,
        "family_name": True,
        "date_of_birth": True,
        "sex": True,
        "postcode": False,
        "ethnic_category": False,
        "employment_status": False,
        "pain_duration_months": True,
        "pain_sites": False,
        "reason": False,
        "outcome": True,
        "first_contact_date": False,
        "lsoa_code": False,
        "imd_decile": False,
    },
    "sessions": {
        "referral_id": True,
        "date": True,
        "attendance": True,
        "mode": False,
        "duration_minutes": False,
        "cb_techniques": False,
    },
    "goals": {
        "referral_id": True,
        "goal_id": True,
        "set_date": True,
        "domain": False,
        "description": True,
        "final_status": False,
    },
    "measures": {
        "referral_id": True,
        "instrument": True,
        "timepoint": True,
        "date": True,
        "total_score": True,
    },
    "discharges": {"referral_id": True, "date": True, "reason": True},
    "follow_ups": {
        "referral_id": True,
        "date": True,
        "contacted": True,
        "maintaining_strategies": False,
        "gp_visits_last_3_months": False,
    },
}
IMPORTED_SHEETS = (PROGRAMME, REFERRALS)

OUTCOMES = ("accepted", "not_eligible", "declined", "unable_to_contact", "withdrawn")
SEXES = tuple(Sex.values)
ETHNIC_CATEGORIES = tuple(EthnicCategory.values)
EMPLOYMENT_STATUSES = tuple(EmploymentStatus.values)
OLDEST_AGE = 120
LONGEST_PAIN_MONTHS = 1200

# Plain words for each column, for the messages.
LABELS = {
    "slug": "slug",
    "name": "name",
    "projected_referrals": "projected number of referrals",
    "local_authority_code": "local authority code",
    "start_date": "start date",
    "end_date": "end date",
    "primary_wellbeing_instrument": "primary well-being instrument",
    "referral_id": "referral ID",
    "received_date": "date received",
    "practice_ods_code": "practice ODS code",
    "nhs_number": "NHS number",
    "given_name": "given name",
    "family_name": "family name",
    "date_of_birth": "date of birth",
    "sex": "sex",
    "postcode": "postcode",
    "ethnic_category": "ethnic category",
    "employment_status": "employment status",
    "pain_duration_months": "pain duration in months",
    "pain_sites": "pain sites",
    "reason": "reason",
    "outcome": "outcome",
    "first_contact_date": "first contact date",
    "lsoa_code": "LSOA code",
    "imd_decile": "IMD decile",
}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WHOLE_NUMBER = re.compile(r"^[+-]?\d+$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ODS_CODE = re.compile(r"^[A-Z0-9]{3,10}$")
_LSOA_CODE = re.compile(r"^[EW]01\d{6}$")
_LOCAL_AUTHORITY_CODE = re.compile(r"^[EWSN]\d{8}$")
# Worksheets are streamed; a zip of CSV files is unpacked in memory. Either may expand far
# beyond its size on disk, so the unpacked size is limited too.
UNPACKED_SIZE_FACTOR = 10


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


@dataclass(frozen=True)
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


@dataclass
class Workbook:
    """What a file holds, checked: the rows to import, or the problems that stop it."""

    programme: ProgrammeRow | None = None
    referrals: list[ReferralRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.problems


class _Unreadable(Exception):
    """The file, or one sheet of it, cannot be read at all."""


Rows = Iterator[tuple[int, tuple[Any, ...]]]
# The sheets of a file by name, each read on demand as (row number, cells) from row 1.
Sheets = dict[str, Callable[[], Rows]]


def read_workbook(
    path: Path, *, max_bytes: int | None = None, today: date | None = None
) -> Workbook:
    """Read and check the workbook at `path`: an .xlsx file, a .zip of CSV files, or a
    folder of CSV files. Never raises for anything in the file: problems are returned."""
    limit = settings.IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    today = today or timezone.localdate()
    workbook = Workbook()
    size = _size(path)
    if size > limit:
        workbook.problems.append(
            Problem(
                "",
                None,
                "",
                f"The file is {size_text(size)}: the largest that can be imported is "
                f"{size_text(limit)}. Split the referrals into smaller workbooks.",
            )
        )
        return workbook
    try:
        with _open(path, limit * UNPACKED_SIZE_FACTOR) as source:
            _check_sheets(source, workbook, today)
    except _Unreadable as error:
        workbook.problems.append(Problem("", None, "", str(error)))
    return workbook


def size_text(size: int) -> str:
    """A file size as people read it: 20 MB, 1.5 MB, 300 KB."""
    if size < 1024 * 1024:
        return f"{max(round(size / 1024), 1)} KB"
    megabytes = f"{size / (1024 * 1024):.1f}".removesuffix(".0")
    return f"{megabytes} MB"


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(child.stat().st_size for child in path.iterdir() if child.is_file())
    return path.stat().st_size


@contextmanager
def _open(path: Path, unpacked_limit: int) -> Iterator[Sheets]:
    if path.is_dir():
        yield _folder_source(path)
        return
    if not zipfile.is_zipfile(path):
        raise _Unreadable(
            "The file is not an Excel workbook (.xlsx) or a .zip of CSV files. "
            "An older .xls workbook must be saved as .xlsx first."
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise _Unreadable(f"The file cannot be opened: {error}.") from None
    with archive:
        if sum(info.file_size for info in archive.infolist()) > unpacked_limit:
            raise _Unreadable(
                "The file is too large once unpacked. Split the referrals into smaller workbooks."
            )
        is_xlsx = "xl/workbook.xml" in archive.namelist()
        if not is_xlsx:
            yield _zip_source(archive)
            return
    with _xlsx_source(path) as source:
        yield source


def _refuse_duplicate_sheets(names: list[str]) -> None:
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise _Unreadable(f"The file holds the {duplicates[0]} sheet more than once.")


def _folder_source(path: Path) -> Sheets:
    files = sorted(
        child for child in path.iterdir() if child.is_file() and not child.name.startswith(".")
    )
    return _csv_source({child.name: child.read_bytes for child in files})


def _zip_source(archive: zipfile.ZipFile) -> Sheets:
    members = {}
    for info in archive.infolist():
        parts = PurePosixPath(info.filename).parts
        if info.is_dir() or "__MACOSX" in parts or parts[-1].startswith("."):
            continue
        members[info.filename] = info
    names = [PurePosixPath(name).name for name in members]
    _refuse_duplicate_sheets(names)

    def reader(info: zipfile.ZipInfo) -> Callable[[], bytes]:
        return lambda: archive.read(info)

    return _csv_source({PurePosixPath(name).name: reader(info) for name, info in members.items()})


def _csv_source(files: dict[str, Callable[[], bytes]]) -> Sheets:
    sheets: dict[str, Callable[[], Rows]] = {}
    for name, read in files.items():
        if not name.lower().endswith(".csv"):
            raise _Unreadable(
                f"{name} is not a CSV file: the folder or .zip must hold only the sheets, "
                "as CSV files named after them (referrals.csv, …)."
            )
        sheet = name[: -len(".csv")]

        def rows(read: Callable[[], bytes] = read, name: str = name) -> Rows:
            return _csv_rows(name, read())

        sheets[sheet] = rows
    return sheets


def _csv_rows(name: str, data: bytes) -> Rows:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _Unreadable(
            f"{name} is not UTF-8 text (the first character that is not is on line {line}). "
            'Save it as "CSV UTF-8" and upload it again.'
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _Unreadable(
                f"{name} cannot be read as CSV near line {reader.line_num}: {error}."
            ) from None
        number += 1
        yield number, tuple(cells)


@contextmanager
def _xlsx_source(path: Path) -> Iterator[Sheets]:
    # Opened as a file, not by name: openpyxl refuses a name without an .xlsx ending, and
    # an upload is kept under a name of its own. openpyxl raises many kinds of error for a
    # damaged or unusual file; each becomes a message, since the file comes from outside.
    file = path.open("rb")
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:
        file.close()
        raise _Unreadable(f"The file cannot be read as an Excel workbook: {error}.") from None
    try:
        names = [sheet.title.strip() for sheet in book.worksheets]
        _refuse_duplicate_sheets(names)

        def reader(index: int) -> Callable[[], Rows]:
            def rows() -> Rows:
                try:
                    for number, cells in enumerate(
                        book.worksheets[index].iter_rows(values_only=True), start=1
                    ):
                        yield number, tuple(cells)
                except Exception as error:
                    raise _Unreadable(
                        f"The {names[index]} sheet cannot be read: {error}."
                    ) from None

            return rows

        yield {name: reader(index) for index, name in enumerate(names)}
    finally:
        book.close()
        file.close()


def _check_sheets(source: Sheets, workbook: Workbook, today: date) -> None:
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
            else:
                _check_header_only(name, rows(), workbook)
        except _Unreadable as error:
            workbook.problems.append(Problem(name, None, "", str(error)))


# Reading cells.


class _CellError(ValueError):
    pass


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_text(value: Any) -> str:
    """A cell as the text a person sees: numbers without a trailing .0, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _shown(value: Any) -> str:
    text = _as_text(value)
    return f'"{text[:40]}…"' if len(text) > 40 else f'"{text}"'


def _text(value: Any, label: str, max_length: int | None = None) -> str:
    text = " ".join(_as_text(value).split())
    if max_length is not None and len(text) > max_length:
        raise _CellError(f"The {label} is longer than {max_length} characters")
    return text


def _date(value: Any, label: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _as_text(value)
    if not _ISO_DATE.match(text):
        raise _CellError(f"The {label} must be a date written like 2011-04-18, not {_shown(value)}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _CellError(f"The {label} {_shown(value)} is not a real date") from None


def _whole_number(value: Any, label: str, *, minimum: int, maximum: int) -> int:
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and _WHOLE_NUMBER.match(value.strip()):
        number = int(value.strip())
    if number is None:
        raise _CellError(f"The {label} must be a whole number, not {_shown(value)}")
    if number < minimum or number > maximum:
        if minimum == 0 and number < 0:
            raise _CellError(f"The {label} cannot be negative")
        raise _CellError(f"The {label} must be from {minimum} to {maximum}, not {number}")
    return number


def _choice(value: Any, label: str, choices: tuple[str, ...]) -> str:
    text = _as_text(value).lower()
    if text not in choices:
        raise _CellError(f"The {label} must be one of {', '.join(choices)}, not {_shown(value)}")
    return text


def _ethnic_category(value: Any) -> str:
    code = _as_text(value).upper()
    if code not in ETHNIC_CATEGORIES:
        raise _CellError(
            "The ethnic category must be an NHS Data Dictionary code "
            f"({', '.join(ETHNIC_CATEGORIES)}), not {_shown(value)}"
        )
    return code


def _employment_status(value: Any) -> str:
    # A spreadsheet turns 01 into the number 1; both mean the same code.
    code = _as_text(value).upper()
    code = code.zfill(2) if code.isdigit() and len(code) == 1 else code
    if code not in EMPLOYMENT_STATUSES:
        raise _CellError(
            "The employment status must be an NHS Data Dictionary code "
            f"({', '.join(EMPLOYMENT_STATUSES)}), not {_shown(value)}"
        )
    return code


def _nhs_number(value: Any) -> str:
    try:
        return normalise_nhs_number(_as_text(value))
    except InvalidIdentifier as error:
        raise _CellError(str(error)) from None


def _postcode(value: Any) -> str:
    try:
        return normalise_postcode(_as_text(value))
    except InvalidIdentifier as error:
        raise _CellError(str(error)) from None


def _pattern(
    value: Any, label: str, pattern: re.Pattern[str], example: str, *, upper: bool = True
) -> str:
    text = _as_text(value).upper() if upper else _as_text(value)
    if not pattern.match(text):
        raise _CellError(f"The {label} must look like {example}, not {_shown(value)}")
    return text


def _pain_sites(value: Any) -> str:
    sites = [" ".join(site.split()) for site in _as_text(value).split(";")]
    return _text("; ".join(site for site in sites if site), "list of pain sites", 300)


# Checking sheets.


class _RowChecker:
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
        if _is_blank(value):
            if required:
                self.problem(column, f"Enter the {LABELS[column]}")
            return None
        try:
            return parse(value)
        except _CellError as error:
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
        name = _as_text(cell).lstrip("\ufeff").strip()
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


def _data_rows(
    sheet: str, rows: Rows, problems: list[Problem]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The header's problems, then each non-blank row as {column: cell}."""
    header: _Header | None = None
    for number, cells in rows:
        if header is None:
            if all(_is_blank(cell) for cell in cells):
                continue
            header = _read_header(sheet, cells, problems)
            continue
        if all(_is_blank(cell) for cell in cells):
            continue
        for index, cell in enumerate(cells):
            if index not in header.named and not _is_blank(cell):
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


def _check_header_only(sheet: str, rows: Rows, workbook: Workbook) -> None:
    for _number, cells in rows:
        if not all(_is_blank(cell) for cell in cells):
            _read_header(sheet, cells, workbook.problems)
            workbook.notes.append(f"The {sheet} sheet is not imported yet: its rows were not read.")
            return
    workbook.notes.append(f"The {sheet} sheet is empty and was ignored.")


def _check_programme(rows: Rows, workbook: Workbook) -> None:
    found: list[ProgrammeRow] = []
    seen = 0
    for number, cells in _data_rows(PROGRAMME, rows, workbook.problems):
        seen += 1
        if seen > 1:
            workbook.problems.append(
                Problem(PROGRAMME, number, "", "The programme sheet has one row only.")
            )
            continue
        check = _RowChecker(PROGRAMME, number, cells, workbook.problems)
        slug = check.get(
            "slug",
            lambda v: _pattern(
                v, "slug", _SLUG, "sheffield-pilot (lower case, digits, hyphens)", upper=False
            ),
            required=True,
        )
        if slug and len(slug) > 60:
            check.problem("slug", "The slug is longer than 60 characters")
        name = check.get("name", lambda v: _text(v, "name", 200), required=True)
        projected = check.get(
            "projected_referrals",
            lambda v: _whole_number(v, LABELS["projected_referrals"], minimum=0, maximum=10**6),
            required=False,
        )
        authority = check.get(
            "local_authority_code",
            lambda v: _pattern(v, "local authority code", _LOCAL_AUTHORITY_CODE, "E08000019"),
            required=False,
        )
        start = check.get("start_date", lambda v: _date(v, "start date"), required=False)
        end = check.get("end_date", lambda v: _date(v, "end date"), required=False)
        if start and end and end < start:
            check.problem("end_date", "The end date is before the start date")
        instrument = check.get(
            "primary_wellbeing_instrument",
            lambda v: _text(v, LABELS["primary_wellbeing_instrument"], 30),
            required=False,
        )
        if instrument:
            workbook.notes.append(
                "The primary well-being instrument is not imported yet: it was not read."
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


def _check_referrals(rows: Rows, workbook: Workbook, today: date) -> None:
    first_row_of: dict[str, int] = {}
    read = 0
    for number, cells in _data_rows(REFERRALS, rows, workbook.problems):
        read += 1
        referral = _check_referral(number, cells, workbook.problems, today)
        referral_id = " ".join(_as_text(cells.get("referral_id")).split())
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
            workbook.referrals.append(referral)
    if read == 0 and not any(problem.sheet == REFERRALS for problem in workbook.problems):
        workbook.problems.append(Problem(REFERRALS, None, "", "The referrals sheet has no rows."))


def _check_referral(
    number: int, cells: dict[str, Any], problems: list[Problem], today: date
) -> ReferralRow | None:
    check = _RowChecker(REFERRALS, number, cells, problems)

    def text(column: str, max_length: int | None = None) -> Callable[[Any], str]:
        return lambda value: _text(value, LABELS[column], max_length)

    def a_date(column: str) -> Callable[[Any], date]:
        def parse(value: Any) -> date:
            parsed = _date(value, LABELS[column])
            if parsed > today:
                raise _CellError(f"The {LABELS[column]} must be today or in the past")
            return parsed

        return parse

    referral_id = check.get("referral_id", text("referral_id", 40), required=True)
    received = check.get("received_date", a_date("received_date"), required=True)
    practice = check.get(
        "practice_ods_code",
        lambda v: _pattern(v, "practice ODS code", _ODS_CODE, "C88001"),
        required=True,
    )
    nhs_number = check.get("nhs_number", _nhs_number, required=False)
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
    sex = check.get("sex", lambda v: _choice(v, "sex", SEXES), required=True)
    postcode = check.get("postcode", _postcode, required=False)
    ethnic_category = check.get("ethnic_category", _ethnic_category, required=False)
    employment_status = check.get("employment_status", _employment_status, required=False)
    pain_months = check.get(
        "pain_duration_months",
        lambda v: _whole_number(
            v, LABELS["pain_duration_months"], minimum=0, maximum=LONGEST_PAIN_MONTHS
        ),
        required=True,
    )
    pain_sites = check.get("pain_sites", _pain_sites, required=False)
    reason = check.get("reason", text("reason"), required=False)
    outcome = check.get("outcome", lambda v: _choice(v, "outcome", OUTCOMES), required=True)
    first_contact = check.get("first_contact_date", a_date("first_contact_date"), required=False)
    if first_contact and received and first_contact < received:
        check.problem("first_contact_date", "The first contact date is before the date received")
    lsoa_code = check.get(
        "lsoa_code", lambda v: _pattern(v, "LSOA code", _LSOA_CODE, "E01007321"), required=False
    )
    imd_decile = check.get(
        "imd_decile",
        lambda v: _whole_number(v, "IMD decile", minimum=1, maximum=10),
        required=False,
    )
    if imd_decile is not None and _is_blank(cells.get("lsoa_code")):
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
