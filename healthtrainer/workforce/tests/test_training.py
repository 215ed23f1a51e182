"""Training services for courses and their satisfaction ratings: each write and its audit
event, the mistakes refused with nothing written, who reaches which answers, and the
summaries against hand-checked figures."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from healthtrainer.accounts.roles import Permission, Role
from healthtrainer.core.models import AuditEvent
from healthtrainer.tests.factories import MembershipFactory
from healthtrainer.workforce import queries
from healthtrainer.workforce.models import (
    Course,
    CourseSession,
    SatisfactionAnswer,
    SatisfactionItem,
    SatisfactionResponse,
)
from healthtrainer.workforce.services import training as services
from healthtrainer.workforce.services.training import CourseDetails
from healthtrainer.workforce.tests.training_helpers import (
    TODAY,
    actions,
    attended,
    items,
    new_trainer,
    ratings,
)

pytestmark = pytest.mark.usefixtures("fixed_today")


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
    assert trainer not in queries.attendee_choices(world.programme)
    assert trainer in queries.attendee_choices(world.programme, session)


def test_course_overviews_count_sessions_hours_and_people_trained(world, manager, trainer, course):
    other = new_trainer(world.programme)
    attended(course, manager, trainer, other, held_on=date(2026, 10, 1))
    attended(course, manager, trainer, held_on=date(2026, 10, 8))
    [overview] = queries.course_overviews(Course.objects.filter(pk=course.pk))
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

    summary = queries.satisfaction_summary(
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
    summary = queries.satisfaction_summary(
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
    summary = queries.satisfaction_summary(programme=world.programme, responses=for_trainer)
    assert (summary.responses, summary.comments) == (1, ["Mine"])
    assert all(row.mean == 5 for row in summary.items)
    for_supervisor = SatisfactionResponse.objects.visible_to(
        world.people[Role.SUPERVISOR], Permission.VIEW_WORKFORCE
    )
    assert set(for_supervisor) == {own, theirs}
