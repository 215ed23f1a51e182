"""Report section 4: the adequacy of resources."""

from __future__ import annotations

from healthtrainer.core import charts
from healthtrainer.evaluation.report.content import Disclose, Section, Table, chart_value
from healthtrainer.evaluation.report.tables import columns, table
from healthtrainer.workforce.costs import CostSummary, TimeValue


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
        [(row.label, row.hours, disclose.money(row.value), row.unvalued_hours) for row in rows],
    )


def resources(summary: CostSummary, disclose: Disclose) -> Section:
    categories = [(label, disclose.money(cost)) for label, cost in summary.by_category.items()]
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
                    ("Direct costs", disclose.money(summary.direct_total)),
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
                categories,
                chart=charts.bar_chart(
                    "Direct costs by category",
                    "One bar per category of direct cost, in pounds. The table gives the same "
                    "figures.",
                    [charts.Bar(label, chart_value(cost)) for label, cost in categories],
                ),
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
                    (unit.label, disclose.count(unit.count), disclose.money(unit.cost, unit.count))
                    for unit in summary.unit_costs.values()
                ],
            ),
        ],
    )
