"""The demo's qualitative analysis: documents, two coders, quotes in the report."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from healthtrainer.core.period import Period
from healthtrainer.evaluation.disclosure import Disclosure
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
    documents = Document.objects.filter(programme=loaded)
    results = agreement_between(first, second, documents, loaded.codes.all())
    coded = [result for result in results.codes if result.both]
    assert len(coded) == 4
    assert all(result.percent.value < 100 for result in coded)
    # The evaluator (first by name) codes each passage 4 characters short of the manager:
    # Quick referral 38 characters, Goal setting 50, Supervision helps 25, Pacing 53, so
    # 166 are compared. Goal setting 46 / 0 / 4 / 116: a = 46, b = 50,
    # E = 46*50 + 120*116 = 2,300 + 13,920 = 16,220;
    # kappa (166*162 - 16,220) / (166*166 - 16,220) = 10,672 / 11,336 = 0.941, alone or
    # with every code (over its own text only, it would be 0.0 alone).
    # Positive agreement 92 / (92 + 4) = 95.8%.
    goal_setting = loaded.codes.filter(name="Goal setting")
    (alone,) = agreement_between(first, second, documents, goal_setting).codes
    (beside,) = [result for result in results.codes if result.code == "Goal setting"]
    assert alone == beside
    assert alone.kappa.value == pytest.approx(10_672 / 11_336)
    assert alone.positive_percent.value == pytest.approx(100 * 92 / 96)
    # Pooled over the five codes: each coded one's n*agreed - E is its n*n - E less
    # 166 * 4 = 664. n*n - E: Goal setting 11,336; Pacing 27,556 - (49*53 + 117*113)
    # = 11,738; Quick referral 27,556 - (34*38 + 132*128) = 9,368; Supervision helps
    # 27,556 - (21*25 + 145*141) = 6,586; Trust in trainers, applied by neither, 0.
    # (39,028 - 4 * 664) / 39,028 = 36,372 / 39,028 = 0.932. Positive 300 / 316 = 94.9%.
    assert results.pooled_kappa.value == pytest.approx(36_372 / 39_028)
    assert results.pooled_positive_percent.value == pytest.approx(100 * 300 / 316)
    assert FrameworkCell.objects.filter(programme=loaded, participant__client__isnull=False)
    report = build_report(loaded, Period(), Disclosure.PUBLISHED)
    quoted = [table for table in report.tables if table.id.startswith("quotes-")]
    assert len(quoted) == 4
    assert "Patel" not in str([table.rows for table in quoted])


def test_loading_the_demo_again_adds_no_coding(loaded):
    count = Coding.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert Coding.objects.count() == count
