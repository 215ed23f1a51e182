"""Forgotten and changed passwords: the writes behind Django's own password views.

Django makes and checks the reset link (its token generator: single use, because the
token hashes the password and the last sign-in; expiring after PASSWORD_RESET_TIMEOUT).
This module limits how often an address can be sent one, sends it through the notifier,
and audits each step.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from healthtrainer.accounts.models import PasswordResetRequest, User, hash_token
from healthtrainer.core.audit import audit_record
from healthtrainer.notifications.notifier import NotificationFailed, get_notifier

log = logging.getLogger(__name__)

RESET_WINDOW = timedelta(hours=1)
RESETS_PER_ADDRESS = 5


def _digest(email: str) -> str:
    return hash_token(email.strip().lower())


@transaction.atomic
def password_reset_allowed(email: str) -> bool:
    """Count this request against the address, known or not, so the answer never says
    which addresses have accounts; refuse past the limit in the window."""
    now = timezone.now()
    PasswordResetRequest.objects.filter(requested_at__lt=now - RESET_WINDOW).delete()
    digest = _digest(email)
    recent = PasswordResetRequest.objects.filter(email_digest=digest).count()
    if recent >= RESETS_PER_ADDRESS:
        return False
    PasswordResetRequest.objects.create(email_digest=digest, requested_at=now)
    return True


def password_reset_send(*, user: User, link: str) -> None:
    """Email the reset link through the notifier; audit the request against the account."""
    audit_record(actor=None, action="accounts.user.password_reset_requested", target=user)
    expires = timezone.localtime() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    try:
        get_notifier().send_email(
            email_address=user.email,
            template="password_reset",
            personalisation={
                "name": user.full_name,
                "service": settings.SERVICE_NAME,
                "link": link,
                "expires": f"{expires:%H:%M on %d %B %Y}",
            },
            reference=f"password-reset-{user.pk}",
        )
    except NotificationFailed as failure:
        # The page says the same either way; the log says why nothing arrived.
        log.warning("Password reset email not sent: %s", failure.reason)


def password_reset_done(*, user: User) -> None:
    audit_record(
        actor=user, action="accounts.user.password_reset", target=user, changed_fields=["password"]
    )


def password_changed(*, user: User) -> None:
    audit_record(
        actor=user,
        action="accounts.user.password_changed",
        target=user,
        changed_fields=["password"],
    )
