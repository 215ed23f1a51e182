"""Referrals in a real browser: a GP practice refers, a programme manager triages and accepts.

The whole demo is loaded, as `manage.py load_demo` loads it: the programme and its
people, synthetic deprivation data and referrals at each stage of triage. Every page
a test reaches is checked with axe.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from healthtrainer.clients.models import Client
from healthtrainer.core.models import AuditEvent
from healthtrainer.programmes.models import Organisation
from healthtrainer.referrals.models import Referral
from healthtrainer.tests.browser import (
    SHEFFIELD,
    arrive_at,
    assert_content_security_policy_held,
    choose_sheffield,
    error_summary,
    sign_in,
    submit_empty,
)

PRACTICE_REFERRALS = "Your practice's referrals"
PATIENT = "Rosa Fenwick"


def success_banner(page: Page) -> Locator:
    return page.locator(".nhsuk-notification-banner--success")


def status_tag(page: Page) -> Locator:
    return page.get_by_role("main").locator(".nhsuk-tag").first


def date_boxes(page: Page, legend: str) -> tuple[Locator, Locator, Locator]:
    group = page.get_by_role("group", name=legend)
    return group.get_by_label("Day"), group.get_by_label("Month"), group.get_by_label("Year")


def fill_date(page: Page, legend: str, day: date) -> None:
    for box, value in zip(date_boxes(page, legend), (day.day, day.month, day.year), strict=True):
        box.fill(str(value))


def fill_referral(page: Page) -> None:
    """The referral form for a patient who meets the criteria and matches no client."""
    given_name, family_name = PATIENT.split()
    page.get_by_label("First name").fill(given_name)
    page.get_by_label("Last name").fill(family_name)
    page.get_by_label("NHS number (optional)").fill("943 476 5919")
    fill_date(page, "Date of birth", date(1962, 3, 27))
    page.get_by_role("group", name="Sex").get_by_label("Female").check()
    page.get_by_label("Postcode (optional)").fill("S2 1GS")
    page.get_by_label("How long has the patient had pain? (months)").fill("30")
    page.get_by_label("Where is the pain? (optional)").fill("hips and lower back")
    page.get_by_label("What does the patient want help with? (optional)").fill(
        "Walking to the shops again."
    )
    page.get_by_role("group", name="Consent").get_by_label(
        "The patient has agreed to be referred and to be contacted by a health trainer"
    ).check()


def refer_a_patient(page: Page) -> str:
    """As the signed-in referrer: refer from the home page and return the new reference."""
    arrive_at(page, SHEFFIELD)
    # The home page's link opens the form itself.
    page.get_by_role("main").get_by_role("link", name="Refer a patient").click()
    arrive_at(page, "Refer a patient")
    submit_empty(page, "Send referral", "Enter the first name")
    # The date of birth's message links to its first box, the day.
    error_summary(page).locator('a[href="#id_date_of_birth-day"]').click()
    expect(date_boxes(page, "Date of birth")[0]).to_be_focused()
    expect(error_summary(page)).to_contain_text(
        "Confirm that the patient has agreed to the referral"
    )

    fill_referral(page)
    page.get_by_role("button", name="Send referral").click()
    arrive_at(page, PRACTICE_REFERRALS)
    expect(success_banner(page)).to_contain_text(re.compile(r"Referral R-\d{5} has been sent\."))
    return re.search(r"R-\d{5}", success_banner(page).inner_text()).group()


@pytest.mark.browser
def test_a_referrer_refers_and_a_manager_accepts_from_the_triage_queue(
    page, new_page, page_log, full_demo
):
    sign_in(page, "gp@example.com")
    reference = refer_a_patient(page)
    row = page.get_by_role("main").get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text(PATIENT)
    expect(row).to_contain_text("Received")

    manager = new_page()
    sign_in(manager, "manager@example.com")
    choose_sheffield(manager)
    main = manager.get_by_role("main")
    main.get_by_role("link", name="Triage queue").click()
    arrive_at(manager, "Triage queue")
    # Oldest first: received today, the new referral waits at the bottom.
    expect(main.locator("tbody tr").last).to_contain_text(f"{reference}: {PATIENT}")
    main.get_by_role("link", name=f"{reference}: {PATIENT}").click()
    arrive_at(manager, PATIENT)
    referral_url = manager.url
    expect(status_tag(manager)).to_have_text("Received")

    today = timezone.localdate()
    day, month, year = date_boxes(manager, "Date of the attempt")
    expect(day).to_have_value(str(today.day))
    expect(month).to_have_value(str(today.month))
    expect(year).to_have_value(str(today.year))
    main.get_by_role("group", name="How").get_by_label("Phone call").check()
    main.get_by_role("group", name="Outcome").get_by_label("Spoke with the client").check()
    main.get_by_role("button", name="Record attempt").click()
    arrive_at(manager, PATIENT)
    expect(success_banner(manager)).to_contain_text("Contact attempt recorded.")
    expect(main).to_contain_text("Phone call, spoke with the client")
    expect(status_tag(manager)).to_have_text("Contact attempted")

    main.get_by_role("button", name="Accept and assign a health trainer").click()
    arrive_at(manager, f"Accept {PATIENT}")
    expect(main).to_contain_text("No existing client matches this referral")
    main.get_by_label("Health trainer").select_option(label="Hana Trainer")
    main.get_by_role("button", name="Accept referral").click()
    arrive_at(manager, "Triage queue")
    expect(success_banner(manager)).to_have_text(
        re.compile(rf"Referral {reference} accepted and assigned to Hana Trainer\.")
    )
    expect(main.get_by_role("link", name=re.compile(reference))).to_have_count(0)

    manager.goto(referral_url)
    arrive_at(manager, PATIENT)
    expect(status_tag(manager)).to_have_text("Accepted")
    main.get_by_role("link", name=PATIENT).click()
    arrive_at(manager, PATIENT)
    expect(main.locator(".nhsuk-caption-l")).to_have_text("Client")
    expect(main).to_contain_text("943 476 5919")
    client = Client.objects.get(referrals__reference=reference)
    assert AuditEvent.objects.filter(
        action="clients.client.viewed", object_id=str(client.pk)
    ).exists()

    page.reload()
    arrive_at(page, PRACTICE_REFERRALS)
    expect(page.get_by_role("main").get_by_role("row").filter(has_text=reference)).to_contain_text(
        "Accepted"
    )
    assert_content_security_policy_held(page_log)


@pytest.mark.browser
def test_the_referral_pages_pass_axe(page, new_page, page_log, full_demo):
    sign_in(page, "gp@example.com")
    refer_a_patient(page)

    manager = new_page()
    sign_in(manager, "manager@example.com")
    choose_sheffield(manager)
    main = manager.get_by_role("main")

    manager.locator("header").get_by_role("link", name="Triage queue").click()
    arrive_at(manager, "Triage queue")
    main.get_by_role("button", name="Record a referral").click()
    arrive_at(manager, "Record a referral")
    submit_empty(manager, "Record referral", "Select the GP practice that made the referral")

    manager.locator("header").get_by_role("link", name="Triage queue").click()
    arrive_at(manager, "Triage queue")
    main.locator("tbody tr").first.get_by_role("link").click()
    waiting = Referral.objects.filter(status="contact_attempted").get()
    name = f"{waiting.given_name} {waiting.family_name}"
    arrive_at(manager, name)
    submit_empty(manager, "Record attempt", "Select how you tried to make contact")
    submit_empty(manager, "Close referral", "Select the outcome")
    # Shown again with errors, the page still saves its demographics to the referral.
    main.get_by_label("Employment status").select_option(label="Retired")
    main.get_by_role("button", name="Save demographics").click()
    arrive_at(manager, name)
    expect(success_banner(manager)).to_contain_text("Demographics saved.")

    main.get_by_role("button", name="Accept and assign a health trainer").click()
    arrive_at(manager, f"Accept {name}")
    submit_empty(manager, "Accept referral", "Choose the health trainer who will see the client")

    accepted = (
        Referral.objects.filter(programme__slug="sheffield-pilot", status="accepted")
        .select_related("client")
        .first()
    )
    manager.goto(reverse("referrals:detail", args=["sheffield-pilot", accepted.pk]))
    arrive_at(manager, f"{accepted.given_name} {accepted.family_name}")
    main.get_by_role("link", name=str(accepted.client)).click()
    arrive_at(manager, str(accepted.client))
    assert_content_security_policy_held(page_log)


@pytest.mark.browser
def test_a_referrer_cannot_see_other_practices_referrals_in_the_browser(page, page_log, full_demo):
    sign_in(page, "gp@example.com")
    arrive_at(page, SHEFFIELD)
    other = Organisation.objects.get(name="Valley Road Surgery")
    for view in ("referrals:practice_referrals", "referrals:refer"):
        page.goto(reverse(view, args=["sheffield-pilot", other.pk]))
        arrive_at(page, "Page not found")
        expect(page.get_by_role("main")).not_to_contain_text("Hollis")
    assert_content_security_policy_held(page_log)
