"""The network's figures from what the hourly task keeps: the same as from the programmes'
records read now, after the round trip through the database; a page that reads them
touches no programme's records."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from healthtrainer.network.casemix import adjusted_funnels, casemix_rows
from healthtrainer.network.completeness import completeness
from healthtrainer.network.completeness_by_group import completeness_by_group
from healthtrainer.network.equity import equity
from healthtrainer.network.figures import figures_of
from healthtrainer.network.models import PublishedFigures
from healthtrainer.network.monthly import monthly
from healthtrainer.network.snapshots import published_counts
from healthtrainer.network.tests.builders import synthetic_network
from healthtrainer.network.wellbeing import wellbeing_funnels

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    network = synthetic_network(150, 7)
    assert PublishedFigures.objects.count() == 3
    return network


def test_every_figure_from_the_kept_inputs_is_the_figure_read_now(network):
    figures = figures_of(network)
    programmes = figures.programmes
    assert len(programmes) == 3
    assert not figures.waiting
    # Something to compare in each.
    assert figures.wellbeing.funnels[0].shown
    assert any(adjusted.shown for adjusted in figures.adjusted)
    assert figures.by_month.referrals
    assert any(item.core20_clients for item in figures.equity)
    assert figures.completeness == completeness(programmes)
    assert figures.completeness_by_group == completeness_by_group(programmes)
    assert figures.equity == equity(programmes)
    published = published_counts(programmes)
    assert figures.adjusted == adjusted_funnels(programmes, published, casemix_rows(programmes))
    assert figures.wellbeing == wellbeing_funnels(programmes)
    now = monthly(programmes)
    assert figures.by_month.referrals == now.referrals
    assert figures.by_month.completed == now.completed
    assert figures.by_month.programme_charts == now.programme_charts


def test_the_page_s_figures_read_no_programme_records(network):
    with CaptureQueriesContext(connection) as queries:
        figures_of(network)
    read = " ".join(query["sql"] for query in queries.captured_queries)
    for table in ("referrals_referral", "casework_", "measures_questionnaireresponse"):
        assert table not in read
    assert PublishedFigures.objects.count() == 3
