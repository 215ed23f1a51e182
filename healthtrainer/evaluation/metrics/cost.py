"""Cost metrics."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    Max,
    Min,
    Q,
    Sum,
)

from healthtrainer.casework.models import Appointment, Discharge, Goal, SessionRecord
from healthtrainer.casework.vocabulary import Attendance, DischargeReason, GoalStatus, Mode
from healthtrainer.core.period import Period
from healthtrainer.evaluation.metrics.referral import referrals_received
from healthtrainer.evaluation.metrics.registry import PeriodRule, metric
from healthtrainer.programmes.models import Programme
from healthtrainer.workforce.costs import CostInputs, CostSummary, TimeValue, summarise
from healthtrainer.workforce.models import (
    BudgetLine,
    CostItem,
    Course,
    CourseSession,
    IndirectTime,
    RoleRate,
    SupervisionSession,
    TrainerProfile,
)
from healthtrainer.workforce.services.setup import settings_for

# Costs. For these metrics the period bounds the dates things happened on (sessions held,
# costs incurred, time given, discharges), not referral dates, except for referrals
# received. Every cost metric reads one summary built from `cost_inputs`, so the figures
# agree with each other and with the Costs page.


def _on_dates(period: Period, lookup: str) -> Q:
    condition = Q()
    if period.start:
        condition &= Q(**{f"{lookup}__gte": period.start})
    if period.end:
        condition &= Q(**{f"{lookup}__lte": period.end})
    return condition


def _overlapping(period: Period) -> Q:
    condition = Q()
    if period.start:
        condition &= Q(period_end__gte=period.start)
    if period.end:
        condition &= Q(period_start__lte=period.end)
    return condition


def _totals_by_person(
    rows: Any, id_key: str, name_key: str, names: dict[int, str]
) -> dict[int, Any]:
    """Each person's total from grouped rows, noting their name on the way."""
    totals: dict[int, Any] = {}
    for row in rows:
        names[row[id_key]] = row[name_key]
        totals[row[id_key]] = totals.get(row[id_key], 0) + row["total"]
    return totals


def cost_inputs(programme: Programme, period: Period) -> CostInputs:
    """Everything the costs are worked out from, in 16 queries whatever the data."""
    names: dict[int, str] = {}
    recorded = SessionRecord.objects.filter(
        appointment__programme=programme, appointment__attendance=Attendance.ATTENDED
    ).filter(_on_dates(period, "appointment__starts_at__date"))
    trainer_fields = ("appointment__trainer_id", "appointment__trainer__full_name")
    one_to_one = (
        recorded.exclude(appointment__mode=Mode.GROUP)
        .values(*trainer_fields)
        .annotate(total=Sum("duration_minutes"))
        .order_by()
    )
    # A group is one appointment per client, but the trainer's time is spent once: one
    # row per trainer and start time, however many clients came.
    groups = (
        recorded.filter(appointment__mode=Mode.GROUP)
        .values(*trainer_fields, "appointment__starts_at")
        .annotate(total=Max("duration_minutes"))
        .order_by()
    )
    supervision = SupervisionSession.objects.for_programme(programme).filter(
        _on_dates(period, "held_on")
    )
    supervising = (
        supervision.values("supervisor_id", "supervisor__full_name")
        .annotate(total=Sum("duration_minutes"))
        .order_by()
    )
    supervised = (
        SupervisionSession.trainers.through.objects.filter(
            supervisionsession__in=supervision.values("pk")
        )
        .values("user_id", "user__full_name")
        .annotate(total=Sum("supervisionsession__duration_minutes"))
        .order_by()
    )
    attended_training = (
        CourseSession.attendees.through.objects.filter(coursesession__course__programme=programme)
        .filter(_on_dates(period, "coursesession__held_on"))
        .values("user_id", "user__full_name")
        .annotate(total=Sum("coursesession__hours"))
        .order_by()
    )
    courses = (
        Course.objects.for_programme(programme)
        .annotate(first_held=Min("sessions__held_on"))
        .filter(first_held__isnull=False)
        .filter(_on_dates(period, "first_held"))
    )
    attended = Appointment.objects.for_programme(programme).filter(
        _on_dates(period, "starts_at__date"), attendance=Attendance.ATTENDED
    )
    completed = Discharge.objects.for_programme(programme).filter(
        _on_dates(period, "discharged_on"), reason=DischargeReason.COMPLETED
    )
    budget = (
        BudgetLine.objects.for_programme(programme)
        .filter(_overlapping(period))
        .aggregate(total=Sum("amount"), lines=Count("pk"))
    )
    return CostInputs(
        allowance_percent=settings_for(programme).admin_travel_allowance_percent,
        hourly_costs={
            trainer: cost
            for trainer, cost in TrainerProfile.objects.for_programme(programme).values_list(
                "trainer_id", "hourly_cost"
            )
            if cost is not None
        },
        session_minutes=_totals_by_person(
            [*one_to_one, *groups],
            "appointment__trainer_id",
            "appointment__trainer__full_name",
            names,
        ),
        supervising_minutes=_totals_by_person(
            supervising, "supervisor_id", "supervisor__full_name", names
        ),
        supervised_minutes=_totals_by_person(supervised, "user_id", "user__full_name", names),
        training_hours=_totals_by_person(attended_training, "user_id", "user__full_name", names),
        names=names,
        course_costs=courses.aggregate(total=Sum("cost"))["total"] or Decimal("0"),
        cost_items=dict(
            CostItem.objects.for_programme(programme)
            .filter(_on_dates(period, "incurred_on"))
            .values("category")
            .annotate(total=Sum("amount"))
            .order_by()
            .values_list("category", "total")
        ),
        budget=budget["total"] or Decimal("0"),
        budget_recorded=budget["lines"] > 0,
        indirect_hours={
            (row["role"], row["activity"]): row["total"]
            for row in IndirectTime.objects.for_programme(programme)
            .filter(_on_dates(period, "given_on"))
            .values("role", "activity")
            .annotate(total=Sum("hours"))
            .order_by()
        },
        role_rates=dict(
            RoleRate.objects.for_programme(programme).values_list("role", "hourly_rate")
        ),
        referrals=referrals_received(programme, period).count(),
        clients_seen=attended.aggregate(n=Count("episode__client", distinct=True))["n"],
        clients_completing=completed.aggregate(n=Count("episode__client", distinct=True))["n"],
        goals_achieved=Goal.objects.for_programme(programme)
        .filter(
            _on_dates(period, "episode__discharge__discharged_on"),
            final_status__in=[GoalStatus.ACHIEVED, GoalStatus.PARTLY_ACHIEVED],
        )
        .count(),
    )


