"""The client's weekly view of their goals: one answer a week per goal, changed if given
again, shown to the trainer beside the goal, refused once the client is discharged."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.casework import services as casework
from healthtrainer.casework.models import CheckInVia, Discharge, GoalCheckIn
from healthtrainer.casework.services.check_ins import week_starting
from healthtrainer.core.models import AuditEvent
from healthtrainer.tests.factories import GoalFactory, accepted_episode


@pytest.fixture
def goal(episode):
    return GoalFactory(episode=episode, description="Walk to the shop and back")


def _answer(client, goal, view):
    return client.post(reverse("companion:goal_check_in", args=[goal.pk]), {"view": view})


def test_the_client_answers_from_their_plan_and_changes_it_the_same_week(signed_in, goal):
    _answer(signed_in, goal, "partly")
    _answer(signed_in, goal, "achieved")
    check_in = GoalCheckIn.objects.get()
    assert (check_in.view, check_in.via) == ("achieved", CheckInVia.COMPANION)
    assert "You said: achieved" in signed_in.get(reverse("companion:home")).content.decode()
    event = AuditEvent.objects.filter(action="casework.goal_check_in.recorded").first()
    assert event.client_actor_id == goal.episode.client_id
    assert event.actor is None


def test_a_new_week_is_a_new_answer(goal):
    monday = timezone.make_aware(datetime(2026, 11, 30, 9))
    casework.goal_check_in(goal=goal, view="not_yet", via=CheckInVia.COMPANION, now=monday)
    casework.goal_check_in(
        goal=goal, view="partly", via=CheckInVia.COMPANION, now=monday + timedelta(days=6)
    )
    casework.goal_check_in(
        goal=goal, view="achieved", via=CheckInVia.COMPANION, now=monday + timedelta(days=7)
    )
    assert list(GoalCheckIn.objects.values_list("week_starting", "view")) == [
        (monday.date() + timedelta(days=7), "achieved"),
        (monday.date(), "partly"),
    ]
    assert week_starting(monday.date() + timedelta(days=3)) == monday.date()


def test_the_trainer_sees_the_client_s_view_beside_the_goal(signed_in, goal, client_as, world):
    _answer(signed_in, goal, "partly")
    trainer = client_as(Role.HEALTH_TRAINER)
    page = trainer.get(
        reverse("casework:episode", args=[world.programme.slug, goal.episode.pk])
    ).content.decode()
    assert "own view</strong>, between sessions" in page
    assert ": partly (in their companion)" in page


def test_a_made_up_answer_or_another_client_s_goal_is_refused(signed_in, goal, world):
    _answer(signed_in, goal, "brilliant")
    assert not GoalCheckIn.objects.exists()
    other = GoalFactory(
        episode=accepted_episode(world.people[Role.HEALTH_TRAINER], world.programme)
    )
    assert _answer(signed_in, other, "achieved").status_code == 404


def test_no_check_in_after_discharge(goal):
    Discharge.objects.create(
        programme=goal.programme,
        episode=goal.episode,
        discharged_on=timezone.localdate(),
        reason="completed",
        discharged_by=goal.created_by,
    )
    with pytest.raises(ValidationError, match="discharged"):
        casework.goal_check_in(goal=goal, view="partly", via=CheckInVia.COMPANION)
