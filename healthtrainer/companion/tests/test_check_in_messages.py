"""Check-ins by message: a weekly or monthly prompt once a period and only in the day; for
a client without a smartphone, questions by text answered with a number, one at a time,
each reply handled once, and a reply that is not a number answered with the crisis
contacts, never read for meaning."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.casework.models import (
    CheckInVia,
    Discharge,
    FollowUp,
    GoalCheckIn,
    StrategyCheckIn,
)
from healthtrainer.companion.check_in_messages import (
    CRISIS,
    check_ins_prompt,
    replies_fetch,
    reply_handle,
)
from healthtrainer.companion.models import ReceivedText, SignInBy, SmsQuestion
from healthtrainer.companion.services import companion_invite
from healthtrainer.companion.tests.conftest import PHONE
from healthtrainer.notifications.models import OutboxMessage, OutboxReply
from healthtrainer.notifications.notifier import OutboxNotifier
from healthtrainer.notifications.notifier import ReceivedText as Incoming
from healthtrainer.tests.factories import ClientStrategyFactory, GoalFactory, accepted_episode

# A Monday morning, in the day's hours, with a week of the month after it.
MONDAY = timezone.make_aware(datetime(2026, 11, 16, 10))
OUTBOX = OutboxNotifier()


def _sent(template):
    return list(OutboxMessage.objects.filter(template=template).order_by("pk"))


def _reply(content, *, number="447700900123", at=None):
    OutboxReply.objects.create(from_number=number, content=content)
    return replies_fetch(notifier=OUTBOX, now=at or timezone.now())


@pytest.fixture
def goals(episode):
    return [
        GoalFactory(episode=episode, description="Walk to the shop and back"),
        GoalFactory(episode=episode, description="Sleep through three nights a week"),
    ]


@pytest.fixture
def by_sms(invited):
    invited.check_ins_by_sms = True
    invited.save()
    return invited


def test_a_companion_user_is_reminded_once_a_week_in_the_day(invited, goals):
    assert check_ins_prompt(notifier=OUTBOX, now=MONDAY.replace(hour=22)) == 0
    assert check_ins_prompt(notifier=OUTBOX, now=MONDAY) == 1
    assert check_ins_prompt(notifier=OUTBOX, now=MONDAY + timedelta(days=3)) == 0
    assert check_ins_prompt(notifier=OUTBOX, now=MONDAY + timedelta(days=7)) == 1
    (first, _) = _sent("companion_check_in_prompt")
    assert first.to == invited.contact
    assert first.personalisation["link"].endswith(reverse("companion:home"))
    assert not SmsQuestion.objects.exists()


def test_nobody_with_nothing_to_check_in_on_is_prompted(invited):
    assert check_ins_prompt(notifier=OUTBOX, now=MONDAY) == 0


def test_questions_go_one_at_a_time_and_numbered_replies_answer_them(by_sms, goals):
    check_ins_prompt(notifier=OUTBOX, now=MONDAY)
    (question,) = _sent("companion_check_in_question")
    assert "Walk to the shop and back" in question.personalisation["question"]
    assert (
        "Reply 1 for achieved, 2 for partly or 3 for not yet"
        in (question.personalisation["question"])
    )
    assert not _sent("companion_check_in_prompt")

    assert _reply("1", at=MONDAY + timedelta(hours=1)) == 1
    assert _reply(" 2. ", at=MONDAY + timedelta(hours=2)) == 1

    views = dict(GoalCheckIn.objects.values_list("goal__description", "view"))
    assert views == {
        "Walk to the shop and back": "achieved",
        "Sleep through three nights a week": "partly",
    }
    assert set(GoalCheckIn.objects.values_list("via", flat=True)) == {CheckInVia.SMS}
    assert len(_sent("companion_check_in_question")) == 2
    assert set(ReceivedText.objects.values_list("outcome", flat=True)) == {"recorded"}


def test_a_reply_fetched_twice_is_handled_once(by_sms, goals):
    check_ins_prompt(notifier=OUTBOX, now=MONDAY)
    later = MONDAY + timedelta(hours=1)
    _reply("3", at=later)
    assert replies_fetch(notifier=OUTBOX, now=later) == 0
    text = Incoming(
        provider_id=ReceivedText.objects.get().provider_id,
        from_number=PHONE,
        content="1",
        received_at=later,
    )
    assert reply_handle(text, notifier=OUTBOX, now=later) == ""
    assert list(GoalCheckIn.objects.values_list("view", flat=True)) == ["not_yet"]
    assert SmsQuestion.objects.filter(answered_at__isnull=False).count() == 1


def test_a_reply_that_is_not_a_number_gets_the_crisis_contacts_and_the_question_waits(
    by_sms, goals
):
    check_ins_prompt(notifier=OUTBOX, now=MONDAY)
    later = MONDAY + timedelta(hours=1)
    _reply("I can't cope any more", at=later)
    (answer,) = _sent("companion_check_in_not_understood")
    assert answer.personalisation["help"] == CRISIS
    assert "116 123" in CRISIS
    assert "not read by a person" in CRISIS
    assert not GoalCheckIn.objects.exists()
    assert ReceivedText.objects.get().outcome == "not_a_number"
    _reply("4", at=later)
    _reply("3", at=later)
    assert list(GoalCheckIn.objects.values_list("view", flat=True)) == ["not_yet"]


def test_a_text_from_an_unknown_number_is_not_answered(by_sms, goals):
    check_ins_prompt(notifier=OUTBOX, now=MONDAY)
    _reply("1", number="07700900999", at=MONDAY + timedelta(hours=1))
    assert ReceivedText.objects.get().outcome == "unknown_number"
    assert not GoalCheckIn.objects.exists()
    assert not _sent("companion_check_in_not_understood")


def test_an_answer_after_the_week_is_over_has_no_question(by_sms, goals):
    check_ins_prompt(notifier=OUTBOX, now=MONDAY)
    _reply("1", at=MONDAY + timedelta(days=8))
    assert ReceivedText.objects.get().outcome == "no_question"
    assert not GoalCheckIn.objects.exists()


def test_after_discharge_the_questions_are_monthly_about_strategies(by_sms, episode):
    taken_up = ClientStrategyFactory(episode=episode)
    discharged_on = MONDAY.date() - timedelta(days=20)
    Discharge.objects.create(
        programme=episode.programme,
        episode=episode,
        discharged_on=discharged_on,
        reason="completed",
        discharged_by=episode.assigned_trainer,
    )
    FollowUp.objects.create(
        programme=episode.programme, episode=episode, due_on=discharged_on + timedelta(days=90)
    )
    check_ins_prompt(notifier=OUTBOX, now=MONDAY)
    (question,) = _sent("companion_check_in_question")
    assert (
        f"Are you still using {taken_up.strategy.name.lower()}?"
        in (question.personalisation["question"])
    )
    _reply("2", at=MONDAY + timedelta(hours=1))
    check_in = StrategyCheckIn.objects.get()
    assert (check_in.maintained, check_in.via) == ("partly", CheckInVia.SMS)
    # The next week of the same month asks nothing more.
    assert check_ins_prompt(notifier=OUTBOX, now=MONDAY + timedelta(days=7)) == 0


def test_only_a_client_whose_codes_go_by_text_can_check_in_by_text(world, client_as):
    episode = accepted_episode(
        world.people[Role.HEALTH_TRAINER], world.programme, email="ada@example.com"
    )
    companion_invite(
        actor=world.people[Role.HEALTH_TRAINER],
        episode=episode,
        sign_in_by=SignInBy.EMAIL,
        notifier=OUTBOX,
        sign_in_url="https://healthtrainer.example/my/sign-in/",
    )
    trainer = client_as(Role.HEALTH_TRAINER)
    url = reverse("companion:episode_check_ins", args=[world.programme.slug, episode.pk])
    page = trainer.post(url, {"by_sms": "yes"}, follow=True).content.decode()
    assert "invite them again by text message first" in page
    assert not episode.client.companion.check_ins_by_sms


def test_the_trainer_turns_text_check_ins_on(world, client_as, invited):
    trainer = client_as(Role.HEALTH_TRAINER)
    episode_id = invited.client.referrals.get().pk
    url = reverse("companion:episode_check_ins", args=[world.programme.slug, episode_id])
    trainer.post(url, {"by_sms": "yes"})
    invited.refresh_from_db()
    assert invited.check_ins_by_sms


def test_a_made_up_reply_in_development(by_sms, goals, settings):
    check_ins_prompt(notifier=OUTBOX, now=timezone.now().replace(hour=10))
    out = StringIO()
    call_command("simulate_text_reply", PHONE, "1", stdout=out)
    assert "1 reply handled" in out.getvalue()
    assert GoalCheckIn.objects.get().via == CheckInVia.SMS
