"""Read and check a programme workbook (docs/import-format.md): one `.xlsx` file, or a
`.zip` or folder of CSV files named after the sheets. Reading writes nothing. Every row is
checked and every problem is collected, so a service can fix them all in one pass: the
programme and referrals sheets here (`referral_sheets`), each sheet of an episode's records
by the app that keeps those records (`format.EPISODE_SHEETS`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from openpyxl.utils import get_column_letter

from healthtrainer.core import cells as readers
from healthtrainer.core.row_checks import Problem
from healthtrainer.core.sizes import size_text
from healthtrainer.imports import files as sources
from healthtrainer.imports.format import EPISODE_SHEETS, PROGRAMME, REFERRALS, SHEETS
from healthtrainer.imports.referral_sheets import (
    ProgrammeRow,
    ReferralRow,
    ReferralRows,
    check_programme,
    check_referral,
    check_referrals,
)

__all__ = ["Problem", "ProgrammeRow", "ReferralRow", "ReferralRows", "Workbook", "read_workbook"]

EPISODE_SHEETS_BY_NAME = {sheet.name: sheet for sheet in EPISODE_SHEETS}


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
                f"The file is {size_text(size)}: the largest that can be imported is "
                f"{size_text(limit)}. Split the referrals into smaller workbooks.",
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
            row = check_referral(number, cells, already_recorded, today)
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
            data = data_rows(name, rows(), workbook.problems)
            if name == PROGRAMME:
                workbook.programme = check_programme(data, workbook.problems)
            elif name == REFERRALS:
                check_referrals(data, workbook.problems, today, into=workbook.referrals)
            else:
                sheet = EPISODE_SHEETS_BY_NAME[name]
                workbook.episode_rows[name] = sheet.check(data, workbook.problems, today)
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
