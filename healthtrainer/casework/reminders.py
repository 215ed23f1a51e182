"""Reminders to clients of booked appointments and due follow-ups, by text message or email.

`send_due_reminders` is run every few minutes by the `send_reminders` command, perhaps on
several nodes at once. Each reminder is claimed before it is sent: the claim is a Reminder
row whose unique key (what, how, for when) lets only one run insert it, so no reminder
goes twice. A claim is never sent again, even if sending failed or the run stopped midway:
a missed reminder is better than a duplicate, and a failure is recorded for staff to see.

Messages carry no health data: a first name, a date and time, how and where the
appointment takes place, and the programme's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from healthtrainer.casework.models import Appointment, Channel, FollowUp, Reminder, ReminderKind
from healthtrainer.casework.vocabulary import Attendance
from healthtrainer.clients.models import Client, ReminderPreference
from healthtrainer.core.audit import audit_record
from healthtrainer.notifications.notifier import NotificationFailed, Notifier
from healthtrainer.programmes.models import Programme

APPOINTMENT_TEMPLATE = "appointment_reminder"
FOLLOW_UP_TEMPLATE = "follow_up_reminder"


@dataclass
class ReminderRun:
    """What one run did. A reminder claimed by an earlier or concurrent run is in no count."""

    sent: int = 0
    skipped_opted_out: int = 0
    skipped_no_contact: int = 0
    failed: int = 0


@dataclass(frozen=True)
class _Due:
    kind: ReminderKind
    programme: Programme
    client: Client | None
    scheduled_for: datetime
    template: str
    personalisation: dict[str, str]
    appointment: Appointment | None = None
    follow_up: FollowUp | None = None


def send_due_reminders(*, now: datetime, notifier: Notifier) -> ReminderRun:
    """Send every reminder that is due at `now` and not yet claimed."""
    until = now + timedelta(hours=settings.REMINDER_HOURS_BEFORE)
    run = ReminderRun()
    for due in [*_due_appointments(now=now, until=until), *_due_follow_ups(now=now, until=until)]:
        _send(due, notifier=notifier, run=run)
    return run


def _due_appointments(*, now: datetime, until: datetime) -> list[_Due]:
    """Booked appointments starting within the window, in episodes still open.

    A rebooked appointment has a new start time, so the claim for the old time does not
    hide it."""
    claimed = Reminder.objects.filter(
        appointment=OuterRef("pk"), scheduled_for=OuterRef("starts_at")
    )
    appointments = (
        Appointment.objects.filter(
            attendance=Attendance.BOOKED,
            starts_at__gt=now,
            starts_at__lte=until,
            episode__discharge__isnull=True,
        )
        .exclude(Exists(claimed))
        .select_related("programme", "episode__client")
        .order_by("starts_at", "pk")
    )
    return [
        _Due(
            kind=ReminderKind.APPOINTMENT,
            programme=appointment.programme,
            client=appointment.episode.client,
            scheduled_for=appointment.starts_at,
            template=APPOINTMENT_TEMPLATE,
            personalisation=_appointment_personalisation(appointment),
            appointment=appointment,
        )
        for appointment in appointments
    ]


def _due_follow_ups(*, now: datetime, until: datetime) -> list[_Due]:
    """Follow-ups not yet recorded whose day falls within the window. A follow-up has a day,
    not a time, so its reminder is scheduled for that day's midnight, local time."""
    follow_ups = (
        FollowUp.objects.filter(
            contacted_on__isnull=True,
            due_on__gte=timezone.localdate(now),
            due_on__lte=timezone.localdate(until),
        )
        .select_related("programme", "episode__client")
        .order_by("due_on", "pk")
    )
    claimed = set(
        Reminder.objects.filter(follow_up__in=follow_ups).values_list(
            "follow_up_id", "scheduled_for"
        )
    )
    due = []
    for follow_up in follow_ups:
        scheduled_for = timezone.make_aware(datetime.combine(follow_up.due_on, time.min))
        if (follow_up.pk, scheduled_for) in claimed:
            continue
        due.append(
            _Due(
                kind=ReminderKind.FOLLOW_UP,
                programme=follow_up.programme,
                client=follow_up.episode.client,
                scheduled_for=scheduled_for,
                template=FOLLOW_UP_TEMPLATE,
                personalisation={
                    "first_name": _first_name(follow_up.episode.client),
                    "programme": follow_up.programme.name,
                },
                follow_up=follow_up,
            )
        )
    return due


def _send(due: _Due, *, notifier: Notifier, run: ReminderRun) -> None:
    client = due.client
    if client is not None and client.reminders_by == ReminderPreference.NONE:
        run.skipped_opted_out += 1
        return
    channel, address = _channel_and_address(client)
    if channel is None:
        run.skipped_no_contact += 1
        return
    reminder = _claim(due, channel=channel)
    if reminder is None:
        return
    reference = f"reminder-{reminder.pk}"
    try:
        if channel == Channel.SMS:
            provider_reference = notifier.send_sms(
                phone_number=address,
                template=due.template,
                personalisation=due.personalisation,
                reference=reference,
            )
        else:
            provider_reference = notifier.send_email(
                email_address=address,
                template=due.template,
                personalisation=due.personalisation,
                reference=reference,
            )
    except NotificationFailed as failure:
        with transaction.atomic():
            reminder.failed_reason = failure.reason
            reminder.save(update_fields=["failed_reason"])
            audit_record(
                actor=None,
                action="casework.reminder.failed",
                target=reminder,
                programme=due.programme,
                changed_fields=["failed_reason"],
            )
        run.failed += 1
        return
    with transaction.atomic():
        reminder.sent_at = timezone.now()
        reminder.provider_reference = provider_reference
        reminder.save(update_fields=["sent_at", "provider_reference"])
        audit_record(
            actor=None,
            action="casework.reminder.sent",
            target=reminder,
            programme=due.programme,
            changed_fields=["sent_at", "provider_reference"],
        )
    run.sent += 1


def _channel_and_address(client: Client | None) -> tuple[Channel | None, str]:
    """How the client asked to be reminded, and where; no channel without the detail it needs."""
    if client is None:
        return None, ""
    if client.reminders_by == ReminderPreference.SMS and client.phone.strip():
        return Channel.SMS, client.phone.strip()
    if client.reminders_by == ReminderPreference.EMAIL and client.email.strip():
        return Channel.EMAIL, client.email.strip()
    return None, ""


def _claim(due: _Due, *, channel: Channel) -> Reminder | None:
    """Insert the reminder in its own transaction, so the claim stands before anything is
    sent. None when another run got there first: the unique constraint refused the row."""
    try:
        with transaction.atomic():
            return Reminder.objects.create(
                programme=due.programme,
                kind=due.kind,
                appointment=due.appointment,
                follow_up=due.follow_up,
                channel=channel,
                scheduled_for=due.scheduled_for,
            )
    except IntegrityError:
        return None


def _first_name(client: Client | None) -> str:
    return client.given_name.strip() if client is not None else ""


def _appointment_personalisation(appointment: Appointment) -> dict[str, str]:
    starts = timezone.localtime(appointment.starts_at)
    return {
        "first_name": _first_name(appointment.episode.client),
        "date": f"{starts:%A} {starts.day} {starts:%B %Y}",
        "time": _clock_time(starts),
        "mode": appointment.get_mode_display(),
        "venue": appointment.venue,
    }


def _clock_time(moment: datetime) -> str:
    """The time as GOV.UK writes it: 9am, 2:30pm, midday, midnight."""
    if moment.minute == 0 and moment.hour in (0, 12):
        return "midnight" if moment.hour == 0 else "midday"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"
