"""Checking the rows of a spreadsheet: each problem with its sheet, its row as a person sees
it in a spreadsheet (the header is row 1), its column and a plain-English message, so a
file can be fixed in one pass."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from healthtrainer.core import cells as readers


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file. `row` is None for the file or a whole sheet."""

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


class RowChecker:
    """Reads the cells of one row by column name, recording a problem for each bad cell.
    `labels` gives each column's plain words for the messages."""

    def __init__(
        self,
        sheet: str,
        number: int,
        cells: dict[str, Any],
        problems: list[Problem],
        labels: Mapping[str, str],
    ) -> None:
        self.sheet = sheet
        self.number = number
        self.cells = cells
        self.problems = problems
        self.labels = labels
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
                self.problem(column, f"Enter the {self.labels[column]}")
            return None
        try:
            return parse(value)
        except readers.CellError as error:
            self.problem(column, str(error))
            return None
