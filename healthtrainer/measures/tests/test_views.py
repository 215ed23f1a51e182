"""Measure pages: recording with the client, the client's own link, what is missing, outcomes."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from healthtrainer.accounts.roles import Role
from healthtrainer.casework.models import Escalation
from healthtrainer.casework.services import SessionDetails, session_record_save
from healthtrainer.measures import services
from healthtrainer.measures.models import Instrument, QuestionnaireResponse
from healthtrainer.tests.factories import AppointmentFactory, accepted_episode, past

SLUG = "home-programme"


@pytest.fixture
def trainer(world):
    return world.people[Role.HEALTH_TRAINER]


@pytest.fixture
def episode(world, trainer):
    return accepted_episode(trainer, world.programme, given_name="Ada", family_name="Lowe")


def phq9_post(values, **extra):
    data = {f"item_item{n}": str(value) for n, value in enumerate(values, start=1) if value != ""}
    data |= {
        "completed_on[day]": "2",
        "completed_on[month]": "11",
        "completed_on[year]": "2026",
        "correction_reason": "",
    }
    return data | extra


def record_url(episode, code="phq9", timepoint="baseline"):
    return reverse("measures:record", args=[SLUG, episode.pk, code, timepoint])


def test_the_trainer_records_a_questionnaire_with_the_client(client_as, episode, phq9):
    response = client_as(Role.HEALTH_TRAINER).post(
        record_url(episode), phq9_post([1, 1, 1, 1, 1, 1, 1, 1, 0])
    )
    assert response.status_code == 302
    assert QuestionnaireResponse.objects.get().total == 8


def test_the_self_harm_answer_prompts_the_trainer_at_once(client_as, episode, phq9):
    browser = client_as(Role.HEALTH_TRAINER)
    response = browser.post(
        record_url(episode), phq9_post([0, 0, 0, 0, 0, 0, 0, 0, 2]), follow=True
    )
    text = response.content.decode()
    assert "An escalation has gone to the pain team" in text
    assert Escalation.objects.filter(episode=episode, rule="phq9_item9").exists()


def test_an_answer_the_form_never_offered_is_refused(client_as, episode, phq9):
    response = client_as(Role.HEALTH_TRAINER).post(
        record_url(episode), phq9_post([0, 0, 0, 0, 0, 0, 0, 0, 7])
    )
    assert response.status_code == 200
    assert "Choose one of the answers given" in response.content.decode()
    assert not QuestionnaireResponse.objects.exists()


def test_a_second_entry_without_a_reason_is_refused_and_keeps_the_answers(client_as, episode, phq9):
    browser = client_as(Role.HEALTH_TRAINER)
    browser.post(record_url(episode), phq9_post([1] * 9))
    response = browser.post(record_url(episode), phq9_post([2] * 9))
    text = response.content.decode()
    assert "To replace it, say why" in text
    assert 'value="2" checked' in text
    assert QuestionnaireResponse.objects.count() == 1


def test_a_total_from_a_paper_form(client_as, episode, phq9):
    client_as(Role.HEALTH_TRAINER).post(
        record_url(episode) + "?by=total",
        {
            "total": "13",
            "safety_answer": "0",
            "completed_on[day]": "2",
            "completed_on[month]": "11",
            "completed_on[year]": "2026",
        },
    )
    assert QuestionnaireResponse.objects.get().total == 13


def test_the_client_completes_their_link_without_signing_in(trainer, episode, phq9):
    _, token = services.client_link_create(
        actor=trainer, episode=episode, instrument=phq9, timepoint="baseline"
    )
    url = reverse("measures:client_questionnaire", args=[token])
    anonymous = Client()
    page = anonymous.get(url).content.decode()
    assert "Ada" not in page
    assert "Lowe" not in page
    assert "Little interest or pleasure in doing things" in page
    done = anonymous.post(url, {f"item_item{n}": "1" for n in range(1, 10)})
    assert "Thank you" in done.content.decode()
    assert QuestionnaireResponse.objects.get().source == "client_link"
    again = anonymous.get(url)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()


def test_a_made_up_link_is_gone(db):
    response = Client().get(reverse("measures:client_questionnaire", args=["not-a-real-token"]))
    assert response.status_code == 410


def test_missing_questionnaires_are_listed_once_due(world, client_as, episode, trainer, phq9):
    due_url = reverse("measures:due", args=[SLUG])
    assert "Ada Lowe" not in client_as(Role.HEALTH_TRAINER).get(due_url).content.decode()
    session_record_save(
        actor=trainer,
        appointment=AppointmentFactory(episode=episode, starts_at=past()),
        details=SessionDetails(duration_minutes=30, techniques=[], topics=[]),
    )
    text = client_as(Role.HEALTH_TRAINER).get(due_url).content.decode()
    assert "Ada Lowe" in text
    assert "PHQ-9" in text


def test_the_client_page_charts_scores_and_judges_change(world, client_as, episode, trainer, phq9):
    for timepoint, values in (("baseline", [2] * 9), ("exit", [1] * 9)):
        services.response_record(
            actor=trainer,
            episode=episode,
            instrument=phq9,
            timepoint=timepoint,
            completed_on=date(2026, 11, 2),
            source="trainer",
            answers={f"item{n}": value for n, value in enumerate(values, start=1)},
        )
    text = (
        client_as(Role.HEALTH_TRAINER)
        .get(reverse("measures:episode", args=[SLUG, episode.pk]))
        .content.decode()
    )
    assert "<svg" in text
    assert (
        "Baseline to exit (discharge): -9 points, <strong>meaningful improvement</strong>" in text
    )


def test_outcomes_run_the_same_queries_for_few_and_many_clients(world, client_as, trainer, phq9):
    manager = client_as(Role.PROGRAMME_MANAGER)
    url = reverse("measures:outcomes", args=[SLUG])

    def queries_with(count):
        for index in range(count):
            episode = accepted_episode(trainer, world.programme)
            for timepoint, value in (("baseline", 2), ("exit", index % 3)):
                services.response_record(
                    actor=trainer,
                    episode=episode,
                    instrument=phq9,
                    timepoint=timepoint,
                    completed_on=date(2026, 11, 2),
                    source="trainer",
                    answers={f"item{n}": value for n in range(1, 10)},
                )
        with CaptureQueriesContext(connection) as captured:
            assert manager.get(url).status_code == 200
        return len(captured)

    assert queries_with(3) == queries_with(30)


def test_outcomes_show_the_paired_change(world, client_as, trainer, phq9):
    for before, after in ((18, 9), (9, 9), (27, 18)):
        episode = accepted_episode(trainer, world.programme)
        for timepoint, total in (("baseline", before), ("exit", after)):
            services.response_record(
                actor=trainer,
                episode=episode,
                instrument=phq9,
                timepoint=timepoint,
                completed_on=date(2026, 11, 2),
                source="trainer",
                total=total,
                safety_answer=0,
            )
    text = (
        client_as(Role.PROGRAMME_MANAGER)
        .get(reverse("measures:outcomes", args=[SLUG]))
        .content.decode()
    )
    # Changes of -9, 0 and -9: mean -6.0; two of three fall by 20% or more.
    assert "-6.0 (" in text
    assert "67%" in text


def test_the_fhir_questionnaire_leaves_out_licensed_wording(world, client_as):
    services.instruments_sync()
    wemwbs = Instrument.objects.get(code="wemwbs")
    services.item_texts_load(
        actor=world.people["administrator"], instrument=wemwbs, texts={"item1": "Secret wording"}
    )
    body = (
        client_as(Role.HEALTH_TRAINER)
        .get(reverse("measures:questionnaire_fhir", args=["wemwbs"]))
        .content.decode()
    )
    assert '"resourceType": "Questionnaire"' in body
    assert "Secret wording" not in body


def test_ons4_is_reported_item_by_item(world, client_as, episode, trainer):
    services.instruments_sync()
    ons4 = Instrument.objects.get(code="ons4")
    services.programme_instrument_save(
        actor=world.people[Role.PROGRAMME_MANAGER],
        programme=world.programme,
        instrument=ons4,
        at_baseline=True,
        at_exit=False,
        at_follow_up=False,
        is_primary=False,
    )
    browser = client_as(Role.HEALTH_TRAINER)
    page = browser.post(
        record_url(episode, "ons4"),
        {
            "item_life_satisfaction": "6",
            "item_worthwhile": "7",
            "item_happiness": "9",
            "item_anxiety": "1",
            "completed_on[day]": "2",
            "completed_on[month]": "11",
            "completed_on[year]": "2026",
        },
        follow=True,
    )
    text = page.content.decode()
    assert "happiness 9 (very high)" in text
    assert "anxiety 1 (very low)" in text


def test_the_client_page_is_never_cached_and_never_sends_its_address(trainer, episode, phq9):
    _, token = services.client_link_create(
        actor=trainer, episode=episode, instrument=phq9, timepoint="baseline"
    )
    response = Client().get(reverse("measures:client_questionnaire", args=[token]))
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "strict-origin"


def test_ons4_change_is_given_question_by_question(world, client_as, trainer):
    services.instruments_sync()
    ons4 = Instrument.objects.get(code="ons4")
    services.programme_instrument_save(
        actor=world.people[Role.PROGRAMME_MANAGER],
        programme=world.programme,
        instrument=ons4,
        at_baseline=True,
        at_exit=True,
        at_follow_up=False,
        is_primary=True,
    )
    for happiness_before, happiness_after in ((4, 7), (5, 8)):
        episode = accepted_episode(trainer, world.programme)
        for timepoint, happiness in (("baseline", happiness_before), ("exit", happiness_after)):
            services.response_record(
                actor=trainer,
                episode=episode,
                instrument=ons4,
                timepoint=timepoint,
                completed_on=date(2026, 11, 2),
                source="trainer",
                answers={
                    "life_satisfaction": 5,
                    "worthwhile": 5,
                    "happiness": happiness,
                    "anxiety": 3,
                },
            )
    text = (
        client_as(Role.PROGRAMME_MANAGER)
        .get(reverse("measures:outcomes", args=[SLUG]))
        .content.decode()
    )
    # Happiness rose by 3 for both clients: mean 4.5 to 7.5, change 3.0.
    assert "Happiness" in text
    assert "4.5 (" in text
    assert "3.0 (" in text
