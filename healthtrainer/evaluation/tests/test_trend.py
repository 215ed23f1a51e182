"""The evaluation page's first screen: headline tiles by aspect, each against the period
of equal length just before, never compared through a hidden figure."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from healthtrainer.core.period import Period
from healthtrainer.evaluation.disclosure import Disclosure
from healthtrainer.evaluation.report.content import Headline, Report, Section
from healthtrainer.evaluation.report.trend import (
    AT_A_GLANCE,
    NO_PREVIOUS_FIGURE,
    WHOLE_PROGRAMME,
    at_a_glance,
    previous_period,
    trend,
)

TODAY = date(2012, 3, 15)


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        # Whole months are matched by months.
        (Period(date(2011, 7, 1), date(2011, 12, 31)), Period(date(2011, 1, 1), date(2011, 6, 30))),
        (Period(date(2011, 3, 1), date(2011, 3, 31)), Period(date(2011, 2, 1), date(2011, 2, 28))),
        (
            Period(date(2011, 1, 1), date(2011, 12, 31)),
            Period(date(2010, 1, 1), date(2010, 12, 31)),
        ),
        # Anything else day for day.
        (Period(date(2011, 3, 10), date(2011, 3, 19)), Period(date(2011, 2, 28), date(2011, 3, 9))),
        (Period(date(2011, 5, 3), date(2011, 5, 3)), Period(date(2011, 5, 2), date(2011, 5, 2))),
        # An open end runs to today.
        (Period(date(2012, 3, 6), None), Period(date(2012, 2, 25), date(2012, 3, 5))),
    ],
)
def test_the_previous_period_has_the_same_length_and_ends_the_day_before(period, previous):
    assert previous_period(period, TODAY) == previous


@pytest.mark.parametrize(
    "period",
    [
        Period(),
        Period(None, date(2011, 12, 31)),
        Period(date(2013, 1, 1), None),
        Period(date.min, date(1, 1, 31)),
        Period(date(1, 2, 1), date(1, 3, 31)),
        Period(date(1, 1, 5), date(1, 1, 20)),
    ],
)
def test_there_is_no_previous_period_without_a_start_or_before_the_calendar(period):
    assert previous_period(period, TODAY) is None


def _headline(value, unit="", denominator=None, metric_id="referral.count"):
    return Headline(
        id=metric_id,
        title="A figure",
        definition="How it is counted.",
        value=value,
        denominator=denominator,
        unit=unit,
    )


@pytest.mark.parametrize(
    ("now", "before", "unit", "words"),
    [
        (145, 140, "", "Up 5 from the previous period (140)"),
        (1200, 2450, "", "Down 1,250 from the previous period (2,450)"),
        (
            Decimal("66.7"),
            Decimal("68.8"),
            "%",
            "Down 2.1 percentage points from the previous period (68.8%)",
        ),
        (
            Decimal("70.0"),
            Decimal("69.0"),
            "%",
            "Up 1.0 percentage point from the previous period (69.0%)",
        ),
        (
            Decimal("1250.50"),
            Decimal("1000.00"),
            "£",
            "Up £250.50 from the previous period (£1000.00)",
        ),
        (Decimal("1.34"), Decimal("1.51"), "", "Down 0.17 from the previous period (1.51)"),
        (1.339, 1.51, "", "Down 0.17 from the previous period (1.51)"),
        (145, 145, "", "No change from the previous period (145)"),
        (0, 0, "", "No change from the previous period (0)"),
    ],
)
def test_a_trend_says_how_far_the_figure_moved_in_its_own_unit(now, before, unit, words):
    assert trend(_headline(now, unit), _headline(before, unit)) == words


@pytest.mark.parametrize(
    ("now", "before"),
    [("*", 140), (145, "*"), ("*", "*"), (None, 140), (145, None), (True, 1)],
)
def test_a_hidden_or_missing_figure_is_never_compared(now, before):
    assert trend(_headline(now), _headline(before)) == NO_PREVIOUS_FIGURE


def test_without_a_previous_report_there_is_no_previous_figure():
    assert trend(_headline(145), None) == NO_PREVIOUS_FIGURE


def _report(metrics: dict[str, Headline]) -> Report:
    return Report(
        programme="Test programme",
        programme_slug="test",
        period=Period(date(2011, 7, 1), date(2011, 12, 31)),
        disclosure=Disclosure.PUBLISHED,
        generated_at=datetime(2012, 1, 2, 9, 0),
        sections=[
            Section("gp-referral", "GP referral", "", []),
            Section("cb-use", "Trainers' use of CB", "", []),
            Section("client-outcomes", "Client outcomes", "", []),
            Section("resources", "Adequacy of resources", "", []),
        ],
        metrics={headline.id: headline for headline in metrics.values()},
    )


def _figures(**values) -> dict[str, Headline]:
    return {
        metric_id.replace("__", "."): _headline(value, metric_id=metric_id.replace("__", "."))
        for metric_id, value in values.items()
    }


def test_each_aspect_has_its_tiles_in_the_order_of_the_sections():
    metric_ids = [spec.metric_id for specs in AT_A_GLANCE.values() for spec in specs]
    every = {metric_id: _headline(10, metric_id=metric_id) for metric_id in metric_ids}
    aspects = at_a_glance(_report(every), None)
    assert [aspect.section_id for aspect in aspects] == [
        "gp-referral",
        "cb-use",
        "client-outcomes",
        "resources",
    ]
    assert [aspect.title for aspect in aspects][1] == "Trainers' use of CB"
    assert all(1 < len(aspect.tiles) <= 5 for aspect in aspects)
    assert [tile.headline.id for aspect in aspects for tile in aspect.tiles] == metric_ids


def test_a_tile_gives_its_base_in_words_and_its_trend():
    current = _report(
        {
            "referral.count": _headline(145, metric_id="referral.count"),
            "referral.projected": _headline(90, metric_id="referral.projected"),
            "referral.pct_most_deprived_quintile": _headline(
                Decimal("69.0"),
                "%",
                denominator=145,
                metric_id="referral.pct_most_deprived_quintile",
            ),
            "flow.referred": _headline("*", metric_id="flow.referred"),
            "flow.engaged": _headline("*", metric_id="flow.engaged"),
            "fidelity.at_threshold": _headline(
                Decimal("80.0"), "%", denominator=40, metric_id="fidelity.at_threshold"
            ),
            "cost.direct_total": _headline(Decimal("5000.00"), "£", metric_id="cost.direct_total"),
            "cost.budget_total": _headline(None, "£", metric_id="cost.budget_total"),
        }
    )
    earlier = _report(
        {
            "referral.count": _headline(140, metric_id="referral.count"),
            "flow.engaged": _headline(60, metric_id="flow.engaged"),
            "fidelity.at_threshold": _headline(
                Decimal("70.0"), "%", denominator=30, metric_id="fidelity.at_threshold"
            ),
        }
    )
    tiles = {
        tile.headline.id: tile for aspect in at_a_glance(current, earlier) for tile in aspect.tiles
    }
    assert set(tiles) == {
        "referral.count",
        "referral.pct_most_deprived_quintile",
        "flow.engaged",
        "fidelity.at_threshold",
        "cost.direct_total",
    }
    total = tiles["referral.count"]
    assert (total.headline.text, total.base, total.trend) == (
        "145",
        "against 90 projected for the programme",
        "Up 5 from the previous period (140)",
    )
    deprived = tiles["referral.pct_most_deprived_quintile"]
    assert (deprived.headline.text, deprived.base, deprived.trend) == (
        "69.0%",
        "of 145 referrals with a known area",
        NO_PREVIOUS_FIGURE,
    )
    # A hidden figure stays hidden, and so does its base; it is not compared.
    engaged = tiles["flow.engaged"]
    assert (engaged.headline.text, engaged.base, engaged.trend) == (
        "*",
        "of * referred",
        NO_PREVIOUS_FIGURE,
    )
    # Supervision fidelity covers the whole programme: no earlier period could move it.
    assert tiles["fidelity.at_threshold"].trend == WHOLE_PROGRAMME
    assert tiles["fidelity.at_threshold"].base == "of 40 ratings in supervision"
    # With no budget there is no base to give.
    assert tiles["cost.direct_total"].base == ""
