"""Chromium driven through Playwright, and the checks every page in the browser tests passes.

The fixtures that open pages on the live server are in conftest.py; these helpers
drive a page: sign in, arrive at a page and check it, submit a form empty.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, Playwright, Request, expect

from healthtrainer.demo.companion import DEMO_CLIENT_PHONE
from healthtrainer.demo.programmes import DEMO_PASSWORD
from healthtrainer.notifications.models import OutboxMessage

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

SHEFFIELD = "Sheffield chronic pain Health Trainer pilot (demo)"

# Violations of these impacts fail a test; "minor" and "moderate" ones are reported by axe only.
BLOCKING_IMPACTS = frozenset({"serious", "critical"})


def require_chromium() -> None:
    """Skip without Debian's Chromium, except in CI, where its absence is a failure."""
    if CHROMIUM.is_file():
        return
    message = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def launch_chromium(playwright: Playwright) -> Browser:
    """Headless Chromium with a new, empty profile that talks to nothing but the test server."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


@dataclass
class PageLog:
    """What a page reported while the test drove it: console messages and other-origin requests."""

    origin: str
    console: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on("console", lambda message: self.console.append(message.text))
        page.on("pageerror", lambda error: self.console.append(str(error)))
        page.on("request", self._record_request)

    def _record_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in {"data", "blob", "about"}:
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign_requests.append(request.url)

    def content_security_policy_reports(self) -> list[str]:
        return [text for text in self.console if "Content Security Policy" in text]


def describe_violations(violations: list[dict]) -> str:
    """One paragraph per violation: rule, impact, help text and link, and each failing node."""
    paragraphs = []
    for violation in violations:
        lines = [
            f"{violation['id']} ({violation['impact']}): {violation['help']}",
            f"  {violation['helpUrl']}",
        ]
        for node in violation["nodes"]:
            target = " ".join(str(selector) for selector in node["target"])
            lines.append(f"  at {target}: {node['html']}")
            if node.get("failureSummary"):
                lines.extend(f"    {line}" for line in node["failureSummary"].splitlines())
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def wait_for_scripts(page: Page) -> None:
    """Wait until the page's script has started the NHS.UK components (skip link, error
    summary, header menu), so the page is checked and used as people get it."""
    expect(page.locator(".nhsuk-skip-link")).to_have_attribute("data-nhsuk-skip-link-init", "")


def check_accessibility(page: Page) -> None:
    """Run axe on the page once its scripts have run; fail on any serious or critical violation."""
    wait_for_scripts(page)
    results = Axe().run(page)
    blocking = [
        violation
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, (
        f"axe found {len(blocking)} serious or critical problem(s) on {page.url} "
        f"({page.title()!r}):\n\n{describe_violations(blocking)}"
    )


def main_heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def error_summary(page: Page) -> Locator:
    return page.locator(".nhsuk-error-summary")


def arrive_at(page: Page, title: str) -> None:
    """Wait for the page whose main heading is `title`, then check it with axe."""
    expect(main_heading(page)).to_have_text(title)
    check_accessibility(page)


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the sign-in form, checking the form page on the way."""
    page.goto("/sign-in/")
    arrive_at(page, "Sign in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def companion_sign_in(page: Page) -> None:
    """Sign the demo client in to their companion with the code the outbox holds."""
    page.goto("/my/sign-in/")
    page.get_by_label("Your mobile number or email address").fill(DEMO_CLIENT_PHONE)
    page.get_by_role("button", name="Send me a code").click()
    code = OutboxMessage.objects.filter(template="companion_sign_in_code").latest("pk")
    page.get_by_label("Security code").fill(code.personalisation["code"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your plan")


def choose_sheffield(page: Page) -> None:
    """Choose the Sheffield demo programme, for someone who belongs to more than one."""
    arrive_at(page, "Choose a programme")
    page.get_by_role("link", name=SHEFFIELD).click()
    arrive_at(page, SHEFFIELD)


def submit_empty(page: Page, button: str, first_error: str) -> None:
    """Submit a form as it stands and check the page with its error summary showing."""
    page.get_by_role("button", name=button).click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(error_summary(page)).to_contain_text("There is a problem")
    expect(error_summary(page)).to_contain_text(first_error)
    check_accessibility(page)


def assert_content_security_policy_held(page_log: PageLog) -> None:
    """No page tried to run inline script or to load anything from another origin."""
    reports = "\n".join(page_log.content_security_policy_reports())
    assert not reports, f"The Content-Security-Policy blocked something:\n{reports}"
    foreign = "\n".join(page_log.foreign_requests)
    assert not foreign, f"Pages asked another origin for something:\n{foreign}"
