"""The demo network in a phone-sized browser: the analyst signs in, finds the network,
reads its charts and tables and a member programme's published report on a 390 px screen
with nothing to scroll sideways but the wide tables' own boxes, and every page passes
axe."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, expect

from healthtrainer.demo.network import ANALYST_EMAIL
from healthtrainer.tests.browser import check_accessibility, sign_in, wait_for_scripts

PHONE_WIDTH = 390


@pytest.mark.browser
def test_the_analyst_reads_the_network_on_a_phone(browser: Browser, live_server, full_demo):
    call_command("load_demo_network", verbosity=0)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": PHONE_WIDTH, "height": 844}
    )
    page = context.new_page()
    try:
        sign_in(page, ANALYST_EMAIL)
        expect(page.get_by_role("heading", name="Networks you analyse")).to_be_visible()
        page.get_by_role("link", name="Demo region").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Demo region")
        wait_for_scripts(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE_WIDTH, f"the network page is {width} px wide"
        check_accessibility(page)
        page.get_by_label("Programme", exact=True).select_option(label="Synthetic programme 1")
        page.get_by_role("button", name="Show its charts").click()
        expect(
            page.get_by_text("Referrals each month: Synthetic programme 1").first
        ).to_be_attached()
        check_accessibility(page)

        members = page.locator("#members")
        members.get_by_text("programmes in the network, and their published reports").click()
        members.get_by_role("link", name="Synthetic programme 1", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Synthetic programme 1: published report"
        )
        expect(page.get_by_role("heading", name="1. GP referral")).to_be_visible()
        wait_for_scripts(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE_WIDTH, f"the programme's report is {width} px wide"
        check_accessibility(page)
    finally:
        context.close()
