"""A small run of the benchmark suite, so that it cannot rot between `make bench` runs."""

from __future__ import annotations

import pytest
from django.db import connection

from bench.measure import fhir_ingest, headline_metrics, largest_programme, report
from bench.network import network_figures
from bench.table import markdown
from healthtrainer.demo.synthetic import generate
from healthtrainer.programmes.models import Programme


@pytest.mark.django_db
def test_the_benchmarks_run_and_print_their_table(settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    generate(programmes=2, clients=200, seed=1)
    programme = largest_programme()
    figures = [
        headline_metrics(programme, repeat=1),
        report([programme], repeat=1, label="one programme"),
        fhir_ingest(programme, count=5),
        *network_figures(list(Programme.objects.all()), repeat=1),
    ]
    table = markdown(figures)
    assert table.startswith("| figure | measured | floor | ratio | target |")
    assert "Headline metrics, one programme (100 referrals)" in table
    assert all(figure.measured > 0 for figure in figures)
    assert figures[0].ratio is not None
    assert "Network page queries, 2 programmes" in table
    if connection.vendor == "postgresql":
        assert figures[1].ratio is not None
