"""The network's methods against values worked by hand: funnel limits and the
over-dispersion factor (Spiegelhalter 2005), the SPC rules on constructed series, and
indirectly standardised ratios on a two-programme network."""

import math

import pytest

from healthtrainer.network.funnel import (
    Band,
    Unit,
    dispersion,
    over_dispersed,
    proportion_funnel,
    ratio_funnel,
    winsorised,
)
from healthtrainer.network.spc import Signal, p_chart, xmr
from healthtrainer.network.standardise import StratumCount, indirectly_standardised

# Four programmes: 30/100, 45/100, 20/50, 150/500. By hand: the target is 245/750 =
# 0.32667; θ(1 - θ) = 0.21996; the z-scores are -0.5686, 2.6297, 1.1057 and -1.2714.
FOUR = [
    Unit("A", 0.30, 100),
    Unit("B", 0.45, 100),
    Unit("C", 0.40, 50),
    Unit("D", 0.30, 500),
]


def test_the_target_and_z_scores_of_a_proportion_funnel():
    funnel = proportion_funnel(FOUR)
    assert funnel.target == pytest.approx(0.326667, abs=1e-6)
    assert funnel.z_scores == pytest.approx(
        {"A": -0.5686, "B": 2.6297, "C": 1.1057, "D": -1.2714}, abs=1e-4
    )


def test_winsorising_keeps_every_score_but_pulls_in_the_ends():
    # By hand, numpy's centiles of the sorted scores: the 10th is -1.2714 + 0.3 x 0.7028
    # = -1.0606, the 90th 1.1057 + 0.7 x 1.5240 = 2.1725.
    scores = [-0.5686, 2.6297, 1.1057, -1.2714]
    assert list(winsorised(scores)) == pytest.approx([-0.5686, 2.1725, 1.1057, -1.0606], abs=1e-4)
    # φ = (0.3233 + 4.7198 + 1.2226 + 1.1248) / 4 = 1.8476.
    assert dispersion(scores) == pytest.approx(1.8476, abs=1e-3)


def test_over_dispersion_is_used_only_beyond_chance():
    # 4φ = 7.39 is below 7.815, the 95th centile of χ² on 3 degrees of freedom.
    funnel = proportion_funnel(FOUR)
    assert funnel.phi == pytest.approx(1.8476, abs=1e-3)
    assert not funnel.adjusted
    assert funnel.bands == {
        "A": Band.WITHIN,
        "B": Band.BEYOND_95,
        "C": Band.WITHIN,
        "D": Band.WITHIN,
    }
    assert over_dispersed(2.0, 4)  # 8.0 > 7.815
    assert not over_dispersed(5.0, 1)


def test_the_limits_at_a_denominator_and_their_widening_for_over_dispersion():
    funnel = proportion_funnel(FOUR, points=5)
    n, lowest, low, high, highest = funnel.curve[0]
    se = math.sqrt(0.326667 * 0.673333 / n)
    assert (low, high) == pytest.approx(
        (0.326667 - 1.95996 * se, 0.326667 + 1.95996 * se), abs=1e-5
    )
    assert (lowest, highest) == pytest.approx(
        (max(0, 0.326667 - 3.09023 * se), 0.326667 + 3.09023 * se), abs=1e-5
    )
    # Six programmes of 400 from 10% to 60%: target 0.35, z = ±10.483, ±6.290, ±2.097;
    # winsorised, the ends become ±8.386, so φ = 2 x (70.33 + 39.56 + 4.40) / 6 = 38.10.
    spread = [Unit(str(i), share, 400) for i, share in enumerate([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])]
    wide = proportion_funnel(spread, points=5)
    assert wide.phi == pytest.approx(38.095, abs=1e-2)
    assert wide.adjusted
    n, _, low, high, _ = wide.curve[0]
    se = math.sqrt(0.35 * 0.65 / n) * math.sqrt(wide.phi)
    assert (low, high) == pytest.approx((0.35 - 1.95996 * se, 0.35 + 1.95996 * se), abs=1e-6)
    # Judged against the widened limits, even 10% is within them (10.483 / √38.10 = 1.70).
    assert set(wide.bands.values()) == {Band.WITHIN}


def test_a_ratio_funnel_is_centred_on_one():
    funnel = ratio_funnel([Unit("A", 1.5, 40), Unit("B", 0.8, 160)], points=3)
    assert funnel.target == 1
    # z = (1.5 - 1) x √40 = 3.162 for A; (0.8 - 1) x √160 = -2.530 for B.
    assert funnel.z_scores == pytest.approx({"A": 3.1623, "B": -2.5298}, abs=1e-4)


