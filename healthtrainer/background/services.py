"""Starting a background job and recording how it goes. The task updates its job as it
runs; each change is saved at once, outside any transaction the task's own work is in."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from healthtrainer.background.models import BackgroundJob, JobKind, JobState
from healthtrainer.core.audit import audit_record
from healthtrainer.programmes.models import Programme

logger = logging.getLogger(__name__)

UNEXPECTED = (
    "Something went wrong and the work stopped. Nothing it was doing was saved. Try again, "
    "and if it happens again tell the service's administrator."
)
STALLED = (
    "The work stopped without finishing (the worker running it was stopped). Nothing it "
    "was doing was saved. Try again."
)


@transaction.atomic
def job_start(*, actor: Any, programme: Programme, kind: JobKind, title: str) -> BackgroundJob:
    job = BackgroundJob.objects.create(
        programme=programme, started_by=actor, kind=kind, title=title
    )
    audit_record(
        actor=actor,
        action="background.job.started",
        target=job,
        programme=programme,
        changed_fields=["kind", "title"],
    )
    return job


def job_running(job: BackgroundJob, *, phase: str) -> None:
    job.state, job.phase = JobState.RUNNING, phase
    job.started_at = job.started_at or timezone.now()
    job.save(update_fields=["state", "phase", "started_at"])


def job_finished(job: BackgroundJob, *, outcome: dict[str, Any]) -> None:
    job.state, job.outcome, job.phase = JobState.FINISHED, outcome, ""
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "outcome", "phase", "finished_at"])


def job_failed(job: BackgroundJob, *, error: str, outcome: dict[str, Any] | None = None) -> None:
    job.state, job.error, job.phase = JobState.FAILED, error, ""
    job.outcome = outcome or {}
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "error", "outcome", "phase", "finished_at"])


@contextmanager
def job_guard(job: BackgroundJob) -> Iterator[None]:
    """Run a task's work for its job: an error that escapes marks the job failed, in plain
    words for the person and in full in the log, then goes on to the task framework."""
    try:
        yield
    except Exception:
        logger.exception("Background job %s (%s) failed", job.pk, job.kind)
        job_failed(job, error=UNEXPECTED)
        raise


def jobs_stalled_fail(*, now: datetime) -> int:
    """Mark failed every job still waiting or running long after it should have ended, as
    when its worker was killed; return how many."""
    return BackgroundJob.objects.filter(
        state__in=[JobState.QUEUED, JobState.RUNNING],
        created_at__lt=now - settings.BACKGROUND_JOB_TIMEOUT,
    ).update(state=JobState.FAILED, error=STALLED, phase="", finished_at=now)
