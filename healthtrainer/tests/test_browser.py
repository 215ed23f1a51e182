"""The service in a real browser: each role's journey, axe on every page, keyboard and CSP.

Debian's Chromium, at /usr/bin/chromium, is driven through Playwright against the live
test server with the demo programme loaded. Every page a test reaches is checked with
axe, and each journey ends by checking that the Content-Security-Policy was never hit.
"""

from __future__ import annotations

import re
from base64 import b32decode
from dataclasses import dataclass

import pytest
from django.core import mail
from django_otp.oath import totp
from playwright.sync_api import expect

from healthtrainer.accounts.navigation import GROUPS, TASKS
from healthtrainer.accounts.roles import ADMINISTRATOR, Role, role_has_permission, role_label
from healthtrainer.tests.browser import (
    SHEFFIELD,
    arrive_at,
    assert_content_security_policy_held,
    check_accessibility,
    choose_sheffield,
    error_summary,
    sign_in,
    submit_empty,
)


@dataclass(frozen=True)
class RoleHome:
    """Where a demo person lands after signing in, and the tasks their home page offers."""

    email: str
    role: str
    chooses_programme: bool = False

    @property
    def caption(self) -> str:
        return role_label(self.role)

    @property
    def tasks(self) -> list[str]:
        """Every task the role's permissions allow, grouped by purpose in the order of
        navigation.py's groups, and within a group in the order it lists them."""
        allowed = [task for task in TASKS if role_has_permission(self.role, task.permission)]
        return [task.title for group in GROUPS for task in allowed if task.group == group]


ROLE_HOMES = [
    RoleHome("trainer@example.com", Role.HEALTH_TRAINER),
    RoleHome("supervisor@example.com", Role.SUPERVISOR),
    RoleHome("manager@example.com", Role.PROGRAMME_MANAGER, chooses_programme=True),
    RoleHome("gp@example.com", Role.REFERRER),
    RoleHome("evaluator@example.com", Role.EVALUATOR),
    RoleHome("admin@example.com", ADMINISTRATOR, chooses_programme=True),
]


@pytest.mark.browser
@pytest.mark.parametrize("role", ROLE_HOMES, ids=lambda role: role.email.split("@")[0])
def test_each_role_lands_on_its_home_page(page, page_log, demo, settings, role):
    settings.REQUIRE_MFA = False
    sign_in(page, role.email)
    if role.chooses_programme:
        choose_sheffield(page)
    else:
        arrive_at(page, SHEFFIELD)

    main = page.get_by_role("main")
    expect(main.locator(".nhsuk-caption-l")).to_have_text(role.caption)
    expect(main.locator(".app-tasks a")).to_have_text(role.tasks)
    if "People" in role.tasks:
        expect(main.get_by_role("link", name="People", exact=True)).to_be_visible()
        expect(page.locator("header").get_by_role("link", name="People")).to_be_attached()
    else:
        expect(page.get_by_role("link", name="People", exact=True)).to_have_count(0)
    assert_content_security_policy_held(page_log)


@pytest.mark.browser
def test_a_programme_manager_uses_every_management_page(page, page_log, demo, settings):
    settings.REQUIRE_MFA = False
    sign_in(page, "manager@example.com")
    choose_sheffield(page)
    main = page.get_by_role("main")

    main.get_by_role("link", name="People", exact=True).click()
    arrive_at(page, "People")
    main.get_by_role("button", name="Invite someone").click()
    arrive_at(page, f"Invite someone to {SHEFFIELD}")
    submit_empty(page, "Send invitation", "Enter their full name")

    page.get_by_role("link", name="Back to people").click()
    arrive_at(page, "People")
    main.get_by_role("link", name="Hana Trainer").click()
    arrive_at(page, "Hana Trainer")

    header = page.locator("header")
    for title in ("Audit trail", "Programme settings"):
        header.get_by_role("link", name=title).click()
        arrive_at(page, title)
    # Tasks used now and then are on the home page only, not in the header menu.
    for title in ("Access review", "Organisations"):
        page.goto("/")
        arrive_at(page, SHEFFIELD)
        main.get_by_role("link", name=title).click()
        arrive_at(page, title)

    main.get_by_role("button", name="Add an organisation").click()
    arrive_at(page, "Add an organisation")
    submit_empty(page, "Save organisation", "There is a problem")
    assert_content_security_policy_held(page_log)


