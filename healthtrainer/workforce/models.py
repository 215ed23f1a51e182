"""The workforce and what the programme costs: trainer profiles, training and its surveys,
supervision with CB-fidelity ratings, time given by GP champions and the pain team, the
budget and direct costs.

A health trainer reaches only their own records (`TrainerScopedQuerySet`); supervisors
and programme managers see the programme's.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Self, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from healthtrainer.accounts.roles import Role
from healthtrainer.casework.models import ProgrammeListItem
from healthtrainer.core.scoping import ProgrammeScopedQuerySet
from healthtrainer.workforce.vocabulary import (
    Activity,
    ContributorRole,
    CostCategory,
    SupervisionFormat,
    SurveyStage,
)

_M = TypeVar("_M", bound=models.Model)
FIDELITY_SCALE_LIMIT = 10
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]


class TrainerScopedQuerySet(ProgrammeScopedQuerySet[_M]):
    """A health trainer reaches the records about them (`trainer_path`), nobody else's."""

    trainer_path = "trainer"

    def visible_to(self, user: Any, permission: str) -> Self:
        scoped = super().visible_to(user, permission)
        if not getattr(user, "is_authenticated", False) or user.is_site_administrator:
            return scoped
        trainer_in = user.programme_ids_as(Role.HEALTH_TRAINER)
        if not trainer_in:
            return scoped
        own = Q(**{self.trainer_path: user})
        return scoped.filter(~Q(**{f"{self.programme_path}__in": trainer_in}) | own).distinct()


class WorkforceSettings(models.Model):
    """A programme's rules for supervision ratings and for costing trainer time."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="workforce_settings"
    )
    fidelity_scale_min = models.PositiveSmallIntegerField(default=0)
    fidelity_scale_max = models.PositiveSmallIntegerField(default=6)
    fidelity_threshold = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=Decimal("4"),
        help_text="A rated session at or above this mean counts as CB delivered as intended.",
    )
    admin_travel_allowance_percent = models.PositiveSmallIntegerField(
        default=50,
        validators=[MaxValueValidator(500)],
        help_text="Time for administration and travel, as a percentage of session time.",
    )

    class Meta:
        verbose_name_plural = "workforce settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(fidelity_scale_max__gt=models.F("fidelity_scale_min")),
                name="fidelity_scale_has_a_range",
            )
        ]

    def __str__(self) -> str:
        return f"Workforce settings of {self.programme}"

    def clean(self) -> None:
        if self.fidelity_scale_max > FIDELITY_SCALE_LIMIT:
            raise ValidationError(
                {"fidelity_scale_max": f"Use a scale of at most {FIDELITY_SCALE_LIMIT} points"}
            )
        if not self.fidelity_scale_min <= self.fidelity_threshold <= self.fidelity_scale_max:
            raise ValidationError(
                {"fidelity_threshold": "The threshold must lie on the rating scale"}
            )


class TrainerProfile(models.Model):
    membership = models.OneToOneField(
        "accounts.Membership", on_delete=models.PROTECT, related_name="trainer_profile"
    )
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(null=True, blank=True)
    fte = models.DecimalField(
        "Working hours (FTE)",
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1.5"))],
        null=True,
        blank=True,
    )
    hourly_cost = models.DecimalField(
        max_digits=7, decimal_places=2, validators=NOT_NEGATIVE, null=True, blank=True
    )
    qualifications = models.TextField("Prior qualifications", blank=True)

    objects = TrainerScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Profile of {self.trainer}"


class Course(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    facilitator = models.CharField(max_length=200, blank=True)
    modules = models.TextField(blank=True, help_text="One module per line.")
    cost = models.DecimalField(
        max_digits=9, decimal_places=2, default=Decimal("0"), validators=NOT_NEGATIVE
    )

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class CourseSession(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField()
    hours = models.DecimalField(max_digits=4, decimal_places=2, validators=NOT_NEGATIVE)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.course} on {self.held_on:%d %b %Y}"


class SatisfactionItem(ProgrammeListItem):
    """A statement trainers rate a course against, from strongly disagree to strongly agree."""

    class Meta(ProgrammeListItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="satisfaction_item_code")
        ]


class SatisfactionResponse(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="satisfaction")
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField()
    comments = models.TextField(blank=True)

    objects = TrainerScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "trainer"], name="course_rated_once")
        ]

    def __str__(self) -> str:
        return f"{self.trainer} on {self.course}"


class SatisfactionAnswer(models.Model):
    response = models.ForeignKey(
        SatisfactionResponse, on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(SatisfactionItem, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    def __str__(self) -> str:
        return f"{self.item}: {self.value}"


class ConfidenceSurvey(models.Model):
    """A trainer's confidence to use each CB technique, 0 to 10, at one stage."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(max_length=20, choices=SurveyStage.choices)
    completed_on = models.DateField()
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = TrainerScopedQuerySet.as_manager()

    class Meta:
        ordering = ["completed_on", "id"]

    def __str__(self) -> str:
        return f"{self.trainer}, {self.get_stage_display().lower()}"


