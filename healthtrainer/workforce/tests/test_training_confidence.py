"""Training services for trainers' confidence in each CB technique: recording it, the
mistakes refused with nothing written, pairing surveys before and after training, and the
change per technique against hand-checked figures."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from healthtrainer.accounts.roles import Permission, Role
from healthtrainer.casework.models import CbTechnique
from healthtrainer.core.models import AuditEvent
from healthtrainer.workforce import queries
from healthtrainer.workforce.models import (
    ConfidenceAnswer,
    ConfidenceSurvey,
    Course,
)
from healthtrainer.workforce.queries import SurveyRow
from healthtrainer.workforce.services import training as services
from healthtrainer.workforce.tests.training_helpers import (
    AFTER,
    BEFORE,
    LATER,
    TODAY,
    actions,
    confidences,
    new_trainer,
    techniques,
)

pytestmark = pytest.mark.usefixtures("fixed_today")


# Confidence -------------------------------------------------------------------------------------


def test_recording_confidence_is_audited(world, trainer, course):
    survey = services.confidence_survey_record(
        actor=trainer,
        programme=world.programme,
        stage=BEFORE,
        completed_on=TODAY,
        course=course,
        answers=confidences(world.programme, 3),
    )
    assert survey.trainer == trainer
    assert survey.answers.count() == len(techniques(world.programme))
    event = AuditEvent.objects.order_by("id").last()
    assert event.action == "workforce.confidence_survey.recorded"
    assert event.object_id == str(survey.pk)
    assert event.changed_fields == ["answers", "completed_on", "course", "stage"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda answers, first: answers | {first: 11}, "from 0 to 10"),
        (lambda answers, first: answers | {first: -1}, "from 0 to 10"),
        (lambda answers, first: answers | {first: 7.5}, "from 0 to 10"),
        (lambda answers, first: answers | {first: False}, "from 0 to 10"),
        (lambda answers, first: {k: v for k, v in answers.items() if k != first}, "Answer “"),
        (lambda answers, first: answers | {10**9: 3}, "not asked about"),
    ],
    ids=["eleven", "negative", "fraction", "bool", "missing", "unknown"],
)
def test_confidence_off_the_0_to_10_scale_or_incomplete_is_refused_and_nothing_written(
    world, trainer, change, message
):
    answers = confidences(world.programme)
    with pytest.raises(ValidationError, match=message):
        services.confidence_survey_record(
            actor=trainer,
            programme=world.programme,
            stage=BEFORE,
            completed_on=TODAY,
            answers=change(answers, next(iter(answers))),
        )
    assert not ConfidenceSurvey.objects.exists()
    assert not ConfidenceAnswer.objects.exists()
    assert actions() == []


def test_a_technique_of_another_programme_cannot_be_rated(world, trainer):
    theirs = CbTechnique.objects.filter(programme=world.other_programme).first()
    with pytest.raises(ValidationError, match="not asked about"):
        services.confidence_survey_record(
            actor=trainer,
            programme=world.programme,
            stage=BEFORE,
            completed_on=TODAY,
            answers=confidences(world.programme) | {theirs.pk: 5},
        )
    assert not ConfidenceSurvey.objects.exists()


@pytest.mark.parametrize("situation", ["future", "unknown_stage", "other_course", "not_trainer"])
def test_a_confidence_survey_that_breaks_a_rule_is_refused(world, trainer, manager, situation):
    values = {"actor": trainer, "stage": BEFORE, "completed_on": TODAY, "course": None}
    message = {
        "future": "today or in the past",
        "unknown_stage": "Choose when",
        "other_course": "course of this programme",
        "not_trainer": "Only a health trainer",
    }[situation]
    if situation == "future":
        values["completed_on"] = TODAY + timedelta(days=1)
    elif situation == "unknown_stage":
        values["stage"] = "during"
    elif situation == "other_course":
        values["course"] = Course.objects.create(programme=world.other_programme, title="Theirs")
    else:
        values["actor"] = manager
    with pytest.raises(ValidationError, match=message):
        services.confidence_survey_record(
            programme=world.programme, answers=confidences(world.programme), **values
        )
    assert not ConfidenceSurvey.objects.exists()


def row(survey_id, trainer_id, stage, day):
    return SurveyRow(survey_id, trainer_id, stage, date(2026, 1, day))


def test_pairing_takes_the_latest_before_and_the_first_after_that_follows_it():
    rows = [
        row(1, 7, BEFORE, 5),
        row(2, 7, AFTER, 8),  # follows only the older baseline
        row(3, 7, BEFORE, 10),
        row(4, 7, LATER, 12),
        row(5, 7, AFTER, 20),
        row(6, 7, AFTER, 15),
    ]
    assert queries.pair_before_after(rows) == [(3, 6)]


def test_pairing_leaves_out_a_trainer_without_an_after_survey_following_the_latest_before():
    rows = [
        row(1, 7, BEFORE, 5),
        row(2, 7, AFTER, 8),
        row(3, 7, BEFORE, 10),  # a second course, not followed up yet
        row(4, 8, AFTER, 3),  # no baseline at all
        row(5, 9, BEFORE, 3),
    ]
    assert queries.pair_before_after(rows) == []


def test_pairing_on_one_day_follows_the_order_recorded():
    assert queries.pair_before_after([row(2, 7, AFTER, 5), row(3, 7, BEFORE, 5)]) == []
    assert queries.pair_before_after([row(2, 7, BEFORE, 5), row(3, 7, AFTER, 5)]) == [(2, 3)]


def survey(programme, trainer, stage, day, answers):
    return services.confidence_survey_record(
        actor=trainer, programme=programme, stage=stage, completed_on=day, answers=answers
    )


def test_confidence_change_per_technique_matches_hand_checked_values(world):
    programme = world.programme
    first, second, *_ = techniques(programme)
    people = [new_trainer(programme) for _ in range(3)]
    # (before, after) on the first technique for each trainer; the second is 5 then 5.
    for person, (before, after) in zip(people, [(3, 6), (4, 6), (5, 8)], strict=True):
        # An older baseline, which the latest one replaces.
        survey(programme, person, BEFORE, date(2026, 1, 2), confidences(programme, 0))
        survey(
            programme,
            person,
            BEFORE,
            date(2026, 2, 1),
            confidences(programme, 5) | {first.pk: before},
        )
        survey(
            programme,
            person,
            AFTER,
            date(2026, 3, 1),
            confidences(programme, 5) | {first.pk: after},
        )
        # A later after-training survey and a later-stage survey are not the pair.
        survey(programme, person, AFTER, date(2026, 4, 1), confidences(programme, 10))
        survey(programme, person, LATER, date(2026, 5, 1), confidences(programme, 10))
    # Only a baseline: not paired.
    survey(programme, new_trainer(programme), BEFORE, date(2026, 2, 1), confidences(programme, 0))
    # Another programme's surveys are not read even if passed the whole table.
    outsider = new_trainer(world.other_programme)
    survey(
        world.other_programme,
        outsider,
        BEFORE,
        date(2026, 2, 1),
        confidences(world.other_programme, 0),
    )
    survey(
        world.other_programme,
        outsider,
        AFTER,
        date(2026, 3, 1),
        confidences(world.other_programme, 10),
    )

    change = queries.confidence_change(
        programme=programme, surveys=ConfidenceSurvey.objects.for_programme(programme)
    )
    assert change.trainers_paired == 3
    by_technique = {row.technique.pk: row.summary for row in change.techniques}
    assert set(by_technique) == {technique.pk for technique in techniques(programme)}

    s = by_technique[first.pk]
    # Changes 3, 2, 3: mean 8/3; SD sqrt(1/3); standard error 1/3; t = 8 on 2 df.
    assert s.n == 3
    assert s.mean_before == pytest.approx(4)
    assert s.mean_after == pytest.approx(20 / 3)
    assert s.mean_change == pytest.approx(8 / 3)
    assert s.sd_change == pytest.approx(math.sqrt(1 / 3))
    assert s.cohens_dz == pytest.approx((8 / 3) / math.sqrt(1 / 3))
    assert s.t_statistic == pytest.approx(8)
    # On 2 df the t distribution has a closed form: two-sided p = 1 - t / sqrt(2 + t²).
    assert s.p_t == pytest.approx(1 - 8 / math.sqrt(66))
    # t(0.975, 2) = 4.302653 (printed tables).
    margin = 4.302653 / 3
    assert s.ci_low == pytest.approx(8 / 3 - margin, abs=1e-5)
    assert s.ci_high == pytest.approx(8 / 3 + margin, abs=1e-5)
    # Three positive changes with a tie: the smallest two-sided p is 2/8 = 0.25.
    assert s.p_wilcoxon == pytest.approx(0.25)

    unchanged = by_technique[second.pk]
    assert (unchanged.n, unchanged.mean_change, unchanged.p_t) == (3, 0, None)


def test_a_technique_added_after_the_baseline_has_no_pairs(world):
    programme = world.programme
    person = new_trainer(programme)
    survey(programme, person, BEFORE, date(2026, 2, 1), confidences(programme, 2))
    added = CbTechnique.objects.create(programme=programme, code="new", name="New", position=99)
    survey(programme, person, AFTER, date(2026, 3, 1), confidences(programme, 6))
    change = queries.confidence_change(
        programme=programme, surveys=ConfidenceSurvey.objects.for_programme(programme)
    )
    by_technique = {row.technique.pk: row.summary for row in change.techniques}
    assert by_technique[added.pk].n == 0
    assert by_technique[added.pk].mean_change is None
    assert {summary.mean_change for pk, summary in by_technique.items() if pk != added.pk} == {4}


def test_a_trainer_reaches_only_their_own_confidence_surveys(world, trainer):
    programme = world.programme
    other = new_trainer(programme)
    own = survey(programme, trainer, BEFORE, date(2026, 2, 1), confidences(programme, 2))
    survey(programme, trainer, AFTER, date(2026, 3, 1), confidences(programme, 4))
    theirs = survey(programme, other, BEFORE, date(2026, 2, 1), confidences(programme, 0))
    survey(programme, other, AFTER, date(2026, 3, 1), confidences(programme, 10))
    visible = ConfidenceSurvey.objects.visible_to(trainer, Permission.VIEW_WORKFORCE)
    assert own in visible
    assert theirs not in visible
    change = queries.confidence_change(programme=programme, surveys=visible)
    assert change.trainers_paired == 1
    assert {row.summary.mean_change for row in change.techniques} == {2}
    everyone = ConfidenceSurvey.objects.visible_to(
        world.people[Role.PROGRAMME_MANAGER], Permission.VIEW_WORKFORCE
    )
    assert queries.confidence_change(programme=programme, surveys=everyone).trainers_paired == 2
