"""Workbooks uploaded and checked, waiting for their uploader to confirm the import.

They hold patient data, so none is kept longer than a day, confirmed or not, and each
can be read back only by the person who uploaded it, in the programme it was meant for.
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from healthtrainer.accounts.models import User, hash_token
from healthtrainer.imports.models import PendingWorkbook
from healthtrainer.programmes.models import Programme

MAX_AGE = timedelta(days=1)


def keep(content: bytes, *, programme: Programme, user: User, name: str) -> str:
    """Keep the workbook; return the token that alone can find it again."""
    discard_stale()
    token = secrets.token_urlsafe(32)
    PendingWorkbook.objects.create(
        programme=programme,
        uploaded_by=user,
        token_hash=hash_token(token),
        name=name,
        content=content,
    )
    return token


def find(token: str, *, programme: Programme, user: User) -> PendingWorkbook | None:
    return PendingWorkbook.objects.filter(
        token_hash=hash_token(token),
        programme=programme,
        uploaded_by=user,
        uploaded_at__gte=timezone.now() - MAX_AGE,
    ).first()


@contextmanager
def as_file(content: bytes) -> Iterator[Path]:
    """The workbook as a file for the reader, for the length of one request only."""
    with tempfile.TemporaryDirectory(prefix="workbook-") as folder:
        path = Path(folder) / "upload"
        path.write_bytes(content)
        yield path


def discard(token: str) -> None:
    PendingWorkbook.objects.filter(token_hash=hash_token(token)).delete()


def discard_stale() -> None:
    PendingWorkbook.objects.filter(uploaded_at__lt=timezone.now() - MAX_AGE).delete()
