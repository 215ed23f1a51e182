from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from healthtrainer.accounts.roles import Role
from healthtrainer.casework.models import Appointment, Discharge, FollowUp, Reminder
from healthtrainer.casework.reminders import ReminderRun, send_due_reminders
from healthtrainer.core.models import AuditEvent
from healthtrainer.notifications.models import OutboxMessage
from healthtrainer.notifications.notifier import NotificationFailed, OutboxNotifier
from healthtrainer.tests.factories import ClientFactory, ReferralFactory

LONDON = ZoneInfo("Europe/London")
# Monday 2 November 2026, 9am: the clocks went back a week before, so London is on GMT.
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def trainer(world):
    return world.people[Role.HEALTH_TRAINER]


@pytest.fixture
def episode_for(world, trainer):
    """An accepted referral of a new client with a mobile number, assigned to the trainer."""

    def make(**client_fields):
        client = ClientFactory(
            programme=world.programme,
            **{"given_name": "Alex", "phone": "07700900123", **client_fields},
        )
        return ReferralFactory(
            practice=world.people[Role.REFERRER].memberships.get().organisation,
            status="accepted",
            client=client,
            assigned_trainer=trainer,
            pain_sites="lower back",
            help_wanted="sleeping through the pain",
            risk_notes="low mood",
        )

    return make


@pytest.fixture
def book(world, trainer):
    def make(episode, starts_at, **fields):
        return Appointment.objects.create(
            programme=world.programme,
            episode=episode,
            trainer=trainer,
            starts_at=starts_at,
            **{"mode": "telephone", **fields},
        )

    return make


def send(now=NOW, notifier=None):
    return send_due_reminders(now=now, notifier=notifier or OutboxNotifier())


def test_a_booked_appointment_is_reminded_once_however_often_the_command_runs(
    world, clock, episode_for, book
):
    appointment = book(episode_for(), NOW + timedelta(hours=23, minutes=30))

    first = send()
    again = send()

    assert first == ReminderRun(sent=1)
    assert again == ReminderRun()
    (message,) = OutboxMessage.objects.all()
    reminder = Reminder.objects.get()
    assert (message.channel, message.to, message.template) == (
        "sms",
        "07700900123",
        "appointment_reminder",
    )
    assert message.personalisation == {
        "first_name": "Alex",
        "date": "Tuesday 3 November 2026",
        "time": "8:30am",
        "mode": "Telephone",
        "venue": "",
    }
    assert message.reference == f"reminder-{reminder.pk}"
    assert reminder.appointment == appointment
    assert reminder.kind == "appointment"
    assert reminder.scheduled_for == appointment.starts_at
    assert reminder.sent_at == NOW
    assert reminder.provider_reference == f"outbox-{message.pk}"
    event = AuditEvent.objects.get(action="casework.reminder.sent")
    assert event.actor is None
    assert (event.object_type, event.object_id) == ("casework.reminder", str(reminder.pk))
    assert event.programme == world.programme


def test_a_reminder_carries_no_health_data(clock, episode_for, book):
    book(episode_for(), NOW + timedelta(hours=3), mode="face_to_face", venue="Library, Room 2")

    send()

    message = OutboxMessage.objects.get()
    assert set(message.personalisation) == {"first_name", "date", "time", "mode", "venue"}
    assert message.personalisation["venue"] == "Library, Room 2"
    assert message.personalisation["time"] == "midday"
    text = " ".join(message.personalisation.values()).lower()
    for detail in ("back", "pain", "sleep", "mood"):
        assert detail not in text


def test_a_rebooked_appointment_is_reminded_of_its_new_time(clock, episode_for, book):
    appointment = book(episode_for(), NOW + timedelta(hours=20))
    send()

    appointment.starts_at = NOW + timedelta(hours=22)
    appointment.save()

    assert send() == ReminderRun(sent=1)
    assert sorted(Reminder.objects.values_list("scheduled_for", flat=True)) == [
        NOW + timedelta(hours=20),
        NOW + timedelta(hours=22),
    ]
    assert OutboxMessage.objects.count() == 2


