import itertools
from datetime import date

import pytest

from healthtrainer.referrals.eligibility import age_on, ineligibility_reasons
from healthtrainer.referrals.triage import (
    OPEN,
    TRANSITIONS,
    IllegalTransition,
    Status,
    check_transition,
)

LEGAL = {
    (Status.RECEIVED, Status.CONTACT_ATTEMPTED),
    (Status.RECEIVED, Status.ACCEPTED),
    (Status.RECEIVED, Status.DECLINED),
    (Status.RECEIVED, Status.UNABLE_TO_CONTACT),
    (Status.RECEIVED, Status.NOT_ELIGIBLE),
    (Status.RECEIVED, Status.WITHDRAWN),
    (Status.CONTACT_ATTEMPTED, Status.CONTACT_ATTEMPTED),
    (Status.CONTACT_ATTEMPTED, Status.ACCEPTED),
    (Status.CONTACT_ATTEMPTED, Status.DECLINED),
    (Status.CONTACT_ATTEMPTED, Status.UNABLE_TO_CONTACT),
    (Status.CONTACT_ATTEMPTED, Status.NOT_ELIGIBLE),
    (Status.CONTACT_ATTEMPTED, Status.WITHDRAWN),
}


@pytest.mark.parametrize(("current", "target"), sorted(LEGAL))
def test_legal_transitions_are_allowed(current, target):
    check_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    sorted(set(itertools.product(Status.values, Status.values)) - LEGAL),
)
def test_every_other_transition_is_refused_with_a_message(current, target):
    with pytest.raises(IllegalTransition, match="cannot become"):
        check_transition(current, target)


def test_only_received_and_contact_attempted_are_open():
    assert {Status.RECEIVED, Status.CONTACT_ATTEMPTED} == OPEN
    assert set(TRANSITIONS) == set(Status.values)


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2000, 3, 15), date(2018, 3, 14), 17),
        (date(2000, 3, 15), date(2018, 3, 15), 18),
        (date(2000, 2, 29), date(2018, 2, 28), 17),
        (date(2000, 2, 29), date(2018, 3, 1), 18),
    ],
)
def test_age_counts_from_the_birthday(born, on, age):
    assert age_on(born, on) == age


def test_a_referral_meeting_both_criteria_is_eligible():
    assert not ineligibility_reasons(
        date_of_birth=date(1970, 1, 1),
        pain_duration_months=12,
        received_date=date(2026, 1, 1),
        minimum_age=18,
        minimum_pain_duration_months=12,
    )


def test_each_unmet_criterion_gives_its_reason():
    reasons = ineligibility_reasons(
        date_of_birth=date(2010, 1, 1),
        pain_duration_months=6,
        received_date=date(2026, 1, 1),
        minimum_age=18,
        minimum_pain_duration_months=12,
    )
    assert len(reasons) == 2
    assert "Aged 16" in reasons[0]
    assert "Pain for 6 months" in reasons[1]
