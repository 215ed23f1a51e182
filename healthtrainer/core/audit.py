"""The one way to write the audit trail. Services call `audit_record` explicitly."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models

from healthtrainer.core.audit_labels import is_labelled
from healthtrainer.core.bulk_rows import RowWriter
from healthtrainer.core.models import AuditEvent

_ACTION = re.compile(r"^[a-z_]+(\.[a-z_]+){2,}$")


def _checked(action: str, actor: Any | None) -> Any | None:
    if not _ACTION.match(action):
        raise ValueError(f"Audit action {action!r} must be dotted, like 'app.object.verb'.")
    # In the tests, an action nobody has put into words fails where it is written.
    if getattr(settings, "AUDIT_ACTIONS_MUST_HAVE_LABELS", False) and not is_labelled(action):
        raise ValueError(f"Audit action {action!r} has no label in core/audit_labels.py.")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        return None
    return actor


def audit_record(
    *,
    actor: Any | None,
    action: str,
    target: models.Model | None = None,
    programme: Any | None = None,
    changed_fields: Iterable[str] = (),
    client_actor: Any | None = None,
) -> AuditEvent:
    """Append one event. `action` is dotted: app.object.verb, e.g. accounts.membership.created.
    `client_actor` is the client who acted, in their companion, where no member of staff did."""
    actor = _checked(action, actor)
    return AuditEvent.objects.create(
        actor=actor,
        client_actor_id=client_actor.pk if client_actor is not None else None,
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        programme=programme,
        changed_fields=sorted(set(changed_fields)),
    )


def audit_record_many(
    *,
    actor: Any | None,
    action: str,
    changes: Iterable[tuple[models.Model, Iterable[str]]],
    programme: Any | None = None,
) -> None:
    """Append one event per (target, changed fields), written together: for imports, where
    a statement per row would dominate the time taken."""
    actor = _checked(action, actor)
    events = [
        AuditEvent(
            actor=actor,
            action=action,
            object_type=target._meta.label_lower,
            object_id=str(target.pk),
            programme=programme,
            changed_fields=sorted(set(fields)),
        )
        for target, fields in changes
    ]
    RowWriter().insert_instances(AuditEvent, events)
