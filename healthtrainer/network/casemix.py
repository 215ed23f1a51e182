"""Each headline outcome adjusted for case-mix: a programme's observed count against the
number expected had its clients done as the network does for clients like them, grouped
by IMD quintile, age band at referral, sex and baseline well-being band (indirect
standardisation, `standardise.py`). A ratio above 1 is more than its case-mix predicts.

The observed count is the one the crude funnel shows: the programme's published report's
own count. The expected count comes from exact counts in each group, but only the ratio is
shown, to two decimal places, never the expected count or a group's count.

Baseline well-being is banded on the programme's headline questionnaire by the cut points
Warwick Medical School's guidance gives: on WEMWBS, 44 or below (possible or probable
depression) and 60 or above (high well-being); on SWEMWBS's metric score, 20 or below and
28 or above. A client without a baseline on a banded questionnaire is a group of its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from healthtrainer.casework.models import FollowUp, Goal
from healthtrainer.casework.vocabulary import DischargeReason
from healthtrainer.evaluation.disclosure import SUPPRESSED
from healthtrainer.evaluation.metrics.flow import attended_sessions
from healthtrainer.evaluation.metrics.follow_up import ANSWERED, MAINTAINING
from healthtrainer.evaluation.metrics.goals import ACHIEVED_OR_PARTLY, JUDGED
from healthtrainer.evaluation.metrics.subgroups import with_key
from healthtrainer.measures.models import ProgrammeInstrument, QuestionnaireResponse, Timepoint
from healthtrainer.network.funnel import Band, Funnel, Unit, ratio_funnel
from healthtrainer.network.models import PublishedFigures
from healthtrainer.network.outcomes import OUTCOME_CELLS
from healthtrainer.network.standardise import StratumCount, indirectly_standardised
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status

CASE_MIX = ("imd_quintile", "age_band", "sex")
CASE_MIX_WORDS = "IMD quintile, age band at referral, sex and baseline well-being band"
# (at or below this is low, at or above this is high), by headline questionnaire.
WELLBEING_CUTS = {"wemwbs": (Decimal(44), Decimal(60)), "swemwbs": (Decimal(20), Decimal(28))}
NO_BAND = "no baseline on a banded questionnaire"


def wellbeing_band(instrument: str | None, total: Any) -> str:
    cuts = WELLBEING_CUTS.get(instrument or "")
    if cuts is None or total is None:
        return NO_BAND
    score = Decimal(str(total))
    if score <= cuts[0]:
        return "low"
    return "high" if score >= cuts[1] else "middle"


def episode_groups(programmes: list[Programme]) -> dict[int, tuple[Any, ...]]:
    """Each of the programmes' episodes' case-mix group keys (without the well-being band,
    which the caller has from the scores it holds)."""
    episodes = Referral.objects.filter(programme__in=programmes)
    keys = [f"mix_{subgroup}" for subgroup in CASE_MIX]
    for subgroup, key in zip(CASE_MIX, keys, strict=True):
        episodes = with_key(episodes, subgroup, "", key)
    return {pk: tuple(values) for pk, *values in episodes.order_by().values_list("pk", *keys)}


@dataclass(frozen=True)
class Adjustable:
    """An outcome as units (its denominator's rows), the path from a unit to its referral,
    and which units had the outcome."""

    outcome: str
    units: Callable[[list[Programme]], QuerySet[Any]]
    prefix: str
    event: Q


def _accepted(programmes: list[Programme]) -> QuerySet[Any]:
    return Referral.objects.filter(programme__in=programmes, status=Status.ACCEPTED)


ADJUSTABLE = (
    Adjustable(
        "goals",
        lambda chosen: Goal.objects.filter(programme__in=chosen).filter(JUDGED),
        "episode__",
        ACHIEVED_OR_PARTLY,
    ),
    Adjustable(
        "strategies",
        lambda chosen: (
            FollowUp.objects.filter(programme__in=chosen).counted_by_evaluation().filter(ANSWERED)
        ),
        "episode__",
        MAINTAINING,
    ),
    Adjustable(
        "engaged",
        lambda chosen: _accepted(chosen).annotate(attended=attended_sessions()),
        "",
        Q(attended__gte=2),
    ),
    Adjustable("completed", _accepted, "", Q(discharge__reason=DischargeReason.COMPLETED)),
)

# Each programme's groups, by outcome: {outcome: [[group key..., band], units, events]}.
Rows = dict[int, dict[str, list[tuple[list[Any], int, int]]]]


def _with_baseline(units: QuerySet[Any], prefix: str) -> QuerySet[Any]:
    """Each unit with its client's baseline on the programme's headline questionnaire."""
    on_headline = Exists(
        ProgrammeInstrument.objects.filter(
            programme=OuterRef("programme"), instrument=OuterRef("instrument"), is_primary=True
        )
    )
    baseline = (
        QuestionnaireResponse.objects.filter(
            episode=OuterRef("episode" if prefix else "pk"),
            timepoint=Timepoint.BASELINE,
            is_current=True,
            scored=True,
            total__isnull=False,
        )
        .filter(on_headline)
        .order_by("-completed_on", "-pk")
    )
    annotated: QuerySet[Any] = units.annotate(
        baseline_instrument=Subquery(baseline.values("instrument__code")[:1]),
        baseline_total=Subquery(baseline.values("total")[:1]),
    )
    return annotated


def casemix_rows(programmes: list[Programme]) -> Rows:
    """Each programme's units and events in each group, for every outcome: one grouped
    query an outcome."""
    found: Rows = {}
    keys = [f"mix_{subgroup}" for subgroup in CASE_MIX]
    for adjustable in ADJUSTABLE:
        units = _with_baseline(adjustable.units(programmes), adjustable.prefix)
        for subgroup, key in zip(CASE_MIX, keys, strict=True):
            units = with_key(units, subgroup, adjustable.prefix, key)
        tally: dict[tuple[int, tuple[Any, ...]], list[int]] = defaultdict(lambda: [0, 0])
        for row in (
            units.order_by()
            .values("programme_id", *keys, "baseline_instrument", "baseline_total")
            .annotate(units=Count("pk"), events=Count("pk", filter=adjustable.event))
        ):
            band = wellbeing_band(row["baseline_instrument"], row["baseline_total"])
            counted = tally[(row["programme_id"], (*(row[key] for key in keys), band))]
            counted[0] += row["units"]
            counted[1] += row["events"]
        for (pk, stratum), (n, events) in tally.items():
            found.setdefault(pk, {}).setdefault(adjustable.outcome, []).append(
                (list(stratum), n, events)
            )
    return found


@dataclass(frozen=True)
class AdjustedProgramme:
    programme: Programme
    ratio: float
    band: Band
    # The expected count to the nearest 5, for placing the point: never shown exactly.
    expected_about: int


@dataclass(frozen=True)
class AdjustedFunnel:
    outcome: str
    funnel: Funnel | None
    shown: list[AdjustedProgramme]
    too_few: list[Programme]

    @property
    def id(self) -> str:
        return f"{self.outcome}-adjusted"


def adjusted_funnels(
    programmes: list[Programme], published: dict[int, PublishedFigures], rows: Rows
) -> list[AdjustedFunnel]:
    """Every outcome's adjusted funnel, from the programmes' published counts and the
    groups kept with them."""
    return [_adjusted(adjustable.outcome, programmes, published, rows) for adjustable in ADJUSTABLE]


def _adjusted(
    outcome: str, programmes: list[Programme], published: dict[int, PublishedFigures], rows: Rows
) -> AdjustedFunnel:
    ratios = indirectly_standardised(
        StratumCount(str(programme.pk), tuple(stratum), clients, events)
        for programme in programmes
        for stratum, clients, events in (rows.get(programme.pk) or {}).get(outcome, [])
    )
    numerator = OUTCOME_CELLS[outcome][0]
    units: list[tuple[Programme, Unit]] = []
    too_few: list[Programme] = []
    for programme in programmes:
        result = ratios.get(str(programme.pk))
        counts = published[programme.pk].counts if programme.pk in published else {}
        observed = counts.get(numerator, SUPPRESSED)
        if result is None or isinstance(observed, str) or not observed or not result.expected:
            too_few.append(programme)
            continue
        units.append(
            (programme, Unit(str(programme.pk), observed / result.expected, result.expected))
        )
    if not units:
        return AdjustedFunnel(outcome, None, [], too_few)
    funnel = ratio_funnel([unit for _, unit in units])
    return AdjustedFunnel(
        outcome,
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
