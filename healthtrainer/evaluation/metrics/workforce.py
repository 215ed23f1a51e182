"""Trainers' use of CB: training delivered and how it was rated, confidence before and
after training, and supervisors' fidelity ratings. These cover the whole programme, not
a period of referral dates: training and supervision are not tied to any one referral."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from healthtrainer.core.period import Period
from healthtrainer.evaluation.metrics.registry import metric
from healthtrainer.evaluation.metrics.source import Ratio
from healthtrainer.programmes.models import Programme
from healthtrainer.workforce.fidelity import count_at_threshold, rated_work
from healthtrainer.workforce.models import (
    ConfidenceSurvey,
    Course,
    SatisfactionResponse,
    SupervisionSession,
)
from healthtrainer.workforce.queries import (
    ConfidenceChange,
    CourseOverview,
    SatisfactionSummary,
    confidence_change,
    course_overviews,
    satisfaction_summary,
)
from healthtrainer.workforce.services.setup import settings_for


@metric(
    "training.delivered",
    "Training delivered",
    "Each training course of the programme: its sessions, hours and the trainers who attended "
    "at least one session. The whole programme, whatever the period.",
)
def training_delivered(programme: Programme, period: Period) -> list[CourseOverview]:
    return course_overviews(Course.objects.for_programme(programme))


@metric(
    "training.satisfaction",
    "Satisfaction with training",
    "Trainers' ratings of the programme's training, per statement, on a scale of 1 (strongly "
    "disagree) to 5 (strongly agree): how many answered, the mean, and the share who agreed "
    "or strongly agreed. The whole programme, whatever the period. Comments are not reported.",
)
def training_satisfaction(programme: Programme, period: Period) -> SatisfactionSummary:
    return satisfaction_summary(
        programme=programme, responses=SatisfactionResponse.objects.for_programme(programme)
    )


@metric(
    "training.confidence_change",
    "Confidence before and after training",
    "Trainers with a survey before training and one after: per CB technique, the mean "
    "confidence (0 to 10) before and after and the paired mean change. The whole programme, "
    "whatever the period.",
)
def training_confidence(programme: Programme, period: Period) -> ConfidenceChange:
    return confidence_change(
        programme=programme, surveys=ConfidenceSurvey.objects.for_programme(programme)
    )


@dataclass(frozen=True)
class Fidelity:
    threshold: Decimal
    scale_min: int
    scale_max: int
    at_threshold: Ratio


@metric(
    "fidelity.at_threshold",
    "Supervision fidelity",
    "Each trainer rated in each supervision session counts once, by the mean of the "
    "supervisor's ratings of their CB work: those at or above the programme's threshold, out "
    "of all rated. The whole programme, whatever the period.",
)
def fidelity_at_threshold(programme: Programme, period: Period) -> Fidelity:
    scale = settings_for(programme)
    work = rated_work(SupervisionSession.objects.for_programme(programme))
    threshold = Decimal(scale.fidelity_threshold)
    return Fidelity(
        threshold,
        scale.fidelity_scale_min,
        scale.fidelity_scale_max,
        Ratio(count_at_threshold(work, threshold), len(work)),
    )
