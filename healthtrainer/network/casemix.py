"""Completion adjusted for case-mix: each programme's clients who completed against the
number expected had they completed at the network's rate for clients like them, grouped
by IMD quintile, age band at referral and sex (indirect standardisation). A ratio above 1
is more completions than its case-mix predicts.

The observed count is the published one; the expected count comes from exact counts, but
only the ratio is shown, to two decimal places, never the expected count or a group's
count. Baseline well-being is not yet among the groups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from healthtrainer.casework.vocabulary import DischargeReason
from healthtrainer.evaluation.disclosure import published_count
from healthtrainer.evaluation.metrics.subgroups import with_key
from healthtrainer.network.funnel import Band, Funnel, Unit, ratio_funnel
from healthtrainer.network.standardise import StratumCount, indirectly_standardised
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status

CASE_MIX = ("imd_quintile", "age_band", "sex")


@dataclass(frozen=True)
class AdjustedProgramme:
    programme: Programme
    ratio: float
    band: Band
    # The expected count to the nearest 5, for placing the point: never shown exactly.
    expected_about: int


@dataclass(frozen=True)
class AdjustedFunnel:
    funnel: Funnel | None
    shown: list[AdjustedProgramme]
    too_few: list[Programme]


# Each programme's strata: [[IMD quintile, age band, sex], clients, completed] for each.
Rows = dict[int, list[tuple[list[Any], int, int]]]


def casemix_rows(programmes: list[Programme]) -> Rows:
    """Each programme's accepted referrals and completions in each stratum: one grouped
    query."""
    accepted = Referral.objects.filter(programme__in=programmes, status=Status.ACCEPTED)
    for subgroup in CASE_MIX:
        accepted = with_key(accepted, subgroup, "", f"mix_{subgroup}")
    found: Rows = {}
    for row in (
        accepted.order_by()
        .values("programme_id", *(f"mix_{subgroup}" for subgroup in CASE_MIX))
        .annotate(
            clients=Count("pk"),
            events=Count("pk", filter=Q(discharge__reason=DischargeReason.COMPLETED)),
        )
    ):
        stratum = [row[f"mix_{subgroup}"] for subgroup in CASE_MIX]
        found.setdefault(row["programme_id"], []).append((stratum, row["clients"], row["events"]))
    return found


def completion_adjusted(programmes: list[Programme], rows: Rows | None = None) -> AdjustedFunnel:
    """The ratios, from `rows` as kept with the published figures (or read now)."""
    rows = casemix_rows(programmes) if rows is None else rows
    ratios = indirectly_standardised(
        StratumCount(str(programme.pk), tuple(stratum), clients, events)
        for programme in programmes
        for stratum, clients, events in rows.get(programme.pk) or []
    )
    units: list[tuple[Programme, Unit]] = []
    too_few: list[Programme] = []
    for programme in programmes:
        result = ratios.get(str(programme.pk))
        observed = published_count(result.observed) if result else 0
        if result is None or isinstance(observed, str) or not observed or not result.expected:
            too_few.append(programme)
            continue
        units.append(
            (programme, Unit(str(programme.pk), observed / result.expected, result.expected))
        )
    if not units:
        return AdjustedFunnel(None, [], too_few)
    funnel = ratio_funnel([unit for _, unit in units])
    return AdjustedFunnel(
        funnel,
        [
            AdjustedProgramme(
                programme,
                round(unit.value, 2),
                funnel.bands[unit.key],
                max(5, 5 * round(unit.denominator / 5)),
            )
            for programme, unit in units
        ],
        too_few,
    )
