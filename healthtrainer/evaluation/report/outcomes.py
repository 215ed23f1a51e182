"""Report section 3: client outcomes, and each broken down by subgroup (equity).

Every breakdown lists every group, empty or not, and adds up to a figure shown elsewhere
in the report (the ledger records each sum), so the report can be protected as a whole.
Each concept is one cell wherever it appears: the headline's "goals achieved or partly"
is the same numerator and denominator as the goals table's and the equity table's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from healthtrainer.core import charts
from healthtrainer.evaluation.metrics.clients import EQUITY_RATIOS
from healthtrainer.evaluation.metrics.source import FLOW_STAGES, Flow
from healthtrainer.evaluation.metrics.subgroups import SUBGROUPS, Subgroup
from healthtrainer.evaluation.report.content import (
    Disclose,
    Interval,
    PerUnit,
    Probability,
    Row,
    Section,
    Table,
    chart_value,
    display,
)
from healthtrainer.evaluation.report.ledger import Cell
from healthtrainer.evaluation.report.tables import columns, table

FLOW_LABELS = {
    "referred": "Referred",
    "accepted": "Accepted",
    "first_session": "First session attended",
    "engaged": "Engaged (2 or more sessions)",
    "completed": "Completed the programme",
    "followed_up": "Followed up",
}
# Who left between one stage and the next: (key, label, stage before, stage after).
FLOW_EXITS = [
    ("flow.not_accepted", "Not accepted", "referred", "accepted"),
    ("flow.no_session", "No session attended", "accepted", "first_session"),
    ("flow.one_session", "One session only", "first_session", "engaged"),
]
GAP_NOTE = "Hidden figures are gaps, not zeros."
GOALS_JUDGED = ("Achieved", "Partly achieved", "Not achieved")
ANSWERS_JUDGED = ("Yes", "Partly", "No")


@dataclass(frozen=True)
class Outcomes:
    """The cells the section and the headlines share."""

    flow: dict[str, Cell]
    profile: dict[str, tuple[list[Cell], Cell]]
    goals: list[tuple[str, Cell]]
    goals_judged: Cell
    goals_achieved_or_partly: Cell
    answers: list[tuple[str, Cell]]
    answered: Cell
    reached: Cell
    wellbeing_n: Cell


def by_label(groups: Iterable[Any], value: str = "count") -> Counter[str]:
    """A metric's groups by label; groups of one label (blank and unknown codes, both
    "Not recorded") added together."""
    totals: Counter[str] = Counter()
    for group in groups:
        totals[group.label] += getattr(group, value)
    return totals


def _flow_cells(flow: Flow, referred: Cell, disclose: Disclose) -> dict[str, Cell]:
    cells = {"referred": referred}
    for stage in list(FLOW_STAGES)[1:]:
        cells[stage] = disclose.count(f"flow.{stage}", getattr(flow, stage))
    for key, _, before, after in FLOW_EXITS:
        cells[key] = disclose.count(key, cells[before].exact - cells[after].exact)
        disclose.ledger.add_up(cells[before], [cells[after], cells[key]])
    return cells


def _recorded_cells(
    key: str, total: Cell, subgroup: Subgroup, counts: Counter[str], disclose: Disclose
) -> tuple[list[Cell], Cell]:
    """A breakdown of `total` by every group of a subgroup, and the cell of those whose
    group was recorded: the denominator of every percentage of the breakdown."""
    cells = disclose.breakdown(
        total, [(f"{key}.{label}", counts.get(label, 0)) for label in subgroup.groups]
    )
    known = [
        cell
        for label, cell in zip(subgroup.groups, cells, strict=True)
        if label not in subgroup.unrecorded
    ]
    if len(known) == len(cells):
        return cells, total
    recorded = disclose.count(f"{key}.recorded", sum(cell.exact for cell in known))
    disclose.ledger.add_up(recorded, known)
    unknown = [cell for cell in cells if cell not in known]
    disclose.ledger.add_up(total, [recorded, *unknown])
    return cells, recorded


def _named_cells(
    key: str, total: Cell, groups: Iterable[Any], judged: tuple[str, ...], disclose: Disclose
) -> tuple[list[tuple[str, Cell]], Cell]:
    """The groups of a total (goals by final status, follow-ups by answer), and the cell
    of those with a judgement, the denominator of their percentages."""
    counts = by_label(groups)
    cells = disclose.breakdown(total, [(f"{key}.{label}", n) for label, n in counts.items()])
    named = list(zip(counts, cells, strict=True))
    judged_cells = [cell for label, cell in named if label in judged]
    answered = disclose.count(f"{key}.judged", sum(cell.exact for cell in judged_cells))
    disclose.ledger.add_up(answered, judged_cells)
    return named, answered


def outcome_cells(
    figures: dict[str, Any], flow: Flow, referred: Cell, disclose: Disclose
) -> Outcomes:
    flow_cells = _flow_cells(flow, referred, disclose)
    profile = {
        subgroup.id: _recorded_cells(
            f"referred.{subgroup.id}",
            referred,
            subgroup,
            by_label(figures["referrals.profile"][subgroup.id]),
            disclose,
        )
        for subgroup in SUBGROUPS.values()
    }
    local = figures["referrals.by_local_imd_quintile"]
    if local:
        profile["local_imd_quintile"] = _recorded_cells(
            "referred.local_imd_quintile",
            referred,
            SUBGROUPS["imd_quintile"],
            by_label(local),
            disclose,
        )
    goal_groups = figures["goals.by_final_status"]
    all_goals = disclose.count("goals.all", sum(group.count for group in goal_groups))
    goals, goals_judged = _named_cells("goals", all_goals, goal_groups, GOALS_JUDGED, disclose)
    achieved = [cell for label, cell in goals if label in GOALS_JUDGED[:2]]
    achieved_or_partly = disclose.count(
        "goals.achieved_or_partly", sum(cell.exact for cell in achieved)
    )
    disclose.ledger.add_up(achieved_or_partly, achieved)
    answer_groups = figures["follow_up.by_answer"]
    reached = disclose.same_as(
        "flow.followed_up", sum(group.count for group in answer_groups), "follow_up.all"
    )
    answers, answered = _named_cells("follow_up", reached, answer_groups, ANSWERS_JUDGED, disclose)
    wellbeing_n = disclose.count("wellbeing.n", figures["wellbeing.summary"].overall.n)
    return Outcomes(
        flow_cells,
        profile,
        goals,
        goals_judged,
        achieved_or_partly,
        answers,
        answered,
        reached,
        wellbeing_n,
    )


def _flow(cells: dict[str, Cell], disclose: Disclose) -> Table:
    referred = cells["referred"]

    def draw(rows: list[Row]) -> Any:
        shown = {row[0]: row[1] for row in rows}
        return charts.flow_chart(
            "From referral to follow-up",
            "A flow diagram: referred, accepted, first session attended, engaged, completed "
            "and followed up, with those who left at each of the first three steps beside "
            "the arrows. The table gives the same figures.",
            [(FLOW_LABELS[stage], display(shown[FLOW_LABELS[stage]])) for stage in FLOW_STAGES],
            [f"{label}: {display(shown[label])}" for _, label, _, _ in FLOW_EXITS],
        )

    return table(
        "flow",
        "From referral to follow-up",
        "flow.referred",
        columns("Stage", "People", "Percentage of those referred"),
        [
            *[
                (FLOW_LABELS[stage], cells[stage], disclose.share(cells[stage], referred))
                for stage in FLOW_STAGES
            ],
            *[
                (label, cells[key], disclose.share(cells[key], referred))
                for key, label, _, _ in FLOW_EXITS
            ],
        ],
        draw=draw,
        note="Engaged, completed and followed up each count from everyone referred; "
        "someone can complete the programme without being engaged by this definition.",
    )


def _bars(title: str, count: int, column: int = 1) -> Any:
    """Draws one bar for each of the first `count` rows, from the given column."""

    def draw(rows: list[Row]) -> Any:
        return charts.bar_chart(
            title,
            f"One bar per group. {GAP_NOTE} The table gives the same figures.",
            [charts.Bar(str(row[0]), chart_value(row[column])) for row in rows[:count]],
        )

    return draw


def _profile(outcomes: Outcomes, disclose: Disclose) -> list[Table]:
    referred = outcomes.flow["referred"]
    titles = {subgroup.id: subgroup.title for subgroup in SUBGROUPS.values()}
    titles["local_imd_quintile"] = "IMD quintile within the local authority"
    tables = []
    for subgroup_id in ["imd_quintile", "local_imd_quintile", *list(SUBGROUPS)[1:]]:
        subgroup = SUBGROUPS["imd_quintile" if "imd" in subgroup_id else subgroup_id]
        heads = columns("Group", "Referrals", "Percentage of those recorded")
        if subgroup_id not in outcomes.profile:
            tables.append(
                table(
                    "profile-local-imd-quintile",
                    f"Who was referred: {titles[subgroup_id]}",
                    "referrals.by_local_imd_quintile",
                    heads,
                    [],
                    note="No local authority is set for the programme.",
                )
            )
            continue
        cells, recorded = outcomes.profile[subgroup_id]
        rows: list[tuple[Any, ...]] = [
            (label, cell, None if label in subgroup.unrecorded else disclose.share(cell, recorded))
            for label, cell in zip(subgroup.groups, cells, strict=True)
        ]
        if recorded is not referred:
            rows.append(("Recorded", recorded, disclose.share(recorded, recorded)))
        rows.append(("Everyone referred", referred, None))
        tables.append(
            table(
                f"profile-{subgroup_id.replace('_', '-')}",
                f"Who was referred: {titles[subgroup_id]}",
                "referrals.by_local_imd_quintile"
                if subgroup_id == "local_imd_quintile"
                else "referrals.profile",
                heads,
                rows,
                draw=_bars(f"Referrals by {titles[subgroup_id]}", len(subgroup.groups))
                if subgroup_id == "imd_quintile"
                else None,
                note="Percentages are of everyone whose group was recorded; those not "
                "recorded or not stated are counted in rows of their own.",
            )
        )
    return tables


def _judged_table(
    id: str,
    title: str,
    metric_id: str,
    heads: tuple[str, str],
    named: list[tuple[str, Cell]],
    judged: tuple[tuple[str, ...], Cell],
    extra: list[tuple[str, Cell]],
    total: tuple[str, Cell],
    disclose: Disclose,
    chart: bool,
) -> Table:
    """Groups with the share of each judged group (a percentage of those judged), the
    figures the headlines use, and the total."""
    labels, denominator = judged
    rows: list[tuple[Any, ...]] = [
        (label, cell, disclose.share(cell, denominator) if label in labels else None)
        for label, cell in named
    ]
    rows.extend((label, cell, disclose.share(cell, denominator)) for label, cell in extra)
    rows.append((*total, None))
    return table(
        id,
        title,
        metric_id,
        columns(*heads, f"Percentage of those {' / '.join(labels).lower()}"),
        rows,
        draw=_bars(title, len(named)) if chart else None,
    )


def _wellbeing(summary: Any, n: Cell, disclose: Disclose) -> Table:
    overall = summary.overall
    return table(
        "wellbeing",
        f"Well-being before and after: {summary.instrument_title or 'no headline instrument set'}",
        "wellbeing.summary",
        columns("Figure", "Value"),
        [
            ("Clients with a score before and after", n),
            ("Mean before", disclose.statistic(overall.mean_before, n)),
            ("Mean after", disclose.statistic(overall.mean_after, n)),
            ("Mean change", disclose.statistic(overall.mean_change, n)),
            (
                "95% confidence interval of the change",
                Interval(overall.ci_low, overall.ci_high, n),
            ),
            ("Paired t-test p value", Probability(overall.p_t, n)),
            ("Wilcoxon signed-rank p value", Probability(overall.p_wilcoxon, n)),
            ("Effect size (Cohen's dz)", disclose.statistic(overall.cohens_dz, n)),
        ],
    )


def _gp_visits(visits: Any, disclose: Disclose) -> tuple[Table, Cell]:
    n = disclose.count("gp_visits.n", visits.n_paired)
    before = disclose.count("gp_visits.before_total", visits.before_total)
    after = disclose.count("gp_visits.after_total", visits.after_total)
    return (
        table(
            "gp-visits",
            "GP visits in the three months before the first session and before follow-up",
            "gp_visits.before_after",
            columns("Figure", "Before", "After"),
            [
                ("Clients with both answers", n, n),
                ("GP visits, total", before, after),
                (
                    "GP visits per client, mean",
                    PerUnit(Decimal(visits.before_total), n, 2),
                    PerUnit(Decimal(visits.after_total), n, 2),
                ),
            ],
            note="Means are the totals as shown divided by the clients as shown.",
        ),
        n,
    )


def _groups_of(
    key: str, total: Cell, subgroup: str, found: Iterable[Any], value: Any, disclose: Disclose
) -> list[tuple[str, Cell, Any]]:
    """Every group of a subgroup with its cell (adding up to `total`) and its figures."""
    figures = {group.label: group for group in found}
    labels = SUBGROUPS[subgroup].groups
    cells = disclose.breakdown(
        total,
        [
            (f"{key}.{subgroup}.{label}", value(figures[label]) if label in figures else 0)
            for label in labels
        ],
    )
    return [(label, cell, figures.get(label)) for label, cell in zip(labels, cells, strict=True)]


EQUITY_TOTALS = {
    "equity.engaged": ("flow.engaged", "flow.accepted"),
    "equity.completed": ("equity.completed.n", "flow.accepted"),
    "equity.goals_achieved_or_partly": ("goals.achieved_or_partly", "goals.judged"),
    "equity.maintaining_strategies": ("follow_up.Yes", "follow_up.judged"),
}


def _equity_ratio(outcome: Any, groups: dict[str, list[Any]], disclose: Disclose) -> Table:
    all_n = sum(group.ratio.numerator for group in groups["imd_quintile"])
    all_d = sum(group.ratio.denominator for group in groups["imd_quintile"])
    key_n, key_d = EQUITY_TOTALS[outcome.id]
    numerator = disclose.same_as(key_n, all_n, f"{outcome.id}.n")
    denominator = disclose.same_as(key_d, all_d, f"{outcome.id}.d")
    rows: list[tuple[Any, ...]] = []
    for subgroup, found in groups.items():
        ns = _groups_of(
            f"{outcome.id}.n", numerator, subgroup, found, lambda g: g.ratio.numerator, disclose
        )
        ds = _groups_of(
            f"{outcome.id}.d", denominator, subgroup, found, lambda g: g.ratio.denominator, disclose
        )
        for (label, n, _), (_, d, _) in zip(ns, ds, strict=True):
            disclose.ledger.at_most(n, d)
            rows.append((SUBGROUPS[subgroup].title, label, n, d, disclose.share(n, d)))
    rows.append(("Everyone", "", numerator, denominator, disclose.share(numerator, denominator)))
    quintiles = len(SUBGROUPS["imd_quintile"].groups)

    def draw(shown: list[Row]) -> Any:
        most_deprived = SUBGROUPS["imd_quintile"].label(1)
        return charts.bar_chart(
            f"{outcome.title.split(',')[0]}: percentage by IMD quintile",
            "One bar per national IMD quintile, the most deprived in yellow: whether the "
            f"programme works as well for the most deprived. {GAP_NOTE} The table gives "
            "every subgroup.",
            [
                charts.Bar(str(row[1]), chart_value(row[4]), row[1] == most_deprived)
                for row in shown[:quintiles]
            ],
        )

    return table(
        outcome.id.replace(".", "-").replace("_", "-"),
        outcome.title,
        outcome.id,
        columns("Subgroup", "Group", "Number", "Out of", "Percentage", text=2),
        rows,
        draw=draw,
        note='Every group is listed. Where a group\'s "out of" is hidden, its number is too.',
    )


def _equity(figures: dict[str, Any], outcomes: Outcomes, disclose: Disclose) -> list[Table]:
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


def client_outcomes(figures: dict[str, Any], outcomes: Outcomes, disclose: Disclose) -> Section:
    gp_visits, gp_n = _gp_visits(figures["gp_visits.before_after"], disclose)
    return Section(
        "client-outcomes",
        "Client outcomes",
        "Who the programme reached, how far they went, and what changed for them; then each "
        "outcome by subgroup, to show whether the programme works as well for everyone.",
        [
            _flow(outcomes.flow, disclose),
            *_profile(outcomes, disclose),
            _judged_table(
                "goals",
                "Goals by final status",
                "goals.by_final_status",
                ("Final status", "Goals"),
                outcomes.goals,
                (GOALS_JUDGED, outcomes.goals_judged),
                [
                    ("Achieved or partly achieved", outcomes.goals_achieved_or_partly),
                    ("Achieved, partly or not achieved", outcomes.goals_judged),
                ],
                ("All goals", disclose.ledger.cells["goals.all"]),
                disclose,
                chart=True,
            ),
            _judged_table(
                "follow-up",
                "Maintaining self-management strategies at follow-up",
                "follow_up.by_answer",
                ("Answer", "Clients"),
                outcomes.answers,
                (ANSWERS_JUDGED, outcomes.answered),
                [("Answered", outcomes.answered)],
                ("All follow-ups that reached the client", outcomes.reached),
                disclose,
                chart=False,
            ),
            _wellbeing(figures["wellbeing.summary"], outcomes.wellbeing_n, disclose),
            gp_visits,
            *_equity(figures, outcomes, disclose),
            _equity_gp_visits(figures, gp_n, disclose),
        ],
    )
