"""Assembling an evaluation report for one programme and period, in one disclosure mode."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from healthtrainer.core.routing import reading_reports
from healthtrainer.evaluation.disclosure import Disclosure
from healthtrainer.evaluation.metrics import REGISTRY, Ratio, compute, cost_figures
from healthtrainer.evaluation.metrics.clients import EQUITY_RATIOS
from healthtrainer.evaluation.metrics.referrals import REFERRAL_METRICS
from healthtrainer.evaluation.metrics.source import FLOW_STAGES, flow_counts
from healthtrainer.evaluation.period import Period
from healthtrainer.evaluation.report.cb_use import cb_use
from healthtrainer.evaluation.report.content import Disclose, Headline, Report
from healthtrainer.evaluation.report.gp_referral import gp_referral
from healthtrainer.evaluation.report.outcomes import client_outcomes
from healthtrainer.evaluation.report.resources import resources
from healthtrainer.evaluation.report.tables import quotes_table
from healthtrainer.programmes.models import Programme

SECTION_METRICS = [
    *REFERRAL_METRICS,
    "training.delivered",
    "training.satisfaction",
    "training.confidence_change",
    "fidelity.at_threshold",
    "sessions.pct_naming_a_technique",
    "referrals.profile",
    "referrals.by_local_imd_quintile",
    "goals.by_final_status",
    "follow_up.by_answer",
    "wellbeing.summary",
    "gp_visits.before_after",
    *[outcome.id for outcome in EQUITY_RATIOS],
    "equity.gp_visits",
    "qualitative.quotes",
]
# The aspect of the evaluation each section reports, for the quotes chosen for it.
SECTION_ASPECTS = {
    "gp-referral": "gp_referral",
    "cb-use": "cb_use",
    "client-outcomes": "client_outcomes",
    "resources": "resources",
}
HEADLINE_RATIOS = [
    "referrals.pct_most_deprived_quintile",
    "referrals.pct_long_term_sick_or_disabled",
    "referrals.pct_employed",
    "goals.pct_achieved_or_partly",
    "follow_up.pct_maintaining_strategies",
]
UNIT_COSTS = {
    "cost.per_referral": "per_referral",
    "cost.per_client_seen": "per_client_seen",
    "cost.per_client_completing": "per_client_completing",
    "cost.per_goal_achieved": "per_goal_achieved",
}


def _headline(
    metric_id: str, value: Any, numerator: Any = None, denominator: Any = None, unit: str = ""
) -> Headline:
    metric = REGISTRY[metric_id]
    return Headline(metric_id, metric.title, metric.definition, value, numerator, denominator, unit)


def _ratio(metric_id: str, ratio: Ratio, disclose: Disclose) -> Headline:
    return _headline(
        metric_id,
        disclose.share(ratio),
        disclose.count(ratio.numerator),
        disclose.count(ratio.denominator),
        unit="%",
    )


def _headlines(
    figures: dict[str, Any], flow: Any, costs: Any, disclose: Disclose
) -> dict[str, Headline]:
    summary, cost = costs
    wellbeing = figures["wellbeing.summary"].overall
    headlines = [
        _headline("referrals.total", disclose.count(figures["referral.count"])),
        _headline("referrals.projected", figures["referral.projected"]),
        *[_ratio(metric_id, figures[metric_id], disclose) for metric_id in HEADLINE_RATIOS],
        *[
            _headline(f"flow.{stage}", disclose.count(getattr(flow, stage)))
            for stage in FLOW_STAGES
        ],
        _headline("wellbeing.n_paired", disclose.count(wellbeing.n)),
        _headline("wellbeing.mean_change", disclose.statistic(wellbeing.mean_change, wellbeing.n)),
        _ratio(
            "sessions.pct_naming_a_technique", figures["sessions.pct_naming_a_technique"], disclose
        ),
        _ratio("fidelity.at_threshold", figures["fidelity.at_threshold"].at_threshold, disclose),
        _headline(
            "referral.median_days_to_first_contact",
            figures["referral.median_days_to_first_contact"],
        ),
        *[
            _headline(metric_id, disclose.money(cost[metric_id]), unit="£")
            for metric_id in ("cost.budget_total", "cost.direct_total", "cost.indirect_total")
        ],
        *[
            _headline(
                metric_id,
                disclose.money(summary.unit_costs[key].cost, summary.unit_costs[key].count),
                denominator=disclose.count(summary.unit_costs[key].count),
                unit="£",
            )
            for metric_id, key in UNIT_COSTS.items()
        ],
    ]
    return {headline.id: headline for headline in headlines}


def build_report(
    programme: Programme,
    period: Period,
    disclosure: Disclosure,
    generated_at: datetime | None = None,
) -> Report:
    """The whole evaluation, read from the reports replica when there is one. The number
    of queries does not grow with the data."""
    disclose = Disclose(disclosure)
    with reading_reports():
        figures = compute([*SECTION_METRICS, *HEADLINE_RATIOS], programme, period)
        flow = flow_counts(programme, period)
        costs = cost_figures(programme, period)
    sections = [
        gp_referral(figures, disclose),
        cb_use(figures, disclose),
        client_outcomes(figures, flow, disclose),
        resources(costs[0], disclose),
    ]
    for section in sections:
        aspect = SECTION_ASPECTS[section.id]
        section.tables.extend(quotes_table(aspect, figures["qualitative.quotes"].get(aspect, [])))
    headlines = _headlines(figures, flow, costs, disclose)
    shown_ids = {table.metric_id for section in sections for table in section.tables}
    return Report(
        programme=programme.name,
        programme_slug=programme.slug,
        period=period,
        disclosure=disclosure,
        generated_at=generated_at or timezone.now(),
        sections=sections,
        metrics=headlines,
        definitions={
            metric_id: REGISTRY[metric_id].definition
            for metric_id in sorted(shown_ids | set(headlines))
        },
    )
