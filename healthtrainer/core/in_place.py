"""Pages whose lists update in place with htmx, and work as plain pages without it."""

from __future__ import annotations

from django.http import HttpRequest


def in_place(request: HttpRequest, page: str, results: str) -> str:
    """The template to render: only the results, when htmx asks for them to swap in; the
    whole page otherwise, including when htmx restores a page its history no longer holds."""
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return results
    return page
