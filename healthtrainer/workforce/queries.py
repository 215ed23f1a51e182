"""What the training pages read: courses at a glance, attendees to choose from, course
satisfaction and the change in trainers' confidence.

The summaries take the QuerySet of records the reader may see (a health trainer's own,
through `TrainerScopedQuerySet.visible_to`), so one page serves a manager and a trainer.
Each runs a fixed number of queries and does the rest in Python on plain values, so the
query count does not grow with the number of trainers or answers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from healthtrainer.accounts.models import User
from healthtrainer.casework.models import CbTechnique
from healthtrainer.measures.statistics import PairedSummary, paired_summary
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


def attendee_choices(programme: Programme, session: CourseSession | None = None) -> QuerySet[User]:
    """Who can be marked as attending a session: the programme's trainers, and anyone
    already marked, who stays on the record after leaving the programme."""
    trainers = User.objects.trainers_of(programme)
    if session is None:
        return trainers
    return User.objects.filter(
        Q(pk__in=trainers.values("pk")) | Q(pk__in=session.attendees.values("pk"))
    ).order_by("full_name", "email")


@dataclass(frozen=True)
class CourseOverview:
    course: Course
    sessions: int
    hours: Decimal
    attendees: int
    first_held_on: date | None
    last_held_on: date | None


def course_overviews(courses: QuerySet[Course]) -> list[CourseOverview]:
    """Each course with its number of sessions, total hours and people trained (3 queries)."""
    overviews = []
    for course in courses.prefetch_related("sessions__attendees"):
        sessions = list(course.sessions.all())
        people = {person.pk for session in sessions for person in session.attendees.all()}
        days = [session.held_on for session in sessions]
        overviews.append(
            CourseOverview(
                course=course,
                sessions=len(sessions),
                hours=sum((session.hours for session in sessions), Decimal("0")),
                attendees=len(people),
                first_held_on=min(days, default=None),
                last_held_on=max(days, default=None),
            )
        )
    return overviews


# Satisfaction with a course ---------------------------------------------------------------


@dataclass(frozen=True)
class ItemSummary:
    item: SatisfactionItem
    # How many answered 1, 2, 3, 4 and 5.
    distribution: tuple[int, ...]

    @property
    def n(self) -> int:
        return sum(self.distribution)

    @property
    def mean(self) -> float | None:
        if not self.n:
            return None
        total = sum(
            value * count for value, count in zip(LIKERT_VALUES, self.distribution, strict=True)
        )
        return total / self.n

    @property
    def agree(self) -> float | None:
        """The share who agreed or strongly agreed."""
        return sum(self.distribution[3:]) / self.n if self.n else None


@dataclass(frozen=True)
class SatisfactionSummary:
    responses: int
    items: list[ItemSummary]
    comments: list[str]


def satisfaction_summary(
    *, programme: Programme, responses: QuerySet[SatisfactionResponse]
) -> SatisfactionSummary:
    """Per statement, how the given responses rated it; and their comments (4 queries).

    Statements retired since stay in the summary if anyone rated them.
    """
    counts: dict[int, Counter[int]] = defaultdict(Counter)
    for row in (
        SatisfactionAnswer.objects.filter(response__in=responses)
        .values("item_id", "value")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["item_id"]][row["value"]] = row["n"]
    items = [
        ItemSummary(item, tuple(counts[item.pk][value] for value in LIKERT_VALUES))
        for item in SatisfactionItem.objects.for_programme(programme)
        if item.is_active or item.pk in counts
    ]
    comments = list(
        responses.exclude(comments="")
        .order_by("submitted_on", "pk")
        .values_list("comments", flat=True)
    )
    return SatisfactionSummary(responses=responses.count(), items=items, comments=comments)


# Confidence to use each CB technique -----------------------------------------------------------


@dataclass(frozen=True)
class SurveyRow:
    survey_id: int
    trainer_id: int
    stage: str
    completed_on: date

    @property
    def order(self) -> tuple[date, int]:
        # Two surveys on one day follow each other in the order they were recorded.
        return (self.completed_on, self.survey_id)


def pair_before_after(rows: Iterable[SurveyRow]) -> list[tuple[int, int]]:
    """(before, after) survey ids, one pair at most per trainer: their latest before-training
    survey, with the earliest after-training survey that follows it.

    The latest before-training survey is the baseline closest to the training; a trainer
    whose latest one has no after-training survey yet is left out, not paired with an
    older baseline.
    """
    by_trainer: dict[int, list[SurveyRow]] = defaultdict(list)
    for row in rows:
        by_trainer[row.trainer_id].append(row)
    pairs = []
    for surveys in by_trainer.values():
        befores = [row for row in surveys if row.stage == SurveyStage.BEFORE_TRAINING]
        if not befores:
            continue
        before = max(befores, key=lambda row: row.order)
        afters = [
            row
            for row in surveys
            if row.stage == SurveyStage.AFTER_TRAINING and row.order > before.order
        ]
        if afters:
            pairs.append((before.survey_id, min(afters, key=lambda row: row.order).survey_id))
    return pairs


@dataclass(frozen=True)
class TechniqueChange:
    technique: CbTechnique
    summary: PairedSummary


@dataclass(frozen=True)
class ConfidenceChange:
    # Trainers with a before-training survey followed by an after-training one.
    trainers_paired: int
    techniques: list[TechniqueChange]


def confidence_change(
    *, programme: Programme, surveys: QuerySet[ConfidenceSurvey]
) -> ConfidenceChange:
    """Paired change in confidence per technique, from before to after training (3 queries).

    A trainer counts for a technique when both surveys of their pair rated it.
    Techniques retired since stay in the summary if anyone rated them.
    """
    stages = [SurveyStage.BEFORE_TRAINING, SurveyStage.AFTER_TRAINING]
    compared = surveys.filter(stage__in=stages)
    pairs = pair_before_after(
        SurveyRow(*row)
        for row in compared.values_list("pk", "trainer_id", "stage", "completed_on").order_by()
    )
    paired = {survey_id for pair in pairs for survey_id in pair}
    values: dict[int, dict[int, int]] = defaultdict(dict)
    for survey_id, technique_id, value in ConfidenceAnswer.objects.filter(
        survey__in=compared
    ).values_list("survey_id", "technique_id", "value"):
        if survey_id in paired:
            values[survey_id][technique_id] = value
    rated = {technique_id for answers in values.values() for technique_id in answers}
    changes = []
    for technique in CbTechnique.objects.for_programme(programme):
        if not (technique.is_active or technique.pk in rated):
            continue
        both = [
            (values[before][technique.pk], values[after][technique.pk])
            for before, after in pairs
            if technique.pk in values[before] and technique.pk in values[after]
        ]
        changes.append(
            TechniqueChange(
                technique,
                paired_summary([before for before, _ in both], [after for _, after in both]),
            )
        )
    return ConfidenceChange(trainers_paired=len(pairs), techniques=changes)