def cost_summary(programme: Programme, period: Period) -> CostSummary:
    return summarise(cost_inputs(programme, period))


_NOT_COSTED = (
    "Time of anyone with no hourly cost recorded (and, for supervisors, no pain team rate) "
    "is listed as not costed and left out of the total, not counted as zero."
)
_DIRECT = (
    "direct costs of the period (health trainer time, supervision, training, venues, "
    "materials and other costs)"
)


@metric(
    "cost.direct_total",
    "Direct costs",
    "The sum of the direct costs of the period: health trainer time (attended client "
    "session minutes / 60 times (1 + the programme's administration and travel allowance % / "
    "100) times the trainer's hourly cost), supervision (each session's hours times the "
    "supervisor's hourly cost, or the pain team's role rate if they have none, plus its "
    "hours times each supervised trainer's hourly cost), training (costs of courses whose first "
    "session is in the period, plus attendees' hours times their hourly cost), and cost items "
    "incurred in the period (venues, materials, training and other). " + _NOT_COSTED,
    period=PeriodRule.ACTIVITY_DATE,
)
def cost_direct_total(programme: Programme, period: Period) -> Decimal:
    return _direct_total(cost_summary(programme, period))


@metric(
    "cost.by_category",
    "Direct costs by category",
    "The direct costs of the period in six categories: health trainer time, supervision, "
    "training, venues, materials and other, worked out as for the direct costs total; the "
    "categories add up to that total. " + _NOT_COSTED,
    period=PeriodRule.ACTIVITY_DATE,
)
def cost_by_category(programme: Programme, period: Period) -> dict[str, Decimal]:
    return _by_category(cost_summary(programme, period))


@metric(
    "cost.indirect_total",
    "Time given, valued at role rates",
    "Hours recorded as given to the programme in the period by GP champions, the chronic "
    "pain team and others, each role's hours multiplied by the programme's hourly rate for "
    "that role. Not paid from the budget, so not part of the direct costs. Hours of a role "
    "with no rate set are counted as hours but not valued.",
    period=PeriodRule.ACTIVITY_DATE,
)
def cost_indirect_total(programme: Programme, period: Period) -> Decimal:
    return _indirect_total(cost_summary(programme, period))


@metric(
    "cost.indirect_by_role",
    "Time given, by role",
    "Hours given to the programme in the period by each contributor role, and their value "
    "at that role's hourly rate. A role with no rate set shows its hours, unvalued.",
    period=PeriodRule.ACTIVITY_DATE,
)
def cost_indirect_by_role(programme: Programme, period: Period) -> tuple[TimeValue, ...]:
    return _indirect_by_role(cost_summary(programme, period))


