"""The web workbook import as background tasks: a large upload is checked by
`check_workbook` (a small one in the request); confirming a checked upload queues
`import_workbook`. The person follows each on its job page."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from healthtrainer.background import services as jobs
from healthtrainer.background.models import BackgroundJob
from healthtrainer.imports import pending as pending_workbooks
from healthtrainer.imports.importer import import_referrals, plan_import, received_words
from healthtrainer.imports.models import PendingWorkbook
from healthtrainer.imports.report import CREATED, UPDATED, ImportReport
from healthtrainer.imports.workbook import Workbook, read_workbook
from healthtrainer.programmes.models import Programme

GONE = "That upload has already been imported, or has expired. Upload the workbook again."
CHECK_PROBLEMS = (
    "Problems were found in the workbook, so it cannot be imported: fix every problem "
    "listed below, then upload the workbook again."
)
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


def check_outcome(
    report: ImportReport, workbook: Workbook, name: str, pending_id: int
) -> dict[str, Any]:
    """What the finished check's page shows, and the kept upload its button imports."""
    return {
        "file_name": name,
        "pending_id": pending_id,
        "total": report.total,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "practices_created": list(report.practices_created),
        "sheet_summaries": list(report.sheet_summaries),
        "notes": list(report.notes),
        "received": received_words(workbook),
        "has_programme_sheet": workbook.programme is not None,
        "changes_shown": report.changes_shown,
        "changes_not_listed": report.changes_not_listed,
        "listed": [
            {
                "row": change.row,
                "reference": change.reference,
                "action": change.action,
                "fields": list(change.fields),
            }
            for change in report.changes
            if change.action in (CREATED, UPDATED)
        ],
    }


def _job_and_upload(
    job_id: str, pending_id: int
) -> tuple[BackgroundJob, PendingWorkbook, Programme] | None:
    """The job still to run and the upload it is for, or None when there is nothing to do
    (the job is gone or over, or its upload has gone, which fails the job in words)."""
    job = jobs.job_to_run(job_id)
    if job is None or job.programme is None:
        return None
    pending = PendingWorkbook.objects.filter(pk=pending_id, programme=job.programme).first()
    if pending is None:
        jobs.job_failed(job, error=GONE)
        return None
    return job, pending, job.programme


@task()
def check_workbook(job_id: str, pending_id: int) -> None:
    """Check a large upload as the upload page checks a small one. One that passes stays
    kept for its uploader to confirm; one that fails is deleted."""
    found = _job_and_upload(job_id, pending_id)
    if found is None:
        return
    job, pending, programme = found
    with jobs.job_guard(job):
        jobs.job_running(job, phase=f"Reading {pending.name}")
        with pending_workbooks.as_file(bytes(pending.content)) as path:
            workbook = read_workbook(path)
            jobs.job_running(job, phase=f"Checking {len(workbook.referrals):,} referrals")
            report = plan_import(programme=programme, workbook=workbook)
    if not report.is_valid:
        PendingWorkbook.objects.filter(pk=pending.pk).delete()
        jobs.job_failed(job, error=CHECK_PROBLEMS, outcome=problems_of(report, pending.name))
        return
    jobs.job_finished(job, outcome=check_outcome(report, workbook, pending.name, pending.pk))


@task()
def import_workbook(job_id: str, pending_id: int) -> None:
    """Check the kept workbook again (the programme may have changed since the upload) and
    import it in one transaction; the kept copy is deleted whatever the result."""
    found = _job_and_upload(job_id, pending_id)
    if found is None:
        return
    job, pending, programme = found
    with jobs.job_guard(job):
        jobs.job_running(job, phase=f"Checking {pending.name}")
        with pending_workbooks.as_file(bytes(pending.content)) as path:
            workbook = read_workbook(path)
            # Writing is one transaction, which other connections cannot see into until it
            # ends: the page shows the work under way, not a count, while it runs.
            jobs.job_running(job, phase=f"Writing {len(workbook.referrals):,} referrals")
            report = import_referrals(actor=job.started_by, programme=programme, workbook=workbook)
    PendingWorkbook.objects.filter(pk=pending.pk).delete()
    if not report.is_valid:
        jobs.job_failed(job, error=PROBLEMS, outcome=problems_of(report, pending.name))
        return
    jobs.job_finished(job, outcome=outcome_of(report, pending.name))


@task()
def purge_stale_uploads() -> None:
    """Delete uploaded workbooks never confirmed, a day after they were checked."""
    pending_workbooks.discard_stale()
