"""The companion's figures, on the small programme of `companion_data`, each checked
against values worked by hand there: for everyone, and in every group of each breakdown."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from healthtrainer.accounts.roles import Role
from healthtrainer.core.period import Period
from healthtrainer.evaluation.metrics import Ratio, compute
from healthtrainer.evaluation.metrics.companion import CompanionUse, companion_use
from healthtrainer.evaluation.metrics.subgroups import GroupCount
from healthtrainer.evaluation.tests.companion_data import TODAY, companion_programme

PERIOD = Period(date(2026, 9, 1), date(2026, 10, 31))
IDS = [
    "companion.uptake",
    "companion.diary_adherence",
    "companion.goal_check_ins",
    "companion.strategies_by_month",
    "companion.by_subgroup",
    "follow_up.strategy_answers_by_source",
]


@pytest.fixture
def figures(world):
    with time_machine.travel(TODAY, tick=False):
        companion_programme(world.programme, world.people[Role.HEALTH_TRAINER])
        return compute(IDS, world.programme, PERIOD)


def _groups(figures, subgroup):
    return {group.label: group.use for group in figures["companion.by_subgroup"][subgroup]}


def test_uptake_counts_those_invited_while_the_episode_was_open_and_their_recent_use(figures):
    # A, B, C and F of 6 accepted; D was never invited and E's companion closed before
    # the referral. A and C used a device since 18 November (C's companion is closed now).
    uptake = figures["companion.uptake"]
    assert uptake.invited == Ratio(4, 6)
    assert uptake.active == Ratio(2, 4)


def test_diary_adherence_counts_weeks_with_an_entry_from_invitation_to_discharge(figures):
    # A 3 of 5 weeks, C 1 of 1 and F 2 of 4 (half counts); B 1 of 3 (its entry after
    # discharge is not counted). Weeks: 3 + 1 + 1 + 2 of 5 + 3 + 1 + 4.
    diary = figures["companion.diary_adherence"]
    assert diary.clients == Ratio(3, 4)
    assert diary.weeks == Ratio(7, 13)


def test_goal_check_ins_count_clients_and_weeks_with_an_answer(figures):
    # A answered in 2 weeks (two goals in the week of 16 November count once), C in 1,
    # F in 1, B in none.
    check_ins = figures["companion.goal_check_ins"]
    assert check_ins.clients == Ratio(3, 4)
    assert check_ins.weeks == Ratio(4, 13)


def test_strategies_are_counted_by_month_after_discharge(figures):
    months = figures["companion.strategies_by_month"]
    # Month of discharge: B (partly on one) and F (yes); a month later B said no to both
    # and F yes; two months later F partly. F's answer before discharge is not counted.
    # The programme follows up after 3 months, so month 3 is listed, empty.
    assert [(month.label, month.still_using) for month in months] == [
        ("Month of discharge", Ratio(2, 2)),
        ("1 month after", Ratio(1, 2)),
        ("2 months after", Ratio(1, 1)),
        ("3 months after", Ratio(0, 0)),
    ]


def test_each_figure_by_imd_quintile(figures):
    quintiles = _groups(figures, "imd_quintile")
    assert quintiles["Quintile 1"] == CompanionUse(
        accepted=3,
        invited=3,
        active=2,
        diary_most_weeks=3,
        weeks_open=10,
        diary_weeks=6,
        goal_check_in_clients=3,
        goal_check_in_weeks=4,
        strategy_months=3,
        strategy_months_using=3,
    )
    assert quintiles["Quintile 3"] == CompanionUse(accepted=1)
    assert quintiles["Quintile 5"] == CompanionUse(
        accepted=2,
        invited=1,
        weeks_open=3,
        diary_weeks=1,
        strategy_months=2,
        strategy_months_using=1,
    )
    assert set(quintiles) == {"Quintile 1", "Quintile 3", "Quintile 5"}


def test_each_figure_by_age_band(figures):
    bands = _groups(figures, "age_band")
    assert bands["65 and over"] == CompanionUse(
        accepted=3,
        invited=2,
        active=1,
        diary_most_weeks=2,
        weeks_open=9,
        diary_weeks=5,
        goal_check_in_clients=2,
        goal_check_in_weeks=3,
        strategy_months=3,
        strategy_months_using=3,
    )
    assert bands["35 to 49"] == CompanionUse(
        accepted=3,
        invited=2,
        active=1,
        diary_most_weeks=1,
        weeks_open=4,
        diary_weeks=2,
        goal_check_in_clients=1,
        goal_check_in_weeks=1,
        strategy_months=2,
        strategy_months_using=1,
    )


def test_each_figure_by_ethnic_category(figures):
    groups = _groups(figures, "ethnic_category")
    assert groups["White: British"] == _groups(figures, "age_band")["65 and over"]
    assert groups["Black or Black British: African"] == CompanionUse(
        accepted=2,
        invited=1,
        weeks_open=3,
        diary_weeks=1,
        strategy_months=2,
        strategy_months_using=1,
    )
    assert groups["Not recorded"] == CompanionUse(
        accepted=1,
        invited=1,
        active=1,
        diary_most_weeks=1,
        weeks_open=1,
        diary_weeks=1,
        goal_check_in_clients=1,
        goal_check_in_weeks=1,
    )


def test_the_groups_add_up_to_the_figures_for_everyone(world, figures):
    with time_machine.travel(TODAY, tick=False):
        everyone = companion_use(world.programme, PERIOD)
    for found in figures["companion.by_subgroup"].values():
        assert sum((group.use for group in found), CompanionUse()) == everyone


def test_follow_up_strategy_answers_are_counted_by_source(figures):
    # B: no from the trainer, partly from B's check-in; F: yes from F's check-in. E's
    # follow-up did not reach them.
    by_source = figures["follow_up.strategy_answers_by_source"]
    assert [(source.label, list(source.answers)) for source in by_source] == [
        (
            "Asked by the trainer",
            [GroupCount("Yes", 0), GroupCount("Partly", 0), GroupCount("No", 1)],
        ),
        (
            "The client's own check-in, confirmed by the trainer",
            [GroupCount("Yes", 1), GroupCount("Partly", 1), GroupCount("No", 0)],
        ),
    ]


def test_a_programme_without_the_companion_has_nothing_to_count(world):
    figures = compute(IDS, world.programme, Period())
    assert figures["companion.uptake"].invited == Ratio(0, 0)
    assert figures["companion.by_subgroup"] == {
        "imd_quintile": [],
        "age_band": [],
        "ethnic_category": [],
    }
    assert [month.still_using for month in figures["companion.strategies_by_month"]] == [
        Ratio(0, 0)
    ] * 4
