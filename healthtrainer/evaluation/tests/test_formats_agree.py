"""Every format shows the same figures as the page, in both disclosure modes: the JSON,
the spreadsheet's table sheets and the CSV are read back and compared figure by figure
with the report the page and the printable page are drawn from."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from healthtrainer.core.period import Period
from healthtrainer.evaluation.disclosure import Disclosure
from healthtrainer.evaluation.report import build_report
from healthtrainer.evaluation.report.content import display
from healthtrainer.evaluation.report.formats import as_csv, as_json, as_xlsx
from healthtrainer.programmes.models import Programme

pytestmark = pytest.mark.django_db


def same(written, shown) -> bool:
    """A figure read back from a file is the figure shown: numbers as numbers, text as
    text, nothing as an empty cell."""
    if shown in (None, ""):
        return written in (None, "")
    if isinstance(shown, bool):
        return written == shown
    if isinstance(shown, float):
        # A spreadsheet keeps 16 significant digits of a float.
        return float(written) == pytest.approx(shown, rel=1e-15)
    if isinstance(shown, int | Decimal):
        return Decimal(str(written)) == Decimal(str(float(shown)))
    return str(written) == str(shown)


@pytest.mark.parametrize("mode", list(Disclosure))
def test_every_format_shows_the_figures_of_the_report(settings, mode):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=StringIO())
    report = build_report(Programme.objects.get(slug="sheffield-pilot"), Period(), mode)

    tables = json.loads(json.dumps(as_json(report)))["tables"]
    book = load_workbook(io.BytesIO(as_xlsx(report)))
    csv_values = {
        (line["table"], line["row"], line["column"]): line["value"]
        for line in csv.DictReader(io.StringIO(as_csv(report)))
    }
    for index, table in enumerate(report.tables, start=1):
        sheet = book.worksheets[index]
        written = list(sheet.iter_rows(min_row=4, max_row=3 + len(table.rows), values_only=True))
        for row, json_row, sheet_row in zip(
            table.rows, tables[table.id]["rows"], written, strict=True
        ):
            for value, from_json, from_sheet in zip(row, json_row, sheet_row, strict=True):
                assert same(from_json, value), (table.id, row)
                assert same(from_sheet, value), (table.id, row)
        if not any(column.numeric for column in table.columns):
            continue  # quotes: their CSV lines are named differently, and hold no figure
        for row in table.rows:
            cells = list(zip(row, table.columns, strict=True))
            label = " / ".join(str(value) for value, column in cells if not column.numeric)
            for value, column in cells:
                if column.numeric:
                    # The CSV is text: a p value reads there as on the page.
                    in_csv = csv_values[(table.title, label, column.label)] or None
                    assert same(in_csv, value) or in_csv == display(value)
