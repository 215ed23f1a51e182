"""Training delivered to the trainers, how they rated it, and their confidence before and
after. The whole programme, whatever the period: training is tied to no referral."""

from __future__ import annotations

from healthtrainer.core.period import Period
from healthtrainer.evaluation.metrics.registry import PeriodRule, metric
from healthtrainer.programmes.models import Programme
from healthtrainer.workforce.models import (
    ConfidenceSurvey,
    Course,
    SatisfactionResponse,
)
from healthtrainer.workforce.queries import (
    ConfidenceChange,
    CourseOverview,
    SatisfactionSummary,
    confidence_change,
    course_overviews,
    satisfaction_summary,
)


@metric(
    "training.delivered",
    "Training delivered",
    "Each training course of the programme: its sessions, hours and the trainers who attended "
    "at least one session. The whole programme, whatever the period.",
    period=PeriodRule.WHOLE_PROGRAMME,
)
def training_delivered(programme: Programme, period: Period) -> list[CourseOverview]:
    return course_overviews(Course.objects.for_programme(programme))


@metric(
    "training.satisfaction",
    "Satisfaction with training",
    "Trainers' ratings of the programme's training, per statement, on a scale of 1 (strongly "
    "disagree) to 5 (strongly agree): how many answered, the mean, and the share who agreed "
    "or strongly agreed. The whole programme, whatever the period. Comments are not reported.",
    period=PeriodRule.WHOLE_PROGRAMME,
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
    period=PeriodRule.WHOLE_PROGRAMME,
)
def training_confidence(programme: Programme, period: Period) -> ConfidenceChange:
    return confidence_change(
        programme=programme, surveys=ConfidenceSurvey.objects.for_programme(programme)
    )