def test_a_client_who_wants_no_reminders_gets_none(clock, episode_for, book):
    book(episode_for(reminders_by="none"), NOW + timedelta(hours=2))

    assert send() == ReminderRun(skipped_opted_out=1)
    assert not OutboxMessage.objects.exists()
    assert not Reminder.objects.exists()


def test_a_client_who_prefers_email_is_reminded_by_email(clock, episode_for, book):
    book(episode_for(reminders_by="email", email="alex@example.com"), NOW + timedelta(hours=2))

    assert send() == ReminderRun(sent=1)
    message = OutboxMessage.objects.get()
    assert (message.channel, message.to) == ("email", "alex@example.com")
    assert Reminder.objects.get().channel == "email"


@pytest.mark.parametrize(
    "client_fields",
    [
        {"reminders_by": "sms", "phone": "", "email": "alex@example.com"},
        {"reminders_by": "email", "phone": "07700900123", "email": ""},
    ],
    ids=["text message without a phone", "email without an address"],
)
def test_a_client_without_the_contact_detail_their_choice_needs_is_skipped(
    clock, episode_for, book, client_fields
):
    book(episode_for(**client_fields), NOW + timedelta(hours=2))

    assert send() == ReminderRun(skipped_no_contact=1)
    assert not OutboxMessage.objects.exists()
    assert not Reminder.objects.exists()


def test_an_appointment_in_a_discharged_episode_gets_no_reminder(
    world, trainer, clock, episode_for, book
):
    episode = episode_for()
    book(episode, NOW + timedelta(hours=2))
    Discharge.objects.create(
        programme=world.programme,
        episode=episode,
        discharged_on=NOW.date(),
        reason="moved_away",
        discharged_by=trainer,
    )

    assert send() == ReminderRun()
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("attendance", ["attended", "cancelled_by_client", "cancelled_by_trainer"])
def test_an_appointment_no_longer_booked_gets_no_reminder(clock, episode_for, book, attendance):
    book(episode_for(), NOW + timedelta(hours=2), attendance=attendance)

    assert send() == ReminderRun()


@pytest.mark.parametrize(
    ("starts_in", "sent"),
    [
        (timedelta(hours=-1), 0),
        (timedelta(0), 0),
        (timedelta(minutes=1), 1),
        (timedelta(hours=24), 1),
        (timedelta(hours=24, minutes=1), 0),
    ],
    ids=["past", "now", "in a minute", "at the edge of the window", "beyond the window"],
)
def test_only_appointments_within_the_next_24_hours_are_reminded(
    clock, episode_for, book, starts_in, sent
):
    book(episode_for(), NOW + starts_in)

    assert send().sent == sent
    assert OutboxMessage.objects.count() == sent


def test_the_window_follows_the_setting(settings, clock, episode_for, book):
    settings.REMINDER_HOURS_BEFORE = 48
    book(episode_for(), NOW + timedelta(hours=47))

    assert send().sent == 1


@pytest.fixture
def follow_up_for(world, trainer, episode_for):
    def make(due_on, **fields):
        episode = episode_for()
        Discharge.objects.create(
            programme=world.programme,
            episode=episode,
            discharged_on=date(2026, 8, 3),
            reason="completed",
            discharged_by=trainer,
        )
        return FollowUp.objects.create(
            programme=world.programme, episode=episode, due_on=due_on, **fields
        )

    return make


def test_a_follow_up_due_tomorrow_is_reminded_once(world, clock, follow_up_for):
    follow_up = follow_up_for(date(2026, 11, 3))

    assert send() == ReminderRun(sent=1)
    assert send() == ReminderRun()
    message = OutboxMessage.objects.get()
    assert message.template == "follow_up_reminder"
    assert message.personalisation == {"first_name": "Alex", "programme": "Home programme"}
    reminder = Reminder.objects.get()
    assert reminder.follow_up == follow_up
    assert reminder.kind == "follow_up"
    assert reminder.scheduled_for == datetime(2026, 11, 3, tzinfo=LONDON)
    assert AuditEvent.objects.filter(action="casework.reminder.sent").count() == 1


