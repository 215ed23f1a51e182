"""Casework pages: scoping by URL, what they show, forms that keep input, and audited reads."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.casework import services
from healthtrainer.casework.models import CbTechnique, Goal, SessionRecord
from healthtrainer.core.models import AuditEvent
from healthtrainer.tests.factories import (
    AppointmentFactory,
    EscalationFactory,
    GoalFactory,
    MembershipFactory,
    accepted_episode,
    past,
)


@pytest.fixture
def trainer(world):
    return world.people[Role.HEALTH_TRAINER]


@pytest.fixture
def episode(world, trainer):
    return accepted_episode(trainer, world.programme, given_name="Rita", family_name="Own")


@pytest.fixture
def theirs(world):
    """An episode of another health trainer in the same programme."""
    other = MembershipFactory(programme=world.programme, role=Role.HEALTH_TRAINER).user
    return accepted_episode(other, world.programme, family_name="Theirs")


def url(name, world, *args):
    return reverse(f"casework:{name}", args=[world.programme.slug, *args])


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("episode", lambda episode: episode),
        ("book", lambda episode: episode),
        ("goal_new", lambda episode: episode),
        ("discharge", lambda episode: episode),
        ("escalate", lambda episode: episode),
        ("signpost", lambda episode: episode),
        ("rebook", lambda episode: AppointmentFactory(episode=episode)),
        ("session", lambda episode: AppointmentFactory(episode=episode)),
        ("attendance", lambda episode: AppointmentFactory(episode=episode)),
        ("goal_edit", lambda episode: GoalFactory(episode=episode)),
        ("goal_review", lambda episode: GoalFactory(episode=episode)),
        ("escalation", lambda episode: EscalationFactory(episode=episode)),
        ("timeline", lambda episode: episode.client),
        ("contact_preferences", lambda episode: episode.client),
    ],
)
def test_a_trainer_cannot_reach_another_trainers_client_by_url(
    world, client_as, theirs, name, make
):
    target = url(name, world, make(theirs).pk)
    assert client_as(Role.HEALTH_TRAINER).get(target).status_code == 404
    assert client_as(Role.HEALTH_TRAINER).post(target, {}).status_code == 404
    assert client_as(Role.SUPERVISOR).get(target).status_code == 200


def test_the_caseload_shows_next_appointment_goals_escalations_and_follow_ups(
    world, client_as, episode, trainer
):
    AppointmentFactory(episode=episode, starts_at=timezone.now() + timedelta(days=2))
    GoalFactory(episode=episode)
    GoalFactory(episode=episode)
    EscalationFactory(episode=episode)
    waiting = accepted_episode(trainer, world.programme, family_name="Discharged")
    services.episode_discharge(
        actor=trainer,
        episode=waiting,
        discharged_on=timezone.localdate(),
        reason="completed",
        final_statuses={},
    )
    text = client_as(Role.HEALTH_TRAINER).get(url("caseload", world)).content.decode()
    in_care, follow_ups = text.split("<h2>Follow-ups</h2>")
    assert "Rita Own" in in_care
    assert "Discharged" not in in_care
    assert "Discharged" in follow_ups
    cells = re.findall(r'numeric">.*?</span>(.*?)</td>', in_care)
    assert cells[0] == "2"
    assert 'nhsuk-tag--red">1<' in cells[1]
    assert "None booked" not in in_care


def test_the_caseload_runs_the_same_queries_for_few_and_many_clients(world, client_as, trainer):
    browser = client_as(Role.HEALTH_TRAINER)

    def queries_with(count):
        for _ in range(count):
            episode = accepted_episode(trainer, world.programme)
            AppointmentFactory(episode=episode)
            GoalFactory(episode=episode)
        with CaptureQueriesContext(connection) as captured:
            assert browser.get(url("caseload", world)).status_code == 200
        return len(captured)

    assert queries_with(2) == queries_with(20)


def test_opening_an_episode_is_an_audited_read_of_the_client(world, client_as, episode):
    client_as(Role.HEALTH_TRAINER).get(url("episode", world, episode.pk))
    event = AuditEvent.objects.order_by("id").last()
    assert event.action == "clients.client.viewed"
    assert event.object_id == str(episode.client.pk)


def test_recording_a_session_through_the_page(world, client_as, episode):
    appointment = AppointmentFactory(episode=episode, starts_at=past())
    goal = GoalFactory(episode=episode)
    technique = CbTechnique.objects.filter(programme=world.programme).first()
    response = client_as(Role.HEALTH_TRAINER).post(
        url("session", world, appointment.pk),
        {
            "duration_minutes": "40",
            "techniques": [technique.pk],
            "topics": ["sleep", "housing"],
            "gp_visits_last_3_months": "3",
            f"review_{goal.pk}": "partly_achieved",
            "notes": "",
            "next_steps": "",
        },
    )
    assert response.status_code == 302
    record = SessionRecord.objects.get(appointment=appointment)
    assert list(record.techniques.all()) == [technique]
    assert Goal.objects.get(pk=goal.pk).status == "partly_achieved"


def test_a_session_form_with_mistakes_keeps_what_was_typed(world, client_as, episode):
    appointment = AppointmentFactory(episode=episode, starts_at=past())
    response = client_as(Role.HEALTH_TRAINER).post(
        url("session", world, appointment.pk),
        {"duration_minutes": "", "topics": ["money"], "notes": "Kept this note"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Enter how long the session was, in minutes" in text
    assert "Kept this note" in text
    assert 'value="money" checked' in text


def test_a_conflicting_goal_edit_shows_what_the_other_person_saved(
    world, client_as, episode, trainer
):
    goal = GoalFactory(episode=episode, description="Walk to the park")
    opened_at = goal.version
    services.goal_update(
        actor=world.people[Role.SUPERVISOR],
        goal=goal,
        details=services.GoalDetails("Walk to the shop", "activity", 7),
        expected_version=goal.version,
    )
    response = client_as(Role.HEALTH_TRAINER).post(
        url("goal_edit", world, goal.pk),
        {
            "description": "Swim on Saturdays",
            "domain": "activity",
            "confidence": "7",
            "version": str(opened_at),
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this while you were editing" in text
    assert "Walk to the shop" in text
    assert "Swim on Saturdays" in text
    assert Goal.objects.get(pk=goal.pk).description == "Walk to the shop"
    # The form now carries the newer version: saving again is a deliberate overwrite.
    assert f'name="version" value="{opened_at + 1}"' in text


def test_the_follow_up_page_before_discharge_says_why_not(world, client_as, episode):
    browser = client_as(Role.HEALTH_TRAINER)
    response = browser.get(url("follow_up", world, episode.pk))
    assert response.status_code == 302
    page = browser.get(response.url)
    assert "before the client is discharged" in page.content.decode()


def test_text_reminders_need_a_phone_number(world, client_as, episode):
    response = client_as(Role.HEALTH_TRAINER).post(
        url("contact_preferences", world, episode.client.pk),
        {"reminders_by": "sms", "phone": "", "email": ""},
    )
    assert "Enter a mobile number for text message reminders" in response.content.decode()


def test_only_the_pain_team_acknowledges_an_escalation(world, client_as, episode):
    escalation = EscalationFactory(episode=episode)
    target = url("escalation_acknowledge", world, escalation.pk)
    assert client_as(Role.HEALTH_TRAINER).post(target).status_code == 403
    assert client_as(Role.SUPERVISOR).post(target).status_code == 302
    escalation.refresh_from_db()
    assert escalation.acknowledged_by == world.people[Role.SUPERVISOR]


def test_the_timeline_lists_the_episode_in_order(world, client_as, episode, trainer):
    appointment = AppointmentFactory(episode=episode, starts_at=past(5))
    services.session_record_save(
        actor=trainer,
        appointment=appointment,
        details=services.SessionDetails(duration_minutes=30, techniques=[], topics=[]),
    )
    services.escalation_raise(actor=trainer, episode=episode, category="other", details="x")
    text = client_as(Role.HEALTH_TRAINER).get(url("timeline", world, episode.client.pk)).content
    kinds = re.findall(r'nhsuk-tag--grey">(\w+)<', text.decode())
    assert kinds[0] == "Referral"
    assert kinds.index("Session") < kinds.index("Escalation")


def test_a_manager_adds_and_retires_a_list_entry(world, client_as):
    manager = client_as(Role.PROGRAMME_MANAGER)
    manager.post(url("lists", world), {"list": "strategies", "strategies-name": "Gardening"})
    from healthtrainer.casework.models import Strategy

    gardening = Strategy.objects.get(programme=world.programme, name="Gardening")
    manager.post(
        url("list_item_set_active", world, "strategies", gardening.pk), {"is_active": "false"}
    )
    gardening.refresh_from_db()
    assert not gardening.is_active


def test_correcting_a_session_shows_it_as_recorded_with_a_retired_approach_still_ticked(
    world, client_as, episode, trainer
):
    appointment = AppointmentFactory(episode=episode, starts_at=past())
    retired = CbTechnique.objects.filter(programme=world.programme).last()
    services.session_record_save(
        actor=trainer,
        appointment=appointment,
        details=services.SessionDetails(duration_minutes=35, techniques=[retired], topics=["mood"]),
    )
    services.programme_list_item_set_active(
        actor=world.people[Role.PROGRAMME_MANAGER], item=retired, is_active=False
    )
    other_retired = CbTechnique.objects.filter(programme=world.programme).first()
    other_retired.is_active = False
    other_retired.save()
    text = client_as(Role.HEALTH_TRAINER).get(url("session", world, appointment.pk)).content
    text = text.decode()
    assert "Correct the session" in text
    assert 'value="35"' in text
    assert f'value="{retired.pk}" checked' in text
    assert other_retired.name not in text
    assert 'name="version" value="1"' in text


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("session", lambda episode: AppointmentFactory(episode=episode, starts_at=past())),
        ("goal_review", lambda episode: GoalFactory(episode=episode)),
        ("discharge", lambda episode: episode),
        ("escalation", lambda episode: EscalationFactory(episode=episode)),
        ("contact_preferences", lambda episode: episode.client),
    ],
)
def test_pages_that_show_a_client_record_a_read(world, client_as, episode, name, make):
    target = make(episode)
    client_as(Role.HEALTH_TRAINER).get(url(name, world, target.pk))
    assert AuditEvent.objects.filter(
        action="clients.client.viewed", object_id=str(episode.client.pk)
    ).exists()


def test_a_manager_adds_a_fidelity_item_on_the_workforce_lists(world, client_as):
    from healthtrainer.workforce.models import FidelityItem

    client_as(Role.PROGRAMME_MANAGER).post(
        reverse("workforce:lists", args=[world.programme.slug]),
        {"list": "fidelity", "fidelity-name": "Homework review"},
    )
    item = FidelityItem.objects.get(programme=world.programme, name="Homework review")
    assert item.code == "homework_review"
