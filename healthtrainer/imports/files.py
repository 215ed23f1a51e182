"""The files a programme workbook comes in: an .xlsx, a .zip of CSV files, or a folder of
them. Each sheet is read on demand as numbered rows of cells; nothing here checks the cells.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO, Any

from openpyxl import load_workbook
from openpyxl.packaging.manifest import Manifest
from openpyxl.xml.constants import ARC_CONTENT_TYPES, SHARED_STRINGS
from openpyxl.xml.functions import fromstring

from healthtrainer.core.archives import ArchiveLimits, ArchiveTooLarge, check_archive, open_entry

# Worksheets and CSV files are streamed, a row at a time. Either may expand far beyond its
# size on disk, so the unpacked size is limited too, to this many times the file's limit.
UNPACKED_SIZE_FACTOR = 10
# openpyxl streams the sheets but holds an .xlsx's shared strings whole, at about seven
# times their unpacked size, so that part may have this share of the unpacked limit: one
# fifth, 40 MB for the largest upload.
SHARED_STRINGS_SHARE = 5
# An .xlsx holds a few dozen parts and a .zip one CSV file per sheet; thousands of entries
# are no workbook, and each costs memory before a byte is unpacked.
MAX_ENTRIES = 1_000
TOO_LARGE_UNPACKED = (
    "The file is too large once unpacked. Split the referrals into smaller workbooks."
)


class Unreadable(Exception):
    """The file, or one sheet of it, cannot be read at all."""


Rows = Iterator[tuple[int, tuple[Any, ...]]]
# The sheets of a file by name, each read on demand as (row number, cells) from row 1.
Sheets = dict[str, Callable[[], Rows]]


def file_size(path: Path) -> int:
    if path.is_dir():
        return sum(child.stat().st_size for child in path.iterdir() if child.is_file())
    return path.stat().st_size


@contextmanager
def open_sheets(path: Path, unpacked_limit: int) -> Iterator[Sheets]:
    if path.is_dir():
        yield _folder_source(path)
        return
    if not zipfile.is_zipfile(path):
        raise Unreadable(
            "The file is not an Excel workbook (.xlsx) or a .zip of CSV files. "
            "An older .xls workbook must be saved as .xlsx first."
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise Unreadable(f"The file cannot be opened: {error}.") from None
    with archive:
        try:
            check_archive(archive, ArchiveLimits(MAX_ENTRIES, unpacked_limit))
        except ArchiveTooLarge:
            raise Unreadable(TOO_LARGE_UNPACKED) from None
        is_xlsx = "xl/workbook.xml" in archive.namelist()
        if not is_xlsx:
            yield _zip_source(archive, unpacked_limit)
            return
        _check_shared_strings(archive, unpacked_limit // SHARED_STRINGS_SHARE)
    # openpyxl unpacks the parts itself; zipfile stops each part at the size the archive
    # states for it, and the stated sizes were checked above.
    with _xlsx_source(path) as source:
        yield source


def _check_shared_strings(archive: zipfile.ZipFile, limit: int) -> None:
    """Refuse shared strings larger than `limit`, found where openpyxl will look for them:
    the part that the workbook's content types name."""
    try:
        with open_entry(archive, ARC_CONTENT_TYPES, limit) as stream:
            content_types: Any = fromstring(stream.read())
        manifest: Any = Manifest.from_tree(content_types)
        part = manifest.find(SHARED_STRINGS)
        stated = archive.getinfo(part.PartName[1:]).file_size if part is not None else 0
    except ArchiveTooLarge:
        raise Unreadable(TOO_LARGE_UNPACKED) from None
    except Exception:
        return  # Without readable content types, openpyxl refuses the file and says why.
    if stated > limit:
        raise Unreadable(TOO_LARGE_UNPACKED)


def _refuse_duplicate_sheets(names: list[str]) -> None:
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise Unreadable(f"The file holds the {duplicates[0]} sheet more than once.")


def _folder_source(path: Path) -> Sheets:
    files = sorted(
        child for child in path.iterdir() if child.is_file() and not child.name.startswith(".")
    )

    def reader(child: Path) -> Callable[[], IO[bytes]]:
        return lambda: child.open("rb")

    return _csv_source({child.name: reader(child) for child in files})


def _zip_source(archive: zipfile.ZipFile, unpacked_limit: int) -> Sheets:
    members = {}
    for info in archive.infolist():
        parts = PurePosixPath(info.filename).parts
        if info.is_dir() or "__MACOSX" in parts or parts[-1].startswith("."):
            continue
        members[info.filename] = info
    names = [PurePosixPath(name).name for name in members]
    _refuse_duplicate_sheets(names)

    def reader(info: zipfile.ZipInfo) -> Callable[[], IO[bytes]]:
        return lambda: open_entry(archive, info, unpacked_limit)

    return _csv_source({PurePosixPath(name).name: reader(info) for name, info in members.items()})


def _csv_source(files: dict[str, Callable[[], IO[bytes]]]) -> Sheets:
    sheets: dict[str, Callable[[], Rows]] = {}
    for name, read in files.items():
        if not name.lower().endswith(".csv"):
            raise Unreadable(
                f"{name} is not a CSV file: the folder or .zip must hold only the sheets, "
                "as CSV files named after them (referrals.csv, …)."
            )
        sheet = name[: -len(".csv")]

        def rows(read: Callable[[], IO[bytes]] = read, name: str = name) -> Rows:
            try:
                with read() as stream:
                    yield from _csv_rows(name, stream)
            except ArchiveTooLarge:
                raise Unreadable(TOO_LARGE_UNPACKED) from None
            except zipfile.BadZipFile:
                raise Unreadable(
                    f"{name} cannot be unpacked: the .zip is damaged. Make it again and "
                    "upload it again."
                ) from None

        sheets[sheet] = rows
    return sheets


def _text_lines(name: str, stream: IO[bytes]) -> Iterator[str]:
    """The file's lines as text, decoded one at a time (no UTF-8 character holds a
    newline byte), so that the line of a bad character can be named."""
    for number, line in enumerate(stream, start=1):
        try:
            yield line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            raise Unreadable(
                f"{name} is not UTF-8 text (the first character that is not is on line "
                f'{number}). Save it as "CSV UTF-8" and upload it again.'
            ) from None


def _csv_rows(name: str, stream: IO[bytes]) -> Rows:
    reader = csv.reader(_text_lines(name, stream))
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise Unreadable(
                f"{name} cannot be read as CSV near line {reader.line_num}: {error}."
            ) from None
        number += 1
        yield number, tuple(cells)


@contextmanager
def _xlsx_source(path: Path) -> Iterator[Sheets]:
    # Opened as a file, not by name: openpyxl refuses a name without an .xlsx ending, and
    # an upload is kept under a name of its own. openpyxl raises many kinds of error for a
    # damaged or unusual file; each becomes a message, since the file comes from outside.
    file = path.open("rb")
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:
        file.close()
        raise Unreadable(f"The file cannot be read as an Excel workbook: {error}.") from None
    try:
        names = [sheet.title.strip() for sheet in book.worksheets]
        _refuse_duplicate_sheets(names)

        def reader(index: int) -> Callable[[], Rows]:
            def rows() -> Rows:
                try:
                    for number, cells in enumerate(
                        book.worksheets[index].iter_rows(values_only=True), start=1
                    ):
                        yield number, tuple(cells)
                except Exception as error:
                    raise Unreadable(f"The {names[index]} sheet cannot be read: {error}.") from None

            return rows

        yield {name: reader(index) for index, name in enumerate(names)}
    finally:
        book.close()
        file.close()