def test_standardised_ratios_on_a_two_programme_network():
    # Younger clients do well 60% of the time across the network (18 of 30), older ones
    # 20% (6 of 30). North has 20 younger and 5 older clients with 14 outcomes: expected
    # 20 x 0.6 + 5 x 0.2 = 13, ratio 14/13. South has 10 and 25, 10 outcomes: expected
    # 6 + 5 = 11, ratio 10/11.
    ratios = indirectly_standardised(
        [
            StratumCount("North", "younger", 20, 13),
            StratumCount("North", "older", 5, 1),
            StratumCount("South", "younger", 10, 5),
            StratumCount("South", "older", 25, 5),
        ]
    )
    assert ratios["North"].expected == pytest.approx(13)
    assert ratios["North"].ratio == pytest.approx(14 / 13)
    assert ratios["South"].expected == pytest.approx(11)
    assert ratios["South"].ratio == pytest.approx(10 / 11)


def _labels(count):
    return [f"M{i}" for i in range(count)]


def _signals(points, signal):
    return [i for i, point in enumerate(points) if signal in point.signals]


def test_xmr_limits_by_hand():
    # Mean 12; moving ranges 2, 4, 2 and 6, their mean 3.5: limits 12 ± 9.31; two sigma
    # is 2 x 3.5 / 1.128 = 6.206.
    points = xmr(_labels(5), [10, 12, 16, 14, 8])
    assert points[0].mean == pytest.approx(12)
    assert (points[0].lower, points[0].upper) == pytest.approx((2.69, 21.31))
    assert points[0].upper_near == pytest.approx(18.206, abs=1e-3)


def test_a_point_beyond_the_limits_is_marked():
    values = [10, 11, 9, 10, 11, 9, 10, 30, 10, 9]
    points = xmr(_labels(len(values)), values)
    assert _signals(points, Signal.BEYOND_LIMIT) == [7]


def test_seven_in_a_row_on_one_side_is_a_shift_and_six_rising_a_trend():
    shift = [10, 9, 11, 10, 12, 12, 13, 12, 13, 12, 13, 11]
    points = xmr(_labels(len(shift)), shift)
    assert _signals(points, Signal.SHIFT) == [4, 5, 6, 7, 8, 9, 10]
    rising = [10, 8, 9, 10, 11, 12, 13, 9, 10]
    points = xmr(_labels(len(rising)), rising)
    assert _signals(points, Signal.TREND) == [1, 2, 3, 4, 5, 6]
    five_rising = [10, 8, 9, 10, 11, 12, 9, 10, 9]
    assert not _signals(xmr(_labels(9), five_rising), Signal.TREND)


def test_two_of_three_near_a_limit_on_the_same_side():
    # Mean 10.2; moving ranges fifteen of 0.2 and four of 0.8, mean 0.3263: two sigma
    # above is 10.779 and the limit 11.068, so 11.0 is near it, not beyond.
    values = [10, 10.2] * 8 + [11.0, 10.2, 11.0, 10.2]
    points = xmr(_labels(len(values)), values)
    assert points[0].upper_near == pytest.approx(10.779, abs=1e-3)
    assert _signals(points, Signal.NEAR_LIMIT) == [16, 18]
    assert not _signals(points, Signal.BEYOND_LIMIT)


def test_limits_are_worked_out_again_only_where_a_change_is_declared():
    values = [10, 11, 9, 10, 11, 20, 21, 19, 20, 21]
    whole = xmr(_labels(10), values)
    assert len({point.mean for point in whole}) == 1
    split = xmr(_labels(10), values, changes=[5])
    assert split[0].mean == pytest.approx(10.2)
    assert split[5].mean == pytest.approx(20.2)
    assert not _signals(split, Signal.BEYOND_LIMIT)


def test_a_p_chart_has_limits_for_each_month_s_denominator():
    points = p_chart(_labels(3), [10, 30, 5], [50, 100, 0 + 25])
    pooled = 45 / 175
    assert points[0].mean == pytest.approx(pooled)
    assert points[0].upper == pytest.approx(pooled + 3 * math.sqrt(pooled * (1 - pooled) / 50))
    assert points[1].upper == pytest.approx(pooled + 3 * math.sqrt(pooled * (1 - pooled) / 100))
    assert p_chart(_labels(2), [1, 2], [0, 10])[0].label == "M1"
