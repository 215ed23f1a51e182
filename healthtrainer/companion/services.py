"""Inviting a client to their companion, signing in with a one-time code, and the devices
that stay signed in. Every rule lives here, with its tests, not in the forms.

Codes: 6 digits, good for 15 minutes and once; at most 10 sent an hour to one contact;
5 wrong codes in a row stop sign-in for an hour. Whether or not a number or address is
known, the person asking for a code is told the same thing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from healthtrainer.clients.models import Client
from healthtrainer.companion.models import (
    CompanionAccess,
    CompanionDevice,
    SignInBy,
    SignInCode,
)
from healthtrainer.core.audit import audit_record
from healthtrainer.notifications.notifier import NotificationFailed, Notifier
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status

CODE_LIFETIME = timedelta(minutes=15)
CODES_AN_HOUR = 10
WRONG_CODES_ALLOWED = 5
LOCKOUT = timedelta(hours=1)
# A device stays signed in this long after it was last used.
DEVICE_IDLE_LIMIT = timedelta(days=180)
# How stale a device's "last used" may get before a visit writes it again.
LAST_USED_STEP = timedelta(minutes=5)

# Shown to the person signing in, in the language of their companion pages.
WRONG_CODE = gettext_lazy(
    "The code is not right, or it has expired. Check the latest message we sent you."
)
LOCKED = gettext_lazy(
    "Too many wrong codes have been entered. For your safety, signing in is stopped for an "
    "hour. If you need help now, contact your health trainer."
)


class SignInRefused(Exception):
    """A code not accepted; the message is for the person signing in."""


def normalised_contact(text: str) -> str:
    """A mobile number or email address as stored and looked up: an email lower-cased; a
    UK number as its digits, from 0 (07700 900123, +44 7700 900123 and 0044… are one)."""
    text = text.strip()
    if "@" in text:
        return text.lower()
    digits = re.sub(r"[\s\-().]", "", text)
    # Received texts name the sender as 447700900123.
    if re.fullmatch(r"44\d{10}", digits):
        digits = "+" + digits
    for prefix in ("+44", "0044"):
        if digits.startswith(prefix):
            digits = "0" + digits[len(prefix) :].removeprefix("0")
    return digits


def _hash(secret: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), secret.encode(), hashlib.sha256).hexdigest()


def current_episode(client: Client) -> Referral | None:
    """The client's latest accepted episode: the one their companion is about."""
    return (
        Referral.objects.for_programme(client.programme)
        .filter(client=client, status=Status.ACCEPTED)
        .select_related("assigned_trainer", "programme")
        .order_by("-received_date", "-pk")
        .first()
    )


@transaction.atomic
def companion_invite(
    *, actor: Any, episode: Referral, sign_in_by: str, notifier: Notifier, sign_in_url: str
) -> CompanionAccess:
    """Invite the episode's client to their companion by text or email, to the number or
    address on their record, which their codes will then go to."""
    client = episode.client
    if client is None or episode.status != Status.ACCEPTED:
        raise ValidationError("Only a client whose referral was accepted can be invited.")
    raw = client.phone if sign_in_by == SignInBy.SMS else client.email
    if not raw.strip():
        what = "mobile number" if sign_in_by == SignInBy.SMS else "email address"
        problem = f"The client's record has no {what}: add it first, or choose the other way"
        raise ValidationError({"sign_in_by": problem})
    contact = normalised_contact(raw)
    taken = (
        CompanionAccess.objects.filter(contact=contact, closed_at__isnull=True)
        .exclude(client=client)
        .exists()
    )
    if taken:
        raise ValidationError(
            {"sign_in_by": "Another client already signs in with this number or address"}
        )
    now = _now()
    access, _ = CompanionAccess.objects.update_or_create(
        client=client,
        defaults={
            "programme": episode.programme,
            "sign_in_by": sign_in_by,
            "contact": contact,
            "invited_by": actor,
            "invited_at": now,
            "closed_at": None,
            "wrong_codes": 0,
            "locked_until": None,
        },
    )
    send_to_client(
        notifier,
        access,
        "companion_invitation",
        {"service": settings.SERVICE_NAME, "trainer": str(actor), "link": sign_in_url},
        reference=f"companion-invitation-{access.pk}",
    )
    audit_record(
        actor=actor,
        action="companion.access.invited",
        target=access,
        programme=episode.programme,
        changed_fields=["sign_in_by", "contact"],
    )
    return access


@transaction.atomic
def companion_close(*, actor: Any, access: CompanionAccess) -> None:
    """Stop the client signing in: every device is signed out, and no code is sent."""
    now = _now()
    access.closed_at = now
    access.save(update_fields=["closed_at"])
    access.devices.filter(signed_out_at__isnull=True).update(signed_out_at=now)
    audit_record(
        actor=actor,
        action="companion.access.closed",
        target=access,
        programme=access.programme,
        changed_fields=["closed_at"],
    )


@transaction.atomic
def check_ins_by_sms_set(*, actor: Any, access: CompanionAccess, by_sms: bool) -> None:
    """Check-in questions by text message, answered by number, for a client without a
    smartphone; or reminders to check in on their companion."""
    if by_sms and access.sign_in_by != SignInBy.SMS:
        raise ValidationError(
            "Check-ins by text message need the client's codes to go by text: invite them "
            "again by text message first."
        )
    access.check_ins_by_sms = by_sms
    access.save(update_fields=["check_ins_by_sms"])
    audit_record(
        actor=actor,
        action="companion.access.check_ins_changed",
        target=access,
        programme=access.programme,
        changed_fields=["check_ins_by_sms"],
    )


