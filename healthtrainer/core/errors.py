"""Error pages in the NHS.UK style. They say nothing about what exists.

They are rendered without the request: a 400 for a bad Host header comes before sign-in
has run, and a 500 may come from the database being down, so a page that read the user,
the programme or the session would fail in turn and leave the server's bare error.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template


def _page(template: str, status: int) -> HttpResponse:
    return HttpResponse(get_template(template).render({}), status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page("errors/400.jinja", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page("errors/403.jinja", 403)


def form_expired(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The page for a form refused by cross-site request forgery protection."""
    return _page("errors/403_csrf.jinja", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page("errors/404.jinja", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _page("errors/500.jinja", 500)
