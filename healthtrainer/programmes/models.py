from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

from healthtrainer.core.scoping import ProgrammeScopedQuerySet

local_authority_code_validator = RegexValidator(
    r"^[EWSN]\d{8}$", "Enter a local authority code like E08000019."
)
ods_code_validator = RegexValidator(
    r"^[A-Z0-9]{3,10}$", "Enter an ODS code in capital letters and digits, like C88001."
)


class ProgrammeQuerySet(ProgrammeScopedQuerySet["Programme"]):
    programme_path = "pk"


class Programme(models.Model):
    """The tenant: one Health Trainer programme, with the settings its rules depend on."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    commissioner = models.CharField(
        max_length=200, blank=True, help_text="The body that commissions the programme."
    )
    local_authority_code = models.CharField(
        max_length=9,
        blank=True,
        validators=[local_authority_code_validator],
        help_text="ONS code of the local authority district, for local deprivation figures.",
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    projected_referrals = models.PositiveIntegerField(
        null=True, blank=True, help_text="The number of referrals the programme expects."
    )
    minimum_pain_duration_months = models.PositiveSmallIntegerField(
        default=12, validators=[MinValueValidator(1)]
    )
    minimum_age = models.PositiveSmallIntegerField(default=18)
    sessions_offered = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(1)]
    )
    follow_up_interval_months = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1)]
    )
    early_follow_up_days = models.PositiveSmallIntegerField(
        "Early follow-ups counted (days before the due date)",
        default=14,
        validators=[MaxValueValidator(92)],
        help_text="A follow-up this many days or fewer before its due date counts as followed "
        "up in the evaluation; an earlier one is kept with its reason but not counted.",
    )
    # Pacing in the client's companion: a baseline is this share of what the client can do
    # on a bad day, raised by this much a week.
    pacing_baseline_percent = models.PositiveSmallIntegerField(
        "Pacing baseline (% of a bad day's tolerance)",
        default=80,
        validators=[MinValueValidator(10), MaxValueValidator(100)],
    )
    pacing_weekly_increase_percent = models.PositiveSmallIntegerField(
        "Pacing increase a week (%)",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    # No SNOMED CT concept names a health trainer referral, so each programme says which it
    # uses; the default is "Referral to social prescribing service".
    referral_code = models.CharField(
        "SNOMED CT referral code",
        max_length=18,
        default="871731000000106",
        validators=[RegexValidator(r"^\d{6,18}$", "Enter a SNOMED CT code: 6 to 18 digits")],
        help_text="The code a referral to this programme carries in FHIR (ServiceRequest.code).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="programme_ends_after_it_starts",
                violation_error_message="The end date must be on or after the start date.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    GP_PRACTICE = "gp_practice", "GP practice"
    COMMUNITY_ORGANISATION = "community_organisation", "Community organisation"
    PAIN_TEAM = "pain_team", "Chronic pain team"
    COMMISSIONER = "commissioner", "Commissioner"


class OrganisationQuerySet(ProgrammeScopedQuerySet["Organisation"]):
    def gp_practices(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.GP_PRACTICE)


class Organisation(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="organisations")
    kind = models.CharField(max_length=30, choices=OrganisationKind.choices)
    name = models.CharField(max_length=200)
    ods_code = models.CharField(
        "ODS code", max_length=10, blank=True, validators=[ods_code_validator]
    )
    registered_list_size = models.PositiveIntegerField(
        null=True, blank=True, help_text="Registered patients, for referral rates per 1,000."
    )
    is_gp_champion = models.BooleanField(
        "GP champion",
        default=False,
        help_text=(
            "The practice has a GP with a special interest in pain who champions the programme."
        ),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "ods_code"],
                condition=~Q(ods_code=""),
                name="organisation_ods_code_unique_in_programme",
                violation_error_message=(
                    "An organisation with this ODS code is already in the programme."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="gp_practice")
                | (Q(registered_list_size__isnull=True) & Q(is_gp_champion=False)),
                name="organisation_practice_fields_only_on_practices",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == OrganisationKind.GP_PRACTICE and not self.ods_code:
            raise ValidationError({"ods_code": "A GP practice needs its ODS code."})

    @property
    def is_gp_practice(self) -> bool:
        return self.kind == OrganisationKind.GP_PRACTICE
