from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q

from healthtrainer.accounts.roles import Role
from healthtrainer.clients.codes import Sex
from healthtrainer.clients.identifiers import format_nhs_number
from healthtrainer.core.scoping import ProgrammeScopedQuerySet


class ReminderPreference(models.TextChoices):
    SMS = "sms", "Text message"
    EMAIL = "email", "Email"
    NONE = "none", "No reminders"


class ClientQuerySet(ProgrammeScopedQuerySet["Client"]):
    def visible_to(self, user: Any, permission: str) -> ClientQuerySet:
        """A health trainer reaches only the clients of referrals assigned to them."""
        scoped = super().visible_to(user, permission)
        if not getattr(user, "is_authenticated", False) or user.is_site_administrator:
            return scoped
        trainer_in = user.programme_ids_as(Role.HEALTH_TRAINER)
        if not trainer_in:
            return scoped
        assigned = Q(programme_id__in=trainer_in, referrals__assigned_trainer=user)
        return scoped.filter(~Q(programme_id__in=trainer_in) | assigned).distinct()

    def matching(
        self,
        *,
        nhs_number: str,
        given_name: str,
        family_name: str,
        date_of_birth: date,
        postcode: str,
    ) -> ClientQuerySet:
        """Clients who may be this person: the same NHS number, or, without one on either
        side, the same name, date of birth and postcode. Staff confirm before linking."""
        same_details = Q(
            given_name__iexact=given_name.strip(),
            family_name__iexact=family_name.strip(),
            date_of_birth=date_of_birth,
            postcode=postcode,
        )
        if nhs_number:
            return self.filter(Q(nhs_number=nhs_number) | (Q(nhs_number="") & same_details))
        return self.filter(same_details)


class Client(models.Model):
    """A person the programme has accepted. Each referral of theirs is an episode."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="clients"
    )
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices)
    postcode = models.CharField(max_length=8, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    reminders_by = models.CharField(
        max_length=10,
        choices=ReminderPreference.choices,
        default=ReminderPreference.SMS,
        help_text="How the client wants appointment and follow-up reminders, if at all.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "nhs_number"],
                condition=~Q(nhs_number=""),
                name="client_nhs_number_unique_in_programme",
                violation_error_message="A client with this NHS number is already registered.",
            )
        ]
        indexes = [models.Index(fields=["programme", "family_name", "date_of_birth"])]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def nhs_number_display(self) -> str:
        return format_nhs_number(self.nhs_number) if self.nhs_number else "Not given"
