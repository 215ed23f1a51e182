"""Training pages: who reaches what by URL, forms that refuse mistakes clearly and keep
what was typed, the summaries as shown, and query counts that do not grow with the data."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.casework.models import CbTechnique
from healthtrainer.tests.factories import MembershipFactory
from healthtrainer.workforce.models import (
    ConfidenceSurvey,
    Course,
    CourseSession,
    SatisfactionItem,
    SatisfactionResponse,
)
from healthtrainer.workforce.services import training as services
from healthtrainer.workforce.services.training import CourseDetails
from healthtrainer.workforce.vocabulary import SurveyStage


@pytest.fixture
def course(world, manager):
    return services.course_create(
        actor=manager,
        programme=world.programme,
        details=CourseDetails(title="CB skills", facilitator="Pain team", cost=Decimal("450")),
    )


def url(name, world, *args):
    return reverse(f"workforce:training_{name}", args=[world.programme.slug, *args])


def yesterday():
    return timezone.localdate() - timedelta(days=1)


def attend(course, manager, *people):
    return services.course_session_add(
        actor=manager, course=course, held_on=yesterday(), hours=Decimal("3"), attendees=people
    )


def rate(world, course, person, value=4, comments=""):
    return services.satisfaction_submit(
        actor=person,
        course=course,
        answers={
            item.pk: value
            for item in SatisfactionItem.objects.filter(programme=world.programme, is_active=True)
        },
        comments=comments,
    )


def confidence(world, person, stage, day, value):
    return services.confidence_survey_record(
        actor=person,
        programme=world.programme,
        stage=stage,
        completed_on=day,
        answers={
            technique.pk: value
            for technique in CbTechnique.objects.filter(programme=world.programme, is_active=True)
        },
    )


def new_trainer(world):
    return MembershipFactory(programme=world.programme, role=Role.HEALTH_TRAINER).user


def date_fields(name, day):
    return {f"{name}[day]": day.day, f"{name}[month]": day.month, f"{name}[year]": day.year}


# Reach --------------------------------------------------------------------------------------


def test_a_trainer_cannot_open_another_trainers_survey_answers(world, client_as, manager, course):
    other = new_trainer(world)
    attend(course, manager, other)
    response = rate(world, course, other)
    survey = confidence(world, other, SurveyStage.BEFORE_TRAINING, yesterday(), 3)
    for target in (
        url("satisfaction_response", world, response.pk),
        url("confidence_survey", world, survey.pk),
    ):
        assert client_as(Role.HEALTH_TRAINER).get(target).status_code == 404
        assert client_as(Role.SUPERVISOR).get(target).status_code == 200
        assert client_as(Role.PROGRAMME_MANAGER).get(target).status_code == 200


def test_a_trainer_opens_their_own_answers(world, client_as, manager, trainer, course):
    attend(course, manager, trainer)
    response = rate(world, course, trainer, 5, "Loved it")
    survey = confidence(world, trainer, SurveyStage.AFTER_TRAINING, yesterday(), 9)
    browser = client_as(Role.HEALTH_TRAINER)
    text = browser.get(url("satisfaction_response", world, response.pk)).content.decode()
    assert "Strongly agree (5)" in text
    assert "Loved it" in text
    text = browser.get(url("confidence_survey", world, survey.pk)).content.decode()
    assert "9 out of 10" in text


def test_another_programmes_course_answers_404(world, client_as):
    theirs = Course.objects.create(programme=world.other_programme, title="Theirs")
    assert client_as(Role.PROGRAMME_MANAGER).get(url("course", world, theirs.pk)).status_code == 404


@pytest.mark.parametrize(
    ("persona", "name", "status"),
    [
        (Role.HEALTH_TRAINER, "course_new", 403),
        (Role.HEALTH_TRAINER, "course_edit", 403),
        (Role.HEALTH_TRAINER, "session_new", 403),
        (Role.SUPERVISOR, "rate", 403),
        (Role.PROGRAMME_MANAGER, "rate", 403),
        (Role.EVALUATOR, "course", 403),
        (Role.SUPERVISOR, "course_edit", 200),
        (Role.HEALTH_TRAINER, "rate", 200),
    ],
)
def test_who_may_manage_and_who_may_rate(world, client_as, course, persona, name, status):
    args = [] if name == "course_new" else [course.pk]
    assert client_as(persona).get(url(name, world, *args)).status_code == status


# Courses and sessions ---------------------------------------------------------------------------


def test_a_manager_adds_a_course_then_a_session_with_attendance(world, client_as, trainer, manager):
    browser = client_as(Role.PROGRAMME_MANAGER)
    response = browser.post(
        url("course_new", world),
        {"title": "Pacing", "facilitator": "", "modules": "One\nTwo", "cost": "120.50"},
    )
    course = Course.objects.get(title="Pacing")
    assert response.status_code == 302
    assert response.url == url("course", world, course.pk)
    assert course.cost == Decimal("120.50")
    response = browser.post(
        url("session_new", world, course.pk),
        {**date_fields("held_on", yesterday()), "hours": "2.5", "attendees": [trainer.pk]},
    )
    assert response.status_code == 302
    session = CourseSession.objects.get(course=course)
    assert list(session.attendees.all()) == [trainer]
    text = browser.get(url("course", world, course.pk)).content.decode()
    assert trainer.full_name in text
    assert "£120.50" in text


def test_a_negative_cost_is_refused_and_what_was_typed_is_kept(world, client_as):
    response = client_as(Role.SUPERVISOR).post(
        url("course_new", world), {"title": "Pacing", "cost": "-10"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "The cost cannot be negative" in text
    assert 'value="Pacing"' in text
    assert not Course.objects.exists()


@pytest.mark.parametrize(
    ("hours", "message"),
    [("-1", "The hours must be more than 0"), ("30", "24 hours or fewer"), ("", "Enter how many")],
)
def test_bad_hours_are_refused_on_the_session_form(world, client_as, course, hours, message):
    response = client_as(Role.PROGRAMME_MANAGER).post(
        url("session_new", world, course.pk),
        {**date_fields("held_on", yesterday()), "hours": hours},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CourseSession.objects.exists()


@pytest.mark.parametrize("who", [Role.SUPERVISOR, Role.REFERRER, "outsider"])
def test_attendance_of_someone_not_a_trainer_of_the_programme_is_refused_clearly(
    world, client_as, trainer, course, who
):
    person = world.people[who]
    response = client_as(Role.PROGRAMME_MANAGER).post(
        url("session_new", world, course.pk),
        {
            **date_fields("held_on", yesterday()),
            "hours": "2",
            "attendees": [trainer.pk, person.pk],
        },
    )
    assert response.status_code == 200
    assert "Choose only health trainers of this programme" in response.content.decode()
    assert not CourseSession.objects.exists()


def test_the_session_form_offers_only_the_programmes_trainers(world, client_as, trainer, course):
    text = client_as(Role.PROGRAMME_MANAGER).get(url("session_new", world, course.pk)).content
    text = text.decode()
    assert trainer.full_name in text
    assert world.people[Role.SUPERVISOR].full_name not in text


def test_changing_a_session_records_attendance(world, client_as, trainer, manager, course):
    session = attend(course, manager)
    browser = client_as(Role.SUPERVISOR)
    target = url("session_edit", world, course.pk, session.pk)
    assert 'value="3.00"' in browser.get(target).content.decode()
    response = browser.post(
        target,
        {**date_fields("held_on", session.held_on), "hours": "3", "attendees": [trainer.pk]},
    )
    assert response.status_code == 302
    assert list(session.attendees.all()) == [trainer]


def test_a_session_of_another_course_answers_404(world, client_as, manager, course):
    other = services.course_create(
        actor=manager, programme=world.programme, details=CourseDetails(title="Other")
    )
    session = attend(other, manager)
    target = url("session_edit", world, course.pk, session.pk)
    assert client_as(Role.PROGRAMME_MANAGER).get(target).status_code == 404


# Satisfaction ---------------------------------------------------------------------------------


def test_a_trainer_who_attended_rates_the_course_once(world, client_as, trainer, manager, course):
    attend(course, manager, trainer)
    browser = client_as(Role.HEALTH_TRAINER)
    course_page = browser.get(url("course", world, course.pk)).content.decode()
    assert url("rate", world, course.pk) in course_page
    items = SatisfactionItem.objects.filter(programme=world.programme, is_active=True)
    answers = {f"item_{item.pk}": "5" for item in items} | {"comments": "Good pace"}
    response = browser.post(url("rate", world, course.pk), answers)
    assert response.status_code == 302
    assert SatisfactionResponse.objects.get().comments == "Good pace"

    again = browser.post(url("rate", world, course.pk), answers)
    assert again.status_code == 200
    assert "You have already rated this course" in again.content.decode()
    assert SatisfactionResponse.objects.count() == 1
    assert "See your answers" in browser.get(url("course", world, course.pk)).content.decode()


def test_a_trainer_who_did_not_attend_is_told_why_they_cannot_rate(world, client_as, course):
    browser = client_as(Role.HEALTH_TRAINER)
    text = browser.get(url("rate", world, course.pk)).content.decode()
    assert "once you have attended one of its sessions" in text
    assert "<form" not in text.split('id="maincontent"')[1]
    response = browser.post(url("rate", world, course.pk), {})
    assert "once you have attended one of its sessions" in response.content.decode()
    assert not SatisfactionResponse.objects.exists()


def test_a_rating_of_6_is_refused_and_the_other_answers_are_kept(
    world, client_as, trainer, manager, course
):
    attend(course, manager, trainer)
    first, *rest = SatisfactionItem.objects.filter(programme=world.programme, is_active=True)
    answers = {f"item_{first.pk}": "6"} | {f"item_{item.pk}": "2" for item in rest}
    response = client_as(Role.HEALTH_TRAINER).post(url("rate", world, course.pk), answers)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Choose one of the answers given" in text
    assert text.count('value="2" checked') == len(rest)
    assert not SatisfactionResponse.objects.exists()


def test_the_satisfaction_summary_shows_counts_means_and_comments(
    world, client_as, manager, course
):
    people = [new_trainer(world) for _ in range(2)]
    attend(course, manager, *people)
    rate(world, course, people[0], 5, "Useful")
    rate(world, course, people[1], 2, "Too long")
    text = client_as(Role.SUPERVISOR).get(url("satisfaction", world, course.pk)).content.decode()
    assert "2 trainers rated the course" in text
    assert "3.50" in text
    assert "Useful" in text
    assert "Too long" in text


def test_a_trainer_sees_only_their_own_rating_in_the_summary(
    world, client_as, trainer, manager, course
):
    other = new_trainer(world)
    attend(course, manager, trainer, other)
    rate(world, course, trainer, 5, "Mine")
    rate(world, course, other, 1, "Theirs")
    text = client_as(Role.HEALTH_TRAINER).get(url("satisfaction", world, course.pk)).content
    text = text.decode()
    assert "Your rating of the course" in text
    assert "Mine" in text
    assert "Theirs" not in text
    assert "5.00" in text
    assert "3.00" not in text


# Confidence ----------------------------------------------------------------------------------


def confidence_post(world, value="5", **overrides):
    techniques = CbTechnique.objects.filter(programme=world.programme, is_active=True)
    return {
        "stage": SurveyStage.BEFORE_TRAINING,
        **date_fields("completed_on", yesterday()),
        "course": "",
        **{f"technique_{technique.pk}": value for technique in techniques},
        **overrides,
    }


def test_a_trainer_records_their_confidence(world, client_as, trainer, course):
    response = client_as(Role.HEALTH_TRAINER).post(
        url("confidence_new", world), confidence_post(world, "7", course=str(course.pk))
    )
    survey = ConfidenceSurvey.objects.get()
    assert response.status_code == 302
    assert response.url == url("confidence_survey", world, survey.pk)
    assert (survey.trainer, survey.course) == (trainer, course)
    assert set(survey.answers.values_list("value", flat=True)) == {7}


@pytest.mark.parametrize(
    ("value", "message"),
    [("11", "from 0 to 10"), ("-1", "from 0 to 10"), ("seven", "whole number"), ("", "Enter your")],
)
def test_confidence_off_the_scale_is_refused_and_kept(world, client_as, value, message):
    first = CbTechnique.objects.filter(programme=world.programme, is_active=True).first()
    post = confidence_post(world, "4", **{f"technique_{first.pk}": value})
    response = client_as(Role.HEALTH_TRAINER).post(url("confidence_new", world), post)
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert "Enter your confidence" in text
    assert 'value="4"' in text
    assert not ConfidenceSurvey.objects.exists()


def test_another_programmes_course_cannot_be_chosen(world, client_as):
    theirs = Course.objects.create(programme=world.other_programme, title="Theirs")
    response = client_as(Role.HEALTH_TRAINER).post(
        url("confidence_new", world), confidence_post(world, course=str(theirs.pk))
    )
    assert response.status_code == 200
    assert "Choose one of this programme&#39;s courses" in response.content.decode()
    assert not ConfidenceSurvey.objects.exists()


def test_the_confidence_summary_shows_the_table_and_the_chart(world, client_as):
    for before, after in ((2, 6), (3, 5), (4, 9)):
        person = new_trainer(world)
        confidence(world, person, SurveyStage.BEFORE_TRAINING, date(2026, 1, 5), before)
        confidence(world, person, SurveyStage.AFTER_TRAINING, date(2026, 2, 5), after)
    text = client_as(Role.PROGRAMME_MANAGER).get(url("confidence", world)).content.decode()
    assert "3 trainers paired" in text
    assert "<svg" in text
    assert "Mean change in confidence" in text
    # Mean before 3.0, after 6.7, change 3.7.
    assert "3.0 (1.0)" in text
    assert "6.7 (2.1)" in text
    assert "3.7 (" in text


def test_a_fall_in_confidence_is_drawn_as_a_fall(world, client_as):
    person = new_trainer(world)
    confidence(world, person, SurveyStage.BEFORE_TRAINING, date(2026, 1, 5), 8)
    confidence(world, person, SurveyStage.AFTER_TRAINING, date(2026, 2, 5), 6)
    text = client_as(Role.SUPERVISOR).get(url("confidence", world)).content.decode()
    assert "(fall): 2" in text
    assert "-2.0 (" in text


def test_a_trainer_sees_only_their_own_confidence(world, client_as, trainer):
    other = new_trainer(world)
    confidence(world, trainer, SurveyStage.BEFORE_TRAINING, date(2026, 1, 5), 2)
    confidence(world, trainer, SurveyStage.AFTER_TRAINING, date(2026, 2, 5), 4)
    theirs = confidence(world, other, SurveyStage.BEFORE_TRAINING, date(2026, 1, 5), 0)
    text = client_as(Role.HEALTH_TRAINER).get(url("confidence", world)).content.decode()
    assert "Your confidence in CB techniques" in text
    assert "1 trainer paired" in text
    assert other.full_name not in text
    assert url("confidence_survey", world, theirs.pk) not in text
    for own in ConfidenceSurvey.objects.filter(trainer=trainer):
        assert url("confidence_survey", world, own.pk) in text


# Query counts ---------------------------------------------------------------------------------


def _queries(browser, target):
    with CaptureQueriesContext(connection) as captured:
        assert browser.get(target).status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", [Role.PROGRAMME_MANAGER, Role.HEALTH_TRAINER])
def test_the_summaries_run_the_same_queries_for_2_and_10_trainers(
    world, client_as, manager, trainer, persona
):
    course = services.course_create(
        actor=manager, programme=world.programme, details=CourseDetails(title="CB skills")
    )
    browser = client_as(persona)
    made = [trainer]

    def queries_with(count):
        while len(made) < count:
            made.append(new_trainer(world))
        for person in made:
            if ConfidenceSurvey.objects.filter(trainer=person).exists():
                continue
            attend(course, manager, person)
            rate(world, course, person, 4, f"Comment from {person.full_name}")
            confidence(world, person, SurveyStage.BEFORE_TRAINING, date(2026, 1, 5), 3)
            confidence(world, person, SurveyStage.AFTER_TRAINING, date(2026, 2, 5), 7)
        return [
            _queries(browser, url("confidence", world)),
            _queries(browser, url("satisfaction", world, course.pk)),
            _queries(browser, url("courses", world)),
            _queries(browser, url("course", world, course.pk)),
        ]

    assert queries_with(2) == queries_with(10)
