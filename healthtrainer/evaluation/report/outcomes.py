"""Report section 3: client outcomes, and each broken down by subgroup (equity)."""

from __future__ import annotations

from typing import Any

from healthtrainer.core import charts
from healthtrainer.evaluation.metrics.clients import EQUITY_RATIOS
from healthtrainer.evaluation.metrics.source import FLOW_STAGES, Flow
from healthtrainer.evaluation.metrics.subgroups import SUBGROUPS
from healthtrainer.evaluation.report.content import (
    Disclose,
    Section,
    Shown,
    Table,
    chart_value,
    display,
)
from healthtrainer.evaluation.report.tables import columns, table

FLOW_LABELS = {
    "referred": "Referred",
    "accepted": "Accepted",
    "first_session": "First session attended",
    "engaged": "Engaged (2 or more sessions)",
    "completed": "Completed the programme",
    "followed_up": "Followed up",
}
FLOW_EXITS = ["Not accepted", "No session attended", "One session only"]


def _flow(flow: Flow, disclose: Disclose) -> Table:
    shown = {stage: disclose.count(getattr(flow, stage)) for stage in FLOW_STAGES}
    stages = list(FLOW_STAGES)
    left = [getattr(flow, stages[i]) - getattr(flow, stages[i + 1]) for i in range(len(FLOW_EXITS))]
    exits = [
        f"{label}: {display(disclose.count(n))}" for label, n in zip(FLOW_EXITS, left, strict=True)
    ]
    return table(
        "flow",
        "From referral to follow-up",
        "flow.referred",
        columns("Stage", "People", "Percentage of those referred"),
        [
            (FLOW_LABELS[stage], shown[stage], disclose.of(getattr(flow, stage), flow.referred))
            for stage in stages
        ],
        chart=charts.flow_chart(
            "From referral to follow-up",
            "A flow diagram: referred, accepted, first session attended, engaged, completed and "
            "followed up, with those who left at each of the first three steps beside the "
            "arrows. The table gives the same figures.",
            [(FLOW_LABELS[stage], display(shown[stage])) for stage in stages],
            exits,
        ),
        note="Engaged, completed and followed up each count from everyone referred; "
        "someone can complete the programme without being engaged by this definition.",
    )


def _profile(figures: dict[str, Any], disclose: Disclose) -> list[Table]:
    total = figures["referral.count"]
    tables = []
    breakdowns = [
        (subgroup.id, subgroup.title, figures["referrals.profile"][subgroup.id])
        for subgroup in SUBGROUPS.values()
    ]
    breakdowns.insert(
        1,
        (
            "local_imd_quintile",
            "IMD quintile within the local authority",
            figures["referrals.by_local_imd_quintile"],
        ),
    )
    for subgroup_id, title, groups in breakdowns:
        rows = [
            (group.label, disclose.count(group.count), disclose.of(group.count, total))
            for group in groups
        ]
        tables.append(
            table(
                f"profile-{subgroup_id.replace('_', '-')}",
                f"Who was referred: {title}",
                "referrals.by_local_imd_quintile"
                if subgroup_id == "local_imd_quintile"
                else "referrals.profile",
                columns("Group", "Referrals", "Percentage"),
                rows,
                chart=charts.bar_chart(
                    f"Referrals by {title}",
                    f"One bar per group of {title}. The table gives the same figures.",
                    [charts.Bar(label, chart_value(count)) for label, count, _ in rows],
                )
                if subgroup_id == "imd_quintile" and rows
                else None,
                note="No local authority is set for the programme."
                if subgroup_id == "local_imd_quintile" and not groups
                else "",
            )
        )
    return tables


def _counts_with_share(groups: list[Any], disclose: Disclose) -> list[tuple[Shown, ...]]:
    total = sum(group.count for group in groups)
    return [
        (group.label, disclose.count(group.count), disclose.of(group.count, total))
        for group in groups
    ]


def _wellbeing(summary: Any, disclose: Disclose) -> Table:
    overall = summary.overall
    n = overall.n
    interval: Shown = None
    if overall.ci_low is not None and overall.ci_high is not None:
        interval = "*" if disclose.small(n) else f"{overall.ci_low:.2f} to {overall.ci_high:.2f}"
    return table(
        "wellbeing",
        f"Well-being before and after: {summary.instrument_title or 'no headline instrument set'}",
        "wellbeing.summary",
        columns("Figure", "Value"),
        [
            ("Clients with a score before and after", disclose.count(n)),
            ("Mean before", disclose.statistic(overall.mean_before, n)),
            ("Mean after", disclose.statistic(overall.mean_after, n)),
            ("Mean change", disclose.statistic(overall.mean_change, n)),
            ("95% confidence interval of the change", interval),
            ("Paired t-test p value", disclose.statistic(overall.p_t, n, places=4)),
            ("Wilcoxon signed-rank p value", disclose.statistic(overall.p_wilcoxon, n, places=4)),
            ("Effect size (Cohen's dz)", disclose.statistic(overall.cohens_dz, n)),
        ],
    )


