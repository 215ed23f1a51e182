"""Starting a background job and recording how it goes. The task updates its job as it
runs; each change is saved at once, outside any transaction the task's own work is in."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from healthtrainer.background.models import BackgroundJob, JobKind, JobState
from healthtrainer.core.audit import audit_record
from healthtrainer.programmes.models import Programme


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


def job_running(job: BackgroundJob, *, phase: str, total: int = 0) -> None:
    job.state, job.phase, job.total, job.done = JobState.RUNNING, phase, total, 0
    job.started_at = job.started_at or timezone.now()
    job.save(update_fields=["state", "phase", "total", "done", "started_at"])


def job_progress(job: BackgroundJob, *, done: int, total: int) -> None:
    job.done, job.total = done, total
    job.save(update_fields=["done", "total"])


def job_finished(job: BackgroundJob, *, outcome: dict[str, Any]) -> None:
    job.state, job.outcome, job.phase = JobState.FINISHED, outcome, ""
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "outcome", "phase", "finished_at"])


def job_failed(job: BackgroundJob, *, error: str, outcome: dict[str, Any] | None = None) -> None:
    job.state, job.error, job.phase = JobState.FAILED, error, ""
    job.outcome = outcome or {}
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "error", "outcome", "phase", "finished_at"])
