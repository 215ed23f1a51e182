"""API clients: registered with the permissions they are granted, their tokens shown once
and kept only as a hash, revoked, and expiring. Every change is audited."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from healthtrainer.accounts.roles import Permission
from healthtrainer.core.audit import audit_record
from healthtrainer.interop.models import ApiClient
from healthtrainer.programmes.models import Programme

TOKEN_PREFIX = "htk_"  # noqa: S105 - a prefix that marks our tokens, not a secret
# What a system may be granted, and what each lets it do.
GRANTABLE: dict[str, str] = {
    Permission.RECORD_REFERRAL: "Send referrals and read their status",
    Permission.VIEW_CLIENT_RECORD: "Read clients, their goals, plans and questionnaire scores",
    Permission.VIEW_CASELOAD: "Read each trainer's caseload in figures (no names)",
    Permission.VIEW_EVALUATION: "Read the evaluation's metrics and report (published figures)",
    Permission.EXPORT_RESEARCH_DATA: "Download the de-identified research data",
}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_client_create(
    *,
    actor: Any,
    programme: Programme,
    name: str,
    permissions: Collection[str],
    expires_days: int | None = None,
) -> tuple[ApiClient, str]:
    """The new client and its token. The token is never stored, so never shown again."""
    if not name.strip():
        raise ValidationError({"name": "Enter the system's name"})
    unknown = sorted(set(permissions) - set(GRANTABLE))
    if unknown:
        raise ValidationError(
            {
                "permissions": f"{', '.join(unknown)} cannot be granted to a system: "
                f"choose from {', '.join(GRANTABLE)}"
            }
        )
    if not permissions:
        raise ValidationError({"permissions": "Grant at least one permission"})
    if expires_days is not None and expires_days < 1:
        raise ValidationError({"expires_days": "A token must last at least one day"})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    client = ApiClient.objects.create(
        programme=programme,
        name=name.strip(),
        token_hash=hash_token(token),
        token_hint=token[-4:],
        permissions=sorted(set(permissions)),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        expires_at=timezone.now() + timedelta(days=expires_days) if expires_days else None,
    )
    audit_record(
        actor=actor,
        action="interop.api_client.created",
        target=client,
        programme=programme,
        changed_fields=["name", "permissions", "expires_at"],
    )
    return client, token


@transaction.atomic
def api_client_revoke(*, actor: Any, client: ApiClient) -> ApiClient:
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="interop.api_client.revoked",
            target=client,
            programme=client.programme,
            changed_fields=["revoked_at"],
        )
    return client


LAST_USED_RESOLUTION = timedelta(minutes=1)


def authenticate(token: str) -> ApiClient | None:
    """The active client holding this token, or None. Marks when it was last used."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    client = (
        ApiClient.objects.select_related("programme").filter(token_hash=hash_token(token)).first()
    )
    if client is None or not client.is_active:
        return None
    now = timezone.now()
    # To the minute: a write on every call would cost each call a commit of its own.
    if client.last_used_at is None or now - client.last_used_at >= LAST_USED_RESOLUTION:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return client
