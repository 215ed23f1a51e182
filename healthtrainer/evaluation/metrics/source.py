"""The figures the source published, under stable ids."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Count,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce

from healthtrainer.casework.models import Appointment, Discharge, FollowUp, Goal
from healthtrainer.casework.vocabulary import Attendance, DischargeReason, GoalStatus
from healthtrainer.core.period import Period
from healthtrainer.evaluation.metrics.referrals import (
    referral_count,
    referral_projected,
    referrals_received,
)
from healthtrainer.evaluation.metrics.registry import metric
from healthtrainer.measures.models import ProgrammeInstrument
from healthtrainer.measures.outcomes import Pair, paired_scores
from healthtrainer.measures.statistics import paired_summary
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.triage import Status

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
    "Referrals received in the period, whatever their outcome (the same figure as the "
    "referral dashboard's count).",
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
    return _ratio(
        referrals_received(programme, period), Q(imd_decile__lte=2), Q(imd_decile__isnull=False)
    )


@metric(
    "referrals.pct_long_term_sick_or_disabled",
    "Referrals of people long-term sick or disabled",
    "Referrals received in the period whose employment status is long-term sick or disabled "
    "(NHS Data Dictionary code 04), out of referrals with an employment status recorded and "
    "stated (not blank, not ZZ).",
)
def referrals_long_term_sick(programme: Programme, period: Period) -> Ratio:
    return _ratio(
        referrals_received(programme, period), Q(employment_status="04"), RECORDED_EMPLOYMENT
    )


@metric(
    "referrals.pct_employed",
    "Referrals of people in work",
    "Referrals received in the period whose employment status is employed (code 01), out of "
    "referrals with an employment status recorded and stated.",
)
def referrals_employed(programme: Programme, period: Period) -> Ratio:
    return _ratio(
        referrals_received(programme, period), Q(employment_status="01"), RECORDED_EMPLOYMENT
    )


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
    "follow-ups that reached the client and have an answer. A follow-up made early counts "
    "only within the programme's rule (days before the due date).",
)
def follow_up_maintaining(programme: Programme, period: Period) -> Ratio:
    follow_ups = (
        FollowUp.objects.for_programme(programme)
        .counted_by_evaluation(programme)
        .filter(period.referral_filter("episode__"))
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


def flow_counts(programme: Programme, period: Period) -> Flow:
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
    episodes = referrals_received(programme, period)
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
    # Counted from the discharges and follow-ups of the programme, joined to their
    # referral only for its date: read from the referrals side, the planner may scan every
    # discharge and follow-up of every programme (docs/performance.md).
    of_period = period.referral_filter("episode__")
    completed = (
        Discharge.objects.for_programme(programme)
        .filter(of_period, reason=DischargeReason.COMPLETED)
        .count()
    )
    followed_up = (
        FollowUp.objects.for_programme(programme)
        .counted_by_evaluation(programme)
        .filter(of_period)
        .count()
    )
    return Flow(
        referred=counts["referred"],
        accepted=counts["accepted"],
        first_session=sum(n for sessions, n in by_sessions.items() if sessions >= 1),
        engaged=sum(n for sessions, n in by_sessions.items() if sessions >= 2),
        completed=completed,
        followed_up=followed_up,
    )


FLOW_STAGES = {
    "referred": "Referrals received in the period.",
    "accepted": "Of those, accepted into the programme.",
    "first_session": "Of those, with at least one session attended.",
    "engaged": "Of those, engaged: two or more sessions attended.",
    "completed": "Referrals received in the period discharged as having completed the programme.",
    "followed_up": "Referrals received in the period whose follow-up reached the client, on "
    "or after its due date or early within the programme's rule.",
}

for _stage, _definition in FLOW_STAGES.items():
    metric(f"flow.{_stage}", _stage.replace("_", " ").capitalize(), _definition)(
        lambda programme, period, stage=_stage: getattr(flow_counts(programme, period), stage)
    )


@dataclass(frozen=True)
class WellbeingChange:
    instrument: str | None
    n_paired: int
    mean_change: float | None


def headline_pairs(programme: Programme, period: Period) -> tuple[Any, list[Pair]]:
    """The programme's headline well-being instrument (None if it has none) and the
    episodes referred in the period with a scored baseline and exit on it."""
    headline = (
        ProgrammeInstrument.objects.for_programme(programme)
        .filter(is_primary=True)
        .select_related("instrument")
        .first()
    )
    if headline is None:
        return None, []
    return headline.instrument, paired_scores(
        programme, headline.instrument, responses_filter=period.referral_filter("episode__")
    )


def _wellbeing(programme: Programme, period: Period) -> WellbeingChange:
    instrument, pairs = headline_pairs(programme, period)
    summary = paired_summary([pair.before for pair in pairs], [pair.after for pair in pairs])
    return WellbeingChange(instrument.code if instrument else None, summary.n, summary.mean_change)


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
