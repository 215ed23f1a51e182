"""Every figure of a network's page, worked out once, and the same figures as tables for
the downloads (JSON, CSV, XLSX, PDF) and the API: what the page shows, no more."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from healthtrainer.network.casemix import AdjustedFunnel, adjusted_funnels
from healthtrainer.network.completeness import COLUMNS, Beside, Completeness, beside, completeness
from healthtrainer.network.completeness_by_group import (
    SubgroupCompleteness,
    completeness_by_group,
)
from healthtrainer.network.equity import Equity, equity
from healthtrainer.network.models import Aspect, Network
from healthtrainer.network.monthly import Monthly, monthly
from healthtrainer.network.outcomes import OUTCOME_BY_ID, OUTCOMES, NetworkFunnel, network_funnel
from healthtrainer.network.services import members_by_aspect
from healthtrainer.network.snapshots import inputs_of, published_counts
from healthtrainer.network.spc import SIGNAL_WORDS, Point
from healthtrainer.network.wellbeing import RESTS_ON, Wellbeing, WellbeingFunnel, wellbeing_funnels
from healthtrainer.programmes.models import Programme

BAND_WORDS = {"within": "Within", "beyond_95": "Outside 95%", "beyond_998": "Outside 99.8%"}


@dataclass(frozen=True)
class NetworkFigures:
    network: Network
    programmes: list[Programme]
    funnels: list[NetworkFunnel]
    wellbeing: Wellbeing
    # Each outcome adjusted for case-mix, in the order of OUTCOMES.
    adjusted: list[AdjustedFunnel]
    completeness: list[Completeness]
    completeness_by_group: list[SubgroupCompleteness]
    equity: list[Equity]
    referral_programmes: list[Programme]
    by_month: Monthly
    # Programmes sharing outcomes whose published figures are still being made.
    waiting: list[Programme]
    # When the oldest of the published figures shown was made.
    published_at: datetime | None


def figures_of(network: Network) -> NetworkFigures:
    """Every figure of the network's page, from its members' published figures: one row
    per programme, whatever the programmes hold."""
    sharing = members_by_aspect(network)
    programmes = sharing[Aspect.OUTCOMES]
    everyone = {programme.pk: programme for members in sharing.values() for programme in members}
    published = published_counts(everyone.values())

    def ready(aspect: str) -> list[Programme]:
        return [programme for programme in sharing[aspect] if programme.pk in published]

    outcomes, referral = ready(Aspect.OUTCOMES), ready(Aspect.REFERRAL)
    complete = ready(Aspect.COMPLETENESS)
    return NetworkFigures(
        network=network,
        programmes=programmes,
        funnels=[network_funnel(outcome, outcomes, published) for outcome in OUTCOMES],
        wellbeing=wellbeing_funnels(outcomes, inputs_of(published, "wellbeing")),
        adjusted=adjusted_funnels(outcomes, published, inputs_of(published, "casemix")),
        completeness=completeness(complete, inputs_of(published, "completeness")),
        completeness_by_group=completeness_by_group(
            complete, inputs_of(published, "completeness_by_group")
        ),
        equity=equity(ready(Aspect.EQUITY), inputs_of(published, "equity")),
        referral_programmes=referral,
        by_month=monthly(
            referral,
            [change.month for change in network.changes.all()],
            inputs_of(published, "monthly"),
        ),
        waiting=[programme for pk, programme in everyone.items() if pk not in published],
        published_at=min((figures.made_at for figures in published.values()), default=None),
    )


def beside_funnel(figures: NetworkFigures, item: NetworkFunnel) -> Beside:
    """The completeness an outcome's funnel rests on, for the programmes it shows."""
    shown = [entry.programme for entry in item.shown]
    return beside(figures.completeness, item.outcome.rests_on, shown)


def beside_wellbeing(figures: NetworkFigures, item: WellbeingFunnel) -> Beside:
    return beside(figures.completeness, RESTS_ON, [entry.programme for entry in item.shown])


@dataclass(frozen=True)
class Table:
    id: str
    title: str
    columns: list[str]
    rows: list[list[Any]]


