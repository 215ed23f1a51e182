"""Escalations: raised by a trainer or a rule, acknowledged and resolved by the pain team."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from healthtrainer.accounts.models import User
from healthtrainer.casework.models import (
    Escalation,
)
from healthtrainer.casework.services.common import audit
from healthtrainer.referrals.models import Referral

# Escalations ---------------------------------------------------------------------------


@transaction.atomic
def escalation_raise(
    *,
    actor: User | None,
    episode: Referral,
    category: str,
    details: str,
    rule: str = "",
) -> Escalation:
    """Raise a concern for the pain team. A rule (a questionnaire answer, say) raises one
    with no person as actor and names itself in `rule`."""
    if actor is None and not rule:
        raise ValueError("An escalation raised by a rule must name the rule.")
    escalation = Escalation.objects.create(
        programme=episode.programme,
        episode=episode,
        category=category,
        details=details.strip(),
        raised_by=actor,
        rule=rule,
    )
    audit(actor, "casework.escalation.raised", escalation, episode, ["category", "details"])
    return escalation


@transaction.atomic
def escalation_acknowledge(*, actor: User, escalation: Escalation) -> Escalation:
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.acknowledged_at is not None:
        raise ValidationError("This escalation has already been acknowledged.")
    escalation.acknowledged_at = timezone.now()
    escalation.acknowledged_by = actor
    escalation.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit(
        actor,
        "casework.escalation.acknowledged",
        escalation,
        escalation.episode,
        ["acknowledged_at"],
    )
    return escalation


@transaction.atomic
def escalation_resolve(*, actor: User, escalation: Escalation, resolution: str) -> Escalation:
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.acknowledged_at is None:
        raise ValidationError("Acknowledge the escalation before you resolve it.")
    if escalation.resolved_at is not None:
        raise ValidationError("This escalation has already been resolved.")
    if not resolution.strip():
        raise ValidationError({"resolution": "Say what was done"})
    escalation.resolved_at = timezone.now()
    escalation.resolved_by = actor
    escalation.resolution = resolution.strip()
    escalation.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    audit(
        actor,
        "casework.escalation.resolved",
        escalation,
        escalation.episode,
        ["resolved_at", "resolution"],
    )
    return escalation
