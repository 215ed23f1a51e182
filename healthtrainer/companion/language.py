"""The language of a client's companion pages: English, or Welsh when they choose it.

The choice is a cookie of the companion's own, read only by the companion's client pages
(`in_chosen_language`, which `access.client_view` applies): staff pages never read it and
stay in English, whatever the browser holds. The language is set for the view alone and
put back after it, so a thread that served a Welsh page serves the next in English.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation

COOKIE = "companion_language"
COOKIE_AGE_SECONDS = 365 * 24 * 60 * 60
ENGLISH = "en-gb"
WELSH = "cy"
CHOICES = (ENGLISH, WELSH)

View = Callable[..., HttpResponse]


def chosen_language(request: HttpRequest) -> str:
    asked = request.COOKIES.get(COOKIE, "")
    return asked if asked in CHOICES else ENGLISH


def in_chosen_language(view: View) -> View:
    """A client page, rendered in the language the client chose."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = chosen_language(request)
        # The page's layout offers the switch to the other language on this page alone,
        # not on an error page shown after it.
        request.client_language = language  # type: ignore[attr-defined]
        try:
            with translation.override(language):
                response = view(request, *args, **kwargs)
        finally:
            del request.client_language  # type: ignore[attr-defined]
        response["Content-Language"] = "cy" if language == WELSH else "en-GB"
        return response

    return wrapper


def remember_language(response: HttpResponse, language: str, *, secure: bool) -> None:
    response.set_cookie(
        COOKIE,
        language,
        max_age=COOKIE_AGE_SECONDS,
        secure=secure,
        httponly=True,
        samesite="Lax",
    )
