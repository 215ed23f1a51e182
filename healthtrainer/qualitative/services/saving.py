"""Saving a record whose name must be unique in its programme."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from healthtrainer.core.audit import audit_record
from healthtrainer.programmes.models import Programme


def save_unique(
    *,
    actor: Any,
    programme: Programme,
    instance: Any,
    values: dict[str, Any],
    field: str,
    taken: str,
) -> Any:
    """Save a new or changed record whose `field` is unique in the programme, and audit it
    as qualitative.<model>.added or .updated."""
    model = type(instance)
    duplicate = model.objects.filter(programme=programme, **{field: values[field]})
    if instance.pk is not None:
        duplicate = duplicate.exclude(pk=instance.pk)
    if duplicate.exists():
        raise ValidationError({field: taken})
    created = instance.pk is None
    for name, value in values.items():
        setattr(instance, name, value)
    instance.save()
    audit_record(
        actor=actor,
        action=f"qualitative.{model._meta.model_name}.{'added' if created else 'updated'}",
        target=instance,
        programme=programme,
        changed_fields=values.keys(),
    )
    return instance
