"""Questionnaires due on the client's companion: the programme's instruments at the
timepoints the episode has reached, filled in on the client-link page with its scoring
and safety rules."""

import pytest
from django.urls import reverse

from healthtrainer.casework.models import Escalation
from healthtrainer.core.models import AuditEvent
from healthtrainer.measures.models import ClientLink, Instrument, QuestionnaireResponse
from healthtrainer.tests.factories import AppointmentFactory, collect


@pytest.fixture
def baseline_due(world, episode):
    collect(world.programme, "phq9", primary=True)
    AppointmentFactory(episode=episode, attendance="attended")
    return episode


def _start(client):
    return client.post(reverse("companion:questionnaire_start", args=["phq9", "baseline"]))


def test_a_due_questionnaire_is_on_the_plan_and_opens_the_questionnaire(signed_in, baseline_due):
    home = signed_in.get(reverse("companion:home")).content.decode()
    assert "Questionnaires to fill in" in home
    phq9 = Instrument.objects.get(code="phq9")
    assert f"Fill in {phq9.name}" in home
    opened = _start(signed_in)
    assert opened.status_code == 302
    assert opened.url.startswith("/q/")
    link = ClientLink.objects.get()
    assert link.created_by is None
    event = AuditEvent.objects.get(action="measures.client_link.created")
    assert event.client_actor_id == baseline_due.client_id


def test_an_answer_to_item_9_still_raises_an_escalation(signed_in, baseline_due):
    url = _start(signed_in).url
    answers = {f"item_item{n}": "0" for n in range(1, 9)} | {"item_item9": "2"}
    signed_in.post(url, answers)
    assert QuestionnaireResponse.objects.get().source == "client_link"
    assert Escalation.objects.filter(episode=baseline_due, rule="phq9_item9").exists()
    home = signed_in.get(reverse("companion:home")).content.decode()
    assert "Fill in " not in home


def test_nothing_due_is_not_offered(signed_in, world, episode):
    collect(world.programme, "phq9", primary=True)
    assert (
        "Questionnaires to fill in" not in signed_in.get(reverse("companion:home")).content.decode()
    )
    assert _start(signed_in).status_code == 404
