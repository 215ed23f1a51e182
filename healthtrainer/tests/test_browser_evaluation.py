"""The evaluation in a real browser: a manager reads the report, switches to exact
figures and downloads it; an evaluator gets published figures. Pages checked with axe."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from healthtrainer.tests.browser import (
    SHEFFIELD,
    arrive_at,
    assert_content_security_policy_held,
    choose_sheffield,
    sign_in,
)


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
    main.get_by_role("link", name="Client outcomes").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#client-outcomes$"))

    with page.expect_download() as download:
        main.get_by_role("link", name="Data for other systems (JSON)").click()
    data = json.loads(download.value.path().read_text())
    assert data["disclosure"] == "exact"
    assert data["metrics"]["referrals.total"]["value"] > 0

    evaluator = new_page()
    sign_in(evaluator, "evaluator@example.com")
    arrive_at(evaluator, SHEFFIELD)
    evaluator.get_by_role("main").get_by_role("link", name="Evaluation").click()
    arrive_at(evaluator, "Evaluation")
    expect(evaluator.get_by_role("main")).to_contain_text("Published figures:")
    expect(evaluator.get_by_role("main").get_by_label("Figures", exact=True)).to_have_count(0)
    assert_content_security_policy_held(page_log)
