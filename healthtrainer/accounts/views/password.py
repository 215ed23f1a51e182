"""Forgotten and changed passwords, on Django's own views and token generator.

The subclasses change only what this service does differently: the link goes out
through the notifier, requests are limited per address, and each step is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.validators import MaxLengthValidator
from django.http import HttpResponse
from django.urls import reverse, reverse_lazy

from healthtrainer.accounts import passwords
from healthtrainer.accounts.forms import EMAIL_MAX_LENGTH
from healthtrainer.accounts.models import User

TOO_MANY = (
    "Too many reset links have been asked for this email address. Wait an hour, then try "
    "again, or ask your programme manager for help."
)


class NotifierPasswordResetForm(PasswordResetForm):
    """Django's form, sending through the notifier rather than an email template."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].validators.append(
            MaxLengthValidator(
                EMAIL_MAX_LENGTH,
                message=f"Enter an email address of {EMAIL_MAX_LENGTH} characters or fewer",
            )
        )
        self.fields["email"].error_messages = {
            "required": "Enter your email address",
            "invalid": "Enter an email address like name@example.nhs.uk",
        }

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        user: User = context["user"]
        link = f"{context['protocol']}://{context['domain']}{path}"
        passwords.password_reset_send(user=user, link=link)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = NotifierPasswordResetForm
    template_name = "accounts/password_reset.jinja"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: NotifierPasswordResetForm) -> HttpResponse:
        if not passwords.password_reset_allowed(form.cleaned_data["email"]):
            form.add_error("email", TOO_MANY)
            return self.form_invalid(form)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.jinja"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.jinja"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # The new password changes the session hash, so every session of the account,
        # on every device, ends; the person signs in afresh (second factor included).
        passwords.password_reset_done(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.jinja"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.jinja"
    success_url = reverse_lazy("accounts:home")

    def form_valid(self, form: Any) -> HttpResponse:
        # Django keeps this session (update_session_auth_hash) and ends the others.
        response = super().form_valid(form)
        passwords.password_changed(user=form.user)
        messages.success(
            self.request, "Your password has been changed. You are signed out everywhere else."
        )
        return response
