"""The metric registry: every figure the evaluation shows is defined once, here.

Each metric has a stable id, a title, a definition in words, and an implementation as
a database aggregation for one programme and one period. Pages, reports and exports read
metrics from the registry and never compute a figure themselves. The number of queries a
metric makes does not grow with the data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from healthtrainer.core.period import Period
from healthtrainer.programmes.models import Programme


@dataclass(frozen=True)
class Metric:
    id: str
    title: str
    definition: str
    compute: Callable[[Programme, Period], Any]


REGISTRY: dict[str, Metric] = {}


def metric(id: str, title: str, definition: str) -> Callable[[Callable[..., Any]], Metric]:
    def register(compute: Callable[[Programme, Period], Any]) -> Metric:
        if id in REGISTRY:
            raise ValueError(f"Metric {id} is defined twice.")
        REGISTRY[id] = Metric(id, title, definition, compute)
        return REGISTRY[id]

    return register


def compute(metric_ids: list[str], programme: Programme, period: Period) -> dict[str, Any]:
    return {metric_id: REGISTRY[metric_id].compute(programme, period) for metric_id in metric_ids}
