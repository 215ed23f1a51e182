"""Export jobs: asked for through the API, built one at a time by a worker
(`manage.py run_export_jobs`, run by the scheduler), and collected when done."""

from __future__ import annotations

import logging
from datetime import date

from django.utils import timezone

from healthtrainer.accounts.roles import Permission
from healthtrainer.core.audit import audit_record
from healthtrainer.core.period import Period, period_problems
from healthtrainer.evaluation.disclosure import Disclosure
from healthtrainer.evaluation.report import build_report
from healthtrainer.evaluation.report.output import Format, write
from healthtrainer.evaluation.research_export import csv_lines, export_rows
from healthtrainer.interop.models import ApiClient, ExportJob

logger = logging.getLogger(__name__)

FORMATS = {
    ExportJob.Kind.EVALUATION: [fmt.value for fmt in Format],
    ExportJob.Kind.RESEARCH: ["csv"],
}
PERMISSIONS = {
    ExportJob.Kind.EVALUATION: Permission.VIEW_EVALUATION,
    ExportJob.Kind.RESEARCH: Permission.EXPORT_RESEARCH_DATA,
}


class ExportRefused(ValueError):
    pass


def export_request(
    *, client: ApiClient, kind: str, fmt: str, start: date | None, end: date | None
) -> ExportJob:
    if kind not in FORMATS:
        raise ExportRefused(f"kind must be one of {', '.join(FORMATS)}.")
    if fmt not in FORMATS[ExportJob.Kind(kind)]:
        raise ExportRefused(
            f"The {kind} export comes as {', '.join(FORMATS[ExportJob.Kind(kind)])}, not {fmt}."
        )
    problems = period_problems(start, end)
    if problems:
        raise ExportRefused(" ".join(f"{name}: {text}." for name, text in problems.items()))
    job = ExportJob.objects.create(
        programme=client.programme,
        api_client=client,
        kind=kind,
        format=fmt,
        period_start=start,
        period_end=end,
    )
    audit_record(
        actor=None,
        action="interop.export_job.requested",
        target=job,
        programme=client.programme,
        changed_fields=["kind", "format"],
    )
    return job


def _build(job: ExportJob) -> tuple[bytes, str, str]:
    period = Period(job.period_start, job.period_end)
    if job.kind == ExportJob.Kind.RESEARCH:
        content = "".join(csv_lines(export_rows(job.programme, period))).encode()
        name = f"research-{job.programme.slug}-{period.slug()}.csv"
        return content, "text/csv; charset=utf-8", name
    output = write(build_report(job.programme, period, Disclosure.PUBLISHED), Format(job.format))
    return output.content, output.content_type, output.filename


def run_next() -> ExportJob | None:
    """Build the oldest queued export, if any. A job is claimed by one conditional update,
    so two workers never build the same one."""
    for job in ExportJob.objects.filter(state=ExportJob.State.QUEUED).select_related("programme")[
        :10
    ]:
        claimed = ExportJob.objects.filter(pk=job.pk, state=ExportJob.State.QUEUED).update(
            state=ExportJob.State.RUNNING
        )
        if not claimed:
            continue
        try:
            content, content_type, filename = _build(job)
        except Exception as error:
            logger.exception("Export job %s failed", job.pk)
            ExportJob.objects.filter(pk=job.pk).update(
                state=ExportJob.State.FAILED, error=str(error)[:1000], finished_at=timezone.now()
            )
        else:
            ExportJob.objects.filter(pk=job.pk).update(
                state=ExportJob.State.DONE,
                content=content,
                content_type=content_type,
                filename=filename,
                finished_at=timezone.now(),
            )
        job.refresh_from_db()
        return job
    return None
