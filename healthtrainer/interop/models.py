"""Other systems: the API clients registered to a programme, and the identifiers their
referrals came with."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from healthtrainer.core.scoping import ProgrammeScopedQuerySet


class ApiClient(models.Model):
    """A system allowed to call the FHIR interface and the JSON API for one programme,
    with the permissions it was granted. Its bearer token is stored only as a hash."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="api_clients"
    )
    name = models.CharField(max_length=120)
    token_hash = models.CharField(max_length=64, unique=True)
    # The token's last characters, so people can tell which token a client holds.
    token_hint = models.CharField(max_length=8)
    permissions = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def allows(self, permission: str) -> bool:
        return self.is_active and permission in self.permissions


class ReferralIdentifier(models.Model):
    """The identifier a referral arrived with from another system (FHIR
    ServiceRequest.identifier): unique in the programme, so a retried request finds the
    referral the first one made instead of making another."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="external_identifier"
    )
    system = models.CharField(max_length=200)
    value = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "system", "value"], name="referral_identifier_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.system}|{self.value}"


class ExportJob(models.Model):
    """An export an API client asked for: what it asked for, and the background job that
    builds it (`evaluation/tasks.py`), which holds its state and its file."""

    class Kind(models.TextChoices):
        EVALUATION = "evaluation", "Evaluation report"
        RESEARCH = "research", "De-identified research data"

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="export_jobs"
    )
    api_client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="exports")
    job = models.OneToOneField(
        "background.BackgroundJob", on_delete=models.PROTECT, related_name="api_export"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    format = models.CharField(max_length=10)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.format})"
