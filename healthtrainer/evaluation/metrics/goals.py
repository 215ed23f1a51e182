"""Clients' goals: how many were achieved, and every final status. Counted by the date
the episode's referral was received."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    Count,
    Q,
)

from healthtrainer.casework.models import Goal
from healthtrainer.casework.vocabulary import (
    GoalStatus,
)
from healthtrainer.core.period import Period
from healthtrainer.evaluation.metrics.ratio import Ratio, ratio_of
from healthtrainer.evaluation.metrics.registry import PeriodRule, metric
from healthtrainer.evaluation.metrics.subgroups import GroupCount
from healthtrainer.programmes.models import Programme

ACHIEVED_OR_PARTLY = Q(final_status__in=[GoalStatus.ACHIEVED, GoalStatus.PARTLY_ACHIEVED])
# Goals whose final status judges them; no longer relevant, not reviewed and open ones do not.
JUDGED = Q(
    final_status__in=[GoalStatus.ACHIEVED, GoalStatus.PARTLY_ACHIEVED, GoalStatus.NOT_ACHIEVED]
)


def goals_of_period(programme: Programme, period: Period) -> Any:
    return Goal.objects.for_programme(programme).filter(period.referral_filter("episode__"))


@metric(
    "goals.pct_achieved_or_partly",
    "Goals achieved or partly achieved",
    "Goals of episodes referred in the period whose final status is achieved or partly "
    "achieved, out of goals whose final status is achieved, partly achieved or not achieved "
    "(goals no longer relevant, not reviewed or still open are left out).",
    period=PeriodRule.REFERRAL_DATE,
)
def goals_achieved_or_partly(programme: Programme, period: Period) -> Ratio:
    return ratio_of(goals_of_period(programme, period), ACHIEVED_OR_PARTLY, JUDGED)


@metric(
    "goals.by_final_status",
    "Goals by final status",
    "Goals set in episodes referred in the period, by their status at discharge: achieved, "
    "partly achieved, not achieved, no longer relevant, not reviewed; goals of episodes not "
    "yet discharged are counted as still open.",
    period=PeriodRule.REFERRAL_DATE,
)
def goals_by_final_status(programme: Programme, period: Period) -> list[GroupCount]:
    counts = dict(
        goals_of_period(programme, period)
        .order_by()
        .values("final_status")
        .annotate(n=Count("pk"))
        .values_list("final_status", "n")
    )
    finals = [status for status in GoalStatus if status != GoalStatus.IN_PROGRESS]
    rows = [GroupCount(str(status.label), counts.get(status.value, 0)) for status in finals]
    return [*rows, GroupCount("Still open", counts.get("", 0) + counts.get(None, 0))]
