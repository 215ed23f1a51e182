"""Deprivation and postcode files uploaded by an administrator, opened by the background
task that imports them (`tasks.py`) as a CSV file on disk."""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

from healthtrainer.deprivation.importers import DatasetError
from healthtrainer.deprivation.models import DatasetUpload


@contextmanager
def as_csv_file(upload: DatasetUpload) -> Iterator[Path]:
    """The upload as a CSV file on disk for the importer: itself, or the one CSV file in
    the .zip it is."""
    content = bytes(upload.content)
    with tempfile.TemporaryDirectory(prefix="dataset-") as folder:
        path = Path(folder) / "upload.csv"
        if zipfile.is_zipfile(BytesIO(content)):
            path.write_bytes(_only_csv_in(content, upload.name))
        else:
            path.write_bytes(content)
        yield path


def _only_csv_in(content: bytes, name: str) -> bytes:
    with zipfile.ZipFile(BytesIO(content)) as archive:
        members = [m for m in archive.namelist() if m.lower().endswith(".csv")]
        if len(members) != 1:
            raise DatasetError(
                f"{name} holds {len(members)} CSV files: a .zip must hold exactly one."
            )
        return archive.read(members[0])
