"""The companion's diary with no connection, in a phone-sized browser: the page for a new
entry opens offline from the service worker (without having been opened online), an entry
written offline is kept on the phone as "not sent yet", and it is sent when the
connection returns, exactly once, even when it is sent twice or its reply is lost; an
entry that cannot reach the service with the phone online waits the same way; and
signing out deletes what waits on the phone."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from healthtrainer.companion.models import DiaryEntry
from healthtrainer.tests.browser import check_accessibility, companion_sign_in

QUEUE = "companion-diary-waiting"
DIARY_FORM = "**/my/diary/new/"
SAVED = "Saved on this phone. It will be sent when you are back online."


def _phone(browser: Browser, live_server) -> BrowserContext:
    return browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})


def _eventually(page: Page, script: str, timeout: float = 10) -> None:
    """Wait until a (possibly asynchronous) script in the page comes true."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"still false: {script}"
        page.wait_for_timeout(100)


def _ready_offline(page: Page) -> None:
    """Wait until the service worker runs the page and keeps the entry page."""
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    _eventually(page, "caches.match('/my/diary/new/').then(Boolean)")


def _waiting(page: Page) -> list[dict]:
    return page.evaluate(f"JSON.parse(localStorage.getItem('{QUEUE}') || '[]')")


def _refuse_posts(route: Route) -> None:
    if route.request.method == "POST":
        route.abort("internetdisconnected")
    else:
        route.continue_()


def _lose_replies(route: Route) -> None:
    """The entry reaches the service, and its reply is lost on the way back."""
    if route.request.method == "POST":
        route.fetch(max_redirects=0)
        route.abort("connectionreset")
    else:
        route.continue_()


@pytest.mark.browser
def test_a_diary_entry_written_offline_is_sent_once_when_back_online(
    browser: Browser, live_server, full_demo
):
    context = _phone(browser, live_server)
    page = context.new_page()
    try:
        companion_sign_in(page)
        _ready_offline(page)
        before = DiaryEntry.objects.count()
        # Someone else's entry, left on a phone that changed hands: never theirs to send.
        page.evaluate(
            f"""localStorage.setItem('{QUEUE}', JSON.stringify([{{owner: '0', strategies: [],
                fields: {{key: '00000000-0000-4000-8000-000000000000', pain: '9'}}}}]))"""
        )

        context.set_offline(True)
        page.goto("/my/")
        # Opened offline, the app shows the one page it can: a new diary entry.
        expect(page.get_by_role("heading", level=1)).to_have_text("Add a diary entry")
        expect(page.get_by_text("You are offline.")).to_be_visible()
        page.get_by_role("button", name="Save").first.click()
        expect(page.get_by_text("Record at least one thing")).to_be_visible()
        page.goto("/my/diary/new/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Add a diary entry")
        page.get_by_label("6", exact=True).check()
        page.get_by_role("button", name="Save").first.click()
        expect(page.get_by_text(SAVED)).to_be_visible()
        waiting = page.locator("#companion-offline-waiting")
        expect(waiting.get_by_role("heading", name="Not sent yet")).to_be_visible()
        expect(waiting.get_by_role("listitem")).to_have_count(1)
        expect(waiting.get_by_role("listitem")).to_contain_text("pain 6")
        check_accessibility(page)
        assert DiaryEntry.objects.count() == before
        mine = [entry for entry in _waiting(page) if entry["owner"] != "0"]
        assert len(mine) == 1
        key = mine[0]["fields"]["key"]

        # Back online, with the service out of reach: the entry still waits, on the diary
        # page too.
        context.route(DIARY_FORM, _refuse_posts)
        context.set_offline(False)
        page.goto("/my/diary/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Your diary")
        expect(waiting.get_by_role("listitem")).to_have_text([re.compile("pain 6$")])
        check_accessibility(page)
        assert DiaryEntry.objects.count() == before

        # It reaches the service and the reply is lost: kept there, still waiting here.
        context.unroute(DIARY_FORM)
        context.route(DIARY_FORM, _lose_replies)
        page.reload()
        expect(waiting).to_be_visible()
        deadline = time.monotonic() + 10
        while not DiaryEntry.objects.filter(key=key).exists():
            assert time.monotonic() < deadline, "the entry never reached the service"
            page.wait_for_timeout(100)
        assert [entry["fields"]["key"] for entry in _waiting(page)][-1] == key

        # Sent again on the next page, and this time twice (the same entry twice on the
        # phone): the service keeps it once.
        page.evaluate(
            f"""() => {{
                const waiting = JSON.parse(localStorage.getItem('{QUEUE}'));
                localStorage.setItem('{QUEUE}', JSON.stringify([...waiting, waiting.at(-1)]));
            }}"""
        )
        context.unroute(DIARY_FORM)
        page.reload()
        expect(
            page.get_by_text("Sent: the entries saved on this phone are in your diary.")
        ).to_be_visible()
        _eventually(page, f"JSON.parse(localStorage.getItem('{QUEUE}')).length === 1")
        assert DiaryEntry.objects.filter(key=key).count() == 1
        assert DiaryEntry.objects.count() == before + 1
        assert DiaryEntry.objects.get(key=key).pain == 6
        page.reload()
        expect(waiting).to_be_hidden()
        # The other client's entry stays, unsent, until that client signs out here.
        assert [entry["owner"] for entry in _waiting(page)] == ["0"]
        assert not DiaryEntry.objects.filter(key="00000000-0000-4000-8000-000000000000").exists()
    finally:
        context.close()


