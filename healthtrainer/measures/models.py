"""Outcome measures as collected: which instruments a programme uses at which timepoints,
each completed questionnaire with its answers and score, and single-use client links.

The instruments themselves are defined in `instruments/*.toml` (see definitions.py); the
`Instrument` row is what responses point at, and holds the item text a deployment is
licensed to load for instruments whose wording may not be published here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from healthtrainer.casework.models import EpisodeRecord, EpisodeScopedQuerySet
from healthtrainer.core.scoping import ProgrammeScopedQuerySet
from healthtrainer.referrals.models import Referral


class Timepoint(models.TextChoices):
    BASELINE = "baseline", "Baseline (first session)"
    EXIT = "exit", "Exit (discharge)"
    FOLLOW_UP = "follow_up", "Follow-up"


class Source(models.TextChoices):
    TRAINER = "trainer", "Completed with the trainer"
    CLIENT_LINK = "client_link", "Completed by the client through a link"
    IMPORT = "import", "Imported from a workbook"


class Instrument(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=40)
    item_text_licensed = models.BooleanField(
        default=False, help_text="The wording is licensed: each deployment loads its own."
    )
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InstrumentItemText(models.Model):
    """Item wording loaded by a deployment that holds the licence. Never in the repository."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="item_texts")
    item_id = models.CharField(max_length=20)
    text = models.CharField(max_length=500)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["instrument", "item_id"], name="item_text_once")
        ]

    def __str__(self) -> str:
        return f"{self.instrument.code} {self.item_id}"


class ProgrammeInstrument(models.Model):
    """An instrument a programme uses, and the timepoints it is collected at."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="instruments"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    at_baseline = models.BooleanField(default=True)
    at_exit = models.BooleanField(default=True)
    at_follow_up = models.BooleanField(default=False)
    is_primary = models.BooleanField(
        default=False, help_text="The programme's headline well-being measure."
    )

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-is_primary", "instrument__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "instrument"], name="instrument_once_per_programme"
            ),
            models.UniqueConstraint(
                fields=["programme"], condition=Q(is_primary=True), name="one_primary_instrument"
            ),
        ]

    def __str__(self) -> str:
        return str(self.instrument)

    @property
    def timepoints(self) -> list[str]:
        return [
            timepoint
            for timepoint, wanted in (
                (Timepoint.BASELINE, self.at_baseline),
                (Timepoint.EXIT, self.at_exit),
                (Timepoint.FOLLOW_UP, self.at_follow_up),
            )
            if wanted
        ]


class QuestionnaireResponse(EpisodeRecord):
    """One completed (or partly completed) questionnaire at one timepoint of an episode.

    A correction is a new row that names the reason and the row it replaces; only the
    latest is current, so history is kept and figures count each timepoint once.
    """

    episode = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="responses")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    timepoint = models.CharField(max_length=20, choices=Timepoint.choices)
    completed_on = models.DateField()
    answers = models.JSONField(default=dict, blank=True)
    total = models.FloatField(null=True, blank=True)
    raw_total = models.IntegerField(null=True, blank=True)
    band = models.CharField(max_length=60, blank=True)
    complete = models.BooleanField(default=True)
    scored = models.BooleanField(default=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    correction_reason = models.CharField(max_length=300, blank=True)
    is_current = models.BooleanField(default=True)

    objects = EpisodeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["completed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "instrument", "timepoint"],
                condition=Q(is_current=True),
                name="one_current_response_per_timepoint",
            ),
            models.CheckConstraint(
                condition=Q(replaces__isnull=True) | ~Q(correction_reason=""),
                name="correction_has_a_reason",
            ),
        ]
        indexes = [models.Index(fields=["programme", "instrument", "timepoint", "is_current"])]

    def __str__(self) -> str:
        return f"{self.instrument} at {self.get_timepoint_display().lower()}"


class ClientLink(EpisodeRecord):
    """A single-use link a client opens on their own device to complete one questionnaire.

    Only a hash of the token is stored; the page it opens shows nothing of the record."""

    episode = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="client_links")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    timepoint = models.CharField(max_length=20, choices=Timepoint.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # None when the client opened it themselves, from their companion.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    response = models.OneToOneField(
        QuestionnaireResponse, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = EpisodeScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Link for {self.instrument} at {self.get_timepoint_display().lower()}"
