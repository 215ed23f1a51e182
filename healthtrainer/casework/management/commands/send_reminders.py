from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from healthtrainer.casework.reminders import send_due_reminders
from healthtrainer.notifications.notifier import get_notifier


class Command(BaseCommand):
    help = (
        "Send the reminders that are due: booked appointments and follow-ups within "
        "REMINDER_HOURS_BEFORE hours, by each client's chosen channel. Safe to run every few "
        "minutes, on several nodes at once: a reminder is never sent twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_due_reminders(now=timezone.now(), notifier=get_notifier())
        self.stdout.write(
            f"Reminders: {run.sent} sent, {run.failed} failed, "
            f"{run.skipped_opted_out} skipped (opted out), "
            f"{run.skipped_no_contact} skipped (no contact details); "
            f"notifier: {settings.NOTIFIER}."
        )
