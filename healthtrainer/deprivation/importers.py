"""Import the official deprivation and postcode files.

- "File 7" of the English Indices of Deprivation, IoD2019 or IoD2025 layout: one row per
  LSOA with its IMD score, rank and decile, among many domain columns that are ignored.
- The ONS Postcode Directory (ONSPD) or the National Statistics Postcode Lookup (NSPL):
  one row per postcode, live or terminated, with its LSOA on the 2011 and 2021 boundaries.

Files are read as a stream (the ONSPD has about 2.7 million rows) and written in batches
of upserts keyed on the natural key, so importing a file twice leaves the same rows and a
changed row is updated. Each file is imported in one transaction: a bad row aborts the
import with its line number and leaves nothing of the file loaded.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import models, transaction

from healthtrainer.core.audit import audit_record
from healthtrainer.deprivation.lookup import normalise_postcode
from healthtrainer.deprivation.models import (
    LSOA_BOUNDARY_YEAR,
    Edition,
    LsoaDeprivation,
    PostcodeLsoa,
)

BATCH_SIZE = 5000
AUDIT_ACTION = "deprivation.dataset.imported"

POSTCODES = "postcodes"
DATASETS = (*Edition.values, POSTCODES)

IMD_SCORE = "Index of Multiple Deprivation (IMD) Score"
IMD_RANK = "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"
IMD_DECILE = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"

# Rows done so far; called after each batch.
Progress = Callable[[int], None]


class DatasetError(Exception):
    """A file that cannot be imported. Nothing of it has been loaded."""


@dataclass(frozen=True)
class File7Layout:
    """The identifying columns of one edition's File 7; the IMD columns are common to all."""

    edition: Edition
    lsoa_code: str
    lsoa_name: str
    local_authority_code: str
    local_authority_name: str

    @property
    def columns(self) -> tuple[str, ...]:
        return (
            self.lsoa_code,
            self.lsoa_name,
            self.local_authority_code,
            self.local_authority_name,
            IMD_SCORE,
            IMD_RANK,
            IMD_DECILE,
        )


FILE7_LAYOUTS = {
    Edition.IOD2019: File7Layout(
        Edition.IOD2019,
        lsoa_code="LSOA code (2011)",
        lsoa_name="LSOA name (2011)",
        local_authority_code="Local Authority District code (2019)",
        local_authority_name="Local Authority District name (2019)",
    ),
    Edition.IOD2025: File7Layout(
        Edition.IOD2025,
        lsoa_code="LSOA code (2021)",
        lsoa_name="LSOA name (2021)",
        local_authority_code="Local Authority District code (2024)",
        local_authority_name="Local Authority District name (2024)",
    ),
}
FILE7_FIELDS = [
    "lsoa_name",
    "local_authority_code",
    "local_authority_name",
    "imd_score",
    "imd_rank",
    "imd_decile",
]

# ONSPD and NSPL name their columns alike; matched without regard to case. Releases from
# 2025 add the "cd" suffix, as in lsoa21cd.
POSTCODE_COLUMN = "pcds"
POSTCODE_LSOA_COLUMNS = {
    "lsoa2011_code": ("lsoa11", "lsoa11cd"),
    "lsoa2021_code": ("lsoa21", "lsoa21cd"),
}


@dataclass(frozen=True)
class ImportResult:
    dataset: str
    rows_read: int
    rows_written: int
    rows_new: int

    @property
    def summary(self) -> str:
        label = (
            Edition(self.dataset).label
            if self.dataset in Edition.values
            else "postcode to LSOA lookup"
        )
        return (
            f"Imported {self.dataset} ({label}): {self.rows_read:,} rows read, "
            f"{self.rows_written:,} created or updated, of which {self.rows_new:,} new."
        )


@dataclass(frozen=True)
class _Plan:
    """How to turn the rows of one file into records, worked out from its header."""

    model: type[models.Model]
    unique_fields: list[str]
    update_fields: list[str]
    build: Callable[[int, list[str]], models.Model]
    key: Callable[[Any], str]
    scope: dict[str, str]


