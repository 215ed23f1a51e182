"""The client's own check-ins, given in their companion or by text message and audited as
theirs: how each goal is going, weekly while they are seen, and whether they still use
each strategy, monthly from discharge until the follow-up is recorded."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from healthtrainer.casework.models import (
    CheckInView,
    ClientStrategy,
    Discharge,
    FollowUp,
    Goal,
    GoalCheckIn,
    Maintained,
    StrategyCheckIn,
)
from healthtrainer.casework.services.common import require_open
from healthtrainer.core.audit import audit_record
from healthtrainer.referrals.models import Referral


def week_starting(day: date) -> date:
    """The Monday of the day's week: goal check-ins are counted by week."""
    return day - timedelta(days=day.weekday())


def month_starting(day: date) -> date:
    """The first of the day's month: strategy check-ins are counted by month."""
    return day.replace(day=1)


@transaction.atomic
def goal_check_in(*, goal: Goal, view: str, via: str, now: datetime | None = None) -> GoalCheckIn:
    """Record the client's own view of their goal this week (achieved, partly, not yet).
    The goal's own status, which the trainer reviews, is not changed."""
    if view not in CheckInView.values:
        raise ValidationError({"view": "Choose achieved, partly or not yet"})
    require_open(goal.episode, "check in on a goal")
    now = now or timezone.now()
    check_in, _ = GoalCheckIn.objects.update_or_create(
        goal=goal,
        week_starting=week_starting(timezone.localtime(now).date()),
        defaults={"view": view, "via": via, "answered_at": now},
    )
    _audit_as_client(goal.episode, "casework.goal_check_in.recorded", check_in, ["view"])
    return check_in


def strategy_check_ins_open(episode: Referral) -> bool:
    """Strategy check-ins run from discharge until the follow-up reaches the client."""
    if not Discharge.objects.filter(episode=episode).exists():
        return False
    return not FollowUp.objects.filter(episode=episode, reached=True).exists()


@transaction.atomic
def strategy_check_in(
    *, client_strategy: ClientStrategy, maintained: str, via: str, now: datetime | None = None
) -> StrategyCheckIn:
    """Record whether the client still uses a strategy this month (yes, partly, no)."""
    if maintained not in Maintained.values:
        raise ValidationError({"maintained": "Choose yes, partly or no"})
    episode = client_strategy.episode
    if not strategy_check_ins_open(episode):
        raise ValidationError(
            "Strategy check-ins are open from the end of your sessions until your follow-up."
        )
    now = now or timezone.now()
    check_in, _ = StrategyCheckIn.objects.update_or_create(
        client_strategy=client_strategy,
        month_starting=month_starting(timezone.localtime(now).date()),
        defaults={"maintained": maintained, "via": via, "answered_at": now},
    )
    _audit_as_client(episode, "casework.strategy_check_in.recorded", check_in, ["maintained"])
    return check_in


def latest_strategy_answers(episode: Referral) -> dict[int, StrategyCheckIn]:
    """Each strategy's latest monthly answer from the client, by ClientStrategy id."""
    latest: dict[int, StrategyCheckIn] = {}
    answers = StrategyCheckIn.objects.filter(client_strategy__episode=episode).order_by(
        "client_strategy_id", "-month_starting"
    )
    for answer in answers:
        latest.setdefault(answer.client_strategy_id, answer)
    return latest


def _audit_as_client(episode: Referral, action: str, target: Model, fields: list[str]) -> None:
    audit_record(
        actor=None,
        client_actor=episode.client,
        action=action,
        target=target,
        programme=episode.programme,
        changed_fields=fields,
    )
