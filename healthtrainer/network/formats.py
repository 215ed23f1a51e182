"""A network's figures as data: every table as JSON or as a workbook (one sheet each), or
one table as CSV. Each holds the tables as the page shows them, and says how its counts
were published."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from healthtrainer.core.spreadsheets import CsvWriter, append_row
from healthtrainer.network.figures import Table
from healthtrainer.network.models import Network

DISCLOSURE = "published counts: 1 to 7 hidden, others rounded to 5"
DISCLOSURE_STATEMENT = (
    "Built from each programme's published counts: a count of 1 to 7 is hidden (*), "
    "others are rounded to the nearest 5."
)

CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def table_json(table: Table) -> dict[str, Any]:
    return {"title": table.title, "columns": table.columns, "rows": table.rows}


def as_json(network: Network, tables: list[Table]) -> dict[str, Any]:
    return {
        "network": network.name,
        "disclosure": DISCLOSURE,
        "tables": {table.id: table_json(table) for table in tables},
    }


def as_csv(table: Table) -> str:
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return out.getvalue()


def as_xlsx(network: Network, tables: list[Table]) -> bytes:
    """A sheet saying what the workbook is and listing its tables, then one sheet per
    table: the disclosure, the table's title, a header row, then its rows. Numbers are
    numbers; a hidden figure is "*", and a figure with nothing to count an empty cell."""
    book = Workbook()
    bold = Font(bold=True)
    about = book.worksheets[0]
    about.title = "About"
    append_row(about, [f"{network.name}: figures across programmes"])
    about["A1"].font = bold
    append_row(about, [DISCLOSURE_STATEMENT])
    append_row(about, [])
    append_row(about, ["Sheet", "Table"])
    for cell in about[about.max_row]:
        cell.font = bold
    for table in tables:
        append_row(about, [table.id, table.title])
    for table in tables:
        # A sheet's name is at most 31 characters; every table id is shorter.
        sheet = book.create_sheet(table.id[:31])
        append_row(sheet, [DISCLOSURE_STATEMENT])
        append_row(sheet, [table.title])
        sheet["A2"].font = bold
        append_row(sheet, table.columns)
        for cell in sheet[3]:
            cell.font = bold
        for row in table.rows:
            append_row(sheet, [None if value == "" else value for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
