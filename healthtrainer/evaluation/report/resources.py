"""Report section 4: the adequacy of resources."""

from __future__ import annotations

from typing import Any

from healthtrainer.core import charts
from healthtrainer.evaluation.report.content import (
    Disclose,
    Row,
    Section,
    Table,
    chart_value,
)
from healthtrainer.evaluation.report.ledger import Cell
from healthtrainer.evaluation.report.tables import columns, table
from healthtrainer.workforce.costs import CostSummary, TimeValue

NO_COSTS = "No costs recorded"
NO_TIME = "No time recorded"
# What each unit cost divides by: the report's own count of the same people, so a unit
# cost agrees with the figure beside it in the flow and the goals table.
UNIT_COUNTS = {
    "per_referral": ("Per referral received", "referred"),
    "per_client_seen": ("Per client seen (a first session attended)", "flow.first_session"),
    "per_client_completing": ("Per client completing the programme", "flow.completed"),
    "per_goal_achieved": (
        "Per goal achieved or partly achieved",
        "goals.achieved_or_partly",
    ),
}
UNIT_COST_NOTE = (
    "Costs are those incurred in the period; the people and goals they are divided by are "
    "counted by the date of referral, as everywhere else in this report, and as shown."
)


def unit_cost_cells(disclose: Disclose) -> dict[str, Cell]:
    return {key: disclose.ledger.cells[cell] for key, (_, cell) in UNIT_COUNTS.items()}


def _time_given(
    id: str, title: str, metric_id: str, rows: tuple[TimeValue, ...], disclose: Disclose
) -> Table:
    return table(
        id,
        title,
        metric_id,
        columns(
            "Given by" if "role" in metric_id else "Activity",
            "Hours",
            "Value (£)",
            "Hours not valued",
        ),
        [
            (row.label, row.hours, disclose.money(row.value), row.unvalued_hours)
            if row.hours or row.unvalued_hours
            else (row.label, NO_TIME, None, None)
            for row in rows
        ],
    )


def _categories_chart(rows: list[Row]) -> Any:
    return charts.bar_chart(
        "Direct costs by category",
        "One bar per category of direct cost, in pounds; a category with no costs recorded "
        "has no bar. The table gives the same figures.",
        [charts.Bar(str(label), chart_value(cost)) for label, cost in rows],
    )


def resources(summary: CostSummary, disclose: Disclose) -> Section:
    recorded = any(category.lines for category in summary.categories)

    def money_or_none(amount: Any) -> Any:
        return disclose.money(amount) if recorded else NO_COSTS

    counts = unit_cost_cells(disclose)
    return Section(
        "resources",
        "Adequacy of resources",
        "What the programme cost against its budget, the time others gave it, and what each "
        "result cost. Costs are of things that happened in the period.",
        [
            table(
                "budget-against-cost",
                "Budget against cost",
                "cost.direct_total",
                columns("Figure", "Amount (£)"),
                [
                    ("Budget", disclose.money(summary.budget_total)),
                    ("Direct costs", money_or_none(summary.direct_total)),
                    ("Budget remaining", disclose.money(summary.remaining)),
                    ("Time given, valued at role rates", disclose.money(summary.indirect_total)),
                    ("Direct costs and time given", disclose.money(summary.economic_total)),
                ],
            ),
            table(
                "costs-by-category",
                "Direct costs by category",
                "cost.by_category",
                columns("Category", "Amount (£)"),
                [
                    (category.label, disclose.money(category.cost) if category.lines else NO_COSTS)
                    for category in summary.categories
                ],
                draw=_categories_chart if recorded else None,
            ),
            _time_given(
                "time-given-by-role",
                "Time given to the programme, by role",
                "cost.indirect_by_role",
                summary.indirect_by_role,
                disclose,
            ),
            _time_given(
                "time-given-by-activity",
                "Time given to the programme, by activity",
                "cost.indirect_by_activity",
                summary.indirect_by_activity,
                disclose,
            ),
            table(
                "unit-costs",
                "Unit costs",
                "cost.per_client_seen",
                columns("Per", "Number", "Cost each (£)"),
                [
                    (
                        label,
                        counts[key],
                        disclose.per(summary.direct_total, counts[key]) if recorded else NO_COSTS,
                    )
                    for key, (label, _) in UNIT_COUNTS.items()
                ],
                note=UNIT_COST_NOTE,
            ),
        ],
    )
