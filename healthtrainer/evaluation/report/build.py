"""Assembling an evaluation report for one programme and period, in one disclosure mode."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from healthtrainer.casework.vocabulary import Maintained
from healthtrainer.clients.codes import EmploymentStatus
from healthtrainer.core.period import Period
from healthtrainer.core.routing import reading_reports
from healthtrainer.evaluation.disclosure import Disclosure
from healthtrainer.evaluation.metrics import REGISTRY, compute, cost_summary
from healthtrainer.evaluation.metrics.equity import EQUITY_RATIOS
from healthtrainer.evaluation.metrics.flow import FLOW_STAGES, flow_counts
from healthtrainer.evaluation.metrics.referral import REFERRAL_METRICS
from healthtrainer.evaluation.metrics.subgroups import SUBGROUPS
from healthtrainer.evaluation.report.cb_use import cb_use
from healthtrainer.evaluation.report.companion import client_companion
from healthtrainer.evaluation.report.content import Headline, Report
from healthtrainer.evaluation.report.figures import Disclose, PerUnit, Statistic
from healthtrainer.evaluation.report.gp_referral import gp_referral
from healthtrainer.evaluation.report.outcome_cells import Outcomes, outcome_cells
from healthtrainer.evaluation.report.outcomes import client_outcomes
from healthtrainer.evaluation.report.resources import UnitCost, resources, unit_costs
from healthtrainer.evaluation.report.tables import quotes_table
from healthtrainer.programmes.models import Programme
from healthtrainer.workforce.costs import CostSummary

SECTION_METRICS = [
    *REFERRAL_METRICS,
    "training.delivered",
    "training.satisfaction",
    "training.confidence_change",
    "fidelity.at_threshold",
    "sessions.pct_naming_a_technique",
    "referral.profile",
    "referral.by_local_imd_quintile",
    "goals.by_final_status",
    "follow_up.by_answer",
    "wellbeing.summary",
    "follow_up.gp_visits_before_after",
    *[outcome.id for outcome in EQUITY_RATIOS],
    "equity.gp_visits",
    "companion.by_subgroup",
    "companion.strategies_by_month",
    "follow_up.strategy_answers_by_source",
    "qualitative.quotes",
]
# The aspect of the evaluation each section reports, for the quotes chosen for it; the
# companion's section reports no aspect of its own.
SECTION_ASPECTS = {
    "gp-referral": "gp_referral",
    "cb-use": "cb_use",
    "client-outcomes": "client_outcomes",
    "resources": "resources",
}
# Each headline percentage, as the cells of the tables that show the same figure.
HEADLINE_RATIOS = {
    "referral.pct_most_deprived_quintile": (
        f"referred.imd_quintile.{SUBGROUPS['imd_quintile'].label(1)}",
        "referred.imd_quintile.recorded",
        "referrals with an IMD decile known",
    ),
    "referral.pct_long_term_sick_or_disabled": (
        f"referred.employment_status.{EmploymentStatus.LONG_TERM_SICK_OR_DISABLED.label}",
        "referred.employment_status.recorded",
        "referrals with an employment status stated",
    ),
    "referral.pct_employed": (
        f"referred.employment_status.{EmploymentStatus.EMPLOYED.label}",
        "referred.employment_status.recorded",
        "referrals with an employment status stated",
    ),
    "goals.pct_achieved_or_partly": (
        "goals.achieved_or_partly",
        "goals.judged",
        "goals achieved, partly or not achieved",
    ),
    "follow_up.pct_maintaining_strategies": (
        f"follow_up.{Maintained.YES.label}",
        "follow_up.judged",
        "follow-ups that reached the client and were answered",
    ),
    "sessions.pct_naming_a_technique": (
        "sessions.naming_a_technique.n",
        "sessions.naming_a_technique.d",
        "session records",
    ),
    "fidelity.at_threshold": (
        "fidelity.at_threshold.n",
        "fidelity.at_threshold.d",
        "supervision ratings",
    ),
}
UNIT_COSTS = {
    "cost.per_referral": "per_referral",
    "cost.per_client_seen": "per_client_seen",
    "cost.per_client_completing": "per_client_completing",
    "cost.per_goal_achieved": "per_goal_achieved",
}


def _headline(metric_id: str, value: Any, **figures: Any) -> Headline:
    metric = REGISTRY[metric_id]
    return Headline(metric_id, metric.title, metric.definition, value, **figures)


def _ratio(metric_id: str, disclose: Disclose) -> Headline:
    numerator_key, denominator_key, of = HEADLINE_RATIOS[metric_id]
    numerator = disclose.ledger.cells[numerator_key]
    denominator = disclose.ledger.cells[denominator_key]
    return _headline(
        metric_id,
        disclose.share(numerator, denominator),
        numerator=numerator,
        denominator=denominator,
        unit="%",
        of=of,
    )


def _headlines(
    figures: dict[str, Any],
    outcomes: Outcomes,
    summary: CostSummary,
    units: dict[str, UnitCost],
    disclose: Disclose,
) -> dict[str, Headline]:
    wellbeing = figures["wellbeing.summary"].overall
    referred = outcomes.flow["referred"]
    headlines = [
        _headline("referral.count", referred),
        _headline("referral.projected", figures["referral.projected"]),
        *[_ratio(metric_id, disclose) for metric_id in HEADLINE_RATIOS],
        *[
            _headline(
                f"flow.{stage}",
                outcomes.flow[stage],
                denominator=None if stage == "referred" else referred,
                of="referred",
            )
            for stage in FLOW_STAGES
        ],
        _headline("wellbeing.n_paired", outcomes.wellbeing_n),
        _headline(
            "wellbeing.mean_change",
            disclose.statistic(wellbeing.mean_change, outcomes.wellbeing_n),
            denominator=outcomes.wellbeing_n,
            of="clients with a score before and after",
        ),
        _headline(
            "referral.median_days_to_first_contact",
            Statistic(figures["referral.median_days_to_first_contact"], referred, 1),
        ),
        *[
            _headline(metric_id, disclose.money(amount) if recorded else None, unit="£")
            for metric_id, amount, recorded in (
                ("cost.budget_total", summary.budget_total, summary.budget_recorded),
                (
                    "cost.direct_total",
                    summary.direct_total,
                    summary.direct_recorded and summary.direct_costed,
                ),
                ("cost.indirect_total", summary.indirect_total, summary.indirect_recorded),
            )
        ],
        *[
            _headline(
                metric_id,
                units[key].cost if isinstance(units[key].cost, PerUnit) else None,
                denominator=units[key].count,
                unit="£",
                of=units[key].label.lower().removeprefix("per "),
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
        figures = compute(SECTION_METRICS, programme, period)
        flow = flow_counts(programme, period)
        summary = cost_summary(programme, period)
    first = gp_referral(figures, disclose, period, programme)
    outcomes = outcome_cells(figures, flow, disclose.ledger.cells["referred"], disclose)
    units = unit_costs(summary, disclose)
    drafts = [
        first,
        cb_use(figures, disclose),
        client_outcomes(figures, outcomes, disclose),
        client_companion(figures, disclose),
        resources(summary, units, disclose),
    ]
    draft_headlines = _headlines(figures, outcomes, summary, units, disclose)
    disclose.ledger.protect()
    sections = [section.finished() for section in drafts]
    for section in sections:
        aspect = SECTION_ASPECTS.get(section.id)
        if aspect:
            quotes = figures["qualitative.quotes"].get(aspect, [])
            section.tables.extend(quotes_table(aspect, quotes))
    headlines = {key: headline.finished() for key, headline in draft_headlines.items()}
    shown_ids = {table.metric_id for section in sections for table in section.tables}
    return Report(
        programme=programme.name,
        programme_slug=programme.slug,
        period=period,
        disclosure=disclosure,
        generated_at=generated_at or timezone.now(),
        sections=sections,
        metrics=headlines,
        ledger=disclose.ledger,
        definitions={
            metric_id: REGISTRY[metric_id].definition
            for metric_id in sorted(shown_ids | set(headlines))
        },
    )
