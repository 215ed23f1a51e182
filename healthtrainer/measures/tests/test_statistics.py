"""Paired statistics against values worked out by hand or by exact enumeration."""

from __future__ import annotations

import itertools
import math

import pytest

from healthtrainer.measures.statistics import paired_summary, share


def exact_wilcoxon_p(changes: list[float]) -> float:
    """Two-sided exact signed-rank p, by trying every assignment of signs to the ranks.

    Valid for non-zero changes with distinct sizes, so the ranks are 1..n without ties.
    """
    sizes = sorted(abs(change) for change in changes)
    assert len(set(sizes)) == len(sizes)
    assert 0 not in sizes
    rank = {size: position for position, size in enumerate(sizes, start=1)}
    total = len(sizes) * (len(sizes) + 1) // 2
    positive = sum(rank[abs(change)] for change in changes if change > 0)
    observed = min(positive, total - positive)
    as_extreme = 0
    for signs in itertools.product((False, True), repeat=len(sizes)):
        ranks_up = sum(r for r, up in zip(range(1, len(sizes) + 1), signs, strict=True) if up)
        as_extreme += min(ranks_up, total - ranks_up) <= observed
    return as_extreme / 2 ** len(sizes)


def test_a_small_worked_example_matches_the_arithmetic_by_hand():
    # Three people: before 10, 12, 9; after 8, 8, 3; changes -2, -4, -6.
    summary = paired_summary([10, 12, 9], [8, 8, 3])
    assert summary.n == 3
    # Before: mean 31/3; deviations -1/3, 5/3, -4/3; squares sum to 42/9; / 2 = 7/3.
    assert summary.mean_before == pytest.approx(31 / 3)
    assert summary.sd_before == pytest.approx(math.sqrt(7 / 3))
    # After: mean 19/3; deviations 5/3, 5/3, -10/3; squares sum to 150/9; / 2 = 25/3.
    assert summary.mean_after == pytest.approx(19 / 3)
    assert summary.sd_after == pytest.approx(math.sqrt(25 / 3))
    # Changes: mean -4; deviations 2, 0, -2; squares sum to 8; / 2 = 4; SD 2.
    assert summary.mean_change == pytest.approx(-4)
    assert summary.sd_change == pytest.approx(2)
    # t = -4 / (2 / sqrt 3) = -2 sqrt 3 = -3.4641, on 2 degrees of freedom.
    assert summary.t_statistic == pytest.approx(-2 * math.sqrt(3))
    # With 2 degrees of freedom the t distribution has F(t) = 1/2 + t / (2 sqrt(2 + t^2)),
    # so the two-sided p = 1 - |t| / sqrt(2 + t^2) = 1 - sqrt(12 / 14) = 0.074180.
    assert summary.p_t == pytest.approx(1 - math.sqrt(12 / 14))
    # The 97.5% point of t on 2 df solves t / sqrt(2 + t^2) = 0.95:
    # t^2 = 0.9025 x 2 / 0.0975, t = 4.302653. Margin = 4.302653 x 2 / sqrt 3 = 4.968275.
    t_critical = math.sqrt(0.9025 * 2 / 0.0975)
    assert t_critical == pytest.approx(4.302653, abs=1e-6)
    assert summary.ci_low == pytest.approx(-4 - t_critical * 2 / math.sqrt(3))
    assert summary.ci_high == pytest.approx(-4 + t_critical * 2 / math.sqrt(3))
    assert summary.ci_low == pytest.approx(-8.968275, abs=1e-6)
    assert summary.ci_high == pytest.approx(0.968275, abs=1e-6)
    # dz = mean change / SD of changes = -4 / 2.
    assert summary.cohens_dz == pytest.approx(-2)
    # Wilcoxon: all three changes fall, ranks 1, 2, 3, W+ = 0. Of the 8 equally likely sign
    # patterns only "all down" and "all up" are as extreme: p = 2 / 8.
    assert summary.p_wilcoxon == pytest.approx(0.25)
    assert exact_wilcoxon_p([-2, -4, -6]) == 0.25


def test_the_wilcoxon_p_matches_exact_enumeration_on_mixed_signs():
    # Changes -5, -3, +1, -8, -2, -7: sizes 1, 2, 3, 5, 7, 8 take ranks 1..6 and only the
    # +1 (rank 1) rose, so W+ = 1. Of 64 sign patterns, W+ <= 1 in 2 ({} and {1}) and
    # W- <= 1 in 2 more: p = 4 / 64 = 0.0625.
    before = [10, 10, 10, 10, 10, 10]
    changes = [-5, -3, 1, -8, -2, -7]
    after = [b + c for b, c in zip(before, changes, strict=True)]
    summary = paired_summary(before, after)
    assert summary.p_wilcoxon == pytest.approx(0.0625)
    assert exact_wilcoxon_p(changes) == 0.0625


