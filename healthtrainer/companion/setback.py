"""The setback (flare-up) plan: written by the client and their trainer together, changed
by either. A save names the version it was made against, so neither overwrites the
other's change unseen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from healthtrainer.clients.models import Client
from healthtrainer.companion.models import SetbackPlan
from healthtrainer.core.audit import audit_record
from healthtrainer.core.versioning import update_versioned
from healthtrainer.referrals.models import Referral

FIELDS = ("early_signs", "what_helps", "who_to_contact")


@dataclass(frozen=True)
class SetbackDetails:
    early_signs: str
    what_helps: str
    who_to_contact: str


def setback_plan_of(episode: Referral) -> SetbackPlan:
    """The episode's plan, or an empty one not yet saved (version 0)."""
    found = SetbackPlan.objects.filter(episode=episode).first()
    return found or SetbackPlan(
        programme=episode.programme, episode=episode, version=0, updated_at=timezone.now()
    )


@transaction.atomic
def setback_plan_save(
    *,
    episode: Referral,
    details: SetbackDetails,
    expected_version: int,
    actor: Any | None = None,
    client: Client | None = None,
) -> SetbackPlan:
    """Save the plan as a member of staff (`actor`) or as the client. Raises EditConflict
    when the other saved it since `expected_version`."""
    fields: dict[str, Any] = {name: getattr(details, name).strip() for name in FIELDS}
    fields |= {"updated_at": timezone.now(), "updated_by": actor}
    plan, created = SetbackPlan.objects.select_for_update().get_or_create(
        episode=episode,
        defaults={**fields, "programme": episode.programme},
    )
    if created and expected_version == 0:
        changed = [name for name in FIELDS if fields[name]]
    else:
        changed = [name for name in FIELDS if getattr(plan, name) != fields[name]]
        plan = update_versioned(plan, expected_version=expected_version, fields=fields)
    audit_record(
        actor=actor,
        client_actor=client if actor is None else None,
        action="companion.setback_plan.saved",
        target=plan,
        programme=episode.programme,
        changed_fields=changed,
    )
    return plan
