"""Writes to programmes and their organisations. Each is audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from healthtrainer.core.audit import audit_record
from healthtrainer.programmes.models import Organisation, Programme


@transaction.atomic
def programme_create(*, actor: Any, fields: dict[str, Any]) -> Programme:
    programme = Programme(**fields)
    programme.full_clean()
    programme.save()
    audit_record(
        actor=actor,
        action="programmes.programme.created",
        target=programme,
        programme=programme,
        changed_fields=fields.keys(),
    )
    return programme


@transaction.atomic
def programme_update(*, actor: Any, programme: Programme, changed_fields: list[str]) -> Programme:
    """Save a programme a form has already changed; audit the names of what changed."""
    if not changed_fields:
        return programme
    programme.full_clean()
    programme.save(update_fields=changed_fields)
    audit_record(
        actor=actor,
        action="programmes.programme.updated",
        target=programme,
        programme=programme,
        changed_fields=changed_fields,
    )
    return programme


@transaction.atomic
def organisation_save(
    *, actor: Any, organisation: Organisation, changed_fields: list[str]
) -> Organisation:
    created = organisation.pk is None
    if not created and not changed_fields:
        return organisation
    organisation.full_clean()
    organisation.save()
    audit_record(
        actor=actor,
        action="programmes.organisation.created" if created else "programmes.organisation.updated",
        target=organisation,
        programme=organisation.programme,
        changed_fields=changed_fields,
    )
    return organisation