def test_the_wilcoxon_p_matches_scipys_documented_example_and_enumeration():
    # Darwin's cross- and self-fertilised corn (scipy.stats.wilcoxon's example):
    # exact two-sided p 0.041259765625.
    changes = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75]
    summary = paired_summary([0] * len(changes), changes)
    assert summary.p_wilcoxon == pytest.approx(0.041259765625)
    assert exact_wilcoxon_p(changes) == pytest.approx(0.041259765625)


def test_unchanged_people_are_left_out_of_the_wilcoxon_test():
    # zero_method="wilcox": the 0 change is dropped, leaving the first example's -2, -4, -6.
    summary = paired_summary([10, 12, 9, 5], [8, 8, 3, 5])
    assert summary.p_wilcoxon == pytest.approx(0.25)
    assert summary.n == 4
    assert summary.mean_change == pytest.approx(-3)


def test_the_t_test_agrees_with_the_summary_statistics():
    before = [42.0, 38.5, 51.0, 47.0, 35.0, 44.0, 40.0, 39.5]
    after = [46.0, 40.0, 50.5, 52.0, 41.0, 43.0, 47.5, 44.0]
    summary = paired_summary(before, after)
    assert summary.mean_change is not None
    assert summary.sd_change is not None
    t = summary.mean_change / (summary.sd_change / math.sqrt(len(before)))
    assert summary.t_statistic == pytest.approx(t)
    assert summary.cohens_dz == pytest.approx(t / math.sqrt(len(before)))
    assert summary.ci_low is not None
    assert summary.ci_high is not None
    assert summary.ci_low < summary.mean_change < summary.ci_high
    # Both limits above 0 exactly when the two-sided p is below 0.05.
    assert summary.p_t is not None
    assert (summary.ci_low > 0) == (summary.p_t < 0.05)


def test_no_pairs_give_an_empty_summary():
    summary = paired_summary([], [])
    assert summary.n == 0
    assert summary.mean_before is None
    assert summary.mean_change is None
    assert summary.p_t is None
    assert summary.p_wilcoxon is None


def test_one_pair_gives_means_but_nothing_that_needs_a_spread():
    summary = paired_summary([20], [25])
    assert (summary.n, summary.mean_before, summary.mean_after) == (1, 20, 25)
    assert summary.mean_change == 5
    assert summary.sd_before is None
    assert summary.sd_change is None
    assert summary.ci_low is None
    assert summary.t_statistic is None
    assert summary.p_t is None
    assert summary.cohens_dz is None


def test_identical_changes_give_no_t_test_or_effect_size():
    summary = paired_summary([1, 2, 3], [3, 4, 5])
    assert summary.mean_change == 2
    assert summary.sd_change == 0
    assert (summary.ci_low, summary.ci_high) == (None, None)
    assert (summary.t_statistic, summary.p_t, summary.cohens_dz) == (None, None, None)


def test_changes_equal_but_for_floating_point_noise_count_as_identical():
    # 0.4 - 0.1 and 0.5 - 0.2 differ in the 17th digit.
    summary = paired_summary([0.1, 0.2], [0.4, 0.5])
    assert summary.t_statistic is None
    assert summary.cohens_dz is None


def test_no_change_at_all_gives_no_wilcoxon_test():
    summary = paired_summary([5, 6, 7], [5, 6, 7])
    assert summary.mean_change == 0
    assert summary.p_wilcoxon is None
    assert summary.p_t is None


def test_zero_spread_at_one_time_still_summarises():
    summary = paired_summary([10, 10, 10], [12, 13, 17])
    assert summary.sd_before == 0
    assert summary.sd_change == pytest.approx(math.sqrt(7))
    assert summary.t_statistic is not None


@pytest.mark.parametrize(
    ("before", "after"),
    [([1, 2], [1]), ([1, math.nan], [1, 2]), ([1, 2], [1, math.inf]), ([True], [1])],
)
def test_unpaired_or_non_numeric_scores_are_refused(before, after):
    with pytest.raises(ValueError, match=r"must be paired|finite number"):
        paired_summary(before, after)


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ([], None),
        ([True], 1.0),
        ([False], 0.0),
        ([True, False, False, True, True], 0.6),
        ((True, False, False), 1 / 3),
    ],
)
def test_share_is_the_proportion_of_true_flags(flags, expected):
    assert share(flags) == (None if expected is None else pytest.approx(expected))
