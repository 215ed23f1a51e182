"""The companion for everyone: each client page reflows at 320 px, the width a 1280 px
screen has at 400% zoom (WCAG 2.2, 1.4.10), with nothing to scroll sideways; and a
diary entry is recorded with the keyboard alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from healthtrainer.companion.models import DiaryEntry
from healthtrainer.tests.browser import check_accessibility, companion_sign_in, wait_for_scripts

REFLOW_WIDTH = 320
CLIENT_PAGES = [
    "/my/",
    "/my/diary/",
    "/my/diary/new/",
    "/my/pacing/",
    "/my/setback-plan/",
    "/my/your-record/",
    "/my/devices/",
    "/my/sign-out/",
]


def _tab_to(page: Page, condition: str, *, most: int = 80) -> None:
    """Press Tab until the focused element meets `condition` (a JavaScript expression on
    `element`)."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate(f"(element => {condition})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element where {condition}")


@pytest.mark.browser
def test_every_client_page_reflows_at_320_px(browser: Browser, live_server, full_demo):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": REFLOW_WIDTH, "height": 640}
    )
    page = context.new_page()
    try:
        companion_sign_in(page)
        for address in CLIENT_PAGES:
            page.goto(address)
            wait_for_scripts(page)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= REFLOW_WIDTH, f"{address} is {width} px wide at {REFLOW_WIDTH} px"
            check_accessibility(page)
    finally:
        context.close()


@pytest.mark.browser
def test_a_diary_entry_with_the_keyboard_alone(browser: Browser, live_server, full_demo):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        companion_sign_in(page)
        before = DiaryEntry.objects.count()
        page.goto("/my/diary/new/")
        wait_for_scripts(page)
        _tab_to(page, "element.name === 'pain'")
        for _ in range(6):
            page.keyboard.press("ArrowRight")
        assert page.evaluate("document.activeElement.value") == "6"
        _tab_to(page, "element.tagName === 'BUTTON' && element.textContent.trim() === 'Save'")
        page.keyboard.press("Enter")
        expect(page.get_by_text("Your diary entry is saved.")).to_be_visible()
        assert DiaryEntry.objects.count() == before + 1
        assert DiaryEntry.objects.order_by("-created_at").first().pain == 6
    finally:
        context.close()
