"""Funnel plots: each programme's figure against its denominator, with control limits
around the network's figure that narrow as the denominator grows (Spiegelhalter 2005).

Limits are the network figure ± z standard errors at each denominator, z = 1.96 for 95%
and 3.09 for 99.8%. When programmes differ by more than chance allows (over-dispersion),
the standard errors are multiplied by √φ, where φ is the mean of the squared z-scores of
the programmes after winsorising them at the 10th and 90th centiles (Spiegelhalter,
"Handling over-dispersion of performance indicators", Qual Saf Health Care 2005). φ is
used only when it is larger than chance would give: when Iφ exceeds the 95th centile of
χ² on I - 1 degrees of freedom (I programmes, one figure, the target, estimated from
them).

For a mean (the mean change in well-being over a programme's n pairs) the target is the
network's mean, weighted by n, and the standard error at n is s/√n, with s the pooled
within-programme standard deviation (a normally distributed indicator in Spiegelhalter
2005, whose precision is n/s²). Over-dispersion is handled as for proportions, by the
multiplicative φ rather than an additive random-effects τ², so every funnel on a page is
widened by the same rule.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from scipy import stats  # type: ignore[import-untyped]

Z_95 = float(stats.norm.ppf(0.975))
Z_998 = float(stats.norm.ppf(0.999))
WINSORISE_AT = 0.10


class Band(StrEnum):
    WITHIN = "within"
    BEYOND_95 = "beyond_95"
    BEYOND_998 = "beyond_998"


@dataclass(frozen=True)
class Unit:
    """One programme: its name, its figure and the denominator the figure is of."""

    key: str
    value: float
    denominator: float


@dataclass(frozen=True)
class Funnel:
    target: float
    phi: float
    # Whether φ was applied to the limits: over-dispersion beyond chance.
    adjusted: bool
    z_scores: dict[str, float]
    bands: dict[str, Band]
    # (denominator, lower 99.8%, lower 95%, upper 95%, upper 99.8%) along the funnel.
    curve: list[tuple[float, float, float, float, float]]


def winsorised(z: Sequence[float], share: float = WINSORISE_AT) -> np.ndarray:
    """The z-scores with the lowest and highest `share` set to the scores at those centiles
    (kept in number, unlike trimming)."""
    values = np.asarray(z, dtype=float)
    if values.size == 0:
        return values
    low, high = np.quantile(values, [share, 1 - share])
    clipped: np.ndarray = np.clip(values, low, high)
    return clipped


def dispersion(z: Sequence[float]) -> float:
    """φ: the mean squared winsorised z-score; about 1 when only chance is at work."""
    values = winsorised(z)
    return float(np.mean(values**2)) if values.size else 1.0


def over_dispersed(phi: float, units: int) -> bool:
    if units < 2:
        return False
    return units * phi > float(stats.chi2.ppf(0.95, units - 1))


def proportion_funnel(units: Sequence[Unit], *, points: int = 60) -> Funnel:
    """Funnel for proportions (values from 0 to 1): the target is the pooled proportion,
    and the standard error at denominator n is √(θ(1 - θ)/n)."""
    counted = [unit for unit in units if unit.denominator > 0]
    total = sum(unit.denominator for unit in counted)
    target = sum(unit.value * unit.denominator for unit in counted) / total if total else 0.0
    spread = math.sqrt(target * (1 - target))
    return _funnel(counted, target, lambda n: spread / math.sqrt(n), points, (0.0, 1.0))


def mean_funnel(units: Sequence[Unit], sd: float, *, points: int = 60) -> Funnel:
    """Funnel for means (value a mean over `denominator` people): the target is the mean
    of them all, each weighted by its number, and the standard error at n is sd/√n."""
    counted = [unit for unit in units if unit.denominator > 0]
    total = sum(unit.denominator for unit in counted)
    target = sum(unit.value * unit.denominator for unit in counted) / total if total else 0.0
    return _funnel(counted, target, lambda n: sd / math.sqrt(n), points, None)


def pooled_sd(samples: Sequence[tuple[int, float]]) -> float:
    """The pooled within-group standard deviation of (n, sd) samples: the square root of
    Σ(n - 1)sd² / Σ(n - 1); 0 when no sample has two people."""
    weights = sum(n - 1 for n, _ in samples if n > 1)
    if not weights:
        return 0.0
    return math.sqrt(sum((n - 1) * sd**2 for n, sd in samples if n > 1) / weights)


def ratio_funnel(units: Sequence[Unit], *, points: int = 60) -> Funnel:
    """Funnel for standardised ratios (observed ÷ expected, with the expected count as the
    denominator): the target is 1 and the standard error at E is 1/√E (Poisson)."""
    counted = [unit for unit in units if unit.denominator > 0]
    return _funnel(counted, 1.0, lambda e: 1 / math.sqrt(e), points, (0.0, None))


def _funnel(
    units: list[Unit],
    target: float,
    se: Callable[[float], float],
    points: int,
    bounds: tuple[float | None, float | None] | None,
) -> Funnel:
    """`se` gives the standard error under the target at a denominator."""
    z = {
        unit.key: (unit.value - target) / se(unit.denominator) if se(unit.denominator) else 0.0
        for unit in units
    }
    phi = dispersion(list(z.values()))
    adjusted = over_dispersed(phi, len(units))
    inflate = math.sqrt(phi) if adjusted else 1.0
    bands = {key: _band(score / inflate) for key, score in z.items()}
    denominators = [unit.denominator for unit in units]
    curve = [
        _limits(n, target, se(n) * inflate, bounds)
        for n in _grid(min(denominators, default=1), max(denominators, default=1), points)
    ]
    return Funnel(target, phi, adjusted, z, bands, curve)


def _band(z: float) -> Band:
    if abs(z) > Z_998:
        return Band.BEYOND_998
    if abs(z) > Z_95:
        return Band.BEYOND_95
    return Band.WITHIN


def _grid(smallest: float, largest: float, points: int) -> list[float]:
    low = max(1.0, smallest * 0.8)
    high = max(low + 1, largest * 1.1)
    return [float(n) for n in np.geomspace(low, high, points)]


def _limits(
    n: float, target: float, se: float, bounds: tuple[float | None, float | None] | None
) -> tuple[float, float, float, float, float]:
    lowest, low, high, highest = (
        _within(target + z * se, bounds) for z in (-Z_998, -Z_95, Z_95, Z_998)
    )
    return (n, lowest, low, high, highest)


def _within(value: float, bounds: tuple[float | None, float | None] | None) -> float:
    """A limit kept within what the figure can be (a proportion from 0 to 1)."""
    if bounds is None:
        return value
    low, high = bounds
    if low is not None:
        value = max(value, low)
    if high is not None:
        value = min(value, high)
    return value
