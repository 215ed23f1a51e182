"""The source's published figures as metrics, on small hand-checked data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.casework import services as casework
from healthtrainer.casework.models import FollowUp
from healthtrainer.core.period import Period
from healthtrainer.evaluation.metrics import REGISTRY, Ratio, compute
from healthtrainer.measures import services as measures
from healthtrainer.tests.factories import (
    AppointmentFactory,
    GoalFactory,
    PracticeFactory,
    ReferralFactory,
    accepted_episode,
    collect,
    past,
)

SOURCE_IDS = [
    "referral.count",
    "referral.projected",
    "referral.pct_most_deprived_quintile",
    "referral.pct_long_term_sick_or_disabled",
    "referral.pct_employed",
    "goals.pct_achieved_or_partly",
    "follow_up.pct_maintaining_strategies",
    "flow.referred",
    "flow.accepted",
    "flow.first_session",
    "flow.engaged",
    "flow.completed",
    "flow.followed_up",
    "wellbeing.n_paired",
    "wellbeing.mean_change",
]


def test_every_stable_id_is_registered_with_a_definition():
    for metric_id in SOURCE_IDS:
        assert REGISTRY[metric_id].definition


def test_an_empty_programme_gives_no_data_not_errors(world):
    figures = compute(SOURCE_IDS, world.programme, Period())
    assert figures["referral.count"] == 0
    assert figures["referral.pct_most_deprived_quintile"] == Ratio(0, 0)
    assert figures["referral.pct_most_deprived_quintile"].percentage is None
    assert figures["goals.pct_achieved_or_partly"].percentage is None
    assert figures["wellbeing.n_paired"] == 0
    assert figures["wellbeing.mean_change"] is None


def test_referral_mix_by_hand(world):
    practice = PracticeFactory(programme=world.programme)
    # Deciles 1, 2, 5 and unknown: 2 of the 3 known are national quintile 1 (66.7%).
    # Employment 04, 04, 01, ZZ: 2 of 3 stated are 04 (66.7%), 1 of 3 is 01 (33.3%).
    for decile, employment in ((1, "04"), (2, "04"), (5, "01"), (None, "ZZ")):
        ReferralFactory(practice=practice, imd_decile=decile, employment_status=employment)
    figures = compute(SOURCE_IDS, world.programme, Period())
    assert figures["referral.count"] == 4
    assert figures["referral.pct_most_deprived_quintile"] == Ratio(2, 3)
    assert figures["referral.pct_most_deprived_quintile"].percentage == Decimal("66.7")
    assert figures["referral.pct_long_term_sick_or_disabled"] == Ratio(2, 3)
    assert figures["referral.pct_employed"].percentage == Decimal("33.3")


def _discharged(world, trainer, finals, maintained):
    episode = accepted_episode(trainer, world.programme)
    for days in (9, 5):
        casework.session_record_save(
            actor=trainer,
            appointment=AppointmentFactory(episode=episode, starts_at=past(days)),
            details=casework.SessionDetails(duration_minutes=40, techniques=[], topics=[]),
        )
    goals = [GoalFactory(episode=episode, set_on=date(2026, 10, 5)) for _ in finals]
    casework.episode_discharge(
        actor=trainer,
        episode=episode,
        discharged_on=timezone.localdate(),
        reason="completed",
        final_statuses={goal.pk: final for goal, final in zip(goals, finals, strict=True)},
    )
    FollowUp.objects.filter(episode=episode).update(
        reached=True, contacted_on=timezone.localdate(), maintaining_strategies=maintained
    )
    return episode


def test_goals_strategies_and_flow_by_hand(world):
    trainer = world.people[Role.HEALTH_TRAINER]
    # Finals: achieved, partly, not, no longer relevant, not reviewed → 2 of 3 counted.
    _discharged(world, trainer, ["achieved", "partly_achieved", "not_achieved"], "yes")
    _discharged(world, trainer, ["no_longer_relevant", "not_reviewed"], "partly")
    _discharged(world, trainer, [], "")
    # One accepted with one session, one accepted with none, one not yet triaged.
    single = accepted_episode(trainer, world.programme)
    casework.session_record_save(
        actor=trainer,
        appointment=AppointmentFactory(episode=single, starts_at=past(2)),
        details=casework.SessionDetails(duration_minutes=30, techniques=[], topics=[]),
    )
    accepted_episode(trainer, world.programme)
    ReferralFactory(practice=PracticeFactory(programme=world.programme))
    figures = compute(SOURCE_IDS, world.programme, Period())
    assert figures["goals.pct_achieved_or_partly"] == Ratio(2, 3)
    # Yes, partly, and one without an answer: 1 of 2 answered.
    assert figures["follow_up.pct_maintaining_strategies"] == Ratio(1, 2)
    assert [figures[f"flow.{stage}"] for stage in ("referred", "accepted", "first_session")] == [
        6,
        5,
        4,
    ]
    assert figures["flow.engaged"] == 3
    assert figures["flow.completed"] == 3
    assert figures["flow.followed_up"] == 3


def test_wellbeing_change_on_the_headline_instrument(world):
    trainer = world.people[Role.HEALTH_TRAINER]
    phq9 = collect(world.programme, "phq9", primary=True)
    # Changes of -6 and -2: mean -4.
    for before, after in ((15, 9), (10, 8)):
        episode = accepted_episode(trainer, world.programme)
        for timepoint, total in (("baseline", before), ("exit", after)):
            measures.response_record(
                actor=trainer,
                episode=episode,
                instrument=phq9,
                timepoint=timepoint,
                completed_on=date(2026, 11, 2),
                source="trainer",
                total=total,
                safety_answer=0,
            )
    figures = compute(["wellbeing.n_paired", "wellbeing.mean_change"], world.programme, Period())
    assert figures == {"wellbeing.n_paired": 2, "wellbeing.mean_change": pytest.approx(-4.0)}


def test_the_source_figures_run_the_same_queries_for_few_and_many(world):
    trainer = world.people[Role.HEALTH_TRAINER]

    def queries_with(count):
        for _ in range(count):
            _discharged(world, trainer, ["achieved"], "yes")
        with CaptureQueriesContext(connection) as captured:
            compute(SOURCE_IDS, world.programme, Period())
        return len(captured)

    assert queries_with(1) == queries_with(6)
