"""The metric registry: every figure the evaluation shows is defined once, here.

Each metric has a stable id, a title, a definition in words, and an implementation as
a database aggregation for one programme and one period of referral dates. Pages,
reports and exports read metrics from here and never compute a figure themselves.
The number of queries a metric makes does not grow with the data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncMonth

from healthtrainer.casework.models import Appointment, Discharge, FollowUp, Goal, SessionRecord
from healthtrainer.casework.vocabulary import Attendance, DischargeReason, GoalStatus, Mode
from healthtrainer.evaluation.period import Period
from healthtrainer.measures.models import ProgrammeInstrument
from healthtrainer.measures.outcomes import paired_scores
from healthtrainer.measures.statistics import paired_summary
from healthtrainer.programmes.models import Organisation, Programme
from healthtrainer.referrals.models import Referral, Source
from healthtrainer.referrals.triage import Status
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


@dataclass(frozen=True)
class Metric:
    id: str
    title: str
    definition: str
    compute: Callable[[Programme, Period], Any]


REGISTRY: dict[str, Metric] = {}


def metric(id: str, title: str, definition: str) -> Callable[[Callable[..., Any]], Metric]:
    def register(compute: Callable[[Programme, Period], Any]) -> Metric:
        if id in REGISTRY:
            raise ValueError(f"Metric {id} is defined twice.")
        REGISTRY[id] = Metric(id, title, definition, compute)
        return REGISTRY[id]

    return register


def _referrals(programme: Programme, period: Period) -> Any:
    return Referral.objects.filter(programme=programme).filter(period.referral_filter())


@metric(
    "referral.count",
    "Referrals received",
    "Referrals received in the period, whatever their outcome, including those found not eligible.",
)
def referral_count(programme: Programme, period: Period) -> int:
    count: int = _referrals(programme, period).count()
    return count


@metric(
    "referral.projected",
    "Referrals projected",
    "The number of referrals the programme expected, from its settings. None if not set.",
)
def referral_projected(programme: Programme, period: Period) -> int | None:
    return programme.projected_referrals


@dataclass(frozen=True)
class MonthCount:
    month: date
    referrals: int
    cumulative: int


@metric(
    "referral.by_month",
    "Referrals by month",
    "Referrals received in each calendar month of the period, and the running total.",
)
def referrals_by_month(programme: Programme, period: Period) -> list[MonthCount]:
    rows = (
        _referrals(programme, period)
        .annotate(month=TruncMonth("received_date"))
        .values("month")
        .annotate(referrals=Count("id"))
        .order_by("month")
    )
    result, running = [], 0
    for row in rows:
        running += row["referrals"]
        month = row["month"]
        result.append(MonthCount(month.replace(day=1), row["referrals"], running))
    return result


@dataclass(frozen=True)
class PracticeCount:
    practice: str
    ods_code: str
    is_gp_champion: bool
    registered_list_size: int | None
    referrals: int

    @property
    def per_thousand_patients(self) -> Decimal | None:
        if not self.registered_list_size:
            return None
        rate = Decimal(self.referrals * 1000) / Decimal(self.registered_list_size)
        return rate.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@metric(
    "referral.by_practice",
    "Referrals by GP practice",
    "Referrals received in the period from each of the programme's GP practices, and per "
    "1,000 registered patients (the practice's list size). Practices with no referrals are "
    "listed with 0. GP champion practices are marked.",
)
def referrals_by_practice(programme: Programme, period: Period) -> list[PracticeCount]:
    practices = (
        Organisation.objects.for_programme(programme)
        .gp_practices()
        .annotate(referral_count=Count("referrals", filter=period.referral_filter("referrals__")))
        .order_by("-referral_count", "name")
    )
    return [
        PracticeCount(
            practice.name,
            practice.ods_code,
            practice.is_gp_champion,
            practice.registered_list_size,
            practice.referral_count,  # type: ignore[attr-defined]
        )
        for practice in practices
    ]


@metric(
    "referral.by_source",
    "Referrals by source",
    "Referrals received in the period by where they came from: a GP practice, the person "
    "themselves, or another professional.",
)
def referrals_by_source(programme: Programme, period: Period) -> dict[str, int]:
    counts = dict(
        _referrals(programme, period)
        .order_by()
        .values("source")
        .annotate(n=Count("id"))
        .values_list("source", "n")
    )
    return {label: counts.get(value, 0) for value, label in Source.choices}


@metric(
    "referral.eligibility",
    "Eligible and not eligible",
    "Referrals received in the period that met the programme's criteria (minimum age and "
    "pain duration) and those recorded as not eligible.",
)
def referral_eligibility(programme: Programme, period: Period) -> dict[str, int]:
    totals = _referrals(programme, period).aggregate(
        not_eligible=Count("id", filter=Q(status=Status.NOT_ELIGIBLE)),
        eligible=Count("id", filter=~Q(status=Status.NOT_ELIGIBLE)),
    )
    return {"Eligible": totals["eligible"], "Not eligible": totals["not_eligible"]}


@metric(
    "referral.median_days_to_first_contact",
    "Median days to first contact",
    "For referrals received in the period that have a first contact date: the median number "
    "of days from receipt to the first time the programme spoke with the person. Referrals "
    "not yet contacted are left out. None when no referral has been contacted.",
)
def median_days_to_first_contact(programme: Programme, period: Period) -> Decimal | None:
    # The distribution of waits, counted in the database: its size is the number of
    # distinct waits, not the number of referrals.
    waits = (
        _referrals(programme, period)
        .filter(first_contact_date__isnull=False)
        .annotate(
            wait=ExpressionWrapper(
                F("first_contact_date") - F("received_date"), output_field=DurationField()
            )
        )
        .values("wait")
        .annotate(n=Count("id"))
        .order_by("wait")
    )
    return median_of_counts([(row["wait"].days, row["n"]) for row in waits])


def median_of_counts(counts: list[tuple[int, int]]) -> Decimal | None:
    """The median of values given as (value, how many) pairs sorted by value."""
    total = sum(n for _, n in counts)
    if total == 0:
        return None

    def value_at(rank: int) -> int:
        seen = 0
        for value, n in counts:
            seen += n
            if rank < seen:
                return value
        raise ValueError(f"rank {rank} is beyond {total} values")

    return (Decimal(value_at((total - 1) // 2)) + Decimal(value_at(total // 2))) / 2


def compute(metric_ids: list[str], programme: Programme, period: Period) -> dict[str, Any]:
    return {metric_id: REGISTRY[metric_id].compute(programme, period) for metric_id in metric_ids}


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
        budget=BudgetLine.objects.for_programme(programme)
        .filter(_overlapping(period))
        .aggregate(total=Sum("amount"))["total"]
        or Decimal("0"),
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
        referrals=_referrals(programme, period).count(),
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


# How each cost metric reads the summary, so a page that needs several of them can fetch
# the inputs once (`cost_figures`) and still show exactly what `compute` would.
COST_FIGURES: dict[str, Callable[[CostSummary], Any]] = {}


def _cost_metric(
    id: str, title: str, definition: str
) -> Callable[[Callable[[CostSummary], Any]], Metric]:
    def register(pick: Callable[[CostSummary], Any]) -> Metric:
        COST_FIGURES[id] = pick

        def from_database(programme: Programme, period: Period) -> Any:
            return pick(cost_summary(programme, period))

        return metric(id, title, definition)(from_database)

    return register


def cost_figures(programme: Programme, period: Period) -> tuple[CostSummary, dict[str, Any]]:
    """The summary and every cost metric, from one fetch of the inputs."""
    summary = cost_summary(programme, period)
    return summary, {metric_id: pick(summary) for metric_id, pick in COST_FIGURES.items()}


_NOT_COSTED = (
    "Time of anyone with no hourly cost recorded (and, for supervisors, no pain team rate) "
    "is listed as not costed and left out of the total, not counted as zero."
)
_DIRECT = (
    "direct costs of the period (health trainer time, supervision, training, venues, "
    "materials and other costs)"
)


@_cost_metric(
    "cost.direct_total",
    "Direct costs",
    "The sum of the direct costs of the period: health trainer time (attended client "
    "session minutes / 60 times (1 + the programme's administration and travel allowance % / "
    "100) times the trainer's hourly cost), supervision (each session's hours times the "
    "supervisor's hourly cost, or the pain team's role rate if they have none, plus its "
    "hours times each supervised trainer's hourly cost), training (costs of courses whose first "
    "session is in the period, plus attendees' hours times their hourly cost), and cost items "
    "incurred in the period (venues, materials, training and other). " + _NOT_COSTED,
)
def _direct_total(summary: CostSummary) -> Decimal:
    return summary.direct_total


@_cost_metric(
    "cost.by_category",
    "Direct costs by category",
    "The direct costs of the period in six categories: health trainer time, supervision, "
    "training, venues, materials and other, worked out as for the direct costs total; the "
    "categories add up to that total. " + _NOT_COSTED,
)
def _by_category(summary: CostSummary) -> dict[str, Decimal]:
    return summary.by_category


@_cost_metric(
    "cost.indirect_total",
    "Time given, valued at role rates",
    "Hours recorded as given to the programme in the period by GP champions, the chronic "
    "pain team and others, each role's hours multiplied by the programme's hourly rate for "
    "that role. Not paid from the budget, so not part of the direct costs. Hours of a role "
    "with no rate set are counted as hours but not valued.",
)
def _indirect_total(summary: CostSummary) -> Decimal:
    return summary.indirect_total


@_cost_metric(
    "cost.indirect_by_role",
    "Time given, by role",
    "Hours given to the programme in the period by each contributor role, and their value "
    "at that role's hourly rate. A role with no rate set shows its hours, unvalued.",
)
def _indirect_by_role(summary: CostSummary) -> tuple[TimeValue, ...]:
    return summary.indirect_by_role


@_cost_metric(
    "cost.indirect_by_activity",
    "Time given, by activity",
    "Hours given to the programme in the period on each activity (case consultation, "
    "supervision, training delivery, GP education), and their value at the hourly rate of "
    "the role of whoever gave them.",
)
def _indirect_by_activity(summary: CostSummary) -> tuple[TimeValue, ...]:
    return summary.indirect_by_activity


@_cost_metric(
    "cost.budget_total",
    "Budget",
    "The sum of the amounts of every budget line whose period overlaps the period shown, "
    "in full (a line is not split across periods).",
)
def _budget_total(summary: CostSummary) -> Decimal:
    return summary.budget_total


@_cost_metric(
    "cost.per_referral",
    "Cost per referral received",
    f"The {_DIRECT} divided by the number of referrals received in the period, whatever "
    "their outcome. None when there were no referrals.",
)
def _per_referral(summary: CostSummary) -> Decimal | None:
    return summary.unit_costs["per_referral"].cost


@_cost_metric(
    "cost.per_client_seen",
    "Cost per client seen",
    f"The {_DIRECT} divided by the number of clients who attended at least one session "
    "in the period. None when nobody attended.",
)
def _per_client_seen(summary: CostSummary) -> Decimal | None:
    return summary.unit_costs["per_client_seen"].cost


@_cost_metric(
    "cost.per_client_completing",
    "Cost per client completing",
    f"The {_DIRECT} divided by the number of clients discharged in the period with the "
    "reason 'completed the programme'. None when nobody completed.",
)
def _per_client_completing(summary: CostSummary) -> Decimal | None:
    return summary.unit_costs["per_client_completing"].cost


@_cost_metric(
    "cost.per_goal_achieved",
    "Cost per goal achieved",
    f"The {_DIRECT} divided by the number of goals whose final status, fixed when the "
    "client was discharged in the period, is achieved or partly achieved. None when there "
    "were none.",
)
def _per_goal_achieved(summary: CostSummary) -> Decimal | None:
    return summary.unit_costs["per_goal_achieved"].cost


# The figures the source published, under stable ids other tools can rely on. Each ratio
# carries its numerator and denominator; its percentage is None when there is nothing to
# divide by ("no data"), never an error. The period is of referral dates, as for referrals.


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int

    @property
    def percentage(self) -> Decimal | None:
        if not self.denominator:
            return None
        return (Decimal(self.numerator) * 100 / Decimal(self.denominator)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


def _ratio(queryset: Any, numerator: Q, denominator: Q) -> Ratio:
    counts = queryset.aggregate(
        numerator=Count("pk", filter=numerator & denominator),
        denominator=Count("pk", filter=denominator),
    )
    return Ratio(counts["numerator"], counts["denominator"])


metric(
    "referrals.total",
    "Referrals received",
    "Referrals received in the period, whatever their outcome (the same figure as referral.count).",
)(referral_count.compute)

metric(
    "referrals.projected",
    "Referrals projected",
    "The number of referrals the programme expected, from its settings (the same figure as "
    "referral.projected).",
)(referral_projected.compute)

RECORDED_EMPLOYMENT = ~Q(employment_status="") & ~Q(employment_status="ZZ")


@metric(
    "referrals.pct_most_deprived_quintile",
    "Referrals from the most deprived areas",
    "Referrals received in the period from the nationally most deprived fifth of areas (IMD "
    "deciles 1 and 2, national quintile 1), out of referrals whose decile is known.",
)
def referrals_most_deprived(programme: Programme, period: Period) -> Ratio:
    return _ratio(_referrals(programme, period), Q(imd_decile__lte=2), Q(imd_decile__isnull=False))


@metric(
    "referrals.pct_long_term_sick_or_disabled",
    "Referrals of people long-term sick or disabled",
    "Referrals received in the period whose employment status is long-term sick or disabled "
    "(NHS Data Dictionary code 04), out of referrals with an employment status recorded and "
    "stated (not blank, not ZZ).",
)
def referrals_long_term_sick(programme: Programme, period: Period) -> Ratio:
    return _ratio(_referrals(programme, period), Q(employment_status="04"), RECORDED_EMPLOYMENT)


@metric(
    "referrals.pct_employed",
    "Referrals of people in work",
    "Referrals received in the period whose employment status is employed (code 01), out of "
    "referrals with an employment status recorded and stated.",
)
def referrals_employed(programme: Programme, period: Period) -> Ratio:
    return _ratio(_referrals(programme, period), Q(employment_status="01"), RECORDED_EMPLOYMENT)


@metric(
    "goals.pct_achieved_or_partly",
    "Goals achieved or partly achieved",
    "Goals of episodes referred in the period whose final status is achieved or partly "
    "achieved, out of goals whose final status is achieved, partly achieved or not achieved "
    "(goals no longer relevant, not reviewed or still open are left out).",
)
def goals_achieved_or_partly(programme: Programme, period: Period) -> Ratio:
    goals = Goal.objects.for_programme(programme).filter(period.referral_filter("episode__"))
    return _ratio(
        goals,
        Q(final_status__in=[GoalStatus.ACHIEVED, GoalStatus.PARTLY_ACHIEVED]),
        Q(
            final_status__in=[
                GoalStatus.ACHIEVED,
                GoalStatus.PARTLY_ACHIEVED,
                GoalStatus.NOT_ACHIEVED,
            ]
        ),
    )


@metric(
    "follow_up.pct_maintaining_strategies",
    "Maintaining self-management strategies at follow-up",
    "Follow-ups of episodes referred in the period that reached the client and answered yes "
    "to maintaining strategies (yes when every strategy taken up is kept up), out of "
    "follow-ups that reached the client and have an answer.",
)
def follow_up_maintaining(programme: Programme, period: Period) -> Ratio:
    follow_ups = FollowUp.objects.for_programme(programme).filter(
        period.referral_filter("episode__"), reached=True
    )
    return _ratio(follow_ups, Q(maintaining_strategies="yes"), ~Q(maintaining_strategies=""))


@dataclass(frozen=True)
class Flow:
    referred: int
    accepted: int
    first_session: int
    engaged: int
    completed: int
    followed_up: int


def _flow(programme: Programme, period: Period) -> Flow:
    attended = Coalesce(
        Subquery(
            Appointment.objects.filter(episode=OuterRef("pk"), attendance=Attendance.ATTENDED)
            .order_by()
            .values("episode")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )
    episodes = _referrals(programme, period)
    counts = episodes.aggregate(
        referred=Count("pk"),
        accepted=Count("pk", filter=Q(status=Status.ACCEPTED)),
    )
    # How many accepted episodes attended each number of sessions: one row per number.
    reached = (
        episodes.filter(status=Status.ACCEPTED)
        .annotate(sessions=attended)
        .values("sessions")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_sessions = {row["sessions"]: row["n"] for row in reached}
    closing = _referrals(programme, period).aggregate(
        completed=Count("pk", filter=Q(discharge__reason=DischargeReason.COMPLETED)),
        followed_up=Count("pk", filter=Q(follow_up__reached=True)),
    )
    return Flow(
        referred=counts["referred"],
        accepted=counts["accepted"],
        first_session=sum(n for sessions, n in by_sessions.items() if sessions >= 1),
        engaged=sum(n for sessions, n in by_sessions.items() if sessions >= 2),
        completed=closing["completed"],
        followed_up=closing["followed_up"],
    )


FLOW_STAGES = {
    "referred": "Referrals received in the period.",
    "accepted": "Of those, accepted into the programme.",
    "first_session": "Of those, with at least one session attended.",
    "engaged": "Of those, engaged: two or more sessions attended.",
    "completed": "Referrals received in the period discharged as having completed the programme.",
    "followed_up": "Referrals received in the period whose follow-up reached the client.",
}

for _stage, _definition in FLOW_STAGES.items():
    metric(f"flow.{_stage}", _stage.replace("_", " ").capitalize(), _definition)(
        lambda programme, period, stage=_stage: getattr(_flow(programme, period), stage)
    )


@dataclass(frozen=True)
class WellbeingChange:
    instrument: str | None
    n_paired: int
    mean_change: float | None


def _wellbeing(programme: Programme, period: Period) -> WellbeingChange:
    """Baseline to exit on the programme's headline well-being instrument, for episodes
    referred in the period."""
    headline = (
        ProgrammeInstrument.objects.for_programme(programme)
        .filter(is_primary=True)
        .select_related("instrument")
        .first()
    )
    if headline is None:
        return WellbeingChange(None, 0, None)
    pairs = paired_scores(
        programme, headline.instrument, responses_filter=period.referral_filter("episode__")
    )
    summary = paired_summary([pair.before for pair in pairs], [pair.after for pair in pairs])
    return WellbeingChange(headline.instrument.code, summary.n, summary.mean_change)


@metric(
    "wellbeing.n_paired",
    "Clients with well-being before and after",
    "Episodes referred in the period with a scored baseline and a scored exit questionnaire "
    "of the programme's headline well-being instrument.",
)
def wellbeing_n_paired(programme: Programme, period: Period) -> int:
    return _wellbeing(programme, period).n_paired


@metric(
    "wellbeing.mean_change",
    "Mean change in well-being",
    "The mean of exit minus baseline on the headline instrument, over the paired episodes; "
    "None with no pairs.",
)
def wellbeing_mean_change(programme: Programme, period: Period) -> float | None:
    return _wellbeing(programme, period).mean_change
