"""Exports an API client asks for: checked here, then built by a background task
(`evaluation/tasks.py`) and collected, when done, from the job's file."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from healthtrainer.accounts.roles import Permission
from healthtrainer.core.audit import audit_record
from healthtrainer.core.period import Period, period_problems
from healthtrainer.evaluation.exports import RESEARCH, ExportOrder
from healthtrainer.evaluation.report.output import Format
from healthtrainer.evaluation.tasks import export_start
from healthtrainer.interop.models import ApiClient, ExportJob

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


@transaction.atomic
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
    order = ExportOrder(RESEARCH if kind == ExportJob.Kind.RESEARCH else fmt, Period(start, end))
    export = ExportJob.objects.create(
        programme=client.programme,
        api_client=client,
        job=export_start(actor=None, programme=client.programme, order=order),
        kind=kind,
        format=fmt,
        period_start=start,
        period_end=end,
    )
    audit_record(
        actor=None,
        action="interop.export_job.requested",
        target=export,
        programme=client.programme,
        changed_fields=["kind", "format"],
    )
    return export
