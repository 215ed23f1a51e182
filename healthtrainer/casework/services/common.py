"""What every casework write shares: its audit event, and the rule that a closed episode
takes no more casework."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError

from healthtrainer.accounts.models import User
from healthtrainer.casework.models import (
    Discharge,
)
from healthtrainer.core.audit import audit_record
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status


def audit(
    actor: User | None, action: str, target: Any, episode: Referral, fields: Iterable[str]
) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=target,
        programme=episode.programme,
        changed_fields=fields,
    )


def is_discharged(episode: Referral) -> bool:
    return Discharge.objects.filter(episode=episode).exists()


def require_open(episode: Referral, doing: str) -> None:
    if episode.status != Status.ACCEPTED:
        raise ValidationError(f"You cannot {doing}: this referral has not been accepted.")
    if is_discharged(episode):
        raise ValidationError(f"You cannot {doing}: the client has been discharged.")
