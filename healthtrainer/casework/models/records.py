"""Casework: what happens in a client's episode, from the first appointment to follow-up.

An episode is an accepted referral. Every record here points at its episode and, for
scoping, at its programme; a health trainer reaches only their own episodes' records.
"""

from __future__ import annotations

from typing import Any, Self, TypeVar

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q

from healthtrainer.casework.vocabulary import (
    AnswerSource,
    Attendance,
    DischargeReason,
    EscalationCategory,
    GoalDomain,
    GoalStatus,
    Maintained,
    Mode,
    ResourceCategory,
    SignpostKind,
    Topic,
)
from healthtrainer.core.scoping import ProgrammeScopedQuerySet
from healthtrainer.referrals.models import Referral

_M = TypeVar("_M", bound=models.Model)


class EpisodeScopedQuerySet(ProgrammeScopedQuerySet[_M]):
    """Records of an episode are visible to whoever can see the episode itself: a trainer's
    reach is the referral's one predicate, never repeated here."""

    episode_path = "episode"

    def visible_to(self, user: Any, permission: str) -> Self:
        episodes = Referral.objects.visible_to(user, permission).values("pk")
        return super().visible_to(user, permission).filter(**{f"{self.episode_path}__in": episodes})


class ProgrammeListItem(models.Model):
    """An entry in one of a programme's own lists. Retired entries stay on old records."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    code = models.SlugField(
        max_length=60, help_text="What a programme workbook calls it, like goal_setting."
    )
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class CbTechnique(ProgrammeListItem):
    """A cognitive behavioural technique a trainer can use in a session."""

    class Meta(ProgrammeListItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="cb_technique_unique_name"),
            models.UniqueConstraint(fields=["programme", "code"], name="cb_technique_unique_code"),
        ]


class Strategy(ProgrammeListItem):
    """A self-management strategy a client can take up."""

    class Meta(ProgrammeListItem.Meta):
        verbose_name_plural = "strategies"
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="strategy_unique_name"),
            models.UniqueConstraint(fields=["programme", "code"], name="strategy_unique_code"),
        ]


class EpisodeRecord(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    episode = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Appointment(EpisodeRecord):
    episode = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="appointments")
    # None for an appointment imported from a workbook: its trainer is not known.
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
    )
    starts_at = models.DateTimeField()
    mode = models.CharField(max_length=20, choices=Mode.choices)
    venue = models.CharField(max_length=200, blank=True)
    attendance = models.CharField(
        max_length=30, choices=Attendance.choices, default=Attendance.BOOKED
    )
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)

    objects = EpisodeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["episode", "starts_at"]),
            models.Index(fields=["programme", "attendance", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} on {self.starts_at:%d %b %Y %H:%M}"


class SessionRecord(models.Model):
    """What happened in an attended appointment. Versioned: two people editing at once
    cannot overwrite each other."""

    appointment = models.OneToOneField(
        Appointment, on_delete=models.PROTECT, related_name="session_record"
    )
    # None only when imported without a duration.
    duration_minutes = models.PositiveSmallIntegerField(
        null=True, validators=[MaxValueValidator(480)]
    )
    techniques = models.ManyToManyField(CbTechnique, blank=True, related_name="sessions")
    notes = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    # Asked at the first session and again at follow-up, to compare the burden on primary care.
    gp_visits_last_3_months = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(99)]
    )
    # None when imported by a command, with no person behind it.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Session record for {self.appointment}"


class SessionTopic(models.Model):
    session = models.ForeignKey(SessionRecord, on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(max_length=30, choices=Topic.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "topic"], name="session_topic_once")
        ]

    def __str__(self) -> str:
        return self.get_topic_display()


class Goal(EpisodeRecord):
    """A goal in the client's personal health plan, in their own words."""

    episode = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="goals")
    reference = models.CharField(
        max_length=40, blank=True, help_text="The goal's id in an imported workbook."
    )
    description = models.CharField("What", max_length=300)
    how_often = models.CharField(max_length=120, blank=True)
    when = models.CharField(max_length=120, blank=True)
    # Not recorded (None, "") only for goals imported from a workbook.
    confidence = models.PositiveSmallIntegerField(null=True, validators=[MaxValueValidator(10)])
    domain = models.CharField(max_length=30, choices=GoalDomain.choices, blank=True)
    set_on = models.DateField()
    set_at = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, null=True, blank=True, related_name="goals_set"
    )
    # The latest review's status; fixed as final_status at discharge.
    status = models.CharField(
        max_length=30, choices=GoalStatus.choices, default=GoalStatus.IN_PROGRESS
    )
    final_status = models.CharField(max_length=30, choices=GoalStatus.choices, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = EpisodeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["set_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(final_status="in_progress"), name="goal_final_status_is_a_review"
            ),
            models.UniqueConstraint(
                fields=["programme", "reference"],
                condition=~Q(reference=""),
                name="goal_reference_unique_in_programme",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class GoalReview(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    status = models.CharField(max_length=30, choices=GoalStatus.choices)
    note = models.CharField(max_length=300, blank=True)
    session = models.ForeignKey(
        SessionRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reviewed_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} on {self.reviewed_on:%d %b %Y}"


class ClientStrategy(EpisodeRecord):
    """A self-management strategy the client took up in this episode."""

    episode = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="strategies")
    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="+")
    adopted_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = EpisodeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["adopted_on", "id"]
        verbose_name_plural = "client strategies"
        constraints = [
            models.UniqueConstraint(fields=["episode", "strategy"], name="strategy_taken_up_once")
        ]

    def __str__(self) -> str:
        return str(self.strategy)


class Discharge(EpisodeRecord):
    episode = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="discharge")
    discharged_on = models.DateField()
    reason = models.CharField(max_length=30, choices=DischargeReason.choices)
    notes = models.TextField(blank=True)
    discharged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # A supervisor's reason to discharge before every escalation was acknowledged.
    escalation_override_reason = models.TextField(blank=True)

    objects = EpisodeScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on {self.discharged_on:%d %b %Y}"


