"""A one-page summary of what a client recorded in their companion beside what they
agreed with their trainer: for the trainer to go through at a session, or to send to the
client's GP. Lists are cut to fit one page, and say so when they are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from django.db import models
from django.db.models import Prefetch
from django.utils import timezone

from healthtrainer.casework.models import (
    Appointment,
    ClientStrategy,
    Goal,
    GoalCheckIn,
    GoalReview,
    StrategyCheckIn,
)
from healthtrainer.casework.services.check_ins import latest_strategy_answers
from healthtrainer.companion.diary import DiaryDay, diary_days
from healthtrainer.companion.models import SetbackPlan
from healthtrainer.companion.pacing import PacingLine, pacing_lines
from healthtrainer.companion.plan import next_appointment
from healthtrainer.referrals.models import Referral

_T = TypeVar("_T")

# The days of the client's diary the trainer sees, as a chart and its table.
DIARY_DAYS = 30
MOST_GOALS = 6
MOST_STRATEGIES = 8
MOST_PACED = 3
# Goals and the setback plan are in the client's own words, the plan of any length: on one
# page each is cut at a sentence's length or so (marked …); the whole is in the service.
MOST_CHARACTERS = 160


class Audience(models.TextChoices):
    SESSION = "session", "For the next session"
    GP = "gp", "For the client's GP"


@dataclass(frozen=True)
class GoalSummary:
    goal: Goal
    description: str
    latest_review: GoalReview | None
    # The client's own weekly answers, newest first.
    check_ins: list[GoalCheckIn]


@dataclass(frozen=True)
class Shown(Generic[_T]):
    items: list[_T]
    left_out: int


@dataclass(frozen=True)
class CompanionSummary:
    episode: Referral
    audience: str
    made_on: date
    goals: Shown[GoalSummary]
    strategies: Shown[tuple[ClientStrategy, StrategyCheckIn | None]]
    diary: list[DiaryDay]
    pacing: Shown[PacingLine]
    setback: dict[str, str]
    next_appointment: Appointment | None

    @property
    def diary_entries(self) -> int:
        return sum(day.entries for day in self.diary)

    @property
    def mean_pain(self) -> float | None:
        pains = [day.mean_pain for day in self.diary if day.mean_pain is not None]
        return round(sum(pains) / len(pains), 1) if pains else None


def summary_of(episode: Referral, audience: str, *, today: date | None = None) -> CompanionSummary:
    today = today or timezone.localdate()
    goals = Goal.objects.filter(episode=episode).prefetch_related(
        Prefetch("reviews", queryset=GoalReview.objects.order_by("-reviewed_on", "-id")),
        Prefetch("check_ins", queryset=GoalCheckIn.objects.order_by("-week_starting")),
    )
    answers = latest_strategy_answers(episode)
    strategies = ClientStrategy.objects.filter(episode=episode).select_related("strategy")
    setback = SetbackPlan.objects.filter(episode=episode).first()
    return CompanionSummary(
        episode=episode,
        audience=audience,
        made_on=today,
        goals=_shown(
            [
                GoalSummary(
                    goal,
                    _cut(goal.description),
                    _first(list(goal.reviews.all())),
                    list(goal.check_ins.all())[:4],
                )
                for goal in goals
            ],
            MOST_GOALS,
        ),
        strategies=_shown([(item, answers.get(item.pk)) for item in strategies], MOST_STRATEGIES),
        diary=diary_days(episode, days=DIARY_DAYS, today=today),
        pacing=_shown(pacing_lines(episode, today=today), MOST_PACED),
        setback=_setback_parts(setback),
        next_appointment=next_appointment(episode),
    )


def _shown(items: list[_T], most: int) -> Shown[_T]:
    return Shown(items[:most], max(0, len(items) - most))


def _first(items: list[_T]) -> _T | None:
    return items[0] if items else None


def _setback_parts(setback: SetbackPlan | None) -> dict[str, str]:
    if setback is None or setback.is_empty:
        return {}
    parts = {
        "Signs a flare-up is starting": setback.early_signs,
        "What helps": setback.what_helps,
        "Who to contact": setback.who_to_contact,
    }
    return {label: _cut(text) for label, text in parts.items() if text.strip()}


def _cut(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= MOST_CHARACTERS:
        return text
    return text[:MOST_CHARACTERS].rsplit(" ", 1)[0] + " …"
