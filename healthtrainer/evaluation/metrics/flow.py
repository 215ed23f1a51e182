"""The flow of referrals through the programme: referred, accepted, seen, engaged,
completed and followed up. Counted by the date the referral was received."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Count,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce

from healthtrainer.casework.models import Appointment, Discharge, FollowUp
from healthtrainer.casework.vocabulary import (
    Attendance,
    DischargeReason,
)
from healthtrainer.core.period import Period
from healthtrainer.evaluation.metrics.referral import referrals_received
from healthtrainer.evaluation.metrics.registry import PeriodRule, metric
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.triage import Status


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


# The stages, in order: each is a metric `flow.<stage>`.
FLOW_STAGES = ("referred", "accepted", "first_session", "engaged", "completed", "followed_up")


@metric(
    "flow.referred",
    "Referred",
    "Referrals received in the period.",
    period=PeriodRule.REFERRAL_DATE,
)
def flow_referred(programme: Programme, period: Period) -> int:
    return flow_counts(programme, period).referred


@metric(
    "flow.accepted",
    "Accepted",
    "Of those, accepted into the programme.",
    period=PeriodRule.REFERRAL_DATE,
)
def flow_accepted(programme: Programme, period: Period) -> int:
    return flow_counts(programme, period).accepted


@metric(
    "flow.first_session",
    "First session",
    "Of those, with at least one session attended.",
    period=PeriodRule.REFERRAL_DATE,
)
def flow_first_session(programme: Programme, period: Period) -> int:
    return flow_counts(programme, period).first_session


@metric(
    "flow.engaged",
    "Engaged",
    "Of those, engaged: two or more sessions attended.",
    period=PeriodRule.REFERRAL_DATE,
)
def flow_engaged(programme: Programme, period: Period) -> int:
    return flow_counts(programme, period).engaged


@metric(
    "flow.completed",
    "Completed",
    "Referrals received in the period discharged as having completed the programme.",
    period=PeriodRule.REFERRAL_DATE,
)
def flow_completed(programme: Programme, period: Period) -> int:
    return flow_counts(programme, period).completed


@metric(
    "flow.followed_up",
    "Followed up",
    "Referrals received in the period whose follow-up reached the client, on or after its "
    "due date or early within the programme's rule.",
    period=PeriodRule.REFERRAL_DATE,
)
def flow_followed_up(programme: Programme, period: Period) -> int:
    return flow_counts(programme, period).followed_up
