"""Report downloads and research exports built outside the request: what was asked for
(`ExportOrder`), whether it is large enough to leave the request, and building its file
while the job's page counts the rows (the task itself is in `tasks.py`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings

from healthtrainer.background import services as jobs
from healthtrainer.background.models import BackgroundJob, JobKind
from healthtrainer.core.period import Period
from healthtrainer.evaluation.disclosure import Disclosure
from healthtrainer.evaluation.metrics.referral import referrals_received
from healthtrainer.evaluation.report import build_report
from healthtrainer.evaluation.report.output import Format, write
from healthtrainer.evaluation.research_export import csv_lines, export_rows
from healthtrainer.programmes.models import Programme

RESEARCH = "research"
# Rows written between two updates of the job's count: often enough for the bar to move,
# rarely enough that counting costs nothing beside the rows.
PROGRESS_EVERY = 1000


@dataclass(frozen=True)
class ExportOrder:
    """One export: the evaluation report in a format (one table of it, for CSV), or the
    research data (`fmt` "research"), for a period, under a disclosure mode."""

    fmt: str
    period: Period
    disclosure: Disclosure = Disclosure.PUBLISHED
    table_id: str | None = None

    @property
    def kind(self) -> JobKind:
        return JobKind.RESEARCH_EXPORT if self.fmt == RESEARCH else JobKind.EVALUATION_EXPORT

    def as_arguments(self) -> dict[str, Any]:
        """The order as a task's arguments, which must be plain JSON."""
        return {
            "fmt": self.fmt,
            "start": self.period.start.isoformat() if self.period.start else None,
            "end": self.period.end.isoformat() if self.period.end else None,
            "disclosure": self.disclosure.value,
            "table_id": self.table_id,
        }

    @classmethod
    def from_arguments(cls, arguments: dict[str, Any]) -> ExportOrder:
        start, end = arguments["start"], arguments["end"]
        return cls(
            fmt=arguments["fmt"],
            period=Period(
                date.fromisoformat(start) if start else None,
                date.fromisoformat(end) if end else None,
            ),
            disclosure=Disclosure(arguments["disclosure"]),
            table_id=arguments["table_id"],
        )

    def title(self) -> str:
        what = (
            "Research data (CSV)"
            if self.fmt == RESEARCH
            else f"Evaluation report ({self.fmt.upper()})"
        )
        return f"{what}, referrals {self.period.words()}"


def is_large(programme: Programme, period: Period) -> bool:
    """Whether building for this period is work for the background, not the request."""
    limit: int = settings.IN_REQUEST_MAX_REFERRALS
    counted: int = referrals_received(programme, period)[: limit + 1].count()
    return counted > limit


def export_file(
    job: BackgroundJob, programme: Programme, order: ExportOrder
) -> tuple[bytes, str, str]:
    """The file the order asks for, as (content, media type, name)."""
    if order.fmt == RESEARCH:
        total = referrals_received(programme, order.period).count()
        jobs.job_running(job, phase="Writing one row per referral", rows_total=total)
        rows = _counted(job, export_rows(programme, order.period))
        content = "".join(csv_lines(rows)).encode()
        return (
            content,
            "text/csv; charset=utf-8",
            f"research-{programme.slug}-{order.period.slug()}.csv",
        )
    jobs.job_running(job, phase="Working out every figure")
    report = build_report(programme, order.period, order.disclosure)
    fmt = Format(order.fmt)
    jobs.job_running(job, phase=f"Writing the {fmt.value.upper()} file")
    output = write(report, fmt, order.table_id if fmt == Format.CSV else None)
    return output.content, output.content_type, output.filename


def _counted(job: BackgroundJob, rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
    """The rows, updating the job's count as they pass (the first is the header)."""
    for done, row in enumerate(rows):
        if done and done % PROGRESS_EVERY == 0:
            jobs.job_progress(job, done)
        yield row
