"""Optimistic locking: a save succeeds only if nobody else saved the row since it was read.

A versioned model has a `version` integer. Forms carry the version they were filled in
against; the update matches on it and increments it, so the second of two people saving
the same record changes nothing and is told what the first one saved.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import F

_M = TypeVar("_M", bound=models.Model)


class EditConflict(Exception):
    """Someone else saved the record first. `current` is the record as they left it."""

    def __init__(self, current: Any) -> None:
        super().__init__("The record was changed by someone else since it was opened.")
        self.current = current


def update_versioned(instance: _M, *, expected_version: int, fields: dict[str, Any]) -> _M:
    """Write `fields` if the row is still at `expected_version`, else raise EditConflict."""
    manager = type(instance)._default_manager
    updated = manager.filter(pk=instance.pk, version=expected_version).update(
        **fields, version=F("version") + 1
    )
    if not updated:
        raise EditConflict(manager.get(pk=instance.pk))
    instance.refresh_from_db()
    return instance
