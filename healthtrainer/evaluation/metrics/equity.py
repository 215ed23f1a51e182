"""Each client outcome broken down by subgroup (IMD quintile, employment status, ethnic
category, sex, age band), so that a gap between groups shows. Counted by the date the
episode's referral was received."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce

from healthtrainer.casework.models import Appointment
from healthtrainer.casework.vocabulary import (
    Attendance,
    DischargeReason,
    GoalStatus,
    Maintained,
)
from healthtrainer.core.period import Period
from healthtrainer.evaluation.metrics.follow_up import (
    GP_VISIT_TOTALS,
    GpVisits,
    gp_visit_pairs,
    gp_visits_of,
    reached_follow_ups,
)
from healthtrainer.evaluation.metrics.goals import goals_of_period
from healthtrainer.evaluation.metrics.referral import referrals_received
from healthtrainer.evaluation.metrics.registry import PeriodRule, metric
from healthtrainer.evaluation.metrics.subgroups import (
    SUBGROUPS,
    GroupRatio,
    by_every_subgroup,
    ratios_by_every_subgroup,
)
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.triage import Status


def _attended_sessions() -> Any:
    return Coalesce(
        Subquery(
            Appointment.objects.filter(episode=OuterRef("pk"), attendance=Attendance.ATTENDED)
            .order_by()
            .values("episode")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )


@metric(
    "equity.engaged",
    "Engaged (two or more sessions), by subgroup",
    "Of referrals received in the period and accepted, those with two or more sessions "
    "attended, in each subgroup.",
    period=PeriodRule.REFERRAL_DATE,
)
def equity_engaged(programme: Programme, period: Period) -> dict[str, list[GroupRatio]]:
    accepted = referrals_received(programme, period).filter(status=Status.ACCEPTED)
    return ratios_by_every_subgroup(
        accepted.annotate(sessions=_attended_sessions()), Q(sessions__gte=2), Q()
    )


@metric(
    "equity.completed",
    "Completed the programme, by subgroup",
    "Of referrals received in the period and accepted, those discharged as having completed "
    "the programme, in each subgroup.",
    period=PeriodRule.REFERRAL_DATE,
)
def equity_completed(programme: Programme, period: Period) -> dict[str, list[GroupRatio]]:
    accepted = referrals_received(programme, period).filter(status=Status.ACCEPTED)
    return ratios_by_every_subgroup(accepted, Q(discharge__reason=DischargeReason.COMPLETED), Q())


@metric(
    "equity.goals_achieved_or_partly",
    "Goals achieved or partly achieved, by subgroup",
    "As goals achieved or partly achieved, in each subgroup of the client who set the goal.",
    period=PeriodRule.REFERRAL_DATE,
)
def equity_goals(programme: Programme, period: Period) -> dict[str, list[GroupRatio]]:
    judged = [GoalStatus.ACHIEVED, GoalStatus.PARTLY_ACHIEVED, GoalStatus.NOT_ACHIEVED]
    return ratios_by_every_subgroup(
        goals_of_period(programme, period),
        Q(final_status__in=judged[:2]),
        Q(final_status__in=judged),
        prefix="episode__",
    )


@metric(
    "equity.maintaining_strategies",
    "Maintaining strategies at follow-up, by subgroup",
    "As maintaining self-management strategies at follow-up, in each subgroup.",
    period=PeriodRule.REFERRAL_DATE,
)
def equity_maintaining(programme: Programme, period: Period) -> dict[str, list[GroupRatio]]:
    return ratios_by_every_subgroup(
        reached_follow_ups(programme, period),
        Q(maintaining_strategies=Maintained.YES),
        ~Q(maintaining_strategies=""),
        prefix="episode__",
    )


# The outcomes shown as shares by subgroup, in the report's order.
EQUITY_RATIOS = (equity_engaged, equity_completed, equity_goals, equity_maintaining)


@dataclass(frozen=True)
class GroupVisits:
    label: str
    visits: GpVisits


@metric(
    "equity.gp_visits",
    "GP visits before and after, by subgroup",
    "As GP visits before and after, in each subgroup of the client.",
    period=PeriodRule.REFERRAL_DATE,
)
def gp_visits_by_subgroup(programme: Programme, period: Period) -> dict[str, list[GroupVisits]]:
    groups = by_every_subgroup(gp_visit_pairs(programme, period), "episode__", **GP_VISIT_TOTALS)
    return {
        subgroup: [
            GroupVisits(SUBGROUPS[subgroup].label(key), gp_visits_of(totals))
            for key, totals in found.items()
        ]
        for subgroup, found in groups.items()
    }
