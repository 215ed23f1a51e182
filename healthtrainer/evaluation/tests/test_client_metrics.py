"""Client-outcome metrics and their equity breakdowns, on small hand-checked data."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.casework import services as casework
from healthtrainer.casework.models import FollowUp, Goal
from healthtrainer.core.period import Period
from healthtrainer.evaluation.metrics import REGISTRY, Ratio, compute
from healthtrainer.evaluation.metrics.subgroups import GroupCount, GroupRatio
from healthtrainer.tests.factories import (
    AppointmentFactory,
    PracticeFactory,
    ReferralFactory,
    accepted_episode,
    past,
)


def _labels(groups):
    return {group.label: group.count for group in groups}


def test_every_metric_copes_with_an_empty_programme(world):
    figures = compute(list(REGISTRY), world.programme, Period())
    assert figures["referral.profile"]["sex"] == []
    assert figures["follow_up.gp_visits_before_after"].mean_before is None
    assert figures["sessions.pct_naming_a_technique"] == Ratio(0, 0)
    assert figures["equity.engaged"]["imd_quintile"] == []
    assert figures["wellbeing.summary"].overall.n == 0


def test_age_bands_are_whole_years_at_referral_worked_out_in_the_database(world):
    practice = PracticeFactory(programme=world.programme)
    received = date(2011, 5, 3)
    # 34 on the day before the 35th birthday, 35 on the day itself; 17, and 65.
    for born in (date(1976, 5, 4), date(1976, 5, 3), date(1993, 5, 4), date(1946, 5, 3)):
        ReferralFactory(practice=practice, received_date=received, date_of_birth=born)
    profile = compute(["referral.profile"], world.programme, Period())["referral.profile"]
    assert _labels(profile["age_band"]) == {
        "18 to 34": 1,
        "35 to 49": 1,
        "65 and over": 1,
        "Under 18": 1,
    }


def test_who_was_referred_by_each_subgroup(world):
    practice = PracticeFactory(programme=world.programme)
    for decile, employment, ethnic, sex in (
        (1, "04", "A", "female"),
        (2, "01", "A", "male"),
        (7, "04", "", "female"),
        (None, "", "N", "female"),
    ):
        ReferralFactory(
            practice=practice,
            imd_decile=decile,
            employment_status=employment,
            ethnic_category=ethnic,
            sex=sex,
        )
    profile = compute(["referral.profile"], world.programme, Period())["referral.profile"]
    assert profile["imd_quintile"] == [
        GroupCount("Quintile 1", 2),
        GroupCount("Quintile 4", 1),
        GroupCount("Not known", 1),
    ]
    assert _labels(profile["employment_status"]) == {
        "Employed": 1,
        "Long-term sick or disabled": 2,
        "Not recorded": 1,
    }
    assert _labels(profile["ethnic_category"])["White: British"] == 2
    assert _labels(profile["sex"]) == {"Female": 3, "Male": 1}


def test_goals_and_follow_up_answers_are_counted_by_status(world):
    trainer = world.people[Role.HEALTH_TRAINER]
    episode = accepted_episode(trainer, world.programme)
    for final in ("achieved", "achieved", "not_reviewed", ""):
        Goal.objects.create(
            programme=world.programme,
            episode=episode,
            description="Walk",
            confidence=5,
            domain="activity",
            set_on=date(2026, 10, 10),
            created_by=trainer,
            final_status=final,
        )
    FollowUp.objects.create(
        programme=world.programme,
        episode=episode,
        due_on=date(2026, 11, 1),
        reached=True,
        maintaining_strategies="partly",
    )
    figures = compute(["goals.by_final_status", "follow_up.by_answer"], world.programme, Period())
    goals = _labels(figures["goals.by_final_status"])
    assert goals["Achieved"] == 2
    assert goals["Not reviewed"] == 1
    assert goals["Still open"] == 1
    assert goals["Not achieved"] == 0
    assert _labels(figures["follow_up.by_answer"]) == {
        "Yes": 0,
        "Partly": 1,
        "No": 0,
        "Not answered": 0,
    }


def _session(trainer, episode, days, gp_visits=None):
    casework.session_record_save(
        actor=trainer,
        appointment=AppointmentFactory(episode=episode, starts_at=past(days)),
        details=casework.SessionDetails(
            duration_minutes=30, techniques=[], topics=[], gp_visits_last_3_months=gp_visits
        ),
    )


def test_gp_visits_pair_the_first_answer_with_the_follow_up(world):
    trainer = world.people[Role.HEALTH_TRAINER]
    # Before 4 (the first answer, not the later 9), after 1; another before 2, after 3.
    # A third has no follow-up answer and is left out.
    for first, later, after in ((4, 9, 1), (2, None, 3), (6, None, None)):
        episode = accepted_episode(trainer, world.programme)
        _session(trainer, episode, 20, first)
        _session(trainer, episode, 10, later)
        FollowUp.objects.create(
            programme=world.programme,
            episode=episode,
            due_on=date(2026, 11, 1),
            reached=True,
            gp_visits_last_3_months=after,
        )
    visits = compute(["follow_up.gp_visits_before_after"], world.programme, Period())[
        "follow_up.gp_visits_before_after"
    ]
    assert (visits.n_paired, visits.before_total, visits.after_total) == (2, 6, 4)
    assert visits.mean_before == pytest.approx(3.0)
    assert visits.mean_after == pytest.approx(2.0)


def test_equity_breaks_each_outcome_down_by_subgroup(world):
    trainer = world.people[Role.HEALTH_TRAINER]
    # Two from quintile 1: one engaged (2 sessions), one with 1 session. One from quintile 5,
    # engaged and completed.
    plans = ((1, 2, False), (2, 1, False), (10, 2, True))
    for decile, sessions, completes in plans:
        episode = accepted_episode(trainer, world.programme)
        episode.imd_decile = decile
        episode.save(update_fields=["imd_decile"])
        for days in range(sessions):
            _session(trainer, episode, 10 - days)
        if completes:
            casework.episode_discharge(
                actor=trainer,
                episode=episode,
                discharged_on=timezone.localdate(),
                reason="completed",
                final_statuses={},
            )
    figures = compute(["equity.engaged", "equity.completed"], world.programme, Period())
    assert figures["equity.engaged"]["imd_quintile"] == [
        GroupRatio("Quintile 1", Ratio(1, 2)),
        GroupRatio("Quintile 5", Ratio(1, 1)),
    ]
    assert figures["equity.completed"]["imd_quintile"] == [
        GroupRatio("Quintile 1", Ratio(0, 2)),
        GroupRatio("Quintile 5", Ratio(1, 1)),
    ]
    assert figures["equity.engaged"]["sex"] == [GroupRatio("Female", Ratio(2, 3))]


def test_the_outcome_metrics_run_the_same_queries_for_few_and_many(world):
    trainer = world.people[Role.HEALTH_TRAINER]
    ids = [metric_id for metric_id in REGISTRY if not metric_id.startswith(("cost.", "referral."))]

    def queries_with(count):
        for index in range(count):
            episode = accepted_episode(trainer, world.programme)
            episode.imd_decile = index % 10 + 1
            episode.save(update_fields=["imd_decile"])
            _session(trainer, episode, 5, gp_visits=index % 4)
        with CaptureQueriesContext(connection) as captured:
            compute(ids, world.programme, Period())
        return len(captured)

    assert queries_with(2) == queries_with(12)


def test_gp_visits_are_broken_down_by_subgroup(world):
    trainer = world.people[Role.HEALTH_TRAINER]
    for sex, before, after in (("female", 4, 1), ("female", 2, 1), ("male", 6, 6)):
        episode = accepted_episode(trainer, world.programme)
        episode.sex = sex
        episode.save(update_fields=["sex"])
        _session(trainer, episode, 20, before)
        FollowUp.objects.create(
            programme=world.programme,
            episode=episode,
            due_on=date(2026, 11, 1),
            reached=True,
            gp_visits_last_3_months=after,
        )
    by_sex = compute(["equity.gp_visits"], world.programme, Period())["equity.gp_visits"]["sex"]
    assert [(group.label, group.visits.n_paired) for group in by_sex] == [
        ("Female", 2),
        ("Male", 1),
    ]
    assert by_sex[0].visits.mean_before == pytest.approx(3.0)
    assert by_sex[1].visits.mean_after == pytest.approx(6.0)
