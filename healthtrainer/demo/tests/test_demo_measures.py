from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from healthtrainer.measures.models import ProgrammeInstrument, QuestionnaireResponse
from healthtrainer.measures.outcomes import paired_scores


@pytest.fixture
def demo_loaded(db, settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=StringIO())


def test_the_demo_collects_swemwbs_as_its_headline_and_phq9(demo_loaded):
    chosen = ProgrammeInstrument.objects.filter(programme__slug="sheffield-pilot")
    assert {item.instrument.code for item in chosen} == {"swemwbs", "phq9"}
    assert chosen.get(is_primary=True).instrument.code == "swemwbs"


def test_demo_episodes_have_questionnaires_at_each_stage_reached(demo_loaded):
    timepoints = set(QuestionnaireResponse.objects.values_list("timepoint", flat=True))
    assert timepoints == {"baseline", "exit", "follow_up"}


def test_the_demo_shows_paired_change(demo_loaded):
    chosen = ProgrammeInstrument.objects.select_related("programme", "instrument").get(
        programme__slug="sheffield-pilot", is_primary=True
    )
    pairs = paired_scores(chosen.programme, chosen.instrument)
    assert len(pairs) >= 5
    assert sum(pair.after - pair.before for pair in pairs) > 0


def test_loading_the_demo_again_adds_no_questionnaire(demo_loaded):
    count = QuestionnaireResponse.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert QuestionnaireResponse.objects.count() == count