class FollowUpQuerySet(EpisodeScopedQuerySet["FollowUp"]):
    def counted_by_evaluation(self, programme: Any = None) -> Self:
        """Follow-ups that reached the client and count as followed up under the programme's
        rule: on or after the due date, or at most `early_follow_up_days` before it. Without
        `programme`, each follow-up is held to its own programme's rule."""
        early_limit = (
            programme.early_follow_up_days
            if programme is not None
            else F("programme__early_follow_up_days")
        )
        return self.filter(reached=True).filter(
            Q(days_early__isnull=True) | Q(days_early__lte=early_limit)
        )


class FollowUp(EpisodeRecord):
    """The contact some months after discharge, scheduled when the client is discharged."""

    episode = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="follow_up")
    due_on = models.DateField()
    contacted_on = models.DateField(null=True, blank=True)
    reached = models.BooleanField(null=True)
    gp_visits_last_3_months = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(99)]
    )
    # The client-level answer the evaluation counts: entered in a workbook, or derived from
    # the answers for each strategy (see services.overall_maintained).
    maintaining_strategies = models.CharField(max_length=10, choices=Maintained.choices, blank=True)
    notes = models.TextField(blank=True)
    # Days early (0 if on time), stored so the rule filters without date arithmetic.
    days_early = models.PositiveIntegerField(null=True, blank=True)
    early_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["programme", "contacted_on", "due_on"])]

    def __str__(self) -> str:
        return f"Follow-up due {self.due_on:%d %b %Y}"

    @property
    def is_recorded(self) -> bool:
        """Done once the client is reached; an attempt that did not reach them can be tried
        again, and the latest attempt is kept."""
        return self.reached is True


class StrategyFollowUp(models.Model):
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="strategies")
    client_strategy = models.ForeignKey(ClientStrategy, on_delete=models.PROTECT, related_name="+")
    maintained = models.CharField(max_length=10, choices=Maintained.choices)
    source = models.CharField(
        max_length=10, choices=AnswerSource.choices, default=AnswerSource.TRAINER
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "client_strategy"], name="strategy_followed_up_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_strategy}: {self.get_maintained_display()}"


class GoalFollowUp(models.Model):
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="goals")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="follow_ups")
    sustained = models.CharField(max_length=10, choices=Maintained.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "goal"], name="goal_followed_up_once")
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.get_sustained_display()}"


class Escalation(EpisodeRecord):
    """A concern passed to the pain team or a supervisor, open until they resolve it."""

    episode = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="escalations")
    category = models.CharField(max_length=20, choices=EscalationCategory.choices)
    details = models.TextField()
    # None when a rule raised it (for example a questionnaire answer); `rule` then says which.
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    rule = models.CharField(max_length=100, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    resolution = models.TextField(blank=True)

    objects = EpisodeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["programme", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.get_category_display()} raised {self.created_at:%d %b %Y}"

    @property
    def state(self) -> str:
        if self.resolved_at:
            return "Resolved"
        return "Acknowledged" if self.acknowledged_at else "Waiting for acknowledgement"


class CommunityResource(models.Model):
    """An entry in the programme's community directory."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="community_resources"
    )
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=30, choices=ResourceCategory.choices)
    area = models.CharField(max_length=120, blank=True)
    contact = models.CharField(max_length=300, blank=True)
    opening_times = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name


class Signposting(EpisodeRecord):
    episode = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="signpostings")
    kind = models.CharField(max_length=20, choices=SignpostKind.choices)
    resource = models.ForeignKey(
        CommunityResource, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    other_service = models.CharField(max_length=200, blank=True)
    signposted_on = models.DateField()
    notes = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = EpisodeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["signposted_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resource__isnull=False) | ~Q(other_service=""),
                name="signposting_names_a_service",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.service_name}"

    @property
    def service_name(self) -> str:
        return str(self.resource) if self.resource else self.other_service
