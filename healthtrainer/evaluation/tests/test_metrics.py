import statistics
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from healthtrainer.accounts.roles import Role
from healthtrainer.core import charts
from healthtrainer.core.period import Period
from healthtrainer.evaluation.metrics import REGISTRY, compute, median_of_counts
from healthtrainer.referrals.triage import Status
from healthtrainer.tests.factories import PracticeFactory, ReferralFactory

ALL = sorted(REGISTRY)


@pytest.fixture
def practices(programme):
    return (
        PracticeFactory(programme=programme, registered_list_size=8000, is_gp_champion=True),
        PracticeFactory(programme=programme, registered_list_size=4000),
    )


def make_referrals(practices, n, start=date(2011, 4, 1)):
    for i in range(n):
        ReferralFactory(
            practice=practices[i % 2],
            received_date=start + timedelta(days=3 * i),
            status=Status.NOT_ELIGIBLE if i % 5 == 0 else Status.RECEIVED,
            first_contact_date=start + timedelta(days=3 * i + (i % 4)) if i % 3 else None,
            source="gp" if i % 7 else "self",
        )


def test_every_metric_has_an_id_title_and_definition():
    for metric_id, metric in REGISTRY.items():
        assert metric.id == metric_id
        assert metric.title
        assert len(metric.definition) > 30


def test_referral_figures_follow_the_records(programme, practices):
    make_referrals(practices, 10)
    figures = compute(ALL, programme, Period())
    assert figures["referral.count"] == 10
    assert figures["referral.projected"] == programme.projected_referrals
    assert figures["referral.eligibility"] == {"Eligible": 8, "Not eligible": 2}
    assert figures["referral.by_source"]["Self-referral"] == sum(1 for i in range(10) if i % 7 == 0)
    assert sum(figures["referral.by_source"].values()) == 10
    months = figures["referral.by_month"]
    assert [m.referrals for m in months] == [10]
    assert months[-1].cumulative == 10
    champion, other = figures["referral.by_practice"]
    assert (champion.referrals, champion.is_gp_champion) == (5, True)
    assert champion.per_thousand_patients == Decimal("0.63")  # 5 per 8,000, to 2 places
    assert other.per_thousand_patients == Decimal("1.25")  # 5 per 4,000
    waits = [i % 4 for i in range(10) if i % 3]
    assert figures["referral.median_days_to_first_contact"] == Decimal(
        str(statistics.median(waits))
    )


def test_a_period_limits_every_figure_to_referrals_received_in_it(programme, practices):
    make_referrals(practices, 20)
    period = Period(date(2011, 4, 1), date(2011, 4, 30))
    figures = compute(ALL, programme, period)
    in_april = [i for i in range(20) if 3 * i < 30]
    assert figures["referral.count"] == len(in_april)
    assert sum(p.referrals for p in figures["referral.by_practice"]) == len(in_april)
    assert [m.month for m in figures["referral.by_month"]] == [date(2011, 4, 1)]


def test_referrals_of_another_programme_are_not_counted(programme, other_programme, practices):
    make_referrals(practices, 4)
    ReferralFactory(practice=PracticeFactory(programme=other_programme))
    assert compute(["referral.count"], programme, Period())["referral.count"] == 4


def test_the_number_of_queries_does_not_grow_with_the_data(programme, practices):
    def queries_for(n):
        make_referrals(practices, n, start=date(2012, 1, 1) + timedelta(days=400 * n))
        with CaptureQueriesContext(connection) as captured:
            compute(ALL, programme, Period())
        return len(captured)

    assert queries_for(10) == queries_for(100)


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=200))
def test_the_median_of_counts_matches_the_median_of_the_values(values):
    counts = sorted({v: values.count(v) for v in values}.items())
    assert median_of_counts(counts) == Decimal(str(statistics.median(values)))


def test_there_is_no_median_without_values():
    assert median_of_counts([]) is None


def test_charts_are_well_formed_accessible_svg():
    bars = charts.bar_chart(
        "By practice", "Bars", [charts.Bar("A <b>", 1.5, True), charts.Bar("B", 0)]
    )
    line = charts.cumulative_chart("Running", "Line", ["Apr", "May"], [3, 9], 90)
    for svg in (bars, line):
        root = ET.fromstring(str(svg))  # noqa: S314 (markup the test made itself)
        assert root.get("role") == "img"
        assert root.get("aria-labelledby")
    assert "A &lt;b&gt;" in str(bars)
    assert "Projected: 90" in str(line)


def test_the_dashboard_shows_the_figures_with_their_definitions(world, client_as):
    practice = world.people[Role.REFERRER].memberships.get().organisation
    ReferralFactory(practice=practice, received_date=date(2011, 5, 3))
    page = client_as(Role.PROGRAMME_MANAGER).get(
        reverse("evaluation:referral_dashboard", args=[world.programme.slug])
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "How this is counted" in text
    assert "May 2011" in text
    assert "<svg" in text


def test_a_bad_period_gets_a_message_and_shows_all_referrals(world, client_as):
    page = client_as(Role.PROGRAMME_MANAGER).get(
        reverse("evaluation:referral_dashboard", args=[world.programme.slug]),
        {"start": "2011-05-01", "end": "2011-04-01"},
    )
    text = page.content.decode()
    assert "The end date must be on or after the start date" in text
    assert "all referrals" in text
