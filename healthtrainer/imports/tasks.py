"""The web workbook import, as a background task: the upload was checked and kept
(`pending.py`); confirming queues this, and the person follows it on its job page."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from healthtrainer.background import services as jobs
from healthtrainer.imports import pending as pending_workbooks
from healthtrainer.imports.importer import import_referrals
from healthtrainer.imports.models import PendingWorkbook
from healthtrainer.imports.report import ImportReport
from healthtrainer.imports.workbook import read_workbook

GONE = "That upload has already been imported, or has expired. Upload the workbook again."
PROBLEMS = (
    "Problems were found when the workbook was imported, so nothing was imported: fix "
    "every problem listed below, then upload the workbook again."
)


def outcome_of(report: ImportReport, file_name: str) -> dict[str, Any]:
    """What the finished job page shows: counts and lines, never the rows themselves."""
    return {
        "file_name": file_name,
        "total": report.total,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "clients_created": report.clients_created,
        "clients_linked": report.clients_linked,
        "practices_created": list(report.practices_created),
        "sheet_summaries": list(report.sheet_summaries),
        "notes": list(report.notes),
    }


def problems_of(report: ImportReport, file_name: str) -> dict[str, Any]:
    return {
        "file_name": file_name,
        "problems": [
            {"sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message}
            for p in report.problems
        ],
    }


@task()
def import_workbook(job_id: str, pending_id: int) -> None:
    """Check the kept workbook again (the programme may have changed since the upload) and
    import it in one transaction; the kept copy is deleted whatever the result."""
    job = jobs.job_to_run(job_id)
    if job is None or job.programme is None:
        return
    pending = PendingWorkbook.objects.filter(pk=pending_id, programme=job.programme).first()
    if pending is None:
        jobs.job_failed(job, error=GONE)
        return
    with jobs.job_guard(job):
        jobs.job_running(job, phase=f"Checking {pending.name}")
        with pending_workbooks.as_file(bytes(pending.content)) as path:
            workbook = read_workbook(path)
            # Writing is one transaction, which other connections cannot see into until it
            # ends: the page shows the work under way, not a count, while it runs.
            jobs.job_running(job, phase=f"Writing {len(workbook.referrals):,} referrals")
            report = import_referrals(
                actor=job.started_by, programme=job.programme, workbook=workbook
            )
    PendingWorkbook.objects.filter(pk=pending.pk).delete()
    if not report.is_valid:
        jobs.job_failed(job, error=PROBLEMS, outcome=problems_of(report, pending.name))
        return
    jobs.job_finished(job, outcome=outcome_of(report, pending.name))


@task()
def purge_stale_uploads() -> None:
    """Delete uploaded workbooks never confirmed, a day after they were checked."""
    pending_workbooks.discard_stale()
