"""Supervisors' ratings of the trainers' CB work against the programme's threshold. The
whole programme, whatever the period."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from healthtrainer.core.period import Period
from healthtrainer.evaluation.metrics.ratio import Ratio
from healthtrainer.evaluation.metrics.registry import PeriodRule, metric
from healthtrainer.programmes.models import Programme
from healthtrainer.workforce.fidelity import count_at_threshold, rated_work
from healthtrainer.workforce.models import (
    SupervisionSession,
)
from healthtrainer.workforce.services.setup import settings_for


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
    period=PeriodRule.WHOLE_PROGRAMME,
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
