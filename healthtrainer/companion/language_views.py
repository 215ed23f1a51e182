"""The companion's language switch: "Cymraeg" or "English" on every client page keeps the
client's choice in a cookie and brings them back to the page they were on."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.http import require_GET

from healthtrainer.companion.language import CHOICES, remember_language

COMPANION_PATH = "/my/"


@require_GET
def language(request: HttpRequest, language: str) -> HttpResponse:
    if language not in CHOICES:
        raise Http404("No such language")
    back = request.GET.get("next", "")
    response = redirect(back if _companion_page(back) else reverse("companion:home"))
    remember_language(response, language, secure=request.is_secure())
    response["Cache-Control"] = "no-store"
    return response


def _companion_page(address: str) -> bool:
    """Whether the address is one of the companion's own pages on this site: the switch
    never sends anyone elsewhere. Only an address the service itself answers at is taken,
    so nothing a browser reads differently (a "\\", a "/../", a line break) gets through."""
    if not (address.isprintable() and address.startswith(COMPANION_PATH)):
        return False
    try:
        return resolve(urlsplit(address).path).namespace == "companion"
    except Resolver404:
        return False
