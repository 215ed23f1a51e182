"""Reports read from a replica when one is configured; everything else, and every write,
goes to the primary.

`REPORTS_DATABASE_URL` adds the `reports` database alias. Code that builds a report or
an export wraps its reads in `reading_reports()`; the router then sends those reads to
the replica. A write never goes there, whatever was read from where, and migrations run
only on the primary.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings

PRIMARY = "default"
REPORTS = "reports"

_reading_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


@contextmanager
def reading_reports() -> Iterator[None]:
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


def reports_database() -> str:
    """The alias reports read from: the replica if there is one, else the primary."""
    return REPORTS if REPORTS in settings.DATABASES else PRIMARY


class ReportsRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _reading_reports.get():
            return reports_database()
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, first: Any, second: Any, **hints: Any) -> bool:
        # Both aliases hold the same data: the replica is a copy of the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY
