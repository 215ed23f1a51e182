"""Writing a report in each format, for the web and for `manage.py evaluation_report`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum

from django.template.loader import render_to_string

from healthtrainer.core.pdf import html_pdf
from healthtrainer.evaluation.report.content import Report, display
from healthtrainer.evaluation.report.formats import as_csv, as_json, as_xlsx


class Format(StrEnum):
    HTML = "html"
    PDF = "pdf"
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


CONTENT_TYPES = {
    Format.HTML: "text/html; charset=utf-8",
    Format.PDF: "application/pdf",
    Format.CSV: "text/csv; charset=utf-8",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Format.JSON: "application/json",
}


@dataclass(frozen=True)
class Output:
    content: bytes
    content_type: str
    filename: str


def printable_html(report: Report) -> str:
    """The printable page: styled by its own stylesheet, a static file, so that the page
    passes the service's Content-Security-Policy (no inline styles) when served."""
    return render_to_string(
        "evaluation/report/printable.jinja", {"report": report, "show": display}
    )


def pdf(report: Report) -> bytes:
    """The printable page as an A4 PDF, laid out with the same stylesheet as the page.

    The stylesheet sets the running header (mode and programme) and footer on every page
    from the page's own hidden elements, so it needs no per-report text of its own."""
    return html_pdf(printable_html(report))


def filename(report: Report, fmt: Format, table_id: str | None = None) -> str:
    period = report.period
    span = (
        "-".join(part.isoformat() for part in (period.start, period.end) if part is not None)
        or "all"
    )
    suffix = f"-{table_id}" if table_id else ""
    return (
        f"evaluation-{report.programme_slug}-{span}-{report.disclosure.value}{suffix}.{fmt.value}"
    )


def write(report: Report, fmt: Format, table_id: str | None = None) -> Output:
    if fmt == Format.HTML:
        content = printable_html(report).encode()
    elif fmt == Format.PDF:
        content = pdf(report)
    elif fmt == Format.CSV:
        content = as_csv(report, table_id).encode()
    elif fmt == Format.XLSX:
        content = as_xlsx(report)
    else:
        content = json.dumps(as_json(report), indent=2).encode()
    return Output(content, CONTENT_TYPES[fmt], filename(report, fmt, table_id))