@metric(
    "cost.indirect_by_activity",
    "Time given, by activity",
    "Hours given to the programme in the period on each activity (case consultation, "
    "supervision, training delivery, GP education), and their value at the hourly rate of "
    "the role of whoever gave them.",
    period=PeriodRule.ACTIVITY_DATE,
)
def cost_indirect_by_activity(programme: Programme, period: Period) -> tuple[TimeValue, ...]:
    return _indirect_by_activity(cost_summary(programme, period))


@metric(
    "cost.budget_total",
    "Budget",
    "The sum of the amounts of every budget line whose period overlaps the period shown, "
    "in full (a line is not split across periods).",
    period=PeriodRule.ACTIVITY_DATE,
)
def cost_budget_total(programme: Programme, period: Period) -> Decimal:
    return _budget_total(cost_summary(programme, period))


@metric(
    "cost.per_referral",
    "Cost per referral received",
    f"The {_DIRECT} divided by the number of referrals received in the period, whatever "
    "their outcome. None when there were no referrals.",
    period=PeriodRule.ACTIVITY_DATE,
)
def cost_per_referral(programme: Programme, period: Period) -> Decimal | None:
    return _per_referral(cost_summary(programme, period))


@metric(
    "cost.per_client_seen",
    "Cost per client seen",
    f"The {_DIRECT} divided by the number of clients who attended at least one session "
    "in the period. None when nobody attended.",
    period=PeriodRule.ACTIVITY_DATE,
)
def cost_per_client_seen(programme: Programme, period: Period) -> Decimal | None:
    return _per_client_seen(cost_summary(programme, period))


@metric(
    "cost.per_client_completing",
    "Cost per client completing",
    f"The {_DIRECT} divided by the number of clients discharged in the period with the "
    "reason 'completed the programme'. None when nobody completed.",
    period=PeriodRule.ACTIVITY_DATE,
)
def cost_per_client_completing(programme: Programme, period: Period) -> Decimal | None:
    return _per_client_completing(cost_summary(programme, period))


@metric(
    "cost.per_goal_achieved",
    "Cost per goal achieved",
    f"The {_DIRECT} divided by the number of goals whose final status, fixed when the "
    "client was discharged in the period, is achieved or partly achieved. None when there "
    "were none.",
    period=PeriodRule.ACTIVITY_DATE,
)
def cost_per_goal_achieved(programme: Programme, period: Period) -> Decimal | None:
    return _per_goal_achieved(cost_summary(programme, period))


def _direct_total(summary: CostSummary) -> Decimal:
    return summary.direct_total


def _by_category(summary: CostSummary) -> dict[str, Decimal]:
    return summary.by_category


def _indirect_total(summary: CostSummary) -> Decimal:
    return summary.indirect_total


def _indirect_by_role(summary: CostSummary) -> tuple[TimeValue, ...]:
    return summary.indirect_by_role


def _indirect_by_activity(summary: CostSummary) -> tuple[TimeValue, ...]:
    return summary.indirect_by_activity


def _budget_total(summary: CostSummary) -> Decimal:
    return summary.budget_total


def _per_referral(summary: CostSummary) -> Decimal | None:
    return summary.unit_costs["per_referral"].cost


def _per_client_seen(summary: CostSummary) -> Decimal | None:
    return summary.unit_costs["per_client_seen"].cost


def _per_client_completing(summary: CostSummary) -> Decimal | None:
    return summary.unit_costs["per_client_completing"].cost


def _per_goal_achieved(summary: CostSummary) -> Decimal | None:
    return summary.unit_costs["per_goal_achieved"].cost


# How each cost metric reads the summary, so that a page showing several fetches the inputs
# once (`cost_figures`) and still shows exactly what each metric computes (a test checks).
COST_FIGURES: dict[str, Callable[[CostSummary], Any]] = {
    "cost.direct_total": _direct_total,
    "cost.by_category": _by_category,
    "cost.indirect_total": _indirect_total,
    "cost.indirect_by_role": _indirect_by_role,
    "cost.indirect_by_activity": _indirect_by_activity,
    "cost.budget_total": _budget_total,
    "cost.per_referral": _per_referral,
    "cost.per_client_seen": _per_client_seen,
    "cost.per_client_completing": _per_client_completing,
    "cost.per_goal_achieved": _per_goal_achieved,
}


def cost_figures(programme: Programme, period: Period) -> tuple[CostSummary, dict[str, Any]]:
    """The summary and every cost metric, from one fetch of the inputs."""
    summary = cost_summary(programme, period)
    return summary, {metric_id: pick(summary) for metric_id, pick in COST_FIGURES.items()}
