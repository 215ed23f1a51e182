"""The community directory, signposting, and a client's contact preferences."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from healthtrainer.accounts.models import User
from healthtrainer.casework.models import (
    CommunityResource,
    Signposting,
)
from healthtrainer.casework.services.common import audit, require_open
from healthtrainer.clients.models import Client
from healthtrainer.core.audit import audit_record
from healthtrainer.referrals.models import Referral

# Community directory and signposting ------------------------------------------------------


@transaction.atomic
def community_resource_save(
    *, actor: User, resource: CommunityResource, changed_fields: list[str]
) -> CommunityResource:
    """Save a directory entry a form has filled in; new entries and edits are audited."""
    adding = resource._state.adding
    if not adding and not changed_fields:
        return resource
    resource.full_clean()
    resource.save()
    audit_record(
        actor=actor,
        action=f"casework.community_resource.{'added' if adding else 'updated'}",
        target=resource,
        programme=resource.programme,
        changed_fields=changed_fields,
    )
    return resource


@transaction.atomic
def signposting_record(
    *,
    actor: User,
    episode: Referral,
    kind: str,
    signposted_on: date,
    resource: CommunityResource | None = None,
    other_service: str = "",
    notes: str = "",
) -> Signposting:
    require_open(episode, "signpost the client")
    if resource is None and not other_service.strip():
        raise ValidationError("Choose a service from the directory or name another one.")
    if resource is not None and resource.programme_id != episode.programme_id:
        raise ValidationError("That service is not in this programme's directory.")
    signposting = Signposting.objects.create(
        programme=episode.programme,
        episode=episode,
        kind=kind,
        resource=resource,
        other_service=other_service.strip(),
        signposted_on=signposted_on,
        notes=notes.strip(),
        recorded_by=actor,
    )
    audit(
        actor,
        "casework.signposting.recorded",
        signposting,
        episode,
        ["kind", "resource", "other_service"],
    )
    return signposting


# Client contact preferences ---------------------------------------------------------------


@transaction.atomic
def client_contact_preferences_update(
    *, actor: User, client: Client, phone: str, email: str, reminders_by: str
) -> Client:
    values = {"phone": phone.strip(), "email": email.strip(), "reminders_by": reminders_by}
    changed = [name for name, value in values.items() if getattr(client, name) != value]
    if not changed:
        return client
    for name in changed:
        setattr(client, name, values[name])
    client.save(update_fields=changed)
    audit_record(
        actor=actor,
        action="clients.client.contact_preferences_updated",
        target=client,
        programme=client.programme,
        changed_fields=changed,
    )
    return client
