"""Training: courses, their sessions and who attended, and the two surveys trainers
complete (satisfaction with a course, confidence to use each CB technique). What is read
from them is in `workforce/queries.py`.

Each write runs in one transaction and writes one audit event. A broken rule raises
ValidationError with a message the form shows as it is; nothing is written then.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from healthtrainer.accounts.models import User
from healthtrainer.accounts.roles import Role
from healthtrainer.casework.models import CbTechnique
from healthtrainer.core.audit import audit_record
from healthtrainer.programmes.models import Programme
from healthtrainer.workforce.models import (
    ConfidenceAnswer,
    ConfidenceSurvey,
    Course,
    CourseSession,
    SatisfactionAnswer,
    SatisfactionItem,
    SatisfactionResponse,
)
from healthtrainer.workforce.vocabulary import LIKERT, SurveyStage

LIKERT_VALUES = tuple(value for value, _ in LIKERT)
CONFIDENCE_MIN, CONFIDENCE_MAX = 0, 10
# One session is held on one day.
MAX_SESSION_HOURS = Decimal("24")


def _is_whole_number(value: object) -> bool:
    # bool is an int to Python, but True is not a rating.
    return isinstance(value, int) and not isinstance(value, bool)


def _require_trainer(actor: User, programme: Programme, doing: str) -> None:
    if actor.role_in(programme.pk) != Role.HEALTH_TRAINER:
        raise ValidationError(f"Only a health trainer of this programme can {doing}.")


# Courses ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseDetails:
    title: str
    facilitator: str = ""
    modules: str = ""
    cost: Decimal = Decimal("0")

    def cleaned(self) -> dict[str, Any]:
        """The values as stored, with every rule the course must meet checked first."""
        title = self.title.strip()
        if not title:
            raise ValidationError({"title": "Enter the title of the course."})
        if not isinstance(self.cost, Decimal) or not self.cost.is_finite():
            raise ValidationError({"cost": "Enter the cost in pounds, like 450.00."})
        if self.cost < 0:
            raise ValidationError({"cost": "The cost cannot be negative."})
        modules = "\n".join(line.strip() for line in self.modules.splitlines() if line.strip())
        return {
            "title": title,
            "facilitator": self.facilitator.strip(),
            "modules": modules,
            "cost": self.cost,
        }


@transaction.atomic
def course_create(*, actor: User, programme: Programme, details: CourseDetails) -> Course:
    values = details.cleaned()
    course = Course(programme=programme, **values)
    course.full_clean()
    course.save()
    audit_record(
        actor=actor,
        action="workforce.course.created",
        target=course,
        programme=programme,
        changed_fields=list(values),
    )
    return course


@transaction.atomic
def course_update(*, actor: User, course: Course, details: CourseDetails) -> Course:
    values = details.cleaned()
    course = Course.objects.select_for_update().get(pk=course.pk)
    changed = [name for name, value in values.items() if getattr(course, name) != value]
    if not changed:
        return course
    for name in changed:
        setattr(course, name, values[name])
    course.full_clean()
    course.save(update_fields=changed)
    audit_record(
        actor=actor,
        action="workforce.course.updated",
        target=course,
        programme=course.programme,
        changed_fields=changed,
    )
    return course


# Sessions and attendance -------------------------------------------------------------------


def _check_session(
    programme: Programme,
    hours: Decimal,
    attendees: Collection[User],
    already_attended: Collection[int] = (),
) -> None:
    if not isinstance(hours, Decimal) or not hours.is_finite():
        raise ValidationError({"hours": "Enter the hours as a number, like 3.5."})
    if hours <= 0:
        raise ValidationError({"hours": "The hours must be more than 0."})
    if hours > MAX_SESSION_HOURS:
        raise ValidationError({"hours": "A session lasts 24 hours or fewer."})
    if hours != hours.quantize(Decimal("0.01")):
        raise ValidationError({"hours": "Give the hours to 2 decimal places at most."})
    # Someone who has since left stays on the sessions they did attend.
    allowed = set(User.objects.trainers_of(programme).values_list("pk", flat=True))
    allowed |= set(already_attended)
    refused = sorted(str(person) for person in attendees if person.pk not in allowed)
    if refused:
        raise ValidationError(
            {
                "attendees": "Only health trainers of this programme can attend its training, "
                f"and {', '.join(refused)} {'is' if len(refused) == 1 else 'are'} not."
            }
        )


@transaction.atomic
def course_session_add(
    *,
    actor: User,
    course: Course,
    held_on: date,
    hours: Decimal,
    attendees: Collection[User] = (),
) -> CourseSession:
    _check_session(course.programme, hours, attendees)
    session = CourseSession.objects.create(course=course, held_on=held_on, hours=hours)
    session.attendees.set(attendees)
    audit_record(
        actor=actor,
        action="workforce.course_session.added",
        target=session,
        programme=course.programme,
        changed_fields=["held_on", "hours", *(["attendees"] if attendees else [])],
    )
    return session


@transaction.atomic
def course_session_update(
    *,
    actor: User,
    session: CourseSession,
    held_on: date,
    hours: Decimal,
    attendees: Collection[User],
) -> CourseSession:
    """Correct a session's date or hours, or record who attended it."""
    session = (
        CourseSession.objects.select_for_update()
        .select_related("course__programme")
        .get(pk=session.pk)
    )
    before = set(session.attendees.values_list("pk", flat=True))
    _check_session(session.course.programme, hours, attendees, already_attended=before)
    changed = [
        name
        for name, value in (("held_on", held_on), ("hours", hours))
        if getattr(session, name) != value
    ]
    if changed:
        session.held_on, session.hours = held_on, hours
        session.save(update_fields=changed)
    if {person.pk for person in attendees} != before:
        session.attendees.set(attendees)
        changed.append("attendees")
    if changed:
        audit_record(
            actor=actor,
            action="workforce.course_session.updated",
            target=session,
            programme=session.course.programme,
            changed_fields=changed,
        )
    return session


