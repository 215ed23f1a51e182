"""Paired before/after statistics for outcome measures: pure functions over plain numbers.

Anything undefined for the data given (an SD from one person, a test with no variation)
is None rather than an error, so a small or early cohort still gets a summary.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import numpy
from scipy import stats  # type: ignore[import-untyped]

CONFIDENCE = 0.95

# Changes smaller than this, relative to their size, are binary noise (0.3 - 0.2 against
# 0.2 - 0.1), not variation between people.
_NOISE = 1e-12


@dataclass(frozen=True)
class PairedSummary:
    n: int
    mean_before: float | None
    sd_before: float | None
    mean_after: float | None
    sd_after: float | None
    # Changes are after minus before.
    mean_change: float | None
    sd_change: float | None
    ci_low: float | None
    ci_high: float | None
    t_statistic: float | None
    p_t: float | None
    p_wilcoxon: float | None
    # Cohen's dz: the mean change over the SD of the changes.
    cohens_dz: float | None


def paired_summary(before: Sequence[float], after: Sequence[float]) -> PairedSummary:
    """Summarise paired scores: each position in `before` and `after` is one person."""
    if len(before) != len(after):
        raise ValueError(f"Scores must be paired: {len(before)} before and {len(after)} after.")
    values = [*before, *after]
    if any(
        isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value)
        for value in values
    ):
        raise ValueError("Every score must be a finite number.")
    n = len(before)
    if n == 0:
        return PairedSummary(
            n=0,
            mean_before=None,
            sd_before=None,
            mean_after=None,
            sd_after=None,
            mean_change=None,
            sd_change=None,
            ci_low=None,
            ci_high=None,
            t_statistic=None,
            p_t=None,
            p_wilcoxon=None,
            cohens_dz=None,
        )
    changes = [later - earlier for earlier, later in zip(before, after, strict=True)]
    mean_change = statistics.fmean(changes)
    sd_change = _sd(changes)
    varies = sd_change is not None and sd_change > _NOISE * max(1.0, *map(abs, changes))

    ci_low = ci_high = t_statistic = p_t = cohens_dz = None
    if varies and sd_change is not None:
        standard_error = sd_change / math.sqrt(n)
        margin = float(stats.t.ppf((1 + CONFIDENCE) / 2, n - 1)) * standard_error
        ci_low, ci_high = mean_change - margin, mean_change + margin
        result = stats.ttest_rel(after, before)
        t_statistic, p_t = float(result.statistic), float(result.pvalue)
        cohens_dz = mean_change / sd_change

    return PairedSummary(
        n=n,
        mean_before=statistics.fmean(before),
        sd_before=_sd(before),
        mean_after=statistics.fmean(after),
        sd_after=_sd(after),
        mean_change=mean_change,
        sd_change=sd_change,
        ci_low=ci_low,
        ci_high=ci_high,
        t_statistic=t_statistic,
        p_t=p_t,
        p_wilcoxon=_wilcoxon_p(changes),
        cohens_dz=cohens_dz,
    )


def share(flags: Sequence[bool]) -> float | None:
    """The proportion of True flags, between 0 and 1; None when there are none to share."""
    if not flags:
        return None
    return sum(1 for flag in flags if flag) / len(flags)


def _sd(values: Sequence[float]) -> float | None:
    """The sample standard deviation (n - 1), which needs two values."""
    if len(values) < 2:
        return None
    # numpy's, not statistics.stdev: that one works in exact fractions, forty times slower
    # over a programme's thousands of scores, for digits no report shows.
    return float(numpy.std(values, ddof=1))


def _wilcoxon_p(changes: Sequence[float]) -> float | None:
    """Two-sided Wilcoxon signed-rank p on the changes, with scipy's defaults.

    Zero changes are dropped before ranking (zero_method="wilcox", scipy's default), so
    people whose score did not move do not count. scipy's method="auto" gives the exact
    p for up to 50 changes without ties; with ties it permutes exhaustively up to 13 and
    uses the normal approximation beyond. With no non-zero change there is no test.
    """
    # Differences of converted scores carry float noise (6.33 against 6.330000000000002);
    # rounding lets equal changes tie, as the test assumes.
    rounded = [round(change, 9) for change in changes]
    if not any(change != 0 for change in rounded):
        return None
    return float(stats.wilcoxon(rounded).pvalue)
