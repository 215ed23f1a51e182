"""The report as data: JSON, CSV and XLSX. Each says its disclosure mode in every file,
sheet and row, so a figure cannot be copied out without it."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from healthtrainer.core.spreadsheets import CsvWriter, append_row
from healthtrainer.evaluation.report.content import Column, Report, Table
from healthtrainer.evaluation.report.figures import Shown

CSV_HEADER = ["disclosure", "section", "table", "row", "column", "value"]


def _json_value(value: Shown) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _period(report: Report) -> dict[str, str | None]:
    return {
        "from": report.period.start.isoformat() if report.period.start else None,
        "to": report.period.end.isoformat() if report.period.end else None,
    }


def as_json(report: Report) -> dict[str, Any]:
    return {
        "programme": report.programme_slug,
        "programme_name": report.programme,
        "period": _period(report),
        "disclosure": report.disclosure.value,
        "generated_at": report.generated_at.isoformat(),
        "metrics": {
            headline.id: {
                "title": headline.title,
                "value": _json_value(headline.value),
                "numerator": _json_value(headline.numerator),
                "denominator": _json_value(headline.denominator),
                "definition": headline.definition,
            }
            for headline in report.metrics.values()
        },
        "tables": {
            table.id: {
                "title": table.title,
                "metric": table.metric_id,
                "columns": [column.label for column in table.columns],
                "rows": [[_json_value(value) for value in row] for row in table.rows],
            }
            for table in report.tables
        },
    }


def _csv_value(value: Shown) -> Any:
    return "" if value is None else value


def _is_value(index: int, column: Column, table_has_numbers: bool) -> bool:
    """In a table of figures the numbers are the values and its text names the row; in a
    table of text alone (quotes) the first cell names the row and the others are values."""
    return column.numeric if table_has_numbers else index > 0


def as_csv(report: Report, table_id: str | None = None) -> str:
    """Every table, or one, in long form: one line per figure, named by its table, row
    (the row's first cell) and column."""
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(CSV_HEADER)
    for section in report.sections:
        for table in section.tables:
            if table_id and table.id != table_id:
                continue
            numeric = any(column.numeric for column in table.columns)
            for row in table.rows:
                cells = list(zip(row, table.columns, strict=True))
                label = " / ".join(
                    str(value)
                    for index, (value, column) in enumerate(cells)
                    if not _is_value(index, column, numeric)
                )
                for index, (value, column) in enumerate(cells):
                    if _is_value(index, column, numeric):
                        writer.writerow(
                            [
                                report.disclosure.value,
                                section.title,
                                table.title,
                                label,
                                column.label,
                                _csv_value(value),
                            ]
                        )
    return out.getvalue()


def _sheet_title(index: int, table: Table) -> str:
    return f"{index:02d} {table.id}"[:31]


def as_xlsx(report: Report) -> bytes:
    """A sheet describing the report and its metrics, then one sheet per table; the first
    line of every sheet states the disclosure mode."""
    book = Workbook()
    about = book.worksheets[0]
    about.title = "About"
    bold = Font(bold=True)
    append_row(about, [report.disclosure_statement])
    append_row(about, ["Programme", report.programme])
    append_row(about, ["Period", report.period.describe()])
    append_row(about, ["Disclosure", report.disclosure.value])
    append_row(about, ["Generated", report.generated_at.strftime("%d %B %Y %H:%M")])
    append_row(about, [])
    append_row(about, ["Metric", "Title", "Value", "Numerator", "Denominator", "Definition"])
    for cell in about[about.max_row]:
        cell.font = bold
    for headline in report.metrics.values():
        append_row(
            about,
            [
                headline.id,
                headline.title,
                _csv_value(headline.value),
                _csv_value(headline.numerator),
                _csv_value(headline.denominator),
                headline.definition,
            ],
        )
    for index, table in enumerate(report.tables, start=1):
        sheet = book.create_sheet(_sheet_title(index, table))
        append_row(sheet, [report.disclosure_statement])
        append_row(sheet, [table.title])
        sheet["A2"].font = bold
        append_row(sheet, [column.label for column in table.columns])
        for cell in sheet[3]:
            cell.font = bold
        for row in table.rows:
            append_row(sheet, [_csv_value(value) for value in row])
        if not table.rows and table.empty:
            append_row(sheet, [table.empty])
        if table.note:
            append_row(sheet, [])
            append_row(sheet, [table.note])
        append_row(sheet, [])
        append_row(
            sheet,
            [f"How this is counted ({table.metric_id}): {report.definitions[table.metric_id]}"],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