@pytest.mark.browser
def test_an_entry_that_cannot_reach_the_service_online_waits_with_its_own_key(
    browser: Browser, live_server, full_demo
):
    context = _phone(browser, live_server)
    page = context.new_page()
    try:
        companion_sign_in(page)
        page.goto("/my/diary/new/")
        before = DiaryEntry.objects.count()
        key = page.locator("input[name=key]").input_value()
        context.route(DIARY_FORM, _refuse_posts)
        page.get_by_label("3", exact=True).check()
        page.get_by_role("button", name="Save").first.click()
        expect(page.get_by_text(SAVED)).to_be_visible()
        assert [entry["fields"]["key"] for entry in _waiting(page)] == [key]
        # The form is ready for the next entry, with a key of its own.
        assert page.locator("input[name=key]").input_value() != key

        context.unroute(DIARY_FORM)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(page.get_by_text("Sent:")).to_be_visible()
        assert DiaryEntry.objects.filter(key=key).count() == 1
        assert DiaryEntry.objects.count() == before + 1

        # An entry the diary will not take (from long before the last 90 days) stays on the
        # phone, marked as not sent, until the client removes it.
        page.evaluate(
            f"""() => localStorage.setItem('{QUEUE}', JSON.stringify([{{
                owner: document.getElementById('companion-offline').dataset.owner,
                strategies: [],
                fields: {{key: crypto.randomUUID(), pain: '5', recorded_date: '2000-01-01',
                    recorded_time: '09:00'}}}}]))"""
        )
        page.evaluate("window.dispatchEvent(new Event('online'))")
        waiting = page.locator("#companion-offline-waiting")
        expect(waiting).to_contain_text("Not sent: the diary could not take it.")
        check_accessibility(page)
        waiting.get_by_role("button", name="Remove it from this phone").click()
        expect(waiting).to_be_hidden()
        assert _waiting(page) == []
        assert DiaryEntry.objects.count() == before + 1

        # Online, the form is sent as it would be without a script. (Save ignores a second
        # press within a second of the first, as a double tap.)
        page.wait_for_timeout(1000)
        page.get_by_label("4", exact=True).check()
        page.get_by_role("button", name="Save").first.click()
        expect(page.get_by_text("Your diary entry is saved.")).to_be_visible()
        assert DiaryEntry.objects.count() == before + 2
    finally:
        context.close()


@pytest.mark.browser
def test_signing_out_forgets_what_waits_on_the_phone(browser: Browser, live_server, full_demo):
    context = _phone(browser, live_server)
    page = context.new_page()
    try:
        companion_sign_in(page)
        _ready_offline(page)
        page.evaluate(
            f"localStorage.setItem('{QUEUE}', JSON.stringify([{{owner: '0', "
            "fields: {pain: '3'}, strategies: []}]))"
        )
        page.goto("/my/sign-out/")
        page.get_by_role("button", name="Sign out").last.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to your plan")
        assert page.evaluate(f"localStorage.getItem('{QUEUE}')") is None
        _eventually(page, "caches.has('companion-diary-form').then((kept) => !kept)")
    finally:
        context.close()
