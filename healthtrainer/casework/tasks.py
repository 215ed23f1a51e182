"""Casework's periodic work, run by the workers as the scheduler queues it."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from healthtrainer.casework.reminders import send_due_reminders
from healthtrainer.notifications.notifier import get_notifier


@task()
def send_reminders() -> dict[str, int]:
    """Send the reminders that are due; a reminder is never sent twice (each is claimed)."""
    run = send_due_reminders(now=timezone.now(), notifier=get_notifier())
    return {
        "sent": run.sent,
        "failed": run.failed,
        "skipped_opted_out": run.skipped_opted_out,
        "skipped_no_contact": run.skipped_no_contact,
    }