def code_send(*, contact: str, notifier: Notifier, now: datetime | None = None) -> None:
    """Send a sign-in code if the contact belongs to an open companion that may have one.
    Says nothing either way: the caller tells everyone the same."""
    now = now or _now()
    with transaction.atomic():
        access = (
            CompanionAccess.objects.select_for_update()
            .filter(contact=normalised_contact(contact), closed_at__isnull=True)
            .select_related("client")
            .first()
        )
        if access is None or _locked(access, now):
            return
        sent_this_hour = access.codes.filter(created_at__gt=now - timedelta(hours=1)).count()
        if sent_this_hour >= CODES_AN_HOUR:
            return
        code = f"{secrets.randbelow(10**6):06d}"
        SignInCode.objects.create(
            access=access, code_hash=_hash(code), created_at=now, expires_at=now + CODE_LIFETIME
        )
        _audit_as_client(access, "companion.code.sent", access)
    send_to_client(
        notifier,
        access,
        "companion_sign_in_code",
        {
            "service": settings.SERVICE_NAME,
            "code": code,
            "minutes": str(int(CODE_LIFETIME.total_seconds() // 60)),
        },
        reference=f"companion-code-{access.pk}",
    )


def code_check(
    *, contact: str, code: str, device_label: str, now: datetime | None = None
) -> tuple[CompanionDevice, str]:
    """Sign in with a code: the new device and its secret token, for the device's cookie.
    A wrong, used or expired code counts towards the lockout."""
    now = now or _now()
    with transaction.atomic():
        access = (
            CompanionAccess.objects.select_for_update()
            .filter(contact=normalised_contact(contact), closed_at__isnull=True)
            .select_related("client", "programme")
            .first()
        )
        if access is None:
            raise SignInRefused(WRONG_CODE)
        if _locked(access, now):
            raise SignInRefused(LOCKED)
        match = access.codes.filter(
            code_hash=_hash(code.strip()), used_at__isnull=True, expires_at__gt=now
        ).first()
        if match is None:
            access.wrong_codes += 1
            if access.wrong_codes >= WRONG_CODES_ALLOWED:
                access.wrong_codes, access.locked_until = 0, now + LOCKOUT
            access.save(update_fields=["wrong_codes", "locked_until"])
            refusal = LOCKED if access.locked_until and access.locked_until > now else WRONG_CODE
        else:
            match.used_at = now
            match.save(update_fields=["used_at"])
            access.wrong_codes = 0
            access.save(update_fields=["wrong_codes"])
            token = secrets.token_urlsafe(32)
            device = CompanionDevice.objects.create(
                access=access,
                token_hash=_hash(token),
                label=device_label[:120] or "A device",
                signed_in_at=now,
                last_used_at=now,
            )
            _audit_as_client(access, "companion.device.signed_in", device)
            return device, token
    _audit_as_client(access, "companion.code.refused", access)
    raise SignInRefused(refusal)


def device_signed_in(token: str, *, now: datetime | None = None) -> CompanionDevice | None:
    """The device a cookie's token signs in, if it still does; its last use is kept to the
    nearest few minutes."""
    if not token:
        return None
    now = now or _now()
    device = (
        CompanionDevice.objects.filter(
            token_hash=_hash(token),
            signed_out_at__isnull=True,
            access__closed_at__isnull=True,
            last_used_at__gt=now - DEVICE_IDLE_LIMIT,
        )
        .select_related("access__client__programme", "access__programme")
        .first()
    )
    if device is not None and now - device.last_used_at > LAST_USED_STEP:
        device.last_used_at = now
        CompanionDevice.objects.filter(pk=device.pk).update(last_used_at=now)
    return device


def device_sign_out(
    *, device: CompanionDevice, actor: Any | None = None, by_client: bool = False
) -> None:
    """Sign a device out: by the client (from any of their devices) or by staff."""
    if device.signed_out_at is not None:
        return
    device.signed_out_at = _now()
    device.save(update_fields=["signed_out_at"])
    audit_record(
        actor=actor,
        client_actor=device.access.client if by_client else None,
        action="companion.device.signed_out",
        target=device,
        programme=device.access.programme,
    )


def _audit_as_client(access: CompanionAccess, action: str, target: Any) -> None:
    audit_record(
        actor=None,
        client_actor=access.client,
        action=action,
        target=target,
        programme=access.programme,
    )


def _locked(access: CompanionAccess, now: datetime) -> bool:
    return access.locked_until is not None and access.locked_until > now


def send_to_client(
    notifier: Notifier,
    access: CompanionAccess,
    template: str,
    personalisation: dict[str, str],
    *,
    reference: str,
) -> None:
    """Send a message to the client's number or address; a refusal is not retried."""
    try:
        if access.sign_in_by == SignInBy.SMS:
            notifier.send_sms(
                phone_number=access.contact,
                template=template,
                personalisation=personalisation,
                reference=reference,
            )
        else:
            notifier.send_email(
                email_address=access.contact,
                template=template,
                personalisation=personalisation,
                reference=reference,
            )
    except NotificationFailed:
        # The person can ask again; the provider's answer is in its own logs.
        return


def _now() -> datetime:
    return timezone.now()
