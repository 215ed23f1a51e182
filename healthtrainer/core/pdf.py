"""Printable pages as PDF, with WeasyPrint: laid out from the page's own HTML and static
stylesheets, reading nothing from the network."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

# The address the printable page is laid out at for the PDF. Only its static files are
# ever read, from disk; ".invalid" names no host, so nothing could be fetched from it.
PDF_BASE_URL = "https://healthtrainer.invalid/"


def static_file(url: str) -> Path:
    """The file on disk behind a static file's URL in the printable page, for WeasyPrint.

    Found as the service finds it: by the static file finders (the app folders and the
    front-end build), or, for a hashed name from the manifest storage, in the collected
    static files. Any other URL is refused with ValueError: the PDF reads nothing from
    the network, and no file outside the static files.
    """
    prefix = urljoin(PDF_BASE_URL, settings.STATIC_URL)
    if not url.startswith(prefix):
        raise ValueError(f"A printable page only reads static files, not {url}")
    name = unquote(urlsplit(url).path[len(urlsplit(prefix).path) :])
    found = finders.find(name)
    if isinstance(found, str):
        return Path(found)
    try:
        if staticfiles_storage.exists(name):
            return Path(staticfiles_storage.path(name))
    except NotImplementedError:
        pass
    raise ValueError(f"No static file {name!r} for a printable page")


def html_pdf(html: str) -> bytes:
    """A printable page as a PDF, laid out by its own stylesheets (static files)."""
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
        string=html,
        base_url=PDF_BASE_URL,
        url_fetcher=StaticFiles(fail_on_errors=True),
    ).write_pdf()
    return document
