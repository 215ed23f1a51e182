"""Work started from a page or the API that runs outside the request (an import, an
export, a report to download), as the person follows it: its state, the phase it is in,
how far through it is, and what it found or made.

The task itself is queued and run by Django's tasks framework (ADR 30); this record is
what the person's page shows, and who may see it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from healthtrainer.accounts.roles import Permission, SitePermission
from healthtrainer.core.scoping import ProgrammeScopedQuerySet


class JobKind(models.TextChoices):
    WORKBOOK_CHECK = "workbook_check", "Workbook check"
    WORKBOOK_IMPORT = "workbook_import", "Workbook import"
    EVALUATION_EXPORT = "evaluation_export", "Evaluation report"
    RESEARCH_EXPORT = "research_export", "De-identified research data"
    DEPRIVATION_IMPORT = "deprivation_import", "Deprivation data import"


# What a manager needs, besides managing the programme, to see someone else's job of a kind.
# Deprivation data belongs to no programme: its jobs are the administrators'.
KIND_PERMISSIONS = {
    JobKind.WORKBOOK_CHECK: Permission.IMPORT_REFERRALS,
    JobKind.WORKBOOK_IMPORT: Permission.IMPORT_REFERRALS,
    JobKind.EVALUATION_EXPORT: Permission.VIEW_EVALUATION,
    JobKind.RESEARCH_EXPORT: Permission.EXPORT_RESEARCH_DATA,
}
SITE_KIND_PERMISSIONS = {JobKind.DEPRIVATION_IMPORT: SitePermission.IMPORT_DEPRIVATION_DATA}


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

    def site_wide(self) -> BackgroundJobQuerySet:
        """Jobs that belong to no programme (reference data), for administrators."""
        return self.filter(programme__isnull=True)


class BackgroundJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # None for site-wide work (reference data), which only administrators see.
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="background_jobs",
        null=True,
        blank=True,
    )
    # None when an API client asked for it.
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="background_jobs",
        null=True,
        blank=True,
    )
    kind = models.CharField(max_length=40, choices=JobKind.choices)
    title = models.CharField(max_length=300)
    state = models.CharField(max_length=20, choices=JobState.choices, default=JobState.QUEUED)
    phase = models.CharField(max_length=200, blank=True)
    # What the finished page shows: for an import, its counts and lines; for a refusal,
    # the problems. Never the rows themselves.
    outcome = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    # Rows done of rows to do, while a phase can count them; both None while it cannot
    # (work inside one transaction is invisible to the page until it ends).
    rows_done = models.PositiveIntegerField(null=True, blank=True)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    # What an export or a report made: kept in the database, not on a server's disk, so any
    # server can hand it over; deleted with the job after `BACKGROUND_FILE_DAYS`.
    file_content = models.BinaryField(null=True, blank=True)
    file_type = models.CharField(max_length=120, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
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

    @property
    def percent_done(self) -> int | None:
        if self.rows_done is None or not self.rows_total:
            return None
        return min(100, self.rows_done * 100 // self.rows_total)


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
