"""Refuse, once for every page, input that no field of ours can hold."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from healthtrainer.core.errors import bad_request

# The FHIR and JSON interfaces answer in their own error shapes and check for themselves.
_OWN_ERRORS = ("/fhir/", "/api/")


class RefuseNulCharacters:
    """A NUL character in a query or form value is a 400 for every page.

    No person types one, and PostgreSQL text cannot store one: a value holding it that
    reached a query would fail there, as a server error, wherever it was not checked.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(_OWN_ERRORS) and _holds_nul(request):
            return bad_request(request)
        return self.get_response(request)


def _holds_nul(request: HttpRequest) -> bool:
    sent = [request.GET]
    if request.method == "POST":
        sent.append(request.POST)
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for data in sent
        for key, values in data.lists()
    )
