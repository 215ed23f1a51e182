from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django_otp import user_has_device

# The only pages a signed-in person may reach before their second factor is checked.
_OPEN_BEFORE_SECOND_FACTOR = {
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
    "accounts:sign_out",
}


class TwoFactorRequiredMiddleware:
    """With REQUIRE_MFA on, a password alone reaches nothing but the second-factor pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.REQUIRE_MFA
            and user.is_authenticated
            and not second_factor_verified(user)
            and not request.path.startswith(settings.STATIC_URL)
            and _view_name(request) not in _OPEN_BEFORE_SECOND_FACTOR
        ):
            if user_has_device(user):
                return redirect("accounts:two_factor_verify")
            return redirect("accounts:two_factor_setup")
        return self.get_response(request)


def second_factor_verified(user: object) -> bool:
    """True once this session has passed a second factor (OTPMiddleware adds is_verified)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified is not None and is_verified())


def _view_name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None
