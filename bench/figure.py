"""A measured figure, its floor and its target: one row of the table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Figure:
    name: str
    measured: float
    unit: str
    floor: float | None = None
    target: str = ""

    @property
    def ratio(self) -> float | None:
        if self.floor is None or not self.floor:
            return None
        return self.measured / self.floor


def timed(run: Callable[[], Any], repeat: int) -> float:
    """The median wall time of `repeat` runs, in seconds, after one to warm up."""
    run()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)
