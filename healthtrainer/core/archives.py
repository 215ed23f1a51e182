"""Zip archives from outside (.docx, .xlsx, a .zip of CSV files), unpacked within limits.

A few hundred kilobytes of zip can unpack to gigabytes, and each entry's unpacked size is
whatever the sender wrote in the archive. So the stated sizes and the number of entries
are checked before anything is unpacked, and what an entry actually yields is counted as
it is read, which stops at the limit however the entry is labelled.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO


class ArchiveTooLarge(Exception):
    """Unpacking the archive, or one entry of it, would pass its limit."""


@dataclass(frozen=True)
class ArchiveLimits:
    entries: int
    unpacked_bytes: int


def check_archive(archive: zipfile.ZipFile, limits: ArchiveLimits) -> None:
    """Refuse an archive of more entries, or a larger stated unpacked size, than allowed."""
    entries = archive.infolist()
    if len(entries) > limits.entries:
        raise ArchiveTooLarge(f"{len(entries)} entries: the most allowed is {limits.entries}.")
    stated = sum(entry.file_size for entry in entries)
    if stated > limits.unpacked_bytes:
        raise ArchiveTooLarge(
            f"{stated} bytes unpacked: the most allowed is {limits.unpacked_bytes}."
        )


def open_entry(archive: zipfile.ZipFile, entry: str | zipfile.ZipInfo, limit: int) -> IO[bytes]:
    """One entry as a stream that raises ArchiveTooLarge once it has yielded more than
    `limit` bytes. Damaged compressed data raises zipfile.BadZipFile, as a bad archive does.
    """
    info = archive.getinfo(entry) if isinstance(entry, str) else entry
    if info.file_size > limit:
        raise ArchiveTooLarge(
            f"{info.filename} is {info.file_size} bytes unpacked: the most allowed is {limit}."
        )
    return io.BufferedReader(_CountedEntry(archive.open(info), info.filename, limit))


def read_entry(archive: zipfile.ZipFile, entry: str | zipfile.ZipInfo, limit: int) -> bytes:
    with open_entry(archive, entry, limit) as stream:
        return stream.read()


class _CountedEntry(io.RawIOBase):
    def __init__(self, stream: IO[bytes], name: str, limit: int) -> None:
        super().__init__()
        self._stream, self._name, self._limit = stream, name, limit
        self._yielded = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        # Never more than one byte past the limit is unpacked: enough to know it was passed.
        wanted = min(len(buffer), self._limit - self._yielded + 1)
        try:
            data = self._stream.read(wanted)
        except (zlib.error, EOFError) as error:
            raise zipfile.BadZipFile(f"{self._name} cannot be unpacked: {error}") from None
        self._yielded += len(data)
        if self._yielded > self._limit:
            raise ArchiveTooLarge(
                f"{self._name} unpacks to more than {self._limit} bytes, the most allowed."
            )
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._stream.close()
        super().close()
