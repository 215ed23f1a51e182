"""Supervision in a real browser: a supervisor records a session with a fidelity rating and
an action; the trainer sees it. Every page reached is checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from healthtrainer.programmes.models import Programme
from healthtrainer.tests.browser import (
    SHEFFIELD,
    arrive_at,
    assert_content_security_policy_held,
    sign_in,
    submit_empty,
)
from healthtrainer.workforce.models import FidelityRating, SupervisionAction
from healthtrainer.workforce.services.setup import programme_workforce_seed


@pytest.fixture
def programme(demo, settings):
    settings.REQUIRE_MFA = False
    programme = Programme.objects.get(slug="sheffield-pilot")
    programme_workforce_seed(actor=None, programme=programme)
    return programme


@pytest.mark.browser
def test_a_supervisor_records_supervision_with_a_fidelity_rating_and_an_action(
    page, new_page, page_log, programme
):
    sign_in(page, "supervisor@example.com")
    arrive_at(page, SHEFFIELD)
    page.get_by_role("main").get_by_role("link", name="Supervision").click()
    arrive_at(page, "Supervision")
    main = page.get_by_role("main")
    main.get_by_role("button", name="Record a supervision session").click()
    arrive_at(page, "Record a supervision session")
    submit_empty(page, "Save and rate the work", "Choose the health trainers supervised")
    main.get_by_role("group", name="Which health trainers were supervised?").get_by_label(
        "Hana Trainer"
    ).check()
    main.get_by_label("How long did it last? (minutes)").fill("50")
    main.get_by_role("group", name="Format").get_by_label("One to one, in person").check()
    main.get_by_label("Concerns (optional)").fill("Goals are being set for clients, not with them.")
    main.get_by_role("button", name="Save and rate the work").click()
    heading = page.get_by_role("heading", level=1).inner_text()
    arrive_at(page, heading)
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Rate the work")

    for item, value in (
        ("Agenda setting", "4"),
        ("Collaborative goal setting", "2"),
        ("Activity pacing", "5"),
        ("Working with unhelpful thoughts", "3"),
        ("Summarising and feedback", "4"),
    ):
        main.get_by_role("group", name=item).get_by_label(value, exact=True).check()
    main.get_by_role("button", name="Save ratings for Hana Trainer").click()
    arrive_at(page, heading)
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Fidelity ratings for Hana Trainer"
    )
    assert sorted(FidelityRating.objects.values_list("value", flat=True)) == [2, 3, 4, 4, 5]

    main.get_by_label("Action").fill("Practise collaborative goal setting with two clients")
    main.get_by_label("Who will do it? (optional)").select_option(label="Hana Trainer")
    main.get_by_role("button", name="Add action").click()
    arrive_at(page, heading)
    expect(main).to_contain_text("Practise collaborative goal setting with two clients")
    assert SupervisionAction.objects.get().owner.email == "trainer@example.com"

    page.goto("/p/sheffield-pilot/supervision/fidelity/")
    arrive_at(page, "CB fidelity")
    expect(main).to_contain_text("Rated work at or above the threshold")

    trainer = new_page()
    sign_in(trainer, "trainer@example.com")
    arrive_at(trainer, SHEFFIELD)
    trainer.get_by_role("main").get_by_role("link", name="Supervision").click()
    arrive_at(trainer, "Supervision")
    trainer.get_by_role("main").get_by_role("link").filter(has_text="20").first.click()
    arrive_at(trainer, heading)
    expect(trainer.get_by_role("main")).to_contain_text("Practise collaborative goal setting")
    expect(trainer.get_by_role("button", name="Add action")).to_have_count(0)
    assert_content_security_policy_held(page_log)
