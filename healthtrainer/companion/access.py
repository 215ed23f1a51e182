"""The one way a client reaches their companion: their device's cookie names a signed-in
`CompanionDevice`, and through it their own client record and nothing else. Staff sign-in
plays no part, and staff permissions do not apply here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from healthtrainer.clients.models import Client
from healthtrainer.companion.language import in_chosen_language
from healthtrainer.companion.models import CompanionAccess, CompanionDevice
from healthtrainer.companion.services import device_signed_in

COOKIE = "companion_device"
COOKIE_AGE_SECONDS = 180 * 24 * 60 * 60


@dataclass(frozen=True)
class Companion:
    device: CompanionDevice
    access: CompanionAccess

    @property
    def client(self) -> Client:
        return self.access.client


class CompanionRequest(HttpRequest):
    companion: Companion


CompanionView = Callable[..., HttpResponse]


def client_view(view: CompanionView) -> CompanionView:
    """A companion page: for a signed-in device only, with `request.companion` set, in
    the language the client chose; any other visitor is sent to sign in."""
    translated = in_chosen_language(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        device = device_signed_in(request.COOKIES.get(COOKIE, ""))
        if device is None:
            return redirect("companion:sign_in")
        request.companion = Companion(device=device, access=device.access)  # type: ignore[attr-defined]
        response = translated(request, *args, **kwargs)
        # What a client sees of their record is for them alone: never kept by a cache.
        response["Cache-Control"] = "no-store"
        return response

    return wrapper


def set_device_cookie(response: HttpResponse, token: str, *, secure: bool) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=COOKIE_AGE_SECONDS,
        secure=secure,
        httponly=True,
        samesite="Lax",
    )
