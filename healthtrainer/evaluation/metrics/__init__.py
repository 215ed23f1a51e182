"""The evaluation's metrics, defined once each: the registry, and the metrics of each area.
Importing the package registers every metric."""

from healthtrainer.evaluation.metrics import (
    clients,
    costs,
    qualitative,
    referrals,
    source,
    workforce,
)
from healthtrainer.evaluation.metrics.costs import (
    COST_FIGURES,
    cost_figures,
    cost_inputs,
    cost_summary,
)
from healthtrainer.evaluation.metrics.referrals import median_of_counts
from healthtrainer.evaluation.metrics.registry import REGISTRY, Metric, compute, metric
from healthtrainer.evaluation.metrics.source import Ratio

__all__ = [
    "COST_FIGURES",
    "REGISTRY",
    "Metric",
    "Ratio",
    "clients",
    "compute",
    "cost_figures",
    "cost_inputs",
    "cost_summary",
    "costs",
    "median_of_counts",
    "metric",
    "qualitative",
    "referrals",
    "source",
    "workforce",
]
