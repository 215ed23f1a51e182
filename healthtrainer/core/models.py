from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class AuditEventIsAppendOnly(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditEventIsAppendOnly("Audit events cannot be updated.")

    def delete(self) -> NoReturn:
        raise AuditEventIsAppendOnly("Audit events cannot be deleted.")

    def for_programme(self, programme: Any) -> AuditEventQuerySet:
        return self.filter(programme=programme)


class AuditEvent(models.Model):
    """One thing a person did, recorded once and never changed.

    Only the names of changed fields are kept, never their values, so the trail
    itself holds no health data.
    """

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A client acting in their own companion: their Client's id. A number, not a key, so
    # the trail keeps its rows whatever later happens to the client's record.
    client_actor_id = models.PositiveBigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_fields = models.JSONField(default=list, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["programme", "-occurred_at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditEventIsAppendOnly("Audit events cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditEventIsAppendOnly("Audit events cannot be deleted.")

    @property
    def actor_words(self) -> str:
        if self.actor is not None:
            return str(self.actor)
        return "The client, in their companion" if self.client_actor_id else "System"
