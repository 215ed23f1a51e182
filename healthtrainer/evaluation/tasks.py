"""Building an export or a report download as a background task (`exports.py`)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from healthtrainer.background import services as jobs
from healthtrainer.background.models import BackgroundJob
from healthtrainer.evaluation.exports import ExportOrder, export_file
from healthtrainer.programmes.models import Programme


def export_start(*, actor: Any, programme: Programme, order: ExportOrder) -> BackgroundJob:
    """Record the job and queue its building; the caller sends the person to its page."""
    job = jobs.job_start(actor=actor, programme=programme, kind=order.kind, title=order.title())
    build_export.enqueue(str(job.pk), order.as_arguments())
    return job


@task()
def build_export(job_id: str, order: dict[str, Any]) -> None:
    """Build the file and keep it on the job. Reading only, so running it twice makes the
    same file twice and changes nothing else."""
    job = jobs.job_to_run(job_id)
    if job is None or job.programme is None:
        return
    with jobs.job_guard(job):
        file = export_file(job, job.programme, ExportOrder.from_arguments(order))
    jobs.job_finished(job, file=file)
