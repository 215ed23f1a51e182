"""Statistical process control, the NHS "Making Data Count" way: XmR charts of a count
each month (referrals) and p-charts of a monthly proportion (an outcome), with the rules
that mark special-cause variation.

- XmR: the mean of the points, and limits at the mean ± 2.66 times the mean moving range
  (the range between consecutive points); 2.66 is 3 ÷ 1.128, so the limits are 3 sigma.
- p-chart: the pooled proportion p̄, and limits at p̄ ± 3 √(p̄(1 - p̄)/n) for each month's
  denominator n, kept within 0 and 1.
- The rules: a point beyond a limit; a shift, 7 points in a row on one side of the mean;
  a trend, 6 points in a row each rising or each falling; and two of three points in a
  row beyond 2 sigma on the same side (near a limit).
- Limits are worked out afresh only where a change is declared (a new way of working):
  each stretch between changes has its own mean and limits.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

XMR_FACTOR = 2.66
SIGMA_PER_MOVING_RANGE = 1 / 1.128
SHIFT_POINTS = 7
TREND_POINTS = 6


class Signal(StrEnum):
    BEYOND_LIMIT = "beyond_limit"
    SHIFT = "shift"
    TREND = "trend"
    NEAR_LIMIT = "near_limit"


SIGNAL_WORDS = {
    Signal.BEYOND_LIMIT: "a point beyond a control limit",
    Signal.SHIFT: f"{SHIFT_POINTS} points in a row on one side of the mean",
    Signal.TREND: f"{TREND_POINTS} points in a row rising or falling",
    Signal.NEAR_LIMIT: "2 of 3 points in a row near a limit on the same side",
}


@dataclass(frozen=True)
class Point:
    label: str
    value: float
    mean: float
    lower: float
    upper: float
    # Two sigma either side of the mean: "near a limit" is beyond these.
    lower_near: float
    upper_near: float
    signals: set[Signal] = field(default_factory=set)


def xmr(
    labels: Sequence[str], values: Sequence[float], *, changes: Sequence[int] = ()
) -> list[Point]:
    """An XmR chart; `changes` are the indexes where a declared change starts a stretch."""
    points: list[Point] = []
    for start, end in _stretches(len(values), changes):
        stretch = list(values[start:end])
        mean = sum(stretch) / len(stretch)
        ranges = [abs(b - a) for a, b in itertools.pairwise(stretch)]
        moving_range = sum(ranges) / len(ranges) if ranges else 0.0
        sigma = moving_range * SIGMA_PER_MOVING_RANGE
        for index in range(start, end):
            points.append(
                Point(
                    labels[index],
                    values[index],
                    mean,
                    mean - XMR_FACTOR * moving_range,
                    mean + XMR_FACTOR * moving_range,
                    mean - 2 * sigma,
                    mean + 2 * sigma,
                )
            )
    return _marked(points, changes)


def p_chart(
    labels: Sequence[str],
    numerators: Sequence[int],
    denominators: Sequence[int],
    *,
    changes: Sequence[int] = (),
) -> list[Point]:
    """A p-chart of monthly proportions; months with no denominator are left out."""
    kept = [i for i, n in enumerate(denominators) if n > 0]
    kept_changes = [kept.index(i) for i in changes if i in kept]
    points: list[Point] = []
    for start, end in _stretches(len(kept), kept_changes):
        months = kept[start:end]
        pooled = sum(numerators[i] for i in months) / sum(denominators[i] for i in months)
        for i in months:
            sigma = math.sqrt(pooled * (1 - pooled) / denominators[i])
            points.append(
                Point(
                    labels[i],
                    numerators[i] / denominators[i],
                    pooled,
                    max(0.0, pooled - 3 * sigma),
                    min(1.0, pooled + 3 * sigma),
                    max(0.0, pooled - 2 * sigma),
                    min(1.0, pooled + 2 * sigma),
                )
            )
    return _marked(points, kept_changes)


def _stretches(length: int, changes: Sequence[int]) -> list[tuple[int, int]]:
    cuts = sorted({0, *(c for c in changes if 0 < c < length), length})
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def _marked(points: list[Point], changes: Sequence[int]) -> list[Point]:
    """Mark each rule on the points it covers, within each stretch."""
    for start, end in _stretches(len(points), changes):
        stretch = points[start:end]
        for point in stretch:
            if point.value > point.upper or point.value < point.lower:
                point.signals.add(Signal.BEYOND_LIMIT)
        _runs(stretch, SHIFT_POINTS, Signal.SHIFT, _side)
        _trends(stretch)
        _near(stretch)
    return points


def _side(point: Point) -> int:
    return (point.value > point.mean) - (point.value < point.mean)


def _runs(points: list[Point], length: int, signal: Signal, key: Callable[[Point], int]) -> None:
    """Mark runs of `length` or more points with the same non-zero key."""
    run: list[Point] = []
    for point in points:
        if run and key(point) != 0 and key(point) == key(run[-1]):
            run.append(point)
        else:
            _mark_if_long(run, length, signal)
            run = [point] if key(point) != 0 else []
    _mark_if_long(run, length, signal)


def _mark_if_long(run: list[Point], length: int, signal: Signal) -> None:
    if len(run) >= length:
        for point in run:
            point.signals.add(signal)


def _trends(points: list[Point]) -> None:
    """Six points in a row each higher (or each lower) than the one before."""
    run = [points[0]] if points else []
    direction = 0
    for before, point in itertools.pairwise(points):
        step = (point.value > before.value) - (point.value < before.value)
        if step != 0 and step == direction:
            run.append(point)
        else:
            _mark_if_long(run, TREND_POINTS, Signal.TREND)
            run = [before, point] if step != 0 else [point]
            direction = step
    _mark_if_long(run, TREND_POINTS, Signal.TREND)


def _near(points: list[Point]) -> None:
    """Two of three points in a row beyond two sigma, on the same side."""
    for index in range(len(points) - 2):
        window = points[index : index + 3]
        for side in (1, -1):
            near = [p for p in window if _beyond_near(p, side)]
            if len(near) >= 2:
                for point in near:
                    point.signals.add(Signal.NEAR_LIMIT)


def _beyond_near(point: Point, side: int) -> bool:
    return point.value > point.upper_near if side > 0 else point.value < point.lower_near