def rating_refusal(*, trainer: User, course: Course, today: date | None = None) -> str | None:
    """Why the trainer cannot rate the course, or None when they can."""
    if trainer.role_in(course.programme_id) != Role.HEALTH_TRAINER:
        return "Only health trainers of this programme rate its courses."
    if SatisfactionResponse.objects.filter(course=course, trainer=trainer).exists():
        return "You have already rated this course. Each trainer rates a course once."
    attended = course.sessions.filter(
        attendees=trainer, held_on__lte=today or timezone.localdate()
    ).exists()
    if not attended:
        return (
            "You can rate a course only once you have attended one of its sessions. "
            "If you did attend, ask whoever runs the training to record your attendance."
        )
    return None


def _check_answers(
    answers: Mapping[int, object], asked: Mapping[int, str], allowed: Collection[int], scale: str
) -> None:
    """Every question asked has an answer on the scale, and nothing else is answered."""
    unknown = set(answers) - set(asked)
    if unknown:
        raise ValidationError("The answers name a statement or technique not asked about here.")
    for key, name in asked.items():
        value = answers.get(key)
        if value is None:
            raise ValidationError(f"Answer “{name}”.")
        if not _is_whole_number(value) or value not in allowed:
            raise ValidationError(f"The answer to “{name}” must be {scale}.")


@transaction.atomic
def satisfaction_submit(
    *,
    actor: User,
    course: Course,
    answers: Mapping[int, int],
    comments: str = "",
    today: date | None = None,
) -> SatisfactionResponse:
    """A trainer's rating of a course they attended: each active statement 1 to 5, once.

    `answers` maps each active SatisfactionItem's id to its rating.
    """
    programme = course.programme
    today = today or timezone.localdate()
    refusal = rating_refusal(trainer=actor, course=course, today=today)
    if refusal:
        raise ValidationError(refusal)
    items = SatisfactionItem.objects.for_programme(programme).filter(is_active=True)
    _check_answers(
        answers,
        {item.pk: item.name for item in items},
        LIKERT_VALUES,
        "a whole number from 1 (strongly disagree) to 5 (strongly agree)",
    )
    try:
        # A second submission racing the first meets the unique constraint here.
        with transaction.atomic():
            response = SatisfactionResponse.objects.create(
                programme=programme,
                course=course,
                trainer=actor,
                submitted_on=today,
                comments=comments.strip(),
            )
    except IntegrityError:
        raise ValidationError(
            "You have already rated this course. Each trainer rates a course once."
        ) from None
    SatisfactionAnswer.objects.bulk_create(
        SatisfactionAnswer(response=response, item_id=item_id, value=value)
        for item_id, value in answers.items()
    )
    audit_record(
        actor=actor,
        action="workforce.satisfaction_response.submitted",
        target=response,
        programme=programme,
        changed_fields=["answers", *(["comments"] if response.comments else [])],
    )
    return response


@transaction.atomic
def confidence_survey_record(
    *,
    actor: User,
    programme: Programme,
    stage: str,
    completed_on: date,
    answers: Mapping[int, int],
    course: Course | None = None,
) -> ConfidenceSurvey:
    """A trainer's confidence to use each active CB technique, 0 to 10, at one stage.

    `answers` maps each active CbTechnique's id to the trainer's confidence.
    """
    _require_trainer(actor, programme, "record their confidence")
    if stage not in SurveyStage.values:
        raise ValidationError({"stage": "Choose when you are answering: before, after or later."})
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "The date must be today or in the past."})
    if course is not None and course.programme_id != programme.pk:
        raise ValidationError({"course": "Choose a course of this programme."})
    techniques = CbTechnique.objects.for_programme(programme).filter(is_active=True)
    _check_answers(
        answers,
        {technique.pk: technique.name for technique in techniques},
        range(CONFIDENCE_MIN, CONFIDENCE_MAX + 1),
        f"a whole number from {CONFIDENCE_MIN} to {CONFIDENCE_MAX}",
    )
    survey = ConfidenceSurvey.objects.create(
        programme=programme, trainer=actor, stage=stage, completed_on=completed_on, course=course
    )
    ConfidenceAnswer.objects.bulk_create(
        ConfidenceAnswer(survey=survey, technique_id=technique_id, value=value)
        for technique_id, value in answers.items()
    )
    audit_record(
        actor=actor,
        action="workforce.confidence_survey.recorded",
        target=survey,
        programme=programme,
        changed_fields=["stage", "completed_on", "answers", *(["course"] if course else [])],
    )
    return survey
