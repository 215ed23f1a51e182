"""The safety rules at the end of an episode hold in the services, whatever form calls them:
an escalation waiting for acknowledgement holds a discharge back, and an early follow-up
needs a reason and counts only within the programme's rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.casework import services
from healthtrainer.casework.models import Discharge, FollowUp
from healthtrainer.core.models import AuditEvent
from healthtrainer.core.period import Period
from healthtrainer.evaluation.metrics.flow import flow_counts
from healthtrainer.tests.factories import EscalationFactory, accepted_episode


@pytest.fixture
def trainer(world):
    return world.people[Role.HEALTH_TRAINER]


@pytest.fixture
def supervisor(world):
    return world.people[Role.SUPERVISOR]


@pytest.fixture
def episode(world, trainer):
    return accepted_episode(trainer, world.programme)


def discharge(actor, episode, **extra):
    return services.episode_discharge(
        actor=actor,
        episode=episode,
        discharged_on=timezone.localdate(),
        reason="completed",
        final_statuses={},
        **extra,
    )


def test_a_trainer_cannot_discharge_while_an_escalation_waits_for_acknowledgement(episode, trainer):
    EscalationFactory(episode=episode, rule="phq9_item9", raised_by=None)
    with pytest.raises(ValidationError, match="waiting for a supervisor"):
        discharge(trainer, episode)
    with pytest.raises(ValidationError, match="waiting for a supervisor"):
        discharge(trainer, episode, escalation_override_reason="I think it is fine")
    assert not Discharge.objects.filter(episode=episode).exists()


def test_once_acknowledged_the_trainer_can_discharge(episode, trainer, supervisor):
    escalation = EscalationFactory(episode=episode)
    services.escalation_acknowledge(actor=supervisor, escalation=escalation)
    done = discharge(trainer, episode)
    assert done.escalation_override_reason == ""


def test_a_supervisor_may_override_only_with_a_reason_which_is_kept_and_audited(
    episode, supervisor
):
    EscalationFactory(episode=episode)
    with pytest.raises(ValidationError) as refused:
        discharge(supervisor, episode, escalation_override_reason="   ")
    assert "escalation_override_reason" in refused.value.message_dict
    done = discharge(
        supervisor, episode, escalation_override_reason="Seen by the GP today; safe to close."
    )
    assert done.escalation_override_reason == "Seen by the GP today; safe to close."
    assert AuditEvent.objects.filter(
        action="casework.discharge.escalation_overridden", object_id=str(done.pk)
    ).exists()


def test_a_resolved_or_acknowledged_escalation_does_not_hold_the_discharge(
    episode, trainer, supervisor
):
    escalation = EscalationFactory(episode=episode)
    services.escalation_acknowledge(actor=supervisor, escalation=escalation)
    services.escalation_resolve(actor=supervisor, escalation=escalation, resolution="Called GP")
    discharge(trainer, episode)


def test_the_discharge_page_names_the_escalation_and_offers_the_override_to_a_supervisor_only(
    world, episode, client_as
):
    EscalationFactory(episode=episode)
    url = reverse("casework:discharge", args=[world.programme.slug, episode.pk])
    as_trainer = client_as(Role.HEALTH_TRAINER).get(url).content.decode()
    assert "1 escalation not yet acknowledged" in as_trainer
    assert "must acknowledge it before" in as_trainer
    assert "escalation_override_reason" not in as_trainer
    as_supervisor = client_as(Role.SUPERVISOR).get(url)
    assert as_supervisor.status_code == 200
    assert "escalation_override_reason" in as_supervisor.content.decode()


def _discharged(trainer, episode, days_ago: int) -> FollowUp:
    services.episode_discharge(
        actor=trainer,
        episode=episode,
        discharged_on=timezone.localdate() - timedelta(days=days_ago),
        reason="completed",
        final_statuses={},
    )
    return FollowUp.objects.get(episode=episode)


def test_a_follow_up_before_its_due_date_needs_a_reason(episode, trainer):
    follow_up = _discharged(trainer, episode, days_ago=30)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.follow_up_record(
            actor=trainer,
            follow_up=follow_up,
            answers=services.FollowUpAnswers(contacted_on=today, reached=False),
        )
    assert "early_reason" in refused.value.message_dict
    recorded = services.follow_up_record(
        actor=trainer,
        follow_up=follow_up,
        answers=services.FollowUpAnswers(
            contacted_on=today, reached=False, early_reason="Moving out of the area next week"
        ),
    )
    assert recorded.days_early == (follow_up.due_on - today).days
    assert recorded.early_reason == "Moving out of the area next week"


def test_a_follow_up_on_time_needs_no_reason(episode, trainer):
    follow_up = _discharged(trainer, episode, days_ago=0)
    with time_machine.travel(follow_up.due_on + timedelta(days=3), tick=False):
        recorded = services.follow_up_record(
            actor=trainer,
            follow_up=follow_up,
            answers=services.FollowUpAnswers(contacted_on=timezone.localdate(), reached=False),
        )
    assert recorded.days_early == 0


def _reach(trainer, follow_up: FollowUp, on: date) -> None:
    services.follow_up_record(
        actor=trainer,
        follow_up=follow_up,
        answers=services.FollowUpAnswers(
            contacted_on=on,
            reached=True,
            strategies_maintained={},
            goals_sustained={},
            early_reason="Client asked to be called before a hospital stay",
        ),
    )


def test_the_evaluation_counts_an_early_follow_up_only_within_the_programmes_rule(
    world, episode, trainer
):
    follow_up = _discharged(trainer, episode, days_ago=0)
    days_early = 10
    with time_machine.travel(follow_up.due_on - timedelta(days=days_early), tick=False):
        _reach(trainer, follow_up, timezone.localdate())
    everything = Period()
    world.programme.early_follow_up_days = days_early - 1
    world.programme.save()
    assert flow_counts(world.programme, everything).followed_up == 0
    world.programme.early_follow_up_days = days_early
    world.programme.save()
    assert flow_counts(world.programme, everything).followed_up == 1
