"""The mean change in well-being as a funnel plot: its limits against values worked by
hand, and the funnel of a network of programmes with real episodes, from published
numbers of pairs and means to one decimal place."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from healthtrainer.accounts.roles import Role
from healthtrainer.measures.models import QuestionnaireResponse
from healthtrainer.network.funnel import Band, Unit, mean_funnel, pooled_sd
from healthtrainer.network.wellbeing import shown_mean, wellbeing_funnels
from healthtrainer.tests.factories import (
    MembershipFactory,
    ProgrammeFactory,
    accepted_episode,
    collect,
)

# Four programmes' mean changes over their numbers of pairs, with a pooled SD of 4. By
# hand: the network's mean is (16 x 1.0 + 16 x 4.5 + 64 x 2.0 + 64 x 2.5) / 160 =
# 376 / 160 = 2.35. The standard error is 4/√16 = 1 at 16 pairs and 4/√64 = 0.5 at 64,
# so the z-scores are (1.0 - 2.35)/1 = -1.35, (4.5 - 2.35)/1 = 2.15,
# (2.0 - 2.35)/0.5 = -0.7 and (2.5 - 2.35)/0.5 = 0.3.
FOUR = [Unit("A", 1.0, 16), Unit("B", 4.5, 16), Unit("C", 2.0, 64), Unit("D", 2.5, 64)]


def test_the_target_and_z_scores_of_a_funnel_of_means():
    funnel = mean_funnel(FOUR, 4.0)
    assert funnel.target == pytest.approx(2.35)
    assert funnel.z_scores == pytest.approx({"A": -1.35, "B": 2.15, "C": -0.7, "D": 0.3})
    # 2.15 is beyond 1.96 but within 3.09.
    assert funnel.bands == {
        "A": Band.WITHIN,
        "B": Band.BEYOND_95,
        "C": Band.WITHIN,
        "D": Band.WITHIN,
    }


def test_the_limits_of_a_funnel_of_means_by_hand():
    # Winsorised at numpy's 10th and 90th centiles of the sorted scores -1.35, -0.7, 0.3,
    # 2.15: -1.35 + 0.3 x 0.65 = -1.155 and 0.3 + 0.7 x 1.85 = 1.595. φ = (1.155² +
    # 1.595² + 0.7² + 0.3²) / 4 = (1.334025 + 2.544025 + 0.49 + 0.09) / 4 = 1.1145; 4φ =
    # 4.458 is below 7.815 (χ² on 3 degrees of freedom), so the limits are not widened.
    funnel = mean_funnel(FOUR, 4.0, points=5)
    assert funnel.phi == pytest.approx(1.1145125)
    assert not funnel.adjusted
    # The curve starts at 0.8 x 16 = 12.8 pairs, where the standard error is 4/√12.8 =
    # √1.25 = 1.118034: 95% limits 2.35 ± 1.959964 x 1.118034 = 2.35 ± 2.191306, and
    # 99.8% limits 2.35 ± 3.090232 x 1.118034 = 2.35 ± 3.454984. A mean change can be
    # negative: nothing is cut at 0.
    n, lowest, low, high, highest = funnel.curve[0]
    assert n == pytest.approx(12.8)
    assert (lowest, low, high, highest) == pytest.approx(
        (-1.104984, 0.158694, 4.541306, 5.804984), abs=1e-5
    )


def test_a_funnel_of_means_is_widened_for_over_dispersion_as_one_of_proportions_is():
    # Six programmes of 100 pairs with means 0 to 5 and an SD of 4: the mean is 2.5, the
    # standard error 0.4 and the z-scores ±6.25, ±3.75, ±1.25. Winsorised, the ends become
    # ±(6.25 - 0.5 x 2.5) = ±5, so φ = 2 x (25 + 14.0625 + 1.5625) / 6 = 13.5417, and 6φ
    # = 81.25 is far beyond 11.07 (χ² on 5 degrees of freedom).
    spread = [Unit(str(mean), float(mean), 100) for mean in range(6)]
    funnel = mean_funnel(spread, 4.0, points=5)
    assert funnel.phi == pytest.approx(13.541667, abs=1e-5)
    assert funnel.adjusted
    # At 80 pairs the standard error is 4/√80 = 0.447214, widened by √13.541667 = 3.679900
    # to 1.645701: 95% limits 2.5 ± 1.959964 x 1.645701 = 2.5 ± 3.225516.
    n, _, low, high, _ = funnel.curve[0]
    assert n == pytest.approx(80)
    assert (low, high) == pytest.approx((-0.725516, 5.725516), abs=1e-5)
    # Against the widened limits even 0 and 5 are within (6.25 / 3.68 = 1.70).
    assert set(funnel.bands.values()) == {Band.WITHIN}


def test_the_pooled_sd_is_weighted_by_each_programme_s_degrees_of_freedom():
    # √((19 x 3² + 19 x 5²) / (19 + 19)) = √(646 / 38) = √17 = 4.1231.
    assert pooled_sd([(20, 3.0), (20, 5.0)]) == pytest.approx(4.1231056)
    assert pooled_sd([(1, 7.0)]) == 0.0


def test_a_shown_mean_is_rounded_to_one_decimal_halves_away_from_zero():
    assert [shown_mean(value) for value in (2.25, -2.25, 0.15, 3.904762)] == [
        2.3,
        -2.3,
        0.2,
        3.9,
    ]


def _programme(name, code=None):
    programme = ProgrammeFactory(name=name, slug=name.lower())
    MembershipFactory(programme=programme, role=Role.PROGRAMME_MANAGER)
    trainer = MembershipFactory(programme=programme, role=Role.HEALTH_TRAINER).user
    instrument = collect(programme, code, primary=True) if code else None
    return programme, trainer, instrument


def _pairs(programme, trainer, instrument, changes, baseline=40.0):
    """One accepted episode for each change, scored at baseline and exit."""
    episodes = [accepted_episode(trainer, programme) for _ in changes]
    QuestionnaireResponse.objects.bulk_create(
        QuestionnaireResponse(
            programme=programme,
            episode=episode,
            instrument=instrument,
            timepoint=timepoint,
            completed_on=date(2026, 11, 2),
            total=total,
            source="import",
        )
        for episode, change in zip(episodes, changes, strict=True)
        for timepoint, total in (("baseline", baseline), ("exit", baseline + change))
    )


def test_the_well_being_funnel_of_a_network_with_real_episodes(world):
    north, trainer, wemwbs = _programme("North", "wemwbs")
    # 11 clients up 2 points and 10 up 6: 82/21 = 3.904762, shown as 3.9 over the
    # published 20 pairs.
    _pairs(north, trainer, wemwbs, [2.0] * 11 + [6.0] * 10)
    south, trainer, _ = _programme("South", "wemwbs")
    # 15 unchanged and 15 up 2: a mean of 1.0 over 30.
    _pairs(south, trainer, wemwbs, [0.0] * 15 + [2.0] * 15)
    # An exit without a baseline pairs with nothing.
    lone = accepted_episode(trainer, south)
    QuestionnaireResponse.objects.create(
        programme=south,
        episode=lone,
        instrument=wemwbs,
        timepoint="exit",
        completed_on=date(2026, 11, 2),
        total=70,
        source="import",
    )
    whitby, trainer, _ = _programme("Whitby", "wemwbs")
    _pairs(whitby, trainer, wemwbs, [9.0] * 5)  # 5 pairs: hidden
    selby, trainer, swemwbs = _programme("Selby", "swemwbs")
    _pairs(selby, trainer, swemwbs, [1.5] * 10, baseline=20.0)
    goole, _, _ = _programme("Goole")  # no headline instrument

    with CaptureQueriesContext(connection) as queries:
        found = wellbeing_funnels([goole, north, selby, south, whitby])
    assert len(queries.captured_queries) == 3
    assert found.without_instrument == [goole]
    # The instrument most programmes use comes first; Selby's SWEMWBS is apart. Each is
    # followed by the same adjusted for case-mix.
    on_wemwbs, wemwbs_adjusted, on_swemwbs, _ = found.funnels
    assert [funnel.id for funnel in found.funnels] == [
        "wellbeing-wemwbs",
        "wellbeing-wemwbs-adjusted",
        "wellbeing-swemwbs",
        "wellbeing-swemwbs-adjusted",
    ]
    # Adjusted: every WEMWBS client here is in one case-mix group, whose mean change over
    # every programme on WEMWBS, Whitby's hidden pairs included, is (82 + 30 + 45) / 56 =
    # 2.80357: North 82/21 - 2.80357 = 1.1012, South 1.0 - 2.80357 = -1.8036.
    assert [(item.programme.name, item.pairs, item.mean) for item in wemwbs_adjusted.shown] == [
        ("North", 20, 1.1),
        ("South", 30, -1.8),
    ]
    assert [(item.programme.name, item.pairs, item.mean) for item in on_wemwbs.shown] == [
        ("North", 20, 3.9),
        ("South", 30, 1.0),
    ]
    assert on_wemwbs.too_few == [whitby]
    assert [(item.programme.name, item.pairs, item.mean) for item in on_swemwbs.shown] == [
        ("Selby", 10, 1.5)
    ]
    # By hand: the network's mean from what is shown, (20 x 3.9 + 30 x 1.0) / 50 = 2.16.
    # The SD is pooled from the exact changes of the programmes shown (Whitby's are not):
    # North's squared deviations sum to 11 x 2² + 10 x 6² - 82²/21 = 83.809524, South's
    # to 30; (83.809524 + 30) / (20 + 29) = 2.322643, √ = 1.524022. North's z-score is
    # (3.9 - 2.16) / (1.524022/√20) = 5.1059, South's (1.0 - 2.16) / (1.524022/√30) =
    # -4.1690.
    funnel = on_wemwbs.funnel
    assert funnel.target == pytest.approx(2.16)
    assert funnel.z_scores == pytest.approx(
        {str(north.pk): 5.1059, str(south.pk): -4.1690}, abs=1e-4
    )
    # Two programmes this far apart are over-dispersed (2φ > 3.84), so the limits widen.
    assert funnel.adjusted
