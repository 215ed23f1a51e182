"""Report section 3: client outcomes: the flow from referral to follow-up, who was
referred, goals, strategies kept up, well-being and GP visits; then each outcome by
subgroup (`equity`). The cells are made once, in `outcome_cells`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from healthtrainer.core import charts
from healthtrainer.evaluation.metrics.flow import FLOW_STAGES
from healthtrainer.evaluation.metrics.subgroups import SUBGROUPS
from healthtrainer.evaluation.report.content import Row, Section, Table, chart_value, display
from healthtrainer.evaluation.report.equity import equity_tables
from healthtrainer.evaluation.report.figures import Disclose, Interval, PerUnit, Probability
from healthtrainer.evaluation.report.ledger import Cell
from healthtrainer.evaluation.report.outcome_cells import (
    ANSWERS_JUDGED,
    FLOW_EXITS,
    GOALS_JUDGED,
    Outcomes,
)
from healthtrainer.evaluation.report.tables import GAP_NOTE, columns, table

FLOW_LABELS = {
    "referred": "Referred",
    "accepted": "Accepted",
    "first_session": "First session attended",
    "engaged": "Engaged (2 or more sessions)",
    "completed": "Completed the programme",
    "followed_up": "Followed up",
}


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
                    "referral.by_local_imd_quintile",
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
                "referral.by_local_imd_quintile"
                if subgroup_id == "local_imd_quintile"
                else "referral.profile",
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


def _gp_visits(visits: Any, n: Cell, disclose: Disclose) -> Table:
    before = disclose.count("gp_visits.before_total", visits.before_total)
    after = disclose.count("gp_visits.after_total", visits.after_total)
    return table(
        "gp-visits",
        "GP visits in the three months before the first session and before follow-up",
        "follow_up.gp_visits_before_after",
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
    )


def client_outcomes(figures: dict[str, Any], outcomes: Outcomes, disclose: Disclose) -> Section:
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
                ("All goals", outcomes.all_goals),
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
            _gp_visits(figures["follow_up.gp_visits_before_after"], outcomes.gp_visits_n, disclose),
            *equity_tables(figures, outcomes, disclose),
        ],
    )
