"""The demo's qualitative analysis: documents, two coders, quotes in the report."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from healthtrainer.evaluation.disclosure import Disclosure
from healthtrainer.evaluation.period import Period
from healthtrainer.evaluation.report import build_report
from healthtrainer.programmes.models import Programme
from healthtrainer.qualitative.models import Coding, Document, FrameworkCell
from healthtrainer.qualitative.queries import agreement_between, coders


@pytest.fixture
def loaded(db, settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=StringIO())
    return Programme.objects.get(slug="sheffield-pilot")


def test_the_demo_has_two_coders_to_compare_and_quotes_for_the_report(loaded):
    first, second = coders(loaded)
    results = agreement_between(
        first, second, Document.objects.filter(programme=loaded), loaded.codes.all()
    )
    coded = [result for result in results if result.both]
    assert len(coded) == 4
    assert all(result.percent < 100 for result in coded)
    assert FrameworkCell.objects.filter(programme=loaded, participant__client__isnull=False)
    report = build_report(loaded, Period(), Disclosure.PUBLISHED)
    quoted = [table for table in report.tables if table.id.startswith("quotes-")]
    assert len(quoted) == 4
    assert "Patel" not in str([table.rows for table in quoted])


def test_loading_the_demo_again_adds_no_coding(loaded):
    count = Coding.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert Coding.objects.count() == count
