"""The client's companion: who may sign in to it (`CompanionAccess`), the one-time codes
they sign in with, and the devices that stay signed in.

A client is not a member of staff: they have no User, no role and no Django login. A
device keeps its own long-lived cookie, whose hash is a `CompanionDevice`, and reaches
only its client's own record (`access.py`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from healthtrainer.core.scoping import ProgrammeScopedQuerySet


class SignInBy(models.TextChoices):
    SMS = "sms", "Text message"
    EMAIL = "email", "Email"


class CompanionAccess(models.Model):
    """A client invited to their companion, and the mobile number or email address their
    sign-in codes go to (normalised, so that what they type finds it)."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    client = models.OneToOneField(
        "clients.Client", on_delete=models.PROTECT, related_name="companion"
    )
    sign_in_by = models.CharField(max_length=10, choices=SignInBy.choices)
    contact = models.CharField(max_length=254)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # Wrong codes in a row; at the limit, sign-in stops until `locked_until`.
    wrong_codes = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    # For a client without a smartphone: check-ins come as text messages answered with a
    # number, rather than as a reminder to open the companion.
    check_ins_by_sms = models.BooleanField(default=False)
    # The week or month last prompted for, so a prompt goes once a period.
    prompted_for = models.DateField(null=True, blank=True)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "companion accesses"
        constraints = [
            models.UniqueConstraint(
                fields=["contact"],
                condition=Q(closed_at__isnull=True),
                name="one_open_companion_per_contact",
            )
        ]

    def __str__(self) -> str:
        return f"Companion of client {self.client_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class SignInCode(models.Model):
    """A 6-digit code sent to the client, kept only as a hash, good once and briefly."""

    access = models.ForeignKey(CompanionAccess, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["access", "created_at"])]

    def __str__(self) -> str:
        return f"Sign-in code for client {self.access.client_id}"


class CompanionDevice(models.Model):
    """A phone or computer that stays signed in to the companion until the client or their
    trainer signs it out."""

    access = models.ForeignKey(CompanionAccess, on_delete=models.CASCADE, related_name="devices")
    token_hash = models.CharField(max_length=64, unique=True)
    # What the browser said it was, shortened: for the client to tell their devices apart.
    label = models.CharField(max_length=120)
    signed_in_at = models.DateTimeField()
    last_used_at = models.DateTimeField()
    signed_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_used_at"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_signed_in(self) -> bool:
        return self.signed_out_at is None


class SetbackPlan(models.Model):
    """The client's plan for a flare-up, written with their trainer and changed by either:
    the signs that one is starting, what helps, and who to contact."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    episode = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="setback_plan"
    )
    early_signs = models.TextField(blank=True)
    what_helps = models.TextField(blank=True)
    who_to_contact = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField()
    # Who saved it last: a member of staff, or (None) the client in their companion.
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ProgrammeScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Setback plan of episode {self.episode_id}"

    @property
    def is_empty(self) -> bool:
        return not (self.early_signs or self.what_helps or self.who_to_contact)


# The client chooses these in their diary, in the language of their companion.
class Mood(models.IntegerChoices):
    VERY_LOW = 1, _("Very low")
    LOW = 2, _("Low")
    OKAY = 3, _("Okay")
    GOOD = 4, _("Good")
    VERY_GOOD = 5, _("Very good")


class Sleep(models.IntegerChoices):
    VERY_BADLY = 1, _("Very badly")
    BADLY = 2, _("Badly")
    OKAY = 3, _("Okay")
    WELL = 4, _("Well")
    VERY_WELL = 5, _("Very well")


class DiaryEntry(models.Model):
    """One moment of the client's diary: every part optional, as many a day as they like.
    `key` is made by the page the entry was written on, so the same entry sent twice (a
    double tap, a retry) is kept once."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    episode = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="diary_entries"
    )
    key = models.UUIDField(unique=True)
    recorded_for = models.DateTimeField()
    pain = models.PositiveSmallIntegerField(null=True, blank=True)
    activity = models.CharField(max_length=200, blank=True)
    activity_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    mood = models.PositiveSmallIntegerField(choices=Mood.choices, null=True, blank=True)
    sleep = models.PositiveSmallIntegerField(choices=Sleep.choices, null=True, blank=True)
    strategies_used = models.ManyToManyField(
        "casework.ClientStrategy", blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_for", "-pk"]
        verbose_name_plural = "diary entries"
        indexes = [models.Index(fields=["episode", "recorded_for"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(pain__isnull=True) | Q(pain__lte=10), name="diary_pain_0_to_10"
            )
        ]

    def __str__(self) -> str:
        return f"Diary entry for {self.recorded_for:%d %b %Y %H:%M}"


class PacingPlan(models.Model):
    """An activity the client paces: how long they can do it on a bad day, and the baseline
    and weekly increase worked out from it with the programme's settings when it began."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    episode = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="pacing_plans"
    )
    activity = models.CharField(max_length=100)
    bad_day_minutes = models.PositiveSmallIntegerField()
    baseline_percent = models.PositiveSmallIntegerField()
    weekly_increase_percent = models.PositiveSmallIntegerField()
    started_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["activity"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "activity"], name="one_pacing_plan_each")
        ]

    def __str__(self) -> str:
        return f"Pacing {self.activity}"


class SmsQuestion(models.Model):
    """One check-in question sent by text message to a client who answers by number: how a
    goal is going this week, or whether they still use a strategy this month. Questions go
    one at a time, so a reply answers the one sent last."""

    access = models.ForeignKey(
        CompanionAccess, on_delete=models.CASCADE, related_name="sms_questions"
    )
    goal = models.ForeignKey(
        "casework.Goal", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    client_strategy = models.ForeignKey(
        "casework.ClientStrategy",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    period_starting = models.DateField()
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__isnull=True) ^ Q(client_strategy__isnull=True),
                name="sms_question_asks_one_thing",
            ),
            models.UniqueConstraint(
                fields=["goal", "period_starting"], name="one_goal_sms_question_a_period"
            ),
            models.UniqueConstraint(
                fields=["client_strategy", "period_starting"],
                name="one_strategy_sms_question_a_period",
            ),
        ]

    def __str__(self) -> str:
        return f"Check-in question {self.pk} for client {self.access.client_id}"


class ReceivedText(models.Model):
    """A text message received from a client, kept by the provider's id so that one fetched
    twice is handled once. What it said is not kept: only what became of it."""

    class Outcome(models.TextChoices):
        RECORDED = "recorded", "Answer recorded"
        NOT_A_NUMBER = "not_a_number", "Not an answer we could read"
        NO_QUESTION = "no_question", "No question waiting"
        UNKNOWN_NUMBER = "unknown_number", "From a number with no open companion"

    provider_id = models.CharField(max_length=100, unique=True)
    access = models.ForeignKey(
        CompanionAccess, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"Text {self.provider_id}: {self.get_outcome_display()}"
