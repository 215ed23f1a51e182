"""The metric registry: every figure the evaluation shows is defined once, by the `metric`
decorator on the function that computes it, with a literal id whose prefix names its
module (`flow.engaged` is in `metrics/flow.py`).

Each metric has a stable id, a title, a definition in words, the rule for which records a
period counts, and an implementation as a database aggregation for one programme and one
period. Pages, reports, exports and the API read metrics from the registry and never
compute a figure themselves. The number of queries a metric makes does not grow with the
data. `manage.py list_metrics` prints them all.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from healthtrainer.core.period import Period
from healthtrainer.programmes.models import Programme


class PeriodRule(StrEnum):
    """Which records a reporting period counts, for one metric."""

    REFERRAL_DATE = "episodes whose referral was received in the period"
    ACTIVITY_DATE = "sessions held, costs incurred and time given in the period"
    WHOLE_PROGRAMME = "the whole programme, whatever the period"
    SETTINGS = "the programme's settings, whatever the period"


@dataclass(frozen=True)
class Metric:
    id: str
    title: str
    definition: str
    period: PeriodRule
    compute: Callable[[Programme, Period], Any]

    @property
    def module(self) -> str:
        return self.compute.__module__

    @property
    def line(self) -> int:
        return inspect.getsourcelines(self.compute)[1]


REGISTRY: dict[str, Metric] = {}


def metric(
    id: str, title: str, definition: str, *, period: PeriodRule
) -> Callable[[Callable[[Programme, Period], Any]], Metric]:
    def register(compute: Callable[[Programme, Period], Any]) -> Metric:
        if id in REGISTRY:
            raise ValueError(f"Metric {id} is defined twice.")
        module = compute.__module__.rsplit(".", 1)[-1]
        if id.split(".", 1)[0] != module:
            raise ValueError(f"Metric {id} is defined in {module}.py: its prefix must be {module}.")
        REGISTRY[id] = Metric(id, title, definition, period, compute)
        return REGISTRY[id]

    return register


def compute(metric_ids: list[str], programme: Programme, period: Period) -> dict[str, Any]:
    return {metric_id: REGISTRY[metric_id].compute(programme, period) for metric_id in metric_ids}
