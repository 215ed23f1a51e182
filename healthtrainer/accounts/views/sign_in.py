"""Signing in and out, and the second factor (TOTP)."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from healthtrainer.accounts import services
from healthtrainer.accounts.access import SignedInRequest
from healthtrainer.accounts.forms import EMAIL_MAX_LENGTH, SignInForm, TwoFactorCodeForm
from healthtrainer.accounts.middleware import second_factor_verified

WRONG_CODE = "The security code is not right: check the app and try again"
THROTTLED = "Too many wrong security codes: wait a minute, then try again"


def _throttled(devices: Any) -> bool:
    """django-otp slows guessing down after each wrong code; say so rather than 'wrong'."""
    return any(not device.verify_is_allowed()[0] for device in devices)


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return settings.LOGIN_REDIRECT_URL


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        login(request, user)
        services.user_signed_in(user=user)
        return redirect(_next_url(request))
    if request.method == "POST":
        # The address as the form read it: absent when it could not be an address at all.
        email = form.cleaned_data.get("username") or ""
        services.user_sign_in_refused(email=email, locked_out=False)
    return render(
        request,
        "accounts/sign_in.jinja",
        {
            "form": form,
            "next": request.GET.get("next", ""),
            "require_mfa": settings.REQUIRE_MFA,
            "demo_mode": settings.DEMO_MODE,
        },
    )


def lockout_key(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The email a sign-in attempt was for, in lower case, so that case changes share a lock."""
    credentials = credentials or {}
    email = credentials.get("email") or credentials.get("username") or request.POST.get("username")
    email = str(email).strip().lower() if email else ""
    if not email or "\x00" in email or len(email) > EMAIL_MAX_LENGTH:
        return None
    return email


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """Shown by django-axes once an account has had too many failed attempts."""
    services.user_sign_in_refused(email=lockout_key(request, credentials) or "", locked_out=True)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "accounts/locked_out.jinja",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        status=429,
    )


@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if request.user.is_authenticated:
            services.user_signed_out(user=request.user)
        logout(request)
        return redirect("accounts:sign_in")
    if not request.user.is_authenticated:
        return redirect("accounts:sign_in")
    return render(request, "accounts/sign_out.jinja")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: SignedInRequest) -> HttpResponse:
    user = request.user
    if (
        second_factor_verified(user)
        or TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    ):
        return redirect("accounts:two_factor_verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if _throttled([device]):
            form.add_error("token", THROTTLED)
        elif device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                services.user_two_factor_confirmed(user=user)
            otp_login(request, device)
            return redirect(_next_url(request))
        else:
            form.add_error("token", WRONG_CODE)
    return render(
        request,
        "accounts/two_factor_setup.jinja",
        {
            "form": form,
            "qr_svg": segno.make(device.config_url, error="m").svg_inline(
                scale=4, title="QR code for your authenticator app"
            ),
            "secret": b32encode(device.bin_key).decode(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: SignedInRequest) -> HttpResponse:
    user = request.user
    if second_factor_verified(user):
        return redirect(_next_url(request))
    if not user_has_device(user):
        return redirect("accounts:two_factor_setup")
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if _throttled(TOTPDevice.objects.devices_for_user(user)):
            form.add_error("token", THROTTLED)
        elif (device := match_token(user, form.cleaned_data["token"])) is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        else:
            form.add_error("token", WRONG_CODE)
    return render(request, "accounts/two_factor_verify.jinja", {"form": form})