class ConfidenceAnswer(models.Model):
    survey = models.ForeignKey(ConfidenceSurvey, on_delete=models.CASCADE, related_name="answers")
    technique = models.ForeignKey(
        "casework.CbTechnique", on_delete=models.PROTECT, related_name="+"
    )
    value = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "technique"], name="technique_rated_once")
        ]

    def __str__(self) -> str:
        return f"{self.technique}: {self.value}"


class FidelityItem(ProgrammeListItem):
    """Something a supervisor rates in the work reviewed, such as agenda setting."""

    class Meta(ProgrammeListItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="fidelity_item_code")
        ]


class SupervisionQuerySet(ProgrammeScopedQuerySet["SupervisionSession"]):
    def visible_to(self, user: Any, permission: str) -> SupervisionQuerySet:
        """A trainer sees the supervision sessions they took part in."""
        scoped = super().visible_to(user, permission)
        if not getattr(user, "is_authenticated", False) or user.is_site_administrator:
            return scoped
        trainer_in = user.programme_ids_as(Role.HEALTH_TRAINER)
        if not trainer_in:
            return scoped
        return scoped.filter(~Q(programme_id__in=trainer_in) | Q(trainers=user)).distinct()


class SupervisionSession(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    trainers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    held_on = models.DateField()
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(480)]
    )
    format = models.CharField(max_length=20, choices=SupervisionFormat.choices)
    cases = models.ManyToManyField("referrals.Referral", blank=True, related_name="+")
    concerns = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Supervision on {self.held_on:%d %b %Y}"


class FidelityRating(models.Model):
    session = models.ForeignKey(
        SupervisionSession, on_delete=models.CASCADE, related_name="ratings"
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(FidelityItem, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "trainer", "item"], name="fidelity_item_rated_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.value}"


class SupervisionAction(models.Model):
    session = models.ForeignKey(
        SupervisionSession, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["completed_on", "due_on", "id"]

    def __str__(self) -> str:
        return self.description


class RoleRate(models.Model):
    """What an hour of a contributor's time is valued at, for the indirect resources."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(max_length=20, choices=ContributorRole.choices)
    hourly_rate = models.DecimalField(max_digits=7, decimal_places=2, validators=NOT_NEGATIVE)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "role"], name="one_rate_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: £{self.hourly_rate}/hour"


class IndirectTime(models.Model):
    """Time given to the programme without being paid from its budget."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    person = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=ContributorRole.choices)
    given_on = models.DateField()
    hours = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("24"))],
    )
    activity = models.CharField(max_length=30, choices=Activity.choices)
    notes = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person}, {self.hours} hours on {self.given_on:%d %b %Y}"


class BudgetLine(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    funding_source = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=11, decimal_places=2, validators=NOT_NEGATIVE)
    period_start = models.DateField()
    period_end = models.DateField()

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["period_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="budget_period_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.funding_source}: £{self.amount}"


class CostItem(models.Model):
    """A direct cost not derived from recorded time: venues, materials, bought-in training."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(max_length=20, choices=CostCategory.choices)
    incurred_on = models.DateField()
    amount = models.DecimalField(max_digits=11, decimal_places=2, validators=NOT_NEGATIVE)
    description = models.CharField(max_length=300)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-incurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.description}: £{self.amount}"
