"""Report section 3, continued: each client outcome broken down by subgroup (equity).

Every group of every subgroup is listed; each breakdown adds up to the outcome's figure
for everyone, the same cell the rest of the report shows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from healthtrainer.casework.vocabulary import Maintained
from healthtrainer.core import charts
from healthtrainer.evaluation.metrics.equity import EQUITY_RATIOS
from healthtrainer.evaluation.metrics.subgroups import SUBGROUPS
from healthtrainer.evaluation.report.content import Row, Table, chart_value
from healthtrainer.evaluation.report.figures import Disclose
from healthtrainer.evaluation.report.ledger import Cell
from healthtrainer.evaluation.report.outcome_cells import Outcomes
from healthtrainer.evaluation.report.tables import GAP_NOTE, columns, table


def _groups_of(
    key: str,
    total: Cell,
    subgroup: str,
    found: Iterable[Any],
    value: Callable[[Any], int],
    disclose: Disclose,
) -> list[tuple[str, Cell, Any]]:
    """Every group of a subgroup with its cell (adding up to `total`) and its figures.

    Groups of one label (a blank and an unknown code, both "Not recorded") are counted
    together; their figures, which cannot be pooled, are then left out."""
    found = list(found)
    counts = Counter[str]()
    for group in found:
        counts[group.label] += value(group)
    labels = Counter(group.label for group in found)
    figures = {group.label: group for group in found if labels[group.label] == 1}
    groups = SUBGROUPS[subgroup].groups
    cells = disclose.breakdown(
        total, [(f"{key}.{subgroup}.{label}", counts[label]) for label in groups]
    )
    return [(label, cell, figures.get(label)) for label, cell in zip(groups, cells, strict=True)]


EQUITY_TOTALS = {
    "equity.engaged": ("flow.engaged", "flow.accepted"),
    "equity.completed": ("equity.completed.n", "flow.accepted"),
    "equity.goals_achieved_or_partly": ("goals.achieved_or_partly", "goals.judged"),
    "equity.maintaining_strategies": (f"follow_up.{Maintained.YES.label}", "follow_up.judged"),
}


def _equity_ratio(outcome: Any, groups: dict[str, list[Any]], disclose: Disclose) -> Table:
    all_n = sum(group.ratio.numerator for group in groups["imd_quintile"])
    all_d = sum(group.ratio.denominator for group in groups["imd_quintile"])
    key_n, key_d = EQUITY_TOTALS[outcome.id]
    numerator = disclose.same_as(key_n, all_n, f"{outcome.id}.n")
    denominator = disclose.same_as(key_d, all_d, f"{outcome.id}.d")
    # Each group is keyed by its total's concept ("flow.accepted.imd_quintile.Quintile 1"),
    # so that the same group counted for two outcomes is one cell, shown one way.
    rows: list[tuple[Any, ...]] = []
    for subgroup, found in groups.items():
        ns = _groups_of(
            numerator.key, numerator, subgroup, found, lambda g: g.ratio.numerator, disclose
        )
        ds = _groups_of(
            denominator.key, denominator, subgroup, found, lambda g: g.ratio.denominator, disclose
        )
        for (label, n, _), (_, d, _) in zip(ns, ds, strict=True):
            disclose.ledger.at_most(n, d)
            rows.append((SUBGROUPS[subgroup].title, label, n, d, disclose.share(n, d)))
    rows.append(("Everyone", "", numerator, denominator, disclose.share(numerator, denominator)))
    return table(
        outcome.id.replace(".", "-").replace("_", "-"),
        outcome.title,
        outcome.id,
        columns("Subgroup", "Group", "Number", "Out of", "Percentage", text=2),
        rows,
        draw=quintile_chart(
            f"{outcome.title.split(',')[0]}: percentage by IMD quintile",
            "whether the programme works as well for the most deprived",
        ),
        note=EVERY_GROUP_NOTE,
    )


EVERY_GROUP_NOTE = 'Every group is listed. Where a group\'s "out of" is hidden, its number is too.'


def quintile_chart(title: str, purpose: str) -> Callable[[list[Row]], Any]:
    """Draws the percentage (the fifth column) of the first rows, one per national IMD
    quintile, the most deprived in yellow. A quintile with nothing to divide by has no
    bar: it is not hidden, and a gap would say it was."""
    quintiles = len(SUBGROUPS["imd_quintile"].groups)
    most_deprived = SUBGROUPS["imd_quintile"].label(1)

    def draw(shown: list[Row]) -> Any:
        bars = [
            charts.Bar(str(row[1]), chart_value(row[4]), row[1] == most_deprived)
            for row in shown[:quintiles]
            if row[4] is not None
        ]
        if not bars:
            return None
        return charts.bar_chart(
            title,
            f"One bar per national IMD quintile, the most deprived in yellow: {purpose}. "
            f"{GAP_NOTE} A quintile with nobody to count has no bar. The table gives every "
            "subgroup.",
            bars,
        )

    return draw


def equity_tables(figures: dict[str, Any], outcomes: Outcomes, disclose: Disclose) -> list[Table]:
    tables = [_equity_ratio(outcome, figures[outcome.id], disclose) for outcome in EQUITY_RATIOS]
    wellbeing = figures["wellbeing.summary"]
    rows: list[tuple[Any, ...]] = []
    for subgroup, found in wellbeing.by_subgroup.items():
        for label, n, group in _groups_of(
            "wellbeing", outcomes.wellbeing_n, subgroup, found, lambda g: g.summary.n, disclose
        ):
            summary = group.summary if group else None
            rows.append(
                (
                    SUBGROUPS[subgroup].title,
                    label,
                    n,
                    *[
                        disclose.statistic(getattr(summary, name) if summary else None, n)
                        for name in ("mean_before", "mean_after", "mean_change")
                    ],
                )
            )
    tables.append(
        table(
            "equity-wellbeing",
            "Well-being change, by subgroup",
            "wellbeing.summary",
            columns(
                "Subgroup", "Group", "Clients", "Mean before", "Mean after", "Mean change", text=2
            ),
            rows,
        )
    )
    tables.append(_equity_gp_visits(figures, outcomes.gp_visits_n, disclose))
    return tables


def _equity_gp_visits(figures: dict[str, Any], n: Cell, disclose: Disclose) -> Table:
    rows: list[tuple[Any, ...]] = []
    for subgroup, found in figures["equity.gp_visits"].items():
        for label, cell, group in _groups_of(
            "gp_visits", n, subgroup, found, lambda g: g.visits.n_paired, disclose
        ):
            visits = group.visits if group else None
            rows.append(
                (
                    SUBGROUPS[subgroup].title,
                    label,
                    cell,
                    disclose.statistic(visits.mean_before if visits else None, cell),
                    disclose.statistic(visits.mean_after if visits else None, cell),
                )
            )
    return table(
        "equity-gp-visits",
        "GP visits before and after, by subgroup",
        "equity.gp_visits",
        columns("Subgroup", "Group", "Clients", "Mean before", "Mean after", text=2),
        rows,
    )