def _gp_visits(visits: Any, disclose: Disclose) -> Table:
    n = visits.n_paired
    return table(
        "gp-visits",
        "GP visits in the three months before the first session and before follow-up",
        "gp_visits.before_after",
        columns("Figure", "Before", "After"),
        [
            ("Clients with both answers", disclose.count(n), disclose.count(n)),
            (
                "GP visits, total",
                disclose.count(visits.before_total),
                disclose.count(visits.after_total),
            ),
            (
                "GP visits per client, mean",
                disclose.statistic(visits.mean_before, n),
                disclose.statistic(visits.mean_after, n),
            ),
        ],
    )


def _equity(figures: dict[str, Any], disclose: Disclose) -> list[Table]:
    tables = []
    for outcome in EQUITY_RATIOS:
        rows = [
            (
                SUBGROUPS[subgroup].title,
                group.label,
                disclose.count(group.ratio.numerator),
                disclose.count(group.ratio.denominator),
                disclose.share(group.ratio),
            )
            for subgroup, groups in figures[outcome.id].items()
            for group in groups
        ]
        most_deprived = SUBGROUPS["imd_quintile"].label(1)
        by_deprivation = [
            charts.Bar(
                group.label, chart_value(disclose.share(group.ratio)), group.label == most_deprived
            )
            for group in figures[outcome.id]["imd_quintile"]
        ]
        tables.append(
            table(
                outcome.id.replace(".", "-").replace("_", "-"),
                outcome.title,
                outcome.id,
                columns("Subgroup", "Group", "Number", "Out of", "Percentage", text=2),
                rows,
                chart=charts.bar_chart(
                    f"{outcome.title.split(',')[0]}: percentage by IMD quintile",
                    "One bar per national IMD quintile, the most deprived in yellow: "
                    "whether the programme works as well for the most deprived. Hidden "
                    "figures are drawn as nothing. The table gives every subgroup.",
                    by_deprivation,
                )
                if by_deprivation
                else None,
            )
        )
    wellbeing = figures["wellbeing.summary"]
    tables.append(
        table(
            "equity-wellbeing",
            "Well-being change, by subgroup",
            "wellbeing.summary",
            columns(
                "Subgroup", "Group", "Clients", "Mean before", "Mean after", "Mean change", text=2
            ),
            [
                (
                    SUBGROUPS[subgroup].title,
                    group.label,
                    disclose.count(group.summary.n),
                    disclose.statistic(group.summary.mean_before, group.summary.n),
                    disclose.statistic(group.summary.mean_after, group.summary.n),
                    disclose.statistic(group.summary.mean_change, group.summary.n),
                )
                for subgroup, groups in wellbeing.by_subgroup.items()
                for group in groups
            ],
        )
    )
    tables.append(
        table(
            "equity-gp-visits",
            "GP visits before and after, by subgroup",
            "equity.gp_visits",
            columns("Subgroup", "Group", "Clients", "Mean before", "Mean after", text=2),
            [
                (
                    SUBGROUPS[subgroup].title,
                    group.label,
                    disclose.count(group.visits.n_paired),
                    disclose.statistic(group.visits.mean_before, group.visits.n_paired),
                    disclose.statistic(group.visits.mean_after, group.visits.n_paired),
                )
                for subgroup, groups in figures["equity.gp_visits"].items()
                for group in groups
            ],
        )
    )
    return tables


def client_outcomes(figures: dict[str, Any], flow: Flow, disclose: Disclose) -> Section:
    goals = _counts_with_share(figures["goals.by_final_status"], disclose)
    return Section(
        "client-outcomes",
        "Client outcomes",
        "Who the programme reached, how far they went, and what changed for them; then each "
        "outcome by subgroup, to show whether the programme works as well for everyone.",
        [
            _flow(flow, disclose),
            *_profile(figures, disclose),
            table(
                "goals",
                "Goals by final status",
                "goals.by_final_status",
                columns("Final status", "Goals", "Percentage"),
                goals,
                chart=charts.bar_chart(
                    "Goals by final status",
                    "One bar per final status of a goal. The table gives the same figures.",
                    [charts.Bar(str(row[0]), chart_value(row[1])) for row in goals],
                ),
            ),
            table(
                "follow-up",
                "Maintaining self-management strategies at follow-up",
                "follow_up.by_answer",
                columns("Answer", "Clients", "Percentage"),
                _counts_with_share(figures["follow_up.by_answer"], disclose),
            ),
            _wellbeing(figures["wellbeing.summary"], disclose),
            _gp_visits(figures["gp_visits.before_after"], disclose),
            *_equity(figures, disclose),
        ],
    )
