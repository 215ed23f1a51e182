"""The triage queue and the caseload narrow in place as people type or choose, with the
address kept for the back button, and work the same as plain forms without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from healthtrainer.accounts.models import User
from healthtrainer.programmes.models import Programme
from healthtrainer.tests.browser import (
    arrive_at,
    assert_content_security_policy_held,
    sign_in,
)
from healthtrainer.tests.factories import PracticeFactory, ReferralFactory, accepted_episode


@pytest.fixture
def waiting(demo, settings):
    settings.REQUIRE_MFA = False
    programme = Programme.objects.get(slug="sheffield-pilot")
    practice = PracticeFactory(programme=programme)
    for given, family in (("Ada", "Lovelace"), ("Alan", "Turing"), ("Grace", "Hopper")):
        ReferralFactory(practice=practice, given_name=given, family_name=family)
    trainer = User.objects.get(email="trainer@example.com")
    for given, family in (("Nell", "Hartley"), ("Rosa", "Parks")):
        accepted_episode(trainer, programme, given_name=given, family_name=family)
    return programme


@pytest.mark.browser
def test_the_triage_queue_narrows_in_place_as_a_name_is_typed(page, page_log, waiting):
    sign_in(page, "manager@example.com")
    page.goto("/p/sheffield-pilot/triage/")
    arrive_at(page, "Triage queue")
    # A full page load would lose this.
    page.evaluate("window.stayedOnThePage = true")
    results = page.locator("#triage-results")
    page.get_by_label("Name or referral ID").fill("turing")
    expect(results).not_to_contain_text("Ada Lovelace")
    expect(results).to_contain_text("Alan Turing")
    expect(page.get_by_role("status")).to_have_text("1 referral match the filters")
    assert page.evaluate("window.stayedOnThePage") is True
    assert "q=turing" in page.url
    page.get_by_label("Name or referral ID").fill("")
    expect(results).to_contain_text("Ada Lovelace")
    assert_content_security_policy_held(page_log)


@pytest.mark.browser
def test_the_caseload_narrows_in_place_when_a_trainer_is_chosen(page, page_log, waiting):
    sign_in(page, "manager@example.com")
    page.goto("/p/sheffield-pilot/caseload/")
    page.evaluate("window.stayedOnThePage = true")
    results = page.locator("#caseload-results")
    page.get_by_label("Client name or referral ID").fill("parks")
    expect(results).not_to_contain_text("Nell Hartley")
    expect(results).to_contain_text("Rosa Parks")
    assert page.evaluate("window.stayedOnThePage") is True
    assert_content_security_policy_held(page_log)


@pytest.mark.browser
def test_without_javascript_the_filter_button_loads_the_narrowed_page(
    page, browser, live_server, waiting
):
    sign_in(page, "manager@example.com")
    arrive_at(page, "Choose a programme")
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        storage_state=page.context.storage_state(),
    )
    page = context.new_page()
    page.goto("/p/sheffield-pilot/triage/")
    page.get_by_label("Name or referral ID").fill("hopper")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Triage queue")
    expect(page.locator("#triage-results")).to_contain_text("Grace Hopper")
    expect(page.locator("#triage-results")).not_to_contain_text("Alan Turing")
    assert "q=hopper" in page.url
    context.close()
