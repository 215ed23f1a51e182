"""Queueing periodic tasks (reminders, purges) once a period, however many schedulers run.

Periods are counted from the Unix epoch, so every scheduler agrees on when one starts.
Each task is claimed for its current period by inserting a row that the database keeps
unique; a scheduler that loses the race skips it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from healthtrainer.background.models import ScheduledRun

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Periodic:
    task: str  # the dotted path of a task
    every: timedelta


def schedule() -> list[Periodic]:
    return [Periodic(path, timedelta(seconds=seconds)) for path, seconds in settings.PERIODIC_TASKS]


def period_start(now: datetime, every: timedelta) -> datetime:
    return EPOCH + every * ((now - EPOCH) // every)


def enqueue_due(now: datetime, periodics: list[Periodic] | None = None) -> list[str]:
    """Queue each periodic task not yet queued for its current period; return those queued."""
    queued = []
    for periodic in schedule() if periodics is None else periodics:
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(
                    task=periodic.task, period_start=period_start(now, periodic.every)
                )
                import_string(periodic.task).enqueue()
        except IntegrityError:
            continue
        queued.append(periodic.task)
    return queued
