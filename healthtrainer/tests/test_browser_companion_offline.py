"""The companion's diary with no connection, in a phone-sized browser: the page for a new
entry opens offline from the service worker, an entry written offline is kept on the
phone as "not sent yet", and it is sent when the connection returns, exactly once, even
when it is sent twice."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from healthtrainer.companion.models import CompanionDevice, DiaryEntry
from healthtrainer.tests.browser import check_accessibility, companion_sign_in

QUEUE = "companion-diary-waiting"


def _controlled(page: Page) -> None:
    """Wait until the service worker runs the page, as it does from the second visit."""
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


@pytest.mark.browser
def test_a_diary_entry_written_offline_is_sent_once_when_back_online(
    browser: Browser, live_server, full_demo
):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        companion_sign_in(page)
        _controlled(page)
        page.goto("/my/diary/new/")
        before = DiaryEntry.objects.count()

        context.set_offline(True)
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_have_text("Add a diary entry")
        page.get_by_label("6", exact=True).check()
        page.get_by_role("button", name="Save").first.click()
        expect(page.get_by_text("Saved on this phone.")).to_be_visible()
        expect(page.get_by_text("Not sent yet: pain 6")).to_be_visible()
        check_accessibility(page)
        assert DiaryEntry.objects.count() == before
        key = page.evaluate(f"JSON.parse(localStorage.getItem('{QUEUE}'))[0].fields.key")
        # The same entry waiting twice, as after a reply lost on the way: kept once.
        page.evaluate(
            f"""() => {{
                const waiting = JSON.parse(localStorage.getItem('{QUEUE}'));
                localStorage.setItem('{QUEUE}', JSON.stringify([...waiting, waiting[0]]));
            }}"""
        )

        context.set_offline(False)
        expect(page.get_by_text("Sent:")).to_be_visible()
        page.wait_for_function(f"localStorage.getItem('{QUEUE}') === '[]'")
        assert DiaryEntry.objects.filter(key=key).count() == 1
        assert DiaryEntry.objects.count() == before + 1
        assert DiaryEntry.objects.get(key=key).pain == 6
    finally:
        context.close()


@pytest.mark.browser
def test_signing_out_forgets_what_waits_on_the_phone(browser: Browser, live_server, full_demo):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        companion_sign_in(page)
        page.evaluate(
            f"localStorage.setItem('{QUEUE}', JSON.stringify([{{fields: {{pain: '3'}}, "
            "strategies: []}]))"
        )
        page.goto("/my/sign-out/")
        page.get_by_role("button", name="Sign out").last.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to your plan")
        assert page.evaluate(f"localStorage.getItem('{QUEUE}')") is None
    finally:
        context.close()


@pytest.mark.browser
def test_an_entry_waiting_on_a_device_signed_out_meanwhile_stays_on_it(
    browser: Browser, live_server, full_demo
):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        companion_sign_in(page)
        _controlled(page)
        page.goto("/my/diary/new/")
        before = DiaryEntry.objects.count()
        context.set_offline(True)
        page.get_by_label("4", exact=True).check()
        page.get_by_role("button", name="Save").first.click()
        expect(page.get_by_text("Not sent yet: pain 4")).to_be_visible()
        # Signed out from another device while this one was offline.
        CompanionDevice.objects.update(signed_out_at=timezone.now())
        context.set_offline(False)
        page.wait_for_timeout(1500)
        assert DiaryEntry.objects.count() == before
        waiting = page.evaluate(f"JSON.parse(localStorage.getItem('{QUEUE}'))")
        assert [entry["fields"]["pain"] for entry in waiting] == ["4"]
    finally:
        context.close()