@pytest.mark.parametrize(
    ("due_on", "contacted_on", "sent"),
    [
        (date(2026, 11, 2), None, 1),
        (date(2026, 11, 4), None, 0),
        (date(2026, 11, 1), None, 0),
        (date(2026, 11, 3), date(2026, 11, 2), 0),
    ],
    ids=["due today", "due the day after tomorrow", "overdue", "already contacted"],
)
def test_only_follow_ups_due_within_the_window_and_not_yet_recorded_are_reminded(
    clock, follow_up_for, due_on, contacted_on, sent
):
    follow_up_for(due_on, contacted_on=contacted_on)

    assert send().sent == sent


class RefusingNotifier(OutboxNotifier):
    def send_sms(self, **kwargs):
        raise NotificationFailed("GOV.UK Notify answered 400: phone_number Not a UK mobile number")


def test_a_failed_reminder_is_recorded_audited_and_not_retried(world, clock, episode_for, book):
    book(episode_for(), NOW + timedelta(hours=2))

    assert send(notifier=RefusingNotifier()) == ReminderRun(failed=1)
    assert send() == ReminderRun()

    reminder = Reminder.objects.get()
    assert reminder.sent_at is None
    assert reminder.failed_reason == (
        "GOV.UK Notify answered 400: phone_number Not a UK mobile number"
    )
    event = AuditEvent.objects.get(action="casework.reminder.failed")
    assert (event.object_id, event.programme) == (str(reminder.pk), world.programme)
    assert not AuditEvent.objects.filter(action="casework.reminder.sent").exists()
    assert not OutboxMessage.objects.exists()


def test_two_runs_racing_cannot_send_the_same_reminder(clock, episode_for, book):
    first = book(episode_for(), NOW + timedelta(hours=1))
    second = book(episode_for(given_name="Sam", phone="07700900456"), NOW + timedelta(hours=2))
    other_runs = []

    class SlowNotifier(OutboxNotifier):
        """While the first run sends its first message, a second run starts with the same
        clock. The first run has already listed both appointments as due."""

        def send_sms(self, **kwargs):
            if not other_runs:
                other_runs.append(send())
            return super().send_sms(**kwargs)

    run = send(notifier=SlowNotifier())

    # The second run saw the first claim and took the other appointment; the first run
    # then found that appointment claimed (the unique constraint refused its row) and
    # skipped it without counting it.
    assert other_runs == [ReminderRun(sent=1)]
    assert run == ReminderRun(sent=1)
    assert Reminder.objects.filter(appointment=first).count() == 1
    assert Reminder.objects.filter(appointment=second).count() == 1
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == [
        "07700900123",
        "07700900456",
    ]


def test_queries_per_reminder_do_not_grow_with_what_they_read(clock, episode_for, book):
    book(episode_for(), NOW + timedelta(hours=1))
    with CaptureQueriesContext(connection) as one:
        send()
    with CaptureQueriesContext(connection) as none:
        send()
    for hours in (2, 3, 4):
        book(episode_for(), NOW + timedelta(hours=hours))
    with CaptureQueriesContext(connection) as three:
        assert send().sent == 3

    per_reminder = len(one) - len(none)
    assert len(three) - len(none) == 3 * per_reminder


def test_the_command_sends_due_reminders_to_the_outbox_and_prints_a_summary(
    clock, episode_for, book
):
    book(episode_for(), NOW + timedelta(hours=2))
    book(episode_for(reminders_by="none"), NOW + timedelta(hours=3))
    book(episode_for(phone=""), NOW + timedelta(hours=4))
    out = StringIO()

    call_command("send_reminders", stdout=out)

    assert out.getvalue() == (
        "Reminders: 1 sent, 0 failed, 1 skipped (opted out), 1 skipped (no contact details); "
        "notifier: outbox.\n"
    )
    assert OutboxMessage.objects.get().to == "07700900123"
