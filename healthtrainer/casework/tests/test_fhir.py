"""Goal statuses as FHIR R4 says them (domain.md: goal-achievement code system)."""

from __future__ import annotations

import pytest

from healthtrainer.casework.fhir import (
    ACHIEVEMENT_SYSTEM,
    LOCAL_GOAL_STATUS_SYSTEM,
    achievement_status,
    lifecycle_status,
)
from healthtrainer.casework.vocabulary import GoalStatus


def codes(concept):
    return [(coding["system"], coding["code"]) for coding in concept["coding"]]


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (GoalStatus.IN_PROGRESS, "in-progress"),
        (GoalStatus.ACHIEVED, "achieved"),
        (GoalStatus.NOT_ACHIEVED, "not-achieved"),
    ],
)
def test_statuses_with_an_exact_code(status, code):
    assert codes(achievement_status(status)) == [(ACHIEVEMENT_SYSTEM, code)]


def test_partly_achieved_is_improving_and_keeps_the_local_code():
    assert codes(achievement_status(GoalStatus.PARTLY_ACHIEVED)) == [
        (ACHIEVEMENT_SYSTEM, "improving"),
        (LOCAL_GOAL_STATUS_SYSTEM, "partly_achieved"),
    ]


def test_an_achieved_goal_kept_up_at_follow_up_is_sustaining():
    assert codes(achievement_status(GoalStatus.ACHIEVED, sustained="yes")) == [
        (ACHIEVEMENT_SYSTEM, "sustaining")
    ]
    assert codes(achievement_status(GoalStatus.ACHIEVED, sustained="partly")) == [
        (ACHIEVEMENT_SYSTEM, "achieved")
    ]


def test_a_goal_no_longer_relevant_is_cancelled_without_an_achievement():
    assert achievement_status(GoalStatus.NO_LONGER_RELEVANT) is None
    assert lifecycle_status(GoalStatus.NO_LONGER_RELEVANT, final=True) == "cancelled"


def test_lifecycle_follows_discharge():
    assert lifecycle_status(GoalStatus.ACHIEVED, final=False) == "active"
    assert lifecycle_status(GoalStatus.ACHIEVED, final=True) == "completed"


def test_every_status_has_a_mapping():
    for status in GoalStatus:
        achievement_status(status)


def test_a_goal_never_reviewed_has_only_the_local_code():
    assert codes(achievement_status(GoalStatus.NOT_REVIEWED)) == [
        (LOCAL_GOAL_STATUS_SYSTEM, "not_reviewed")
    ]
    assert lifecycle_status(GoalStatus.NOT_REVIEWED, final=True) == "completed"
