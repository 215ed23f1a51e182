"""What the client's "My plan" page shows, read from their own current episode only:
their goals with the latest review, their next appointment, the strategies they took up,
their setback plan and who their trainer is. An appointment as a calendar file (.ics) too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext

from healthtrainer.casework.models import (
    Appointment,
    ClientStrategy,
    Goal,
    GoalCheckIn,
    GoalReview,
    StrategyCheckIn,
)
from healthtrainer.casework.services.check_ins import (
    month_starting,
    strategy_check_ins_open,
    week_starting,
)
from healthtrainer.casework.vocabulary import Attendance
from healthtrainer.clients.models import Client
from healthtrainer.companion.models import SetbackPlan
from healthtrainer.companion.services import current_episode
from healthtrainer.referrals.models import Referral

_T = TypeVar("_T")

# An appointment's length in the calendar file: the programme records when sessions
# start, not how long they run.
APPOINTMENT_LENGTH = timedelta(hours=1)


@dataclass(frozen=True)
class GoalLine:
    goal: Goal
    latest: GoalReview | None
    # The client's own view of it this week, if they have given it.
    this_week: GoalCheckIn | None


@dataclass(frozen=True)
class StrategyLine:
    taken_up: ClientStrategy
    # After discharge, the client's answer this month to "are you still using it?".
    this_month: StrategyCheckIn | None


@dataclass(frozen=True)
class Plan:
    episode: Referral
    goals: list[GoalLine]
    next_appointment: Appointment | None
    strategies: list[StrategyLine]
    # From discharge until the follow-up, the client says monthly which strategies they use.
    asks_about_strategies: bool
    setback: SetbackPlan | None


def plan_of(client: Client, *, now: datetime | None = None) -> Plan | None:
    episode = current_episode(client)
    if episode is None:
        return None
    today = timezone.localtime(now or timezone.now()).date()
    week = week_starting(today)
    goals = Goal.objects.filter(episode=episode).prefetch_related(
        Prefetch("reviews", queryset=GoalReview.objects.order_by("reviewed_on", "id")),
        Prefetch(
            "check_ins", queryset=GoalCheckIn.objects.filter(week_starting=week), to_attr="week"
        ),
    )
    return Plan(
        episode=episode,
        goals=[
            GoalLine(goal, _latest(list(goal.reviews.all())), _first(getattr(goal, "week", [])))
            for goal in goals
        ],
        next_appointment=next_appointment(episode, now=now),
        strategies=[
            StrategyLine(taken_up, _first(getattr(taken_up, "month", [])))
            for taken_up in ClientStrategy.objects.filter(episode=episode)
            .select_related("strategy")
            .prefetch_related(
                Prefetch(
                    "check_ins",
                    queryset=StrategyCheckIn.objects.filter(month_starting=month_starting(today)),
                    to_attr="month",
                )
            )
        ],
        asks_about_strategies=strategy_check_ins_open(episode),
        setback=SetbackPlan.objects.filter(episode=episode).first(),
    )


def _first(items: list[_T]) -> _T | None:
    return items[0] if items else None


def _latest(reviews: list[GoalReview]) -> GoalReview | None:
    return reviews[-1] if reviews else None


def next_appointment(episode: Referral, *, now: datetime | None = None) -> Appointment | None:
    return (
        Appointment.objects.filter(
            episode=episode,
            attendance=Attendance.BOOKED,
            starts_at__gte=now or timezone.now(),
        )
        .order_by("starts_at")
        .first()
    )


def as_calendar(appointment: Appointment, *, service_name: str) -> str:
    """The appointment as an iCalendar event (RFC 5545), with no health details in it."""
    start = appointment.starts_at
    end = start + APPOINTMENT_LENGTH
    stamp = timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{_text(service_name)}//Companion//EN",
        "BEGIN:VEVENT",
        f"UID:appointment-{appointment.pk}@healthtrainer",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(start)}",
        f"DTEND:{_utc(end)}",
        f"SUMMARY:{_text(gettext('Health trainer appointment'))}",
        f"LOCATION:{_text(appointment.venue or appointment.get_mode_display())}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.get_fixed_timezone(0)).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    """Text escaped as iCalendar requires."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