def tables(figures: NetworkFigures) -> list[Table]:
    found = []
    for item in figures.funnels:
        rests = beside_funnel(figures, item)
        found.append(
            Table(
                item.outcome.id,
                item.outcome.title,
                [
                    "Programme",
                    "Numerator",
                    "Denominator",
                    "Percentage",
                    "Against the limits",
                    *_beside_columns(rests),
                ],
                [
                    [
                        shown.programme.name,
                        shown.numerator,
                        shown.denominator,
                        round(shown.share * 100, 1),
                        BAND_WORDS[shown.band],
                        *map(_value, rests.values[shown.programme.pk]),
                    ]
                    for shown in item.shown
                ],
            )
        )
    for funnel in figures.wellbeing.funnels:
        rests = beside_wellbeing(figures, funnel)
        found.append(
            Table(
                funnel.id,
                funnel.title,
                [
                    "Programme",
                    "Pairs",
                    "Observed minus expected change" if funnel.adjusted else "Mean change",
                    "Against the limits",
                    *_beside_columns(rests),
                ],
                [
                    [
                        shown.programme.name,
                        shown.pairs,
                        shown.mean,
                        BAND_WORDS[shown.band],
                        *map(_value, rests.values[shown.programme.pk]),
                    ]
                    for shown in funnel.shown
                ],
            )
        )
    found.extend(
        Table(
            adjusted.id,
            f"{OUTCOME_BY_ID[adjusted.outcome].title}, adjusted for case-mix (observed ÷ expected)",
            ["Programme", "Ratio", "Against the limits"],
            [[item.programme.name, item.ratio, BAND_WORDS[item.band]] for item in adjusted.shown],
        )
        for adjusted in figures.adjusted
    )
    found.append(
        Table(
            "completeness",
            "Complete records, by programme (%)",
            ["Programme", *(f"{title} ({of})" for _, title, of in COLUMNS)],
            [
                [record.programme.name, *(_value(getattr(record, key)) for key, _, _ in COLUMNS)]
                for record in figures.completeness
            ],
        )
    )
    found.append(
        Table(
            "completeness-by-group",
            "Complete records across the network, by group (%)",
            [
                "Subgroup",
                "Group",
                "Accepted referrals",
                *(f"{title} ({of})" for _, title, of in COLUMNS),
            ],
            [
                [
                    subgroup.title,
                    group.label,
                    group.accepted,
                    *(_value(group.shares[key]) for key, _, _ in COLUMNS),
                ]
                for subgroup in figures.completeness_by_group
                for group in subgroup.groups
            ],
        )
    )
    found.append(
        Table(
            "equity",
            "Reach and outcomes by deprivation, by programme (%)",
            [
                "Programme",
                "Clients from Core20 areas",
                "Local areas in Core20",
                "Completed, most deprived fifth",
                "Completed, least deprived fifth",
                "Gap (points)",
            ],
            [
                [
                    row.programme.name,
                    *(
                        _value(value)
                        for value in (
                            row.core20_clients,
                            row.core20_local,
                            row.completed_most_deprived,
                            row.completed_least_deprived,
                            row.gap,
                        )
                    ),
                ]
                for row in figures.equity
            ],
        )
    )
    found.append(
        Table(
            "referrals-by-month",
            "Referrals each month",
            ["Month", "Referrals", "Mean", "Lower limit", "Upper limit", "Special cause"],
            [
                [
                    point.label,
                    point.value,
                    round(point.mean, 1),
                    round(point.lower, 1),
                    round(point.upper, 1),
                    _signals(point),
                ]
                for point in figures.by_month.referrals
            ],
        )
    )
    found.append(
        Table(
            "completed-by-month",
            "Completed, by month of referral (%)",
            ["Month", "Completed", "Mean", "Lower limit", "Upper limit", "Special cause"],
            [
                [
                    point.label,
                    *(
                        round(value * 100, 1)
                        for value in (point.value, point.mean, point.lower, point.upper)
                    ),
                    _signals(point),
                ]
                for point in figures.by_month.completed
            ],
        )
    )
    return found


def _signals(point: Point) -> str:
    return "; ".join(SIGNAL_WORDS[signal] for signal in sorted(point.signals))


def _beside_columns(rests: Beside) -> list[str]:
    return [f"{title} ({of}, %)" for _, title, of in rests.columns]


def _value(value: Any) -> Any:
    """A share as a number, "*" where hidden, empty with nothing to count."""
    if value is None:
        return ""
    return value if isinstance(value, str) else float(value)
