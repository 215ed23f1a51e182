"""Training services: each write and its audit event, the mistakes refused with nothing
written, who reaches which answers, and the summaries against hand-checked figures."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from healthtrainer.accounts.roles import Permission, Role
from healthtrainer.casework.models import CbTechnique
from healthtrainer.core.models import AuditEvent
from healthtrainer.tests.factories import MembershipFactory
from healthtrainer.workforce.models import (
    ConfidenceAnswer,
    ConfidenceSurvey,
    Course,
    CourseSession,
    SatisfactionAnswer,
    SatisfactionItem,
    SatisfactionResponse,
)
from healthtrainer.workforce.services import training as services
from healthtrainer.workforce.services.training import CourseDetails, SurveyRow
from healthtrainer.workforce.vocabulary import SurveyStage

TODAY = date(2026, 11, 16)
BEFORE, AFTER, LATER = (
    SurveyStage.BEFORE_TRAINING,
    SurveyStage.AFTER_TRAINING,
    SurveyStage.LATER,
)


@pytest.fixture(autouse=True)
def fixed_today():
    with time_machine.travel(date(2026, 11, 16), tick=False):
        yield


@pytest.fixture
def trainer(world):
    return world.people[Role.HEALTH_TRAINER]


@pytest.fixture
def manager(world):
    return world.people[Role.PROGRAMME_MANAGER]


@pytest.fixture
def course(world, manager):
    return services.course_create(
        actor=manager,
        programme=world.programme,
        details=CourseDetails(title="CB skills for health trainers", cost=Decimal("450")),
    )


def attended(course, manager, *trainers, held_on=date(2026, 11, 2)):
    return services.course_session_add(
        actor=manager, course=course, held_on=held_on, hours=Decimal("3.5"), attendees=trainers
    )


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def items(programme):
    return list(SatisfactionItem.objects.filter(programme=programme, is_active=True))


def techniques(programme):
    return list(CbTechnique.objects.filter(programme=programme, is_active=True))


def ratings(programme, value=4, **overrides):
    return {item.pk: value for item in items(programme)} | overrides


def confidences(programme, value=5, **overrides):
    return {technique.pk: value for technique in techniques(programme)} | overrides


def new_trainer(programme):
    return MembershipFactory(programme=programme, role=Role.HEALTH_TRAINER).user


# Courses -------------------------------------------------------------------------------------


def test_creating_and_changing_a_course_is_audited_with_the_fields_changed(world, manager, course):
    event = AuditEvent.objects.order_by("id").last()
    assert event.action == "workforce.course.created"
    assert event.object_id == str(course.pk)
    assert event.programme == world.programme

    services.course_update(
        actor=manager,
        course=course,
        details=CourseDetails(
            title="CB skills for health trainers",
            facilitator=" Pain team ",
            modules="Goal setting\n\n Pacing ",
            cost=Decimal("450.00"),
        ),
    )
    course.refresh_from_db()
    assert course.facilitator == "Pain team"
    assert course.modules == "Goal setting\nPacing"
    event = AuditEvent.objects.order_by("id").last()
    assert event.action == "workforce.course.updated"
    assert event.changed_fields == ["facilitator", "modules"]


def test_saving_a_course_unchanged_writes_no_event(manager, course):
    before = actions()
    services.course_update(
        actor=manager,
        course=course,
        details=CourseDetails(title="CB skills for health trainers", cost=Decimal("450")),
    )
    assert actions() == before


@pytest.mark.parametrize(
    ("details", "message"),
    [
        (CourseDetails(title="  "), "Enter the title"),
        (CourseDetails(title="Pacing", cost=Decimal("-1")), "cannot be negative"),
        (CourseDetails(title="Pacing", cost=Decimal("NaN")), "Enter the cost"),
    ],
)
def test_a_course_without_a_title_or_with_a_negative_cost_is_refused_and_nothing_written(
    world, manager, details, message
):
    with pytest.raises(ValidationError, match=message):
        services.course_create(actor=manager, programme=world.programme, details=details)
    assert not Course.objects.exists()
    assert actions() == []


def test_a_refused_change_leaves_the_course_as_it_was(manager, course):
    with pytest.raises(ValidationError, match="cannot be negative"):
        services.course_update(
            actor=manager, course=course, details=CourseDetails(title="New", cost=Decimal("-5"))
        )
    course.refresh_from_db()
    assert (course.title, course.cost) == ("CB skills for health trainers", Decimal("450"))
    assert actions() == ["workforce.course.created"]


# Sessions and attendance ----------------------------------------------------------------------


def test_adding_a_session_with_who_attended_is_audited(world, manager, trainer, course):
    session = attended(course, manager, trainer)
    assert list(session.attendees.all()) == [trainer]
    event = AuditEvent.objects.order_by("id").last()
    assert event.action == "workforce.course_session.added"
    assert event.object_id == str(session.pk)
    assert event.changed_fields == ["attendees", "held_on", "hours"]


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (Decimal("-2"), "more than 0"),
        (Decimal("0"), "more than 0"),
        (Decimal("24.5"), "24 hours or fewer"),
        (Decimal("1.125"), "2 decimal places"),
    ],
)
def test_hours_not_above_zero_or_too_many_are_refused_and_nothing_written(
    manager, trainer, course, hours, message
):
    with pytest.raises(ValidationError, match=message):
        services.course_session_add(
            actor=manager, course=course, held_on=TODAY, hours=hours, attendees=[trainer]
        )
    assert not CourseSession.objects.exists()
    assert actions() == ["workforce.course.created"]


@pytest.mark.parametrize(
    "who",
    [
        "supervisor",
        "trainer_of_another_programme",
        "trainer_who_left",
        "trainer_whose_account_is_closed",
    ],
)
def test_attendance_of_anyone_but_an_active_trainer_of_the_programme_is_refused(
    world, manager, trainer, course, who
):
    if who == "supervisor":
        person = world.people[Role.SUPERVISOR]
    elif who == "trainer_of_another_programme":
        person = new_trainer(world.other_programme)
    elif who == "trainer_who_left":
        membership = MembershipFactory(programme=world.programme, role=Role.HEALTH_TRAINER)
        membership.is_active = False
        membership.save()
        person = membership.user
    else:
        person = new_trainer(world.programme)
        person.is_active = False
        person.save()
    with pytest.raises(ValidationError, match=f"{person.full_name} is not"):
        services.course_session_add(
            actor=manager,
            course=course,
            held_on=TODAY,
            hours=Decimal("2"),
            attendees=[trainer, person],
        )
    assert not CourseSession.objects.exists()
    session = attended(course, manager, trainer)
    with pytest.raises(ValidationError, match="Only health trainers of this programme"):
        services.course_session_update(
            actor=manager,
            session=session,
            held_on=session.held_on,
            hours=Decimal("5"),
            attendees=[trainer, person],
        )
    session.refresh_from_db()
    assert session.hours == Decimal("3.5")
    assert list(session.attendees.all()) == [trainer]


def test_recording_attendance_later_is_audited_as_a_change_of_attendees(manager, trainer, course):
    session = attended(course, manager)
    services.course_session_update(
        actor=manager,
        session=session,
        held_on=session.held_on,
        hours=session.hours,
        attendees=[trainer],
    )
    event = AuditEvent.objects.order_by("id").last()
    assert event.action == "workforce.course_session.updated"
    assert event.changed_fields == ["attendees"]
    assert list(session.attendees.all()) == [trainer]


def test_a_trainer_who_has_left_stays_on_the_sessions_they_attended(
    world, manager, trainer, course
):
    session = attended(course, manager, trainer)
    trainer.memberships.update(is_active=False)
    services.course_session_update(
        actor=manager,
        session=session,
        held_on=session.held_on,
        hours=Decimal("4"),
        attendees=[trainer],
    )
    session.refresh_from_db()
    assert session.hours == Decimal("4")
    assert list(session.attendees.all()) == [trainer]
    assert trainer not in services.attendee_choices(world.programme)
    assert trainer in services.attendee_choices(world.programme, session)


def test_course_overviews_count_sessions_hours_and_people_trained(world, manager, trainer, course):
    other = new_trainer(world.programme)
    attended(course, manager, trainer, other, held_on=date(2026, 10, 1))
    attended(course, manager, trainer, held_on=date(2026, 10, 8))
    [overview] = services.course_overviews(Course.objects.filter(pk=course.pk))
    assert (overview.sessions, overview.hours, overview.attendees) == (2, Decimal("7.0"), 2)
    assert (overview.first_held_on, overview.last_held_on) == (date(2026, 10, 1), date(2026, 10, 8))


# Satisfaction ------------------------------------------------------------------------------------


def test_a_trainer_who_attended_rates_the_course_and_it_is_audited(world, manager, trainer, course):
    attended(course, manager, trainer)
    response = services.satisfaction_submit(
        actor=trainer, course=course, answers=ratings(world.programme, 5), comments=" Useful. "
    )
    assert response.submitted_on == TODAY
    assert response.comments == "Useful."
    assert sorted(response.answers.values_list("value", flat=True)) == [5] * 5
    event = AuditEvent.objects.order_by("id").last()
    assert event.action == "workforce.satisfaction_response.submitted"
    assert event.changed_fields == ["answers", "comments"]


def test_a_second_rating_of_the_same_course_is_refused(world, manager, trainer, course):
    attended(course, manager, trainer)
    services.satisfaction_submit(actor=trainer, course=course, answers=ratings(world.programme))
    with pytest.raises(ValidationError, match="already rated this course"):
        services.satisfaction_submit(
            actor=trainer, course=course, answers=ratings(world.programme, 1)
        )
    assert SatisfactionResponse.objects.count() == 1
    assert set(SatisfactionAnswer.objects.values_list("value", flat=True)) == {4}
    assert actions().count("workforce.satisfaction_response.submitted") == 1


@pytest.mark.parametrize(
    "situation",
    ["no_session", "session_still_to_come", "someone_else_attended", "another_course"],
)
def test_rating_a_course_not_attended_is_refused(world, manager, trainer, course, situation):
    if situation == "session_still_to_come":
        attended(course, manager, trainer, held_on=TODAY + timedelta(days=1))
    elif situation == "someone_else_attended":
        attended(course, manager, new_trainer(world.programme))
    elif situation == "another_course":
        other = services.course_create(
            actor=manager, programme=world.programme, details=CourseDetails(title="Pacing")
        )
        attended(other, manager, trainer)
    with pytest.raises(ValidationError, match="once you have attended one of its sessions"):
        services.satisfaction_submit(actor=trainer, course=course, answers=ratings(world.programme))
    assert not SatisfactionResponse.objects.exists()


def test_only_a_health_trainer_rates_a_course(world, manager, course):
    with pytest.raises(ValidationError, match="Only health trainers"):
        services.satisfaction_submit(actor=manager, course=course, answers=ratings(world.programme))
    assert not SatisfactionResponse.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda answers, first: answers | {first: 6}, "from 1 .* to 5"),
        (lambda answers, first: answers | {first: 0}, "from 1 .* to 5"),
        (lambda answers, first: answers | {first: True}, "from 1 .* to 5"),
        (lambda answers, first: answers | {first: "5"}, "from 1 .* to 5"),
        (lambda answers, first: {k: v for k, v in answers.items() if k != first}, "Answer “"),
        (lambda answers, first: answers | {10**9: 3}, "not asked about"),
    ],
    ids=["six", "zero", "bool", "text", "missing", "unknown"],
)
def test_a_rating_off_the_1_to_5_scale_or_incomplete_is_refused_and_nothing_written(
    world, manager, trainer, course, change, message
):
    attended(course, manager, trainer)
    answers = ratings(world.programme)
    with pytest.raises(ValidationError, match=message):
        services.satisfaction_submit(
            actor=trainer, course=course, answers=change(answers, next(iter(answers)))
        )
    assert not SatisfactionResponse.objects.exists()
    assert not SatisfactionAnswer.objects.exists()
    assert "workforce.satisfaction_response.submitted" not in actions()


def test_a_retired_statement_is_not_asked_and_cannot_be_answered(world, manager, trainer, course):
    attended(course, manager, trainer)
    retired = SatisfactionItem.objects.filter(programme=world.programme).first()
    answers = ratings(world.programme)
    retired.is_active = False
    retired.save()
    with pytest.raises(ValidationError, match="not asked about"):
        services.satisfaction_submit(actor=trainer, course=course, answers=answers)
    answers.pop(retired.pk)
    services.satisfaction_submit(actor=trainer, course=course, answers=answers)


def test_the_satisfaction_summary_gives_n_mean_distribution_and_comments(world, manager, course):
    people = [new_trainer(world.programme) for _ in range(3)]
    attended(course, manager, *people)
    relevant, clear, *_ = items(world.programme)
    for person, on_relevant, on_clear, comment in zip(
        people,
        (5, 4, 4),
        (2, 3, 5),
        ("Very practical.", "", "More on pacing, please."),
        strict=True,
    ):
        services.satisfaction_submit(
            actor=person,
            course=course,
            answers=ratings(world.programme, 3) | {relevant.pk: on_relevant, clear.pk: on_clear},
            comments=comment,
        )
    # Another course's ratings are not counted.
    other = services.course_create(
        actor=manager, programme=world.programme, details=CourseDetails(title="Other")
    )
    attended(other, manager, people[0])
    services.satisfaction_submit(
        actor=people[0], course=other, answers=ratings(world.programme, 1), comments="No."
    )

    summary = services.satisfaction_summary(
        programme=world.programme,
        responses=SatisfactionResponse.objects.filter(course=course),
    )
    assert summary.responses == 3
    assert summary.comments == ["Very practical.", "More on pacing, please."]
    by_item = {row.item.pk: row for row in summary.items}
    assert len(by_item) == 5
    assert by_item[relevant.pk].n == 3
    assert by_item[relevant.pk].distribution == (0, 0, 0, 2, 1)
    assert by_item[relevant.pk].mean == pytest.approx(13 / 3)
    assert by_item[relevant.pk].agree == 1.0
    assert by_item[clear.pk].distribution == (0, 1, 1, 0, 1)
    assert by_item[clear.pk].mean == pytest.approx(10 / 3)
    assert by_item[clear.pk].agree == pytest.approx(1 / 3)


def test_a_summary_with_no_ratings_has_no_mean(world, course):
    summary = services.satisfaction_summary(
        programme=world.programme, responses=SatisfactionResponse.objects.none()
    )
    assert summary.responses == 0
    assert all(row.n == 0 and row.mean is None and row.agree is None for row in summary.items)


def test_a_trainer_reaches_only_their_own_satisfaction_answers(world, manager, trainer, course):
    other = new_trainer(world.programme)
    attended(course, manager, trainer, other)
    own = services.satisfaction_submit(
        actor=trainer, course=course, answers=ratings(world.programme, 5), comments="Mine"
    )
    theirs = services.satisfaction_submit(
        actor=other, course=course, answers=ratings(world.programme, 1), comments="Theirs"
    )
    for_trainer = SatisfactionResponse.objects.visible_to(trainer, Permission.VIEW_WORKFORCE)
    assert list(for_trainer) == [own]
    summary = services.satisfaction_summary(programme=world.programme, responses=for_trainer)
    assert (summary.responses, summary.comments) == (1, ["Mine"])
    assert all(row.mean == 5 for row in summary.items)
    for_supervisor = SatisfactionResponse.objects.visible_to(
        world.people[Role.SUPERVISOR], Permission.VIEW_WORKFORCE
    )
    assert set(for_supervisor) == {own, theirs}


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
    assert services.pair_before_after(rows) == [(3, 6)]


def test_pairing_leaves_out_a_trainer_without_an_after_survey_following_the_latest_before():
    rows = [
        row(1, 7, BEFORE, 5),
        row(2, 7, AFTER, 8),
        row(3, 7, BEFORE, 10),  # a second course, not followed up yet
        row(4, 8, AFTER, 3),  # no baseline at all
        row(5, 9, BEFORE, 3),
    ]
    assert services.pair_before_after(rows) == []


def test_pairing_on_one_day_follows_the_order_recorded():
    assert services.pair_before_after([row(2, 7, AFTER, 5), row(3, 7, BEFORE, 5)]) == []
    assert services.pair_before_after([row(2, 7, BEFORE, 5), row(3, 7, AFTER, 5)]) == [(2, 3)]


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

    change = services.confidence_change(
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
    change = services.confidence_change(
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
    change = services.confidence_change(programme=programme, surveys=visible)
    assert change.trainers_paired == 1
    assert {row.summary.mean_change for row in change.techniques} == {2}
    everyone = ConfidenceSurvey.objects.visible_to(
        world.people[Role.PROGRAMME_MANAGER], Permission.VIEW_WORKFORCE
    )
    assert services.confidence_change(programme=programme, surveys=everyone).trainers_paired == 2
