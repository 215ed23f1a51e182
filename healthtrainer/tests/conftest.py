"""Fixtures for the browser tests: Chromium, fresh pages on the live server, the demo loaded.

Any test module here can drive the service in Chromium by asking for `page` (or
`new_page` for a second person) and marking itself `browser`; see browser.py for
the helpers that sign in, arrive at pages and check them with axe.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, sync_playwright

from healthtrainer.demo.programmes import DemoPerson, load_demo
from healthtrainer.tests.browser import PageLog, launch_chromium, require_chromium


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API runs an event loop in this thread, which the ORM refuses
        # unless told that the test, not an async view, is making the call.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            yield browser
            browser.close()


@pytest.fixture
def page_log(live_server) -> PageLog:
    return PageLog(origin=live_server.url)


@pytest.fixture
def new_page(browser, live_server, page_log):
    """Open a page in a fresh browser context: no cookies, nothing stored."""
    contexts = []

    def make() -> Page:
        context = browser.new_context(base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page_log.watch(page)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture
def demo(transactional_db) -> list[DemoPerson]:
    """The demo programmes, organisations and one person per role."""
    return load_demo()


@pytest.fixture
def full_demo(transactional_db, settings) -> None:
    """Everything `manage.py load_demo` loads: the demo above, deprivation data, referrals.

    Two-factor sign-in is off, as the demo runs it.
    """
    settings.DEMO_MODE = True
    settings.REQUIRE_MFA = False
    call_command("load_demo", stdout=StringIO())
