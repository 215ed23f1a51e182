"""Work a person started that runs outside their request (a workbook import), as they
follow it: its state, the phase it is in and what it found.

The task itself is queued and run by Django's tasks framework (ADR 30); this record is
what the person's page shows, and who may see it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from healthtrainer.accounts.roles import Permission
from healthtrainer.core.scoping import ProgrammeScopedQuerySet


class JobKind(models.TextChoices):
    WORKBOOK_IMPORT = "workbook_import", "Workbook import"


# What a manager needs, besides managing the programme, to see someone else's job of a kind.
KIND_PERMISSIONS = {JobKind.WORKBOOK_IMPORT: Permission.IMPORT_REFERRALS}


class JobState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    FAILED = "failed", "Did not finish"


class BackgroundJobQuerySet(ProgrammeScopedQuerySet["BackgroundJob"]):
    def seen_by(self, user: Any) -> BackgroundJobQuerySet:
        """Jobs the person started, and those of the programmes they manage whose kind
        they may see."""
        managed = set(user.programme_ids_with(Permission.MANAGE_PROGRAMME))
        shown = Q(started_by=user)
        for kind, permission in KIND_PERMISSIONS.items():
            both = managed & set(user.programme_ids_with(permission))
            shown |= Q(kind=kind, programme_id__in=both)
        return self.filter(shown)


class BackgroundJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="background_jobs"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="background_jobs"
    )
    kind = models.CharField(max_length=40, choices=JobKind.choices)
    title = models.CharField(max_length=300)
    state = models.CharField(max_length=20, choices=JobState.choices, default=JobState.QUEUED)
    phase = models.CharField(max_length=200, blank=True)
    # What the finished page shows: for an import, its counts and lines; for a refusal,
    # the problems. Never the rows themselves.
    outcome = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = BackgroundJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title}: {self.get_state_display().lower()}"

    @property
    def is_over(self) -> bool:
        return self.state in (JobState.FINISHED, JobState.FAILED)


class ScheduledRun(models.Model):
    """One periodic task claimed for one period: the unique pair is what keeps a second
    scheduler, started by mistake, from queueing it again."""

    task = models.CharField(max_length=200)
    period_start = models.DateTimeField()
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "period_start"], name="one_run_a_period")
        ]

    def __str__(self) -> str:
        return f"{self.task} for the period from {self.period_start:%Y-%m-%d %H:%M}"
