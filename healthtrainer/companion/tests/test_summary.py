"""The trainer's side: pacing on the companion page, and the one-page PDF summary for a
session or for the GP, which stays on one page however much the client wrote."""

import io
import uuid
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from healthtrainer.accounts.roles import Role
from healthtrainer.casework.models import GoalCheckIn, Strategy
from healthtrainer.companion.models import DiaryEntry, PacingPlan, SetbackPlan
from healthtrainer.core.models import AuditEvent
from healthtrainer.tests.factories import ClientStrategyFactory, GoalFactory


def _summary(trainer, world, episode, audience):
    url = reverse("companion:episode_summary", args=[world.programme.slug, episode.pk])
    return trainer.get(url, {"for": audience})


def _text(response) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(response.content))
    return len(reader.pages), " ".join(
        " ".join(page.extract_text().split()) for page in reader.pages
    )


def _pace(episode, activity, bad_day_minutes=20):
    return PacingPlan.objects.create(
        programme=episode.programme,
        episode=episode,
        activity=activity,
        bad_day_minutes=bad_day_minutes,
        baseline_percent=80,
        weekly_increase_percent=10,
        started_on=timezone.localdate() - timedelta(days=14),
    )


def _diary(episode, days_ago, **values):
    DiaryEntry.objects.create(
        programme=episode.programme,
        episode=episode,
        key=uuid.uuid4(),
        recorded_for=timezone.now() - timedelta(days=days_ago),
        **values,
    )


def test_the_summary_for_the_gp_names_the_client_and_holds_their_plan(client_as, world, episode):
    goal = GoalFactory(episode=episode, description="Walk to the shop and back")
    GoalCheckIn.objects.create(
        goal=goal,
        week_starting=timezone.localdate() - timedelta(days=timezone.localdate().weekday()),
        view="partly",
        via="companion",
        answered_at=timezone.now(),
    )
    ClientStrategyFactory(episode=episode)
    _pace(episode, "Gardening", bad_day_minutes=20)
    for days_ago in range(5):
        _diary(episode, days_ago, pain=6, activity="Gardening", activity_minutes=15)
    trainer = client_as(Role.HEALTH_TRAINER)

    response = _summary(trainer, world, episode, "gp")

    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    pages, text = _text(response)
    assert pages == 1
    client = episode.client
    assert f"{client.given_name} {client.family_name}" in text
    assert "For the client's GP" in text
    assert client.date_of_birth.strftime("%-d %B %Y") in text
    assert "Walk to the shop and back" in text
    assert "The client's view: partly" in text
    assert "5 entries on 5 days; average pain 6.0 out of 10" in text
    # Gardening: 80% of 20 minutes, then 10% more after two whole weeks.
    assert "Gardening 20 min 16 min 19 min" in text
    event = AuditEvent.objects.get(action="companion.summary.downloaded")
    assert (event.actor, event.object_id) == (world.people[Role.HEALTH_TRAINER], str(episode.pk))


def test_the_summary_stays_on_one_page_however_much_there_is(client_as, world, episode):
    for number in range(10):
        GoalFactory(episode=episode, description=f"Goal {number}: " + "a long goal " * 22)
    for strategy in Strategy.objects.filter(programme=world.programme):
        ClientStrategyFactory(episode=episode, strategy=strategy)
    for number in range(5):
        _pace(episode, f"Activity {number}")
    SetbackPlan.objects.create(
        programme=episode.programme,
        episode=episode,
        early_signs="I notice it first in my shoulders. " * 200,
        what_helps="A warm bath and a slower day. " * 200,
        who_to_contact="My sister, then the surgery. " * 200,
        updated_at=timezone.now(),
    )
    for days_ago in range(30):
        _diary(episode, days_ago, pain=days_ago % 11, note="A long note. " * 100)
    trainer = client_as(Role.HEALTH_TRAINER)

    pages, text = _text(_summary(trainer, world, episode, "session"))

    assert pages == 1
    assert "For the next session" in text
    assert "And 4 more goal(s), in the service." in text
    assert "And 2 more, in the service." in text
    assert "A long note" not in text


def test_an_unknown_audience_is_not_found(client_as, world, episode):
    trainer = client_as(Role.HEALTH_TRAINER)
    assert _summary(trainer, world, episode, "newspaper").status_code == 404


def test_the_trainer_sees_pacing_and_boom_and_bust(client_as, world, episode, invited):
    _pace(episode, "Walking", bad_day_minutes=20)
    today = timezone.localdate()
    for days_ago, minutes, pain in ((4, 40, 3), (3, 40, 3), (2, 5, 7)):
        _diary(
            episode,
            days_ago,
            activity="Walking",
            activity_minutes=minutes,
            pain=pain,
        )
    trainer = client_as(Role.HEALTH_TRAINER)
    page = trainer.get(
        reverse("companion:episode", args=[world.programme.slug, episode.pk])
    ).content.decode()
    assert "Activities the client paces" in page
    assert "16 min" in page
    assert "boom and bust" in page
    assert today.strftime("%Y") in page
