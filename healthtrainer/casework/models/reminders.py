"""Reminders of appointments and follow-ups, each claimed once for sending."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from healthtrainer.casework.models.records import Appointment, FollowUp
from healthtrainer.clients.models import ReminderPreference


class ReminderKind(models.TextChoices):
    APPOINTMENT = "appointment", "Appointment"
    FOLLOW_UP = "follow_up", "Follow-up"


class Channel(models.TextChoices):
    SMS = ReminderPreference.SMS.value, ReminderPreference.SMS.label
    EMAIL = ReminderPreference.EMAIL.value, ReminderPreference.EMAIL.label


class Reminder(models.Model):
    """One reminder claimed for sending. The unique key (what, when, how) is what makes
    sending idempotent: a second run finds the claim and sends nothing. A rebooked
    appointment has a new time, so it earns a new reminder."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, null=True, blank=True, related_name="reminders"
    )
    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.PROTECT, null=True, blank=True, related_name="reminders"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    scheduled_for = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_reason = models.CharField(max_length=300, blank=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "casework"
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "channel", "scheduled_for"],
                condition=Q(appointment__isnull=False),
                name="appointment_reminder_once",
            ),
            models.UniqueConstraint(
                fields=["follow_up", "channel", "scheduled_for"],
                condition=Q(follow_up__isnull=False),
                name="follow_up_reminder_once",
            ),
            models.CheckConstraint(
                condition=Q(appointment__isnull=False, follow_up__isnull=True)
                | Q(appointment__isnull=True, follow_up__isnull=False),
                name="reminder_is_for_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder by {self.get_channel_display()}"
