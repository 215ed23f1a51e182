"""Starting a background job and recording how it goes. The task updates its job as it
runs; each change is saved at once, outside any transaction the task's own work is in."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from healthtrainer.background.models import (
    KIND_PERMISSIONS,
    SITE_KIND_PERMISSIONS,
    BackgroundJob,
    JobKind,
    JobState,
)
from healthtrainer.core.audit import audit_record
from healthtrainer.programmes.models import Programme

logger = logging.getLogger(__name__)

UNEXPECTED = (
    "Something went wrong and the work stopped. Nothing it was doing was saved. Try again, "
    "and if it happens again tell the service's administrator."
)
NO_LONGER_ALLOWED = "This was not done: the person who started it is no longer allowed to do it."
STALLED = (
    "The work stopped without finishing (the worker running it was stopped). Nothing it "
    "was doing was saved. Try again."
)


@transaction.atomic
def job_start(
    *, actor: Any, programme: Programme | None, kind: JobKind, title: str
) -> BackgroundJob:
    """Record a job about to be queued. `actor` is None when an API client asked for it
    (the client's own request is audited by the API); `programme` is None for site-wide
    work."""
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


def job_to_run(job_id: str) -> BackgroundJob | None:
    """The job a task was queued for, if it is still to be done: None when the job has gone
    (its programme was deleted) or is already over (the task is running a second time).
    A job whose starter has since lost the right to do it is failed, not run."""
    job = BackgroundJob.objects.select_related("programme", "started_by").filter(pk=job_id).first()
    if job is None or job.is_over:
        return None
    if job.started_by is not None and not _still_allowed(job, job.started_by):
        job_failed(job, error=NO_LONGER_ALLOWED)
        return None
    return job


def _still_allowed(job: BackgroundJob, starter: Any) -> bool:
    kind = JobKind(job.kind)
    if kind in SITE_KIND_PERMISSIONS:
        return bool(starter.is_active and starter.has_perm(SITE_KIND_PERMISSIONS[kind]))
    permission = KIND_PERMISSIONS.get(kind)
    if permission is None:
        return True
    return bool(starter.is_active and starter.has_perm(permission, job.programme))


def job_running(job: BackgroundJob, *, phase: str, rows_total: int | None = None) -> None:
    """Enter a phase: with `rows_total` the page counts its rows (`job_progress`); without,
    it shows the phase still running."""
    job.state, job.phase = JobState.RUNNING, phase
    job.rows_total, job.rows_done = rows_total, (0 if rows_total is not None else None)
    job.started_at = job.started_at or timezone.now()
    job.save(update_fields=["state", "phase", "rows_total", "rows_done", "started_at"])


def job_progress(job: BackgroundJob, rows_done: int) -> None:
    job.rows_done = rows_done
    BackgroundJob.objects.filter(pk=job.pk).update(rows_done=rows_done)


def job_finished(
    job: BackgroundJob,
    *,
    outcome: dict[str, Any] | None = None,
    file: tuple[bytes, str, str] | None = None,
) -> None:
    """The work is done: `outcome` is what its page shows, `file` (content, media type,
    name) what it made, to be downloaded."""
    job.state, job.outcome, job.phase = JobState.FINISHED, outcome or {}, ""
    job.rows_done = job.rows_total = None
    if file is not None:
        job.file_content, job.file_type, job.file_name = file
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "state",
            "outcome",
            "phase",
            "rows_done",
            "rows_total",
            "file_content",
            "file_type",
            "file_name",
            "finished_at",
        ]
    )


def job_failed(job: BackgroundJob, *, error: str, outcome: dict[str, Any] | None = None) -> None:
    job.state, job.error, job.phase = JobState.FAILED, error, ""
    job.outcome = outcome or {}
    job.rows_done = job.rows_total = None
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "state",
            "error",
            "outcome",
            "phase",
            "rows_done",
            "rows_total",
            "finished_at",
        ]
    )


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


def job_files_purge(*, now: datetime) -> int:
    """Delete the files of jobs finished more than `BACKGROUND_FILE_DAYS` ago: a report or
    an export is fetched soon after it is made, and a copy kept for ever is a copy to lose.
    The job itself stays, so its page says the file has gone. Return how many."""
    return BackgroundJob.objects.filter(
        finished_at__lt=now - timedelta(days=settings.BACKGROUND_FILE_DAYS),
        file_content__isnull=False,
    ).update(file_content=None)
