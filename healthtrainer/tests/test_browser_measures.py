"""Outcome measures in a real browser: a manager chooses PHQ-9, a trainer makes a link, and
the client completes the questionnaire on their own device without signing in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from healthtrainer.accounts.models import User
from healthtrainer.casework.services import (
    SessionDetails,
    programme_lists_seed,
    session_record_save,
)
from healthtrainer.measures.models import QuestionnaireResponse
from healthtrainer.measures.services import instruments_sync
from healthtrainer.programmes.models import Programme
from healthtrainer.tests.browser import (
    SHEFFIELD,
    arrive_at,
    assert_content_security_policy_held,
    sign_in,
    submit_empty,
)
from healthtrainer.tests.factories import AppointmentFactory, accepted_episode, past

CLIENT = "Nell Hartley"
PHQ9 = "Patient Health Questionnaire (PHQ-9)"


@pytest.fixture
def episode(demo, settings):
    settings.REQUIRE_MFA = False
    programme = Programme.objects.get(slug="sheffield-pilot")
    programme_lists_seed(actor=None, programme=programme)
    # Live-server tests empty the database between tests, migrations' data included.
    instruments_sync()
    trainer = User.objects.get(email="trainer@example.com")
    episode = accepted_episode(trainer, programme, given_name="Nell", family_name="Hartley")
    session_record_save(
        actor=trainer,
        appointment=AppointmentFactory(episode=episode, starts_at=past(1)),
        details=SessionDetails(duration_minutes=40, techniques=[], topics=[]),
    )
    return episode


@pytest.mark.browser
def test_a_client_completes_a_questionnaire_through_a_link(page, new_page, page_log, episode):
    sign_in(page, "manager@example.com")
    arrive_at(page, "Choose a programme")
    page.goto("/p/sheffield-pilot/measures/")
    arrive_at(page, "Outcome measures")
    page.get_by_role("button", name=f"Collect {PHQ9}").click()
    arrive_at(page, "Outcome measures")
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("PHQ-9")

    trainer = new_page()
    sign_in(trainer, "trainer@example.com")
    arrive_at(trainer, SHEFFIELD)
    trainer.goto(f"/p/sheffield-pilot/episodes/{episode.pk}/")
    arrive_at(trainer, CLIENT)
    trainer.get_by_role("link", name="Outcome measures").click()
    arrive_at(trainer, "Outcome measures")
    row = trainer.get_by_role("row").filter(has_text="Baseline")
    expect(row).to_contain_text("Missing")
    row.get_by_role("button", name="Make a link for the client").click()
    arrive_at(trainer, "Link for the client")
    address = trainer.get_by_label("Link").input_value()

    client = new_page()
    client.goto(address)
    arrive_at(client, PHQ9)
    expect(client.get_by_role("main")).not_to_contain_text("Nell")
    expect(client.get_by_role("main")).not_to_contain_text("Hartley")
    for group in client.get_by_role("group").all():
        group.get_by_label("Several days").check()
    client.get_by_role("button", name="Send my answers").click()
    arrive_at(client, "Thank you")
    client.goto(address)
    arrive_at(client, "This link cannot be used")
    expect(client.get_by_role("main")).to_contain_text("already been used")

    response = QuestionnaireResponse.objects.get(episode=episode)
    assert response.total == 9
    assert response.source == "client_link"
    trainer.reload()
    arrive_at(trainer, "Outcome measures")
    expect(trainer.get_by_role("main")).to_contain_text("Completed by the client through a link")
    assert_content_security_policy_held(page_log)


@pytest.mark.browser
def test_the_measure_pages_pass_axe_with_their_errors(page, page_log, episode):
    sign_in(page, "manager@example.com")
    arrive_at(page, "Choose a programme")
    page.goto("/p/sheffield-pilot/measures/")
    arrive_at(page, "Outcome measures")
    page.get_by_role("button", name=f"Collect {PHQ9}").click()
    arrive_at(page, "Outcome measures")
    page.goto("/p/sheffield-pilot/measures/outcomes/")
    arrive_at(page, "Outcomes")
    page.goto("/p/sheffield-pilot/measures/due/")
    arrive_at(page, "Questionnaires missing")
    expect(page.get_by_role("main")).to_contain_text(CLIENT)
    page.goto("/instruments/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You do not have permission to see this page"
    )

    page.goto("/sign-out/")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "trainer@example.com")
    arrive_at(page, SHEFFIELD)
    page.goto(f"/p/sheffield-pilot/episodes/{episode.pk}/measures/phq9/baseline/")
    arrive_at(page, PHQ9)
    page.get_by_role("group", name="1. Little interest or pleasure in doing things").get_by_label(
        "Nearly every day"
    ).check()
    # The safety question must be answered: saving without it shows the error on it.
    submit_empty(page, "Save answers", "Answer question 9: it is asked for safety")
    page.get_by_role(
        "group", name=re.compile(r"^9\. Thoughts that you would be better off")
    ).get_by_label("Not at all").check()
    page.get_by_role("button", name="Save answers").click()
    arrive_at(page, "Outcome measures")
    expect(page.get_by_role("main")).to_contain_text("Incomplete")
    page.goto(f"/p/sheffield-pilot/episodes/{episode.pk}/measures/phq9/baseline/?by=total")
    arrive_at(page, PHQ9)
    submit_empty(page, "Save total", "Enter the total score")
    assert_content_security_policy_held(page_log)
