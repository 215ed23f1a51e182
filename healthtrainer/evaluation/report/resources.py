"""Report section 4: the adequacy of resources."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from healthtrainer.core import charts
from healthtrainer.evaluation.report.content import Row, Section, Table, chart_value
from healthtrainer.evaluation.report.figures import Disclose, PerUnit
from healthtrainer.evaluation.report.ledger import Cell
from healthtrainer.evaluation.report.tables import columns, table
from healthtrainer.workforce.costs import CostSummary, TimeValue

NO_COSTS = "No costs recorded"
NOT_COSTED = "Not costed"
NO_BUDGET = "No budget recorded"
NO_TIME = "No time recorded"
UNIT_COST_NOTE = (
    "Costs are those incurred in the period, divided by what happened in the period: "
    "referrals received, clients attending a first session, clients discharged as "
    "completing, and goals achieved or partly achieved at discharge. These are counted by "
    "the date they happened, not by the date of referral as elsewhere in this report. "
    "Each cost is divided by the number as shown."
)


def shown_cost(amount: Any, recorded: bool, disclose: Disclose, costed: bool = True) -> Any:
    """A cost, or why there is none, as the Costs page says it: nothing recorded is not
    £0.00, and neither is time nobody has an hourly cost for."""
    if not recorded:
        return NO_COSTS
    if not costed:
        return NOT_COSTED
    return amount if isinstance(amount, PerUnit) else disclose.money(amount)


@dataclass(frozen=True)
class UnitCost:
    label: str
    count: Cell
    cost: PerUnit | str


def unit_costs(summary: CostSummary, disclose: Disclose) -> dict[str, UnitCost]:
    """Each unit cost, divided by its count as shown (the counts and their definitions are
    the cost metrics', as on the Costs page). Referrals received are the report's own
    count of referrals, one cell, so neither can give the other away."""
    units = {}
    for key, unit in summary.unit_costs.items():
        own = f"cost.{key}.count"
        count = (
            disclose.same_as("referred", unit.count, own)
            if key == "per_referral"
            else disclose.count(own, unit.count)
        )
        cost = shown_cost(
            disclose.per(summary.direct_total, count),
            summary.direct_recorded,
            disclose,
            summary.direct_costed,
        )
        units[key] = UnitCost(unit.label, count, cost)
    return units


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
            if row.recorded
            else (row.label, NO_TIME, None, None)
            for row in rows
        ],
    )


def _categories_chart(rows: list[Row]) -> Any:
    return charts.bar_chart(
        "Direct costs by category",
        "One bar per category of direct cost, in pounds; a category with no costs recorded, "
        "or not costed, has no bar. The table gives the same figures.",
        [
            charts.Bar(str(label), chart_value(cost))
            for label, cost in rows
            if cost not in (NO_COSTS, NOT_COSTED)
        ],
    )


def resources(summary: CostSummary, units: dict[str, UnitCost], disclose: Disclose) -> Section:
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
                    (
                        "Budget",
                        disclose.money(summary.budget_total)
                        if summary.budget_recorded
                        else NO_BUDGET,
                    ),
                    (
                        "Direct costs",
                        shown_cost(
                            summary.direct_total,
                            summary.direct_recorded,
                            disclose,
                            summary.direct_costed,
                        ),
                    ),
                    (
                        "Budget remaining",
                        disclose.money(summary.remaining) if summary.budget_recorded else None,
                    ),
                    (
                        "Time given, valued at role rates",
                        disclose.money(summary.indirect_total)
                        if summary.indirect_recorded
                        else NO_TIME,
                    ),
                    (
                        "Direct costs and time given",
                        shown_cost(
                            summary.economic_total,
                            summary.direct_recorded or summary.indirect_recorded,
                            disclose,
                        ),
                    ),
                ],
            ),
            table(
                "costs-by-category",
                "Direct costs by category",
                "cost.by_category",
                columns("Category", "Amount (£)"),
                [
                    (
                        category.label,
                        shown_cost(category.cost, category.recorded, disclose, category.costed),
                    )
                    for category in summary.categories
                ],
                draw=_categories_chart if summary.direct_recorded else None,
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
                [(unit.label, unit.count, unit.cost) for unit in units.values()],
                note=UNIT_COST_NOTE,
            ),
        ],
    )
