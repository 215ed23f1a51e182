"""Writing a report in each format, for the web and for `manage.py evaluation_report`."""

from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string

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


# The address the printable page is laid out at for the PDF. Only its static files are
# ever read, from disk; ".invalid" names no host, so nothing could be fetched from it.
PDF_BASE_URL = "https://healthtrainer.invalid/"


def printable_html(report: Report) -> str:
    """The printable page: styled by its own stylesheet, a static file, so that the page
    passes the service's Content-Security-Policy (no inline styles) when served."""
    return render_to_string(
        "evaluation/report/printable.jinja", {"report": report, "show": display}
    )


def static_file(url: str) -> Path:
    """The file on disk behind a static file's URL in the printable page, for WeasyPrint.

    Found as the service finds it: by the static file finders (the app folders and the
    front-end build), or, for a hashed name from the manifest storage, in the collected
    static files. Any other URL is refused with ValueError: the PDF reads nothing from
    the network, and no file outside the static files.
    """
    prefix = urljoin(PDF_BASE_URL, settings.STATIC_URL)
    if not url.startswith(prefix):
        raise ValueError(f"The printable report only reads static files, not {url}")
    name = unquote(urlsplit(url).path[len(urlsplit(prefix).path) :])
    found = finders.find(name)
    if isinstance(found, str):
        return Path(found)
    try:
        if staticfiles_storage.exists(name):
            return Path(staticfiles_storage.path(name))
    except NotImplementedError:
        pass
    raise ValueError(f"No static file {name!r} for the printable report")


def pdf(report: Report) -> bytes:
    """The printable page as an A4 PDF, laid out with the same stylesheet as the page.

    The stylesheet sets the running header (mode and programme) and footer on every page
    from the page's own hidden elements, so it needs no per-report text of its own."""
    # Imported here: WeasyPrint loads Pango when imported, and only the PDF needs it.
    from weasyprint import HTML  # type: ignore[import-untyped]
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # type: ignore[import-untyped]

    class StaticFiles(URLFetcher):  # type: ignore[misc]
        """Reads static files from disk and refuses anything else; a stylesheet that
        cannot be read stops the PDF rather than losing the mode from its pages."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            path = static_file(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    document: bytes = HTML(
        string=printable_html(report),
        base_url=PDF_BASE_URL,
        url_fetcher=StaticFiles(fail_on_errors=True),
    ).write_pdf()
    return document


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
