"""A small run of the benchmark suite, so that it cannot rot between `make bench` runs."""

from __future__ import annotations

import json

import pytest
from django.db import connection, transaction
from django.test import Client as HttpClient

from bench.fhir import ingest_programme, service_request
from bench.measure import fhir_ingest, headline_metrics, largest_programme, report
from bench.network import network_figures
from bench.table import markdown
from healthtrainer.core.models import AuditEvent
from healthtrainer.demo.synthetic import generate
from healthtrainer.interop.models import ReferralIdentifier
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.references import next_reference


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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the floor is PostgreSQL's SQL")
@pytest.mark.django_db
def test_the_ingest_floor_writes_the_rows_a_referral_makes(settings):
    settings.ROOT_URLCONF = "bench.urls"
    programme = ingest_programme()
    practice = programme.organisations.gp_practices().get()
    with transaction.atomic():
        next_reference(programme)
    body = json.dumps(service_request(programme, practice.ods_code, "floor-1"))

    response = HttpClient().post(
        f"/bench/floor/fhir-ingest/{programme.pk}/{practice.pk}",
        body,
        content_type="application/fhir+json",
    )

    assert response.status_code == 201
    referral = Referral.objects.get(programme=programme)
    assert referral.reference == "R-00002"
    assert ReferralIdentifier.objects.get(referral=referral).value == "floor-1"
    assert AuditEvent.objects.filter(
        action="referrals.referral.received", object_id=str(referral.pk)
    ).exists()
