"""Referral metrics: counts, months, practices, sources, eligibility, days to first contact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
)
from django.db.models.functions import TruncMonth

from healthtrainer.core.period import Period
from healthtrainer.evaluation.metrics.registry import metric
from healthtrainer.programmes.models import Organisation, Programme
from healthtrainer.referrals.models import Referral, Source
from healthtrainer.referrals.triage import Status


def referrals_received(programme: Programme, period: Period) -> Any:
    return Referral.objects.filter(programme=programme).filter(period.referral_filter())


@metric(
    "referral.count",
    "Referrals received",
    "Referrals received in the period, whatever their outcome, including those found not eligible.",
)
def referral_count(programme: Programme, period: Period) -> int:
    count: int = referrals_received(programme, period).count()
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
        referrals_received(programme, period)
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
        referrals_received(programme, period)
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
    totals = referrals_received(programme, period).aggregate(
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
        referrals_received(programme, period)
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


# The referral figures shown together: on the referral dashboard and in the report's first
# section.
REFERRAL_METRICS = [
    "referral.count",
    "referral.projected",
    "referral.by_month",
    "referral.by_practice",
    "referral.by_source",
    "referral.eligibility",
    "referral.median_days_to_first_contact",
]
