"""Is CB delivered as intended? Supervisors' fidelity ratings over time, per trainer and
for the programme, beside the share of session records that name a CB technique.

A rated piece of work is one trainer in one supervision session; its score is the mean of
its item ratings. It meets the programme's threshold when that mean is at or above it.
A fixed number of queries for any amount of data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Exists, OuterRef, QuerySet

from healthtrainer.casework.models import SessionRecord
from healthtrainer.workforce.models import FidelityRating, SupervisionSession


@dataclass(frozen=True)
class RatedWork:
    held_on: date
    trainer_id: int
    trainer: str
    mean: float


@dataclass
class TrainerFidelity:
    trainer: str
    rated: list[RatedWork] = field(default_factory=list)

    @property
    def latest(self) -> float | None:
        return self.rated[-1].mean if self.rated else None


@dataclass(frozen=True)
class ProgrammeFidelity:
    rated_work: int
    at_threshold: int
    session_records: int
    naming_a_technique: int
    threshold: Decimal

    @property
    def share_at_threshold(self) -> float | None:
        return self.at_threshold / self.rated_work if self.rated_work else None

    @property
    def share_naming_a_technique(self) -> float | None:
        return self.naming_a_technique / self.session_records if self.session_records else None


def rated_work(sessions: QuerySet[SupervisionSession], *, trainer: Any = None) -> list[RatedWork]:
    """Each trainer's mean rating in each session, oldest first; one trainer's if given."""
    ratings = FidelityRating.objects.filter(session__in=sessions.values("pk"))
    if trainer is not None:
        ratings = ratings.filter(trainer=trainer)
    rows = (
        ratings.values("session__held_on", "trainer_id", "trainer__full_name", "session_id")
        .annotate(mean=Avg("value"))
        .order_by("session__held_on", "session_id", "trainer__full_name")
    )
    return [
        RatedWork(
            row["session__held_on"], row["trainer_id"], row["trainer__full_name"], row["mean"]
        )
        for row in rows
    ]


def by_trainer(work: list[RatedWork]) -> list[TrainerFidelity]:
    grouped: dict[int, TrainerFidelity] = {}
    for item in work:
        grouped.setdefault(item.trainer_id, TrainerFidelity(item.trainer)).rated.append(item)
    return sorted(grouped.values(), key=lambda entry: entry.trainer)


def count_at_threshold(work: list[RatedWork], threshold: Decimal) -> int:
    return sum(1 for item in work if Decimal(str(item.mean)) >= threshold)


def programme_fidelity(
    programme: Any, work: list[RatedWork], threshold: Decimal
) -> ProgrammeFidelity:
    records = SessionRecord.objects.filter(appointment__programme=programme).aggregate(
        total=Count("pk"),
        naming=Count(
            "pk",
            filter=Exists(
                SessionRecord.techniques.through.objects.filter(sessionrecord_id=OuterRef("pk"))
            ),
        ),
    )
    return ProgrammeFidelity(
        rated_work=len(work),
        at_threshold=count_at_threshold(work, threshold),
        session_records=records["total"],
        naming_a_technique=records["naming"],
        threshold=threshold,
    )


def ratings_by_month(work: list[RatedWork]) -> list[tuple[str, float]]:
    """The programme's mean rating in each month with ratings, for a chart over time."""
    months: dict[str, list[float]] = defaultdict(list)
    for item in work:
        months[item.held_on.strftime("%b %Y")].append(item.mean)
    return [(month, sum(values) / len(values)) for month, values in months.items()]
