"""Small programme workbooks written for tests: .xlsx, a folder of CSV files, or a .zip."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from healthtrainer.clients.identifiers import nhs_number_check_digit
from healthtrainer.imports.format import SHEETS

Sheets = dict[str, list[list[Any]]]


def nhs_number(serial: int) -> str:
    """A valid NHS number for each serial: nine digits and their check digit."""
    while True:
        first_nine = f"{400000000 + serial:09d}"
        check = nhs_number_check_digit(first_nine)
        if check is not None:
            return first_nine + str(check)
        serial += 1_000_000


def referral(**changes: Any) -> dict[str, Any]:
    """One valid referrals row, as text, changed as given."""
    row: dict[str, Any] = {
        "referral_id": "H-0001",
        "received_date": "2011-04-18",
        "practice_ods_code": "C88001",
        "nhs_number": "943 476 5919",
        "given_name": "Ada",
        "family_name": "Lovelace",
        "date_of_birth": "1960-03-27",
        "sex": "female",
        "postcode": "S1 2HE",
        "ethnic_category": "A",
        "employment_status": "04",
        "pain_duration_months": "24",
        "pain_sites": "lower back; knees",
        "reason": "Walking further",
        "outcome": "declined",
        "first_contact_date": "2011-04-20",
        "lsoa_code": "",
        "imd_decile": "",
    }
    row.update(changes)
    return row


def referrals(count: int, **changes: Any) -> list[dict[str, Any]]:
    """`count` valid rows for different people."""
    return [
        referral(
            referral_id=f"H-{n:04d}",
            nhs_number=nhs_number(n),
            given_name=f"Person{n}",
            **changes,
        )
        for n in range(1, count + 1)
    ]


def table(rows: list[dict[str, Any]], columns: list[str] | None = None) -> list[list[Any]]:
    """A header and rows, in the order of `columns` (every column of the first row)."""
    if columns is None:
        columns = list(rows[0]) if rows else list(SHEETS["referrals"])
    return [list(columns), *([row.get(column, "") for column in columns] for row in rows)]


def programme_sheet(slug: str = "home-programme", **changes: Any) -> list[list[Any]]:
    row = {"slug": slug, "name": "Home programme", **changes}
    return table([row])


def write_xlsx(path: Path, sheets: Sheets) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([None if cell == "" else cell for cell in row])
    book.save(path)
    return path


def csv_bytes(rows: list[list[Any]], *, encoding: str = "utf-8", bom: bool = False) -> bytes:
    text = io.StringIO(newline="")
    csv.writer(text).writerows(rows)
    data = text.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def write_folder(path: Path, sheets: Sheets, **options: Any) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, rows in sheets.items():
        (path / f"{name}.csv").write_bytes(csv_bytes(rows, **options))
    return path


def write_zip(path: Path, sheets: Sheets, *, folder: str = "", **options: Any) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in sheets.items():
            archive.writestr(f"{folder}{name}.csv", csv_bytes(rows, **options))
    return path
