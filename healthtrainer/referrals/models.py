from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Count, Q

from healthtrainer.accounts.roles import Role
from healthtrainer.clients.codes import EmploymentStatus, EthnicCategory, Sex
from healthtrainer.clients.identifiers import format_nhs_number
from healthtrainer.core.scoping import ProgrammeScopedQuerySet
from healthtrainer.referrals.eligibility import age_on
from healthtrainer.referrals.triage import OPEN, Status


class Source(models.TextChoices):
    GP = "gp", "GP practice"
    SELF = "self", "Self-referral"
    OTHER_PROFESSIONAL = "other_professional", "Other professional"


class ReferralQuerySet(ProgrammeScopedQuerySet["Referral"]):
    def visible_to(self, user: Any, permission: str) -> ReferralQuerySet:
        """A referrer sees only their own practice's referrals, a health trainer only the
        referrals assigned to them; other roles see the programme's."""
        scoped = super().visible_to(user, permission)
        if not getattr(user, "is_authenticated", False) or user.is_site_administrator:
            return scoped
        narrowed = [
            membership
            for membership in user.active_memberships.values()
            if membership.role in (Role.REFERRER, Role.HEALTH_TRAINER)
        ]
        condition = ~Q(programme_id__in=[m.programme_id for m in narrowed])
        for membership in narrowed:
            own = (
                Q(practice=membership.organisation_id)
                if membership.role == Role.REFERRER
                else Q(assigned_trainer=user)
            )
            condition |= Q(programme_id=membership.programme_id) & own
        return scoped.filter(condition)

    def open(self) -> ReferralQuerySet:
        return self.filter(status__in=OPEN)

    def annotate_attempts(self) -> ReferralQuerySet:
        return self.annotate(attempt_count=Count("contact_attempts"))


class Referral(models.Model):
    """One referral as received, and its progress through triage.

    The patient's details are kept as referred; accepting the referral links it to a
    client in the registry, so a person referred twice has one client and two episodes.
    """

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="referrals"
    )
    reference = models.CharField(
        max_length=40, help_text="The referral's identifier, unique in the programme."
    )
    source = models.CharField(max_length=30, choices=Source.choices, default=Source.GP)
    practice = models.ForeignKey(
        "programmes.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals",
        null=True,
        blank=True,
        help_text="The patient's GP practice.",
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    received_date = models.DateField()

    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    ethnic_category = models.CharField(max_length=2, choices=EthnicCategory.choices, blank=True)
    employment_status = models.CharField(max_length=2, choices=EmploymentStatus.choices, blank=True)

    pain_duration_months = models.PositiveSmallIntegerField()
    pain_sites = models.CharField(max_length=300, blank=True)
    help_wanted = models.TextField(blank=True)
    consent_given = models.BooleanField(default=False)
    risk_notes = models.TextField(blank=True)

    # Deprivation where the patient lived when referred, with the edition it comes from:
    # deciles of different editions are not comparable.
    lsoa_code = models.CharField("LSOA code", max_length=9, blank=True)
    imd_decile = models.PositiveSmallIntegerField("IMD decile", null=True, blank=True)
    imd_edition = models.CharField("IMD edition", max_length=10, blank=True)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    status_reason = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    first_contact_date = models.DateField(null=True, blank=True)
    assigned_trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_referrals",
    )
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["received_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "reference"], name="referral_reference_unique_in_programme"
            ),
            models.CheckConstraint(
                condition=Q(imd_decile__isnull=True) | Q(imd_decile__gte=1, imd_decile__lte=10),
                name="referral_imd_decile_1_to_10",
            ),
            # Not the trainer: referrals imported from a service's history were accepted
            # by people who hold no account here. Triage always assigns one.
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(client__isnull=False),
                name="accepted_referral_has_client",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "status", "received_date"]),
            # On SQLite next_reference() reads the highest R- reference of a programme on
            # every referral received: this index answers it from one entry
            # (docs/performance.md). PostgreSQL numbers from a sequence instead.
            models.Index(
                fields=["programme", "reference"],
                condition=Q(reference__startswith="R-"),
                name="referral_r_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.reference}"

    @property
    def age_at_referral(self) -> int:
        return age_on(self.date_of_birth, self.received_date)

    @property
    def nhs_number_display(self) -> str:
        return format_nhs_number(self.nhs_number) if self.nhs_number else "Not given"

    @property
    def days_to_first_contact(self) -> int | None:
        if self.first_contact_date is None:
            return None
        return (self.first_contact_date - self.received_date).days


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"


class ContactOutcome(models.TextChoices):
    CONTACTED = "contacted", "Spoke with the client"
    MESSAGE_LEFT = "message_left", "Left a message"
    NO_ANSWER = "no_answer", "No answer"
    WRONG_DETAILS = "wrong_details", "Wrong number or address"


class ContactAttempt(models.Model):
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="contact_attempts"
    )
    attempted_on = models.DateField()
    method = models.CharField(max_length=20, choices=ContactMethod.choices)
    outcome = models.CharField(max_length=20, choices=ContactOutcome.choices)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["attempted_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} on {self.attempted_on}: {self.get_outcome_display()}"
