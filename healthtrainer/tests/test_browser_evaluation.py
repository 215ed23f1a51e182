"""The evaluation in a real browser: a manager reads the report, switches to exact
figures and downloads it; an evaluator gets published figures; the headline tiles read on
a phone; the printable page is styled within the Content-Security-Policy. Pages checked
with axe."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from healthtrainer.tests.browser import (
    SHEFFIELD,
    arrive_at,
    assert_content_security_policy_held,
    check_accessibility,
    choose_sheffield,
    sign_in,
)

PILOT_2011 = "sheffield-pilot-2011"
SECOND_HALF_OF_2011 = "start=2011-07-01&end=2011-12-31"
NHS_BLUE = "rgb(0, 94, 184)"
# Records each Content-Security-Policy violation in the page, before any of its own
# script or style is applied; Playwright's script is not itself subject to the policy.
WATCH_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.mark.browser
def test_a_manager_reads_the_evaluation_and_downloads_it(page, new_page, page_log, full_demo):
    sign_in(page, "manager@example.com")
    choose_sheffield(page)
    page.get_by_role("main").get_by_role("link", name="Evaluation").click()
    arrive_at(page, "Evaluation")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Published figures:")
    expect(main.get_by_role("heading", name="From referral to follow-up")).to_be_visible()
    expect(main.locator("svg[role=img]").first).to_be_visible()

    main.get_by_text("Change the period or the figures shown").click()
    main.get_by_label("Figures", exact=True).select_option("exact")
    main.get_by_label("Referred from (YYYY-MM-DD)").fill("not a date")
    main.get_by_role("button", name="Show report").click()
    arrive_at(page, "Evaluation")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the start date")
    main.get_by_label("Referred from (YYYY-MM-DD)").fill("")
    main.get_by_role("button", name="Show report").click()
    arrive_at(page, "Evaluation")
    expect(main).to_contain_text("Exact figures:")

    # The contents lead to each section by keyboard.
    main.get_by_role("link", name="Client outcomes", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#client-outcomes$"))

    with page.expect_download() as download:
        main.get_by_role("link", name="Data for other systems (JSON)").click()
    data = json.loads(download.value.path().read_text())
    assert data["disclosure"] == "exact"
    assert data["metrics"]["referral.count"]["value"] > 0

    evaluator = new_page()
    sign_in(evaluator, "evaluator@example.com")
    arrive_at(evaluator, SHEFFIELD)
    evaluator.get_by_role("main").get_by_role("link", name="Evaluation").click()
    arrive_at(evaluator, "Evaluation")
    expect(evaluator.get_by_role("main")).to_contain_text("Published figures:")
    expect(evaluator.get_by_role("main").get_by_label("Figures", exact=True)).to_have_count(0)
    assert_content_security_policy_held(page_log)


def _watched(page: Page) -> tuple[list[str], list[str]]:
    """Console messages and failed responses (404s included) of `page` from now on."""
    console: list[str] = []
    failures: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(str(error)))
    page.on(
        "response",
        lambda response: (
            failures.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    page.add_init_script(WATCH_VIOLATIONS)
    return console, failures


@pytest.mark.browser
def test_the_printable_page_is_styled_within_the_csp(page, page_log, full_demo):
    sign_in(page, "manager@example.com")
    choose_sheffield(page)
    console, failures = _watched(page)
    page.goto(f"/p/{PILOT_2011}/evaluation/report.html?{SECOND_HALF_OF_2011}")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Evaluation report")
    assert page.evaluate("window.cspViolations") == []
    assert console == []
    assert failures == []

    heading = page.get_by_role("heading", level=1)
    assert heading.evaluate("element => getComputedStyle(element).color") == NHS_BLUE
    table = page.locator("table").first
    assert table.evaluate("element => getComputedStyle(element).borderCollapse") == "collapse"
    # The running header is for the PDF's margins only.
    expect(page.locator(".app-running")).to_be_hidden()
    icon = page.locator("link[rel=icon]").first.get_attribute("href")
    assert page.request.get(icon).ok
    assert page.request.get("/favicon.ico").ok
    assert_content_security_policy_held(page_log)


@pytest.mark.browser
def test_the_headline_tiles_read_on_a_phone(browser, live_server, page_log, full_demo):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page_log.watch(page)
        sign_in(page, "manager@example.com")
        choose_sheffield(page)
        console, failures = _watched(page)
        page.goto(f"/p/{PILOT_2011}/evaluation/?{SECOND_HALF_OF_2011}")
        arrive_at(page, "Evaluation")
        main = page.get_by_role("main")
        glance = main.locator("#at-a-glance")
        expect(glance).to_contain_text("referred 01 January 2011 to 30 June 2011")
        for aspect in ["GP referral", "Trainers' use of CB", "Client outcomes"]:
            expect(glance.get_by_role("heading", name=aspect, level=3)).to_be_visible()
        tile = glance.locator(".nhsuk-card").filter(
            has=page.get_by_role("heading", name="Referrals received", exact=True)
        )
        expect(tile).to_contain_text("against 90 projected for the programme")
        expect(tile).to_contain_text(
            re.compile(r"(Up|Down) \d+ from the previous period|No change")
        )

        # The definition is behind a summary that the keyboard opens.
        tile.locator("summary").focus()
        page.keyboard.press("Enter")
        expect(tile.get_by_text("Referrals received in the period")).to_be_visible()
        check_accessibility(page)

        # The tiles and the tables below them fit the phone: no sideways scroll.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        main.get_by_role("link", name="Client outcomes: all the tables").click()
        expect(page).to_have_url(re.compile(r"#client-outcomes$"))
        assert page.evaluate("window.cspViolations") == []
        assert console == []
        assert failures == []
    finally:
        context.close()
    assert_content_security_policy_held(page_log)