@pytest.mark.browser
def test_someone_invited_by_the_manager_joins_through_the_emailed_link(
    page, new_page, page_log, demo, settings
):
    settings.REQUIRE_MFA = False
    sign_in(page, "manager@example.com")
    choose_sheffield(page)
    page.goto("/p/sheffield-pilot/people/invite/")
    arrive_at(page, f"Invite someone to {SHEFFIELD}")
    page.get_by_label("Full name").fill("Jo Joiner")
    page.get_by_label("Email address").fill("jo.joiner@example.com")
    page.get_by_role("radio", name="Health trainer").check()
    page.get_by_label("Organisation").select_option(label="Northside Wellbeing Trust")
    page.get_by_role("button", name="Send invitation").click()
    arrive_at(page, "People")
    expect(page.get_by_role("main")).to_contain_text("jo.joiner@example.com")

    (invitation,) = mail.outbox
    link = re.search(r"https?://\S+/invitations/\S+/", invitation.body).group()
    joiner = new_page()
    joiner.goto(link)
    arrive_at(joiner, f"Join {SHEFFIELD}")
    submit_empty(joiner, "Create account and join", "Create a password")
    joiner.get_by_label("Create a password").fill("a-long-and-unusual-passphrase")
    joiner.get_by_label("Type the password again").fill("a-long-and-unusual-passphrase")
    joiner.get_by_role("button", name="Create account and join").click()

    arrive_at(joiner, SHEFFIELD)
    expect(joiner.get_by_role("main").locator(".nhsuk-caption-l")).to_have_text("Health trainer")
    expect(joiner.get_by_role("main")).to_contain_text(f"Welcome to {SHEFFIELD}.")
    assert_content_security_policy_held(page_log)


@pytest.mark.browser
def test_an_administrator_reaches_the_site_wide_pages(page, page_log, demo, settings):
    settings.REQUIRE_MFA = False
    sign_in(page, "admin@example.com")
    choose_sheffield(page)

    page.locator("header").get_by_role("link", name="Change programme").click()
    arrive_at(page, "Choose a programme")
    page.get_by_role("link", name="Set up a new programme").click()
    arrive_at(page, "Set up a programme")
    submit_empty(page, "Create programme", "There is a problem")

    page.goto("/programmes/")
    page.get_by_role("link", name="Audit trail for the whole site").click()
    arrive_at(page, "Audit trail")
    assert_content_security_policy_held(page_log)


@pytest.mark.browser
def test_a_new_person_sets_up_two_factor_sign_in_in_the_browser(page, page_log, demo, settings):
    settings.REQUIRE_MFA = True
    sign_in(page, "trainer@example.com")
    arrive_at(page, "Set up two-factor sign-in")
    submit_empty(page, "Confirm and continue", "Enter the 6-digit security code")

    page.get_by_text("I cannot scan the QR code").click()
    secret_key = page.locator(".app-secret-key")
    expect(secret_key).to_be_visible()
    check_accessibility(page)
    code = totp(b32decode(secret_key.inner_text().strip()))
    page.get_by_label("Security code").fill(f"{code:06d}")
    page.get_by_role("button", name="Confirm and continue").click()

    arrive_at(page, SHEFFIELD)
    expect(page.get_by_role("main").locator(".nhsuk-caption-l")).to_have_text("Health trainer")

    page.locator("header").get_by_role("link", name="Sign out").click()
    arrive_at(page, "Sign out")
    page.get_by_role("main").get_by_role("button", name="Sign out").click()
    sign_in(page, "trainer@example.com")
    arrive_at(page, "Enter your security code")
    submit_empty(page, "Continue", "Enter the 6-digit security code")
    assert_content_security_policy_held(page_log)


@pytest.mark.browser
def test_the_sign_in_error_summary_takes_focus_and_links_to_each_field(page, page_log):
    page.goto("/sign-in/")
    arrive_at(page, "Sign in")
    submit_empty(page, "Sign in", "Enter your email address")
    expect(error_summary(page)).to_contain_text("Enter your password")
    expect(error_summary(page)).to_be_focused()

    error_summary(page).get_by_role("link", name="Enter your email address").click()
    expect(page.get_by_label("Email address")).to_be_focused()
    assert_content_security_policy_held(page_log)


@pytest.mark.browser
def test_the_first_tab_on_the_sign_in_page_reaches_the_skip_link(page):
    page.goto("/sign-in/")
    arrive_at(page, "Sign in")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()


@pytest.mark.browser
def test_the_footer_names_the_service_not_nhs_england(page):
    page.goto("/sign-in/")
    arrive_at(page, "Sign in")
    footer = page.get_by_role("contentinfo")
    expect(footer).to_contain_text("Health Trainer for chronic pain — open source")
    expect(footer).not_to_contain_text("NHS England")


@pytest.mark.browser
def test_the_content_security_policy_refuses_inline_script(page, page_log):
    page.goto("/sign-in/")
    arrive_at(page, "Sign in")
    assert_content_security_policy_held(page_log)

    with page.expect_console_message(
        lambda message: "Content Security Policy" in message.text
    ) as report:
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "document.body.dataset.inline = 'ran'";
                document.body.append(script);
            }"""
        )

    assert "inline script" in report.value.text
    expect(page.locator("body")).not_to_have_attribute("data-inline", "ran")