def import_dataset(
    dataset: str,
    path: Path,
    *,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportResult:
    """Import one file: `iod2019` or `iod2025` (File 7) or `postcodes` (ONSPD or NSPL).

    Raises DatasetError, with the line number for a bad row, and then loads nothing.
    """
    with _csv_rows(path) as (header, rows):
        plan = _plan(dataset, header, path)
        model = plan.model
        with transaction.atomic():
            before = model._default_manager.filter(**plan.scope).count()
            read = written = 0
            batch: dict[str, models.Model] = {}
            for line, row in rows:
                record = plan.build(line, row)
                # Within one statement a key may appear only once (PostgreSQL refuses it
                # twice); the later row wins, as it would across batches.
                batch[plan.key(record)] = record
                read += 1
                if len(batch) >= batch_size:
                    written += _upsert(plan, list(batch.values()))
                    batch.clear()
                    if progress is not None:
                        progress(read)
            if not read:
                raise DatasetError(f"{path.name} has a header row but no data rows.")
            written += _upsert(plan, list(batch.values()))
            if progress is not None:
                progress(read)
            new = model._default_manager.filter(**plan.scope).count() - before
            audit_record(
                actor=None,
                action=AUDIT_ACTION,
                changed_fields=[*plan.unique_fields, *plan.update_fields],
            )
    return ImportResult(dataset=dataset, rows_read=read, rows_written=written, rows_new=new)


def read_records(dataset: str, path: Path) -> Iterator[models.Model]:
    """The unsaved records a file holds, checked as an import checks them."""
    with _csv_rows(path) as (header, rows):
        plan = _plan(dataset, header, path)
        for line, row in rows:
            yield plan.build(line, row)


def count_data_rows(path: Path) -> int:
    """The rows after the header, counted from line ends without parsing: for progress only."""
    lines = 0
    last = b"\n"
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    if last != b"\n":
        lines += 1
    return max(lines - 1, 0)


@contextmanager
def _csv_rows(path: Path) -> Iterator[tuple[list[str], Iterator[tuple[int, list[str]]]]]:
    """The header and an iterator of (line number, cells) over a UTF-8 CSV file.

    A byte order mark is dropped; blank lines are skipped.
    """
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.reader(file)

        def numbered() -> Iterator[tuple[int, list[str]]]:
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except UnicodeDecodeError as error:
                    raise DatasetError(
                        f"{path.name} is not UTF-8 text near line {reader.line_num + 1}: "
                        "save it as UTF-8 CSV and import it again."
                    ) from error
                except csv.Error as error:
                    raise DatasetError(f"Line {reader.line_num}: {error}.") from error
                if any(cell.strip() for cell in row):
                    yield reader.line_num, row

        rows = numbered()
        header = next(rows, (0, []))[1]
        if not header:
            raise DatasetError(f"{path.name} is empty: it has no header row.")
        yield [name.strip() for name in header], rows


def _plan(dataset: str, header: list[str], path: Path) -> _Plan:
    if dataset == POSTCODES:
        return _postcode_plan(header, path)
    if dataset in Edition.values:
        return _file7_plan(FILE7_LAYOUTS[Edition(dataset)], header, path)
    raise DatasetError(f"Unknown dataset {dataset!r}: use one of {', '.join(DATASETS)}.")


def _file7_plan(layout: File7Layout, header: list[str], path: Path) -> _Plan:
    present = set(header)
    missing = [column for column in layout.columns if column not in present]
    if missing:
        for other in FILE7_LAYOUTS.values():
            if other is not layout and all(column in present for column in other.columns):
                raise DatasetError(
                    f"{path.name} is File 7 of the {other.edition.label} (LSOA "
                    f"{LSOA_BOUNDARY_YEAR[other.edition]} codes), not of the "
                    f"{layout.edition.label}: "
                    f"import it as {other.edition.value}."
                )
        raise DatasetError(
            f"{path.name} is not File 7 of the {layout.edition.label}: it has no column "
            + ", ".join(f'"{column}"' for column in missing)
            + "."
        )
    at = {column: header.index(column) for column in layout.columns}
    width = max(at.values()) + 1
    edition = layout.edition.value

    def build(line: int, row: list[str]) -> LsoaDeprivation:
        _check_width(line, row, width)
        return LsoaDeprivation(
            edition=edition,
            lsoa_code=_code(line, row[at[layout.lsoa_code]], "LSOA code"),
            lsoa_name=_text(line, row[at[layout.lsoa_name]], "LSOA name", 100),
            local_authority_code=_code(
                line, row[at[layout.local_authority_code]], "local authority code"
            ),
            local_authority_name=_text(
                line, row[at[layout.local_authority_name]], "local authority name", 100
            ),
            imd_score=_score(line, row[at[IMD_SCORE]]),
            imd_rank=_whole_number(line, row[at[IMD_RANK]], "IMD rank", minimum=1),
            imd_decile=_whole_number(
                line, row[at[IMD_DECILE]], "IMD decile", minimum=1, maximum=10
            ),
        )

    return _Plan(
        model=LsoaDeprivation,
        unique_fields=["edition", "lsoa_code"],
        update_fields=FILE7_FIELDS,
        build=build,
        key=lambda record: record.lsoa_code,
        scope={"edition": edition},
    )


def _postcode_plan(header: list[str], path: Path) -> _Plan:
    lower = [name.lower() for name in header]
    if POSTCODE_COLUMN not in lower:
        raise DatasetError(
            f'{path.name} is not an ONS Postcode Directory or NSPL file: it has no column "pcds".'
        )
    lsoa_at = {
        field: lower.index(name)
        for field, names in POSTCODE_LSOA_COLUMNS.items()
        for name in names
        if name in lower
    }
    if not lsoa_at:
        raise DatasetError(
            f"{path.name} has no LSOA column: it needs "
            '"lsoa11" (2011 boundaries), "lsoa21" (2021 boundaries) or both.'
        )
    postcode_at = lower.index(POSTCODE_COLUMN)
    width = max(postcode_at, *lsoa_at.values()) + 1

    def build(line: int, row: list[str]) -> PostcodeLsoa:
        _check_width(line, row, width)
        postcode = normalise_postcode(row[postcode_at])
        if not postcode:
            raise DatasetError(f"Line {line}: the postcode is empty.")
        if len(postcode) > 8:
            raise DatasetError(f"Line {line}: {postcode!r} is too long for a postcode.")
        record = PostcodeLsoa(postcode=postcode)
        for field, index in lsoa_at.items():
            setattr(record, field, _code(line, row[index], "LSOA code", required=False))
        return record

    return _Plan(
        model=PostcodeLsoa,
        unique_fields=["postcode"],
        # A file with only one of the LSOA columns leaves the other as it was.
        update_fields=sorted(lsoa_at),
        build=build,
        key=lambda record: record.postcode,
        scope={},
    )


def _upsert(plan: _Plan, records: list[models.Model]) -> int:
    if records:
        plan.model._default_manager.bulk_create(
            records,
            update_conflicts=True,
            unique_fields=plan.unique_fields,
            update_fields=plan.update_fields,
        )
    return len(records)


def _check_width(line: int, row: list[str], width: int) -> None:
    if len(row) < width:
        raise DatasetError(f"Line {line}: the row has {len(row)} columns; it needs {width}.")


def _text(line: int, value: str, label: str, max_length: int) -> str:
    text = value.strip()
    if not text:
        raise DatasetError(f"Line {line}: the {label} is empty.")
    if len(text) > max_length:
        raise DatasetError(f"Line {line}: the {label} is longer than {max_length} characters.")
    return text


def _code(line: int, value: str, label: str, *, required: bool = True) -> str:
    code = value.strip().upper()
    if required and not code:
        raise DatasetError(f"Line {line}: the {label} is empty.")
    if len(code) > 9:
        raise DatasetError(f"Line {line}: the {label} {code!r} is longer than 9 characters.")
    return code


def _whole_number(
    line: int, value: str, label: str, *, minimum: int, maximum: int | None = None
) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise DatasetError(f"Line {line}: the {label} is {value!r}, not a whole number.") from None
    if number < minimum or (maximum is not None and number > maximum):
        allowed = f"{minimum} to {maximum}" if maximum is not None else f"{minimum} or more"
        raise DatasetError(f"Line {line}: the {label} is {number}; it must be {allowed}.")
    return number


def _score(line: int, value: str) -> Decimal:
    """The IMD score to three decimal places, as published for IoD2019."""
    try:
        score = Decimal(value.strip())
    except InvalidOperation:
        raise DatasetError(f"Line {line}: the IMD score is {value!r}, not a number.") from None
    if not score.is_finite() or abs(score) >= 1000:
        raise DatasetError(f"Line {line}: the IMD score is {value!r}, not a score.")
    return score.quantize(Decimal("0.001"))
