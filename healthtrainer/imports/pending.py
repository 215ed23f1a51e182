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

from django.db.models import QuerySet
from django.utils import timezone

from healthtrainer.accounts.models import User, hash_token
from healthtrainer.imports.models import PendingWorkbook
from healthtrainer.programmes.models import Programme

MAX_AGE = timedelta(days=1)


def keep(content: bytes, *, programme: Programme, user: User, name: str) -> str:
    """Keep the workbook; return the token that alone can find it again."""
    token = secrets.token_urlsafe(32)
    _create(content, programme=programme, user=user, name=name, token=token)
    return token


def keep_for_check(content: bytes, *, programme: Programme, user: User, name: str) -> int:
    """Keep a workbook for a background check; return its id, which the check's job holds
    (`find_checked`). Its token is thrown away: nothing finds it by one."""
    pending = _create(
        content, programme=programme, user=user, name=name, token=secrets.token_urlsafe(32)
    )
    return pending.pk


def _create(
    content: bytes, *, programme: Programme, user: User, name: str, token: str
) -> PendingWorkbook:
    discard_stale()
    return PendingWorkbook.objects.create(
        programme=programme,
        uploaded_by=user,
        token_hash=hash_token(token),
        name=name,
        content=content,
    )


def find(token: str, *, programme: Programme, user: User) -> PendingWorkbook | None:
    return _kept_for(programme, user).filter(token_hash=hash_token(token)).first()


def find_checked(pending_id: int, *, programme: Programme, user: User) -> PendingWorkbook | None:
    """A workbook a background check kept: found by the id the check's job holds, which
    only the uploader's own job page offers."""
    return _kept_for(programme, user).filter(pk=pending_id).first()


def _kept_for(programme: Programme, user: User) -> QuerySet[PendingWorkbook]:
    return PendingWorkbook.objects.filter(
        programme=programme, uploaded_by=user, uploaded_at__gte=timezone.now() - MAX_AGE
    )


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
