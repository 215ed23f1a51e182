"""Every CSV and XLSX file the service writes is written through here.

A spreadsheet runs a cell that begins with "=", "+", "-" or "@" (and, in some programs, a
tab or carriage return) as a formula, so text that someone typed (a code's name, a
document's title, a practice's name) could fetch a web address or rewrite other cells
when a colleague opens the file. Such text is written with a leading apostrophe, the
spreadsheet's own mark for "this is text", and stays readable; an XLSX cell is never a
formula. Numbers stay numbers, and text that is only a number ("-5") is left as it is:
a spreadsheet reads it as that number, which runs nothing.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, TextIO

from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_KEPT_AS_THEY_ARE = (int, float, Decimal, date, datetime, time)


def safe_text(value: str) -> str:
    """`value`, with an apostrophe in front if a spreadsheet would run it as a formula."""
    if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def unquoted(value: str) -> str:
    """Text as written before `safe_text`, for a file of ours read back in."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def safe_cell(value: Any) -> Any:
    """A value for a cell: numbers, dates and empty cells as they are, anything else as
    safe text."""
    if value is None or isinstance(value, _KEPT_AS_THEY_ARE):
        return value
    return safe_text(str(value))


class CsvWriter:
    """csv.writer's rows, every cell made safe."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out, lineterminator="\n")

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def append_row(sheet: Worksheet, row: Iterable[Any]) -> None:
    """Add `row` below the sheet's last, every cell made safe and none a formula."""
    sheet.append([safe_cell(value) for value in row])
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"
