"""Goals agreed in a session are added on the session form, saved with the session."""

from django.urls import reverse
from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.casework import services
from healthtrainer.casework.models import Goal, SessionRecord
from healthtrainer.core.models import AuditEvent
from healthtrainer.tests.factories import AppointmentFactory, accepted_episode, past

MANAGEMENT = {"goal-TOTAL_FORMS": "3", "goal-INITIAL_FORMS": "0"}


def session_url(world, appointment) -> str:
    return reverse("casework:session", args=[world.programme.slug, appointment.pk])


def session_post(**extra):
    return {"duration_minutes": "45", "notes": "", "next_steps": "", **MANAGEMENT, **extra}


def test_goals_typed_on_the_session_form_join_the_plan_dated_on_the_session(world, client_as):
    trainer = world.people[Role.HEALTH_TRAINER]
    episode = accepted_episode(trainer, world.programme)
    appointment = AppointmentFactory(episode=episode, starts_at=past())
    page = client_as(Role.HEALTH_TRAINER).get(session_url(world, appointment)).content.decode()
    assert "New goal 1" in page
    assert "Add another goal" in page
    response = client_as(Role.HEALTH_TRAINER).post(
        session_url(world, appointment),
        session_post(
            **{
                "goal-0-description": "Walk to the park and back",
                "goal-0-domain": "activity",
                "goal-0-confidence": "7",
                "goal-1-description": "Bed by 11pm",
                "goal-1-domain": "sleep",
                "goal-1-confidence": "5",
                "goal-1-how_often": "Every night",
            }
        ),
    )
    assert response.status_code == 302
    record = SessionRecord.objects.get(appointment=appointment)
    goals = Goal.objects.filter(episode=episode).order_by("pk")
    assert [goal.description for goal in goals] == ["Walk to the park and back", "Bed by 11pm"]
    assert all(goal.set_at_id == appointment.pk for goal in goals)
    assert record.pk
    assert AuditEvent.objects.filter(action="casework.goal.set").count() == 2


def test_a_half_filled_goal_keeps_everything_typed_and_saves_nothing(world, client_as):
    trainer = world.people[Role.HEALTH_TRAINER]
    episode = accepted_episode(trainer, world.programme)
    appointment = AppointmentFactory(episode=episode, starts_at=past())
    response = client_as(Role.HEALTH_TRAINER).post(
        session_url(world, appointment),
        session_post(
            notes="Talked about pacing",
            **{"goal-1-description": "Swim on Saturdays"},
        ),
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Choose the area of life the goal is about" in text
    assert "Swim on Saturdays" in text
    assert "Talked about pacing" in text
    assert not SessionRecord.objects.filter(appointment=appointment).exists()
    assert not Goal.objects.filter(episode=episode).exists()


def test_the_service_saves_the_session_and_its_new_goals_together(world):
    trainer = world.people[Role.HEALTH_TRAINER]
    episode = accepted_episode(trainer, world.programme)
    appointment = AppointmentFactory(episode=episode, starts_at=past())
    services.session_record_save(
        actor=trainer,
        appointment=appointment,
        details=services.SessionDetails(duration_minutes=30, techniques=[], topics=[]),
        new_goals=[services.GoalDetails("Walk to the corner shop", "activity", 6)],
    )
    goal = Goal.objects.get(episode=episode)
    assert goal.set_at_id == appointment.pk
    assert goal.set_on == timezone.localtime(appointment.starts_at).date()
