"""Referral metrics: how many people were referred, when, from where, who they were,
whether they were eligible and how soon they were first contacted. Counted by the date
the referral was received."""

from __future__ import annotations

from collections import defaultdict
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
from healthtrainer.deprivation.lookup import local_quintiles
from healthtrainer.deprivation.models import Edition
from healthtrainer.evaluation.metrics.ratio import Ratio, ratio_of
from healthtrainer.evaluation.metrics.registry import PeriodRule, metric
from healthtrainer.evaluation.metrics.subgroups import (
    SUBGROUPS,
    GroupCount,
    counts_by_every_subgroup,
    sort_key,
)
from healthtrainer.programmes.models import Organisation, Programme
from healthtrainer.referrals.models import Referral, Source
from healthtrainer.referrals.triage import Status


def referrals_received(programme: Programme, period: Period) -> Any:
    return Referral.objects.filter(programme=programme).filter(period.referral_filter())


@metric(
    "referral.count",
    "Referrals received",
    "Referrals received in the period, whatever their outcome, including those found not eligible.",
    period=PeriodRule.REFERRAL_DATE,
)
def referral_count(programme: Programme, period: Period) -> int:
    count: int = referrals_received(programme, period).count()
    return count


@metric(
    "referral.projected",
    "Referrals projected",
    "The number of referrals the programme expected, from its settings. None if not set.",
    period=PeriodRule.SETTINGS,
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
    period=PeriodRule.REFERRAL_DATE,
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
    period=PeriodRule.REFERRAL_DATE,
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
    period=PeriodRule.REFERRAL_DATE,
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
    period=PeriodRule.REFERRAL_DATE,
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
    period=PeriodRule.REFERRAL_DATE,
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


RECORDED_EMPLOYMENT = ~Q(employment_status="") & ~Q(employment_status="ZZ")


@metric(
    "referral.pct_most_deprived_quintile",
    "Referrals from the most deprived areas",
    "Referrals received in the period from the nationally most deprived fifth of areas (IMD "
    "deciles 1 and 2, national quintile 1), out of referrals whose decile is known.",
    period=PeriodRule.REFERRAL_DATE,
)
def referrals_most_deprived(programme: Programme, period: Period) -> Ratio:
    return ratio_of(
        referrals_received(programme, period), Q(imd_decile__lte=2), Q(imd_decile__isnull=False)
    )


@metric(
    "referral.pct_long_term_sick_or_disabled",
    "Referrals of people long-term sick or disabled",
    "Referrals received in the period whose employment status is long-term sick or disabled "
    "(NHS Data Dictionary code 04), out of referrals with an employment status recorded and "
    "stated (not blank, not ZZ).",
    period=PeriodRule.REFERRAL_DATE,
)
def referrals_long_term_sick(programme: Programme, period: Period) -> Ratio:
    return ratio_of(
        referrals_received(programme, period), Q(employment_status="04"), RECORDED_EMPLOYMENT
    )


@metric(
    "referral.pct_employed",
    "Referrals of people in work",
    "Referrals received in the period whose employment status is employed (code 01), out of "
    "referrals with an employment status recorded and stated.",
    period=PeriodRule.REFERRAL_DATE,
)
def referrals_employed(programme: Programme, period: Period) -> Ratio:
    return ratio_of(
        referrals_received(programme, period), Q(employment_status="01"), RECORDED_EMPLOYMENT
    )


@metric(
    "referral.profile",
    "Who was referred",
    "Referrals received in the period, counted by national IMD quintile, employment status, "
    "ethnic category, sex and age band at referral. Everyone referred is counted once in "
    "each breakdown; what was not recorded is counted as such.",
    period=PeriodRule.REFERRAL_DATE,
)
def referral_profile(programme: Programme, period: Period) -> dict[str, list[GroupCount]]:
    return counts_by_every_subgroup(referrals_received(programme, period))


@metric(
    "referral.by_local_imd_quintile",
    "Referrals by local IMD quintile",
    "Referrals received in the period by the quintile of their area within the programme's "
    "local authority (1 is the most deprived fifth of the authority's areas), from each "
    "referral's own IMD edition. Areas outside the authority, or not known, are counted as "
    "not known. Empty when the programme has no local authority.",
    period=PeriodRule.REFERRAL_DATE,
)
def referrals_by_local_quintile(programme: Programme, period: Period) -> list[GroupCount]:
    if not programme.local_authority_code:
        return []
    rows = (
        referrals_received(programme, period)
        .values("lsoa_code", "imd_edition")
        .annotate(n=Count("pk"))
        .order_by()
    )
    quintiles: dict[str, dict[str, int]] = {}
    counts: dict[int | None, int] = defaultdict(int)
    for row in rows:
        # Deciles imported "as recorded" name no edition, so have no local quintile.
        edition = row["imd_edition"] if row["imd_edition"] in Edition.values else ""
        if edition and edition not in quintiles:
            quintiles[edition] = local_quintiles(programme.local_authority_code, edition)
        quintile = quintiles.get(edition, {}).get(row["lsoa_code"]) if edition else None
        counts[quintile] += row["n"]
    label = SUBGROUPS["imd_quintile"].label
    return [GroupCount(label(key), counts[key]) for key in sorted(counts, key=sort_key)]
