"""The evaluation's metrics, each defined once by the `metric` decorator in the module its
id's prefix names (`flow.engaged` in `flow.py`). Importing the package registers every
metric; `manage.py list_metrics` lists them."""

from healthtrainer.evaluation.metrics import (
    companion,
    cost,
    equity,
    fidelity,
    flow,
    follow_up,
    goals,
    qualitative,
    referral,
    sessions,
    training,
    wellbeing,
)
from healthtrainer.evaluation.metrics.cost import (
    COST_FIGURES,
    cost_figures,
    cost_inputs,
    cost_summary,
)
from healthtrainer.evaluation.metrics.ratio import Ratio
from healthtrainer.evaluation.metrics.referral import median_of_counts
from healthtrainer.evaluation.metrics.registry import (
    REGISTRY,
    Metric,
    PeriodRule,
    compute,
    metric,
)

__all__ = [
    "COST_FIGURES",
    "REGISTRY",
    "Metric",
    "PeriodRule",
    "Ratio",
    "companion",
    "compute",
    "cost",
    "cost_figures",
    "cost_inputs",
    "cost_summary",
    "equity",
    "fidelity",
    "flow",
    "follow_up",
    "goals",
    "median_of_counts",
    "metric",
    "qualitative",
    "referral",
    "sessions",
    "training",
    "wellbeing",
]
