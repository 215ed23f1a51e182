"""The flow of referrals through the programme: referred, accepted, seen, engaged,
completed and followed up. Counted by the date the referral was received."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

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
from healthtrainer.evaluation.metrics.registry import PeriodRule, metric
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status


@dataclass(frozen=True)
class Flow:
    referred: int
    accepted: int
    first_session: int
    engaged: int
    completed: int
    followed_up: int


EMPTY = Flow(0, 0, 0, 0, 0, 0)


def flow_counts(programme: Programme, period: Period) -> Flow:
    return flow_by_programme([programme], period).get(programme.pk, EMPTY)


def attended_sessions() -> Any:
    """The number of sessions an episode (a referral row) attended, as an expression."""
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


def flow_by_programme(programmes: Iterable[Programme], period: Period) -> dict[int, Flow]:
    """The flow of each programme, in four queries however many programmes."""
    chosen = list(programmes)
    attended = attended_sessions()
    episodes = Referral.objects.filter(programme__in=chosen).filter(period.referral_filter())
    counts = {
        row["programme_id"]: row
        for row in episodes.order_by()
        .values("programme_id")
        .annotate(
            referred=Count("pk"),
            accepted=Count("pk", filter=Q(status=Status.ACCEPTED)),
        )
    }
    # How many accepted episodes attended each number of sessions: a row per number.
    by_sessions: dict[int, dict[int, int]] = defaultdict(dict)
    for row in (
        episodes.filter(status=Status.ACCEPTED)
        .annotate(sessions=attended)
        .order_by()
        .values("programme_id", "sessions")
        .annotate(n=Count("pk"))
    ):
        by_sessions[row["programme_id"]][row["sessions"]] = row["n"]
    # Counted from the discharges and follow-ups, joined to their referral only for its
    # date: read from the referrals side, the planner may scan every discharge and
    # follow-up of every programme (docs/performance.md).
    of_period = period.referral_filter("episode__")
    completed = _per_programme(
        Discharge.objects.filter(programme__in=chosen, reason=DischargeReason.COMPLETED).filter(
            of_period
        )
    )
    followed_up = _per_programme(
        FollowUp.objects.filter(programme__in=chosen).counted_by_evaluation().filter(of_period)
    )
    return {
        pk: Flow(
            referred=row["referred"],
            accepted=row["accepted"],
            first_session=sum(n for sessions, n in by_sessions[pk].items() if sessions >= 1),
            engaged=sum(n for sessions, n in by_sessions[pk].items() if sessions >= 2),
            completed=completed.get(pk, 0),
            followed_up=followed_up.get(pk, 0),
        )
        for pk, row in counts.items()
    }


def _per_programme(queryset: Any) -> dict[int, int]:
    return {
        row["programme_id"]: row["n"]
        for row in queryset.order_by().values("programme_id").annotate(n=Count("pk"))
    }


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
