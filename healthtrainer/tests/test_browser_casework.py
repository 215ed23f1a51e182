"""A health trainer runs a client's whole episode in a real browser, partly by keyboard alone.

Every page reached is checked with axe. The client was accepted and assigned to the
demo trainer, as triage leaves them.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from healthtrainer.accounts.models import User
from healthtrainer.casework.models import FollowUp, Goal, SessionRecord
from healthtrainer.casework.services import programme_lists_seed
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.tests.browser import (
    SHEFFIELD,
    arrive_at,
    assert_content_security_policy_held,
    sign_in,
    submit_empty,
)
from healthtrainer.tests.factories import AppointmentFactory, GoalFactory, accepted_episode

CLIENT = "Nell Hartley"


@pytest.fixture
def episode(demo, settings) -> Referral:
    settings.REQUIRE_MFA = False
    programme = Programme.objects.get(slug="sheffield-pilot")
    programme_lists_seed(actor=None, programme=programme)
    trainer = User.objects.get(email="trainer@example.com")
    given_name, family_name = CLIENT.split()
    return accepted_episode(
        trainer, programme, given_name=given_name, family_name=family_name, phone="07700900123"
    )


def fill_date(page: Page, legend: str, day: date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def book(page: Page, day: date, at: str) -> None:
    main = page.get_by_role("main")
    main.get_by_role("button", name="Book an appointment").click()
    arrive_at(page, "Book an appointment")
    fill_date(page, "Date", day)
    main.get_by_label("Time").fill(at)
    main.get_by_role("group", name="How will you meet?").get_by_label("Telephone").check()
    main.get_by_role("button", name="Save appointment").click()
    arrive_at(page, CLIENT)


def tab_to(page: Page, label: str, limit: int = 60) -> None:
    """Press Tab until the field labelled `label` has focus, as a keyboard user would."""
    target = page.get_by_label(label, exact=True)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {label!r}")


def add_goal_by_keyboard(page: Page, description: str) -> None:
    """The goal form filled and sent with the keyboard only: Tab, typing, arrows, Enter."""
    tab_to(page, "What is the goal, in the client's words?")
    page.keyboard.type(description)
    page.keyboard.press("Tab")
    page.keyboard.type("3 times a week")
    page.keyboard.press("Tab")
    page.keyboard.type("after lunch")
    page.keyboard.press("Tab")
    # The first radio of the group has focus: Space chooses it, arrows move the choice.
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("7")
    page.keyboard.press("Enter")


@pytest.mark.browser
def test_a_trainer_runs_a_whole_episode(page, page_log, episode):
    today = timezone.localdate()
    sign_in(page, "trainer@example.com")
    arrive_at(page, SHEFFIELD)
    main = page.get_by_role("main")
    main.get_by_role("link", name="Caseload").click()
    arrive_at(page, "Your caseload")
    main.get_by_role("link", name=CLIENT).click()
    arrive_at(page, CLIENT)
    expect(main).to_contain_text("No appointments yet")

    # The first session: booked and recorded after it took place.
    book(page, today - timedelta(days=2), "10:00")
    main.get_by_role("link", name="Record session").click()
    arrive_at(page, "Record the session")
    submit_empty(page, "Save session", "Enter how long the session was, in minutes")
    main.get_by_label("How long was the session? (minutes)").fill("45")
    approaches = main.get_by_role("group", name="Which CB approaches did you use?")
    approaches.get_by_label("Goal setting").check()
    approaches.get_by_label("Activity pacing").check()
    topics = main.get_by_role("group", name="What did the client bring to the session?")
    topics.get_by_label("Pain").check()
    topics.get_by_label("Money").check()
    main.get_by_label("How many times has the client seen their GP in the last 3 months?").fill("4")
    main.get_by_role("button", name="Save session").click()
    arrive_at(page, CLIENT)
    expect(main).to_contain_text("45 minutes: Goal setting, Activity pacing")

    # Two goals, the first entered with the keyboard alone.
    main.get_by_role("button", name="Add a goal").click()
    arrive_at(page, "Add a goal")
    add_goal_by_keyboard(page, "Walk to the corner shop and back")
    arrive_at(page, CLIENT)
    main.get_by_role("button", name="Add a goal").click()
    arrive_at(page, "Add a goal")
    main.get_by_label("What is the goal, in the client's words?").fill("Sleep by 11pm")
    main.get_by_role("group", name="What area of life is it about?").get_by_label("Sleep").check()
    main.get_by_label("How confident is the client they can do it? (0 to 10)").fill("5")
    main.get_by_role("button", name="Save goal").click()
    arrive_at(page, CLIENT)
    goals = Goal.objects.filter(episode=episode).order_by("id")
    assert [goal.description for goal in goals] == [
        "Walk to the corner shop and back",
        "Sleep by 11pm",
    ]
    # Space chose the first area, ArrowDown moved to the second.
    assert goals[0].domain == "pacing"
    assert goals[0].confidence == 7

    # The second session reviews both goals and records a strategy taken up.
    book(page, today - timedelta(days=1), "10:00")
    main.get_by_role("link", name="Record session").click()
    arrive_at(page, "Record the session")
    expect(main).not_to_contain_text("How many times has the client seen their GP")
    main.get_by_label("How long was the session? (minutes)").fill("40")
    main.get_by_role("group", name="Walk to the corner shop and back").get_by_label(
        "Achieved", exact=True
    ).check()
    main.get_by_role("group", name="Sleep by 11pm").get_by_label("Partly achieved").check()
    main.get_by_role(
        "group", name="Which self-management strategies has the client taken up?"
    ).get_by_label("Pacing", exact=True).check()
    main.get_by_role("button", name="Save session").click()
    arrive_at(page, CLIENT)
    assert SessionRecord.objects.filter(appointment__episode=episode).count() == 2

    # Discharge: the final statuses start from the latest reviews.
    main.get_by_role("button", name="Discharge").click()
    arrive_at(page, "Discharge from the programme")
    main.get_by_role("group", name="Why is the client leaving the programme?").get_by_label(
        "Completed the programme"
    ).check()
    main.get_by_role("button", name="Discharge").click()
    arrive_at(page, CLIENT)
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "has been discharged"
    )
    assert [goal.final_status for goal in Goal.objects.filter(episode=episode).order_by("id")] == [
        "achieved",
        "partly_achieved",
    ]

    # The follow-up, recorded as soon as the client is reached.
    main.get_by_role("button", name="Record the follow-up").click()
    arrive_at(page, "Record the follow-up")
    main.get_by_role("group", name="Did you reach the client?").get_by_label("Yes").check()
    submit_empty(page, "Save follow-up", "Enter the number of GP visits")
    main.get_by_label("How many times has the client seen their GP in the last 3 months?").fill("1")
    # Before the due date, so the trainer says why.
    main.get_by_label("Why was the client contacted before the due date?").fill(
        "Going into hospital next month"
    )
    main.get_by_role("group", name="Is the client still using “Pacing”?").get_by_label(
        "Yes"
    ).check()
    main.get_by_role(
        "group", name="Has the client kept up “Walk to the corner shop and back”?"
    ).get_by_label("Yes").check()
    main.get_by_role("group", name="Has the client kept up “Sleep by 11pm”?").get_by_label(
        "Partly"
    ).check()
    main.get_by_role("button", name="Save follow-up").click()
    arrive_at(page, CLIENT)
    follow_up = FollowUp.objects.get(episode=episode)
    assert follow_up.reached is True
    assert follow_up.gp_visits_last_3_months == 1
    assert follow_up.strategies.get().maintained == "yes"

    main.get_by_role("link", name=f"See {CLIENT.split()[0]}'s timeline").click()
    arrive_at(page, "Timeline")
    expect(main).to_contain_text("Discharged")
    assert_content_security_policy_held(page_log)


@pytest.mark.browser
def test_an_escalation_reaches_the_pain_team(page, new_page, page_log, episode):
    sign_in(page, "trainer@example.com")
    arrive_at(page, SHEFFIELD)
    page.goto(f"/p/sheffield-pilot/episodes/{episode.pk}/")
    arrive_at(page, CLIENT)
    main = page.get_by_role("main")
    main.get_by_role("link", name="Raise a concern with the pain team").click()
    arrive_at(page, "Raise a concern with the pain team")
    submit_empty(page, "Send to the pain team", "Choose what the concern is")
    main.get_by_role("group", name="What is the concern?").get_by_label("Red-flag symptoms").check()
    main.get_by_label("What happened, and what have you done so far?").fill(
        "New numbness in both legs; advised to call 111 today."
    )
    main.get_by_role("button", name="Send to the pain team").click()
    arrive_at(page, CLIENT)
    expect(main.locator(".app-open-escalation").first).to_contain_text(
        "Open escalation: Red-flag symptoms"
    )

    supervisor = new_page()
    sign_in(supervisor, "supervisor@example.com")
    arrive_at(supervisor, SHEFFIELD)
    supervisor.locator("header").get_by_role("link", name="Escalations").click()
    arrive_at(supervisor, "Escalations")
    supervisor.get_by_role("main").get_by_role("link", name="Red-flag symptoms").click()
    arrive_at(supervisor, f"Red-flag symptoms: {CLIENT}")
    supervisor.get_by_role("button", name="Acknowledge").click()
    arrive_at(supervisor, f"Red-flag symptoms: {CLIENT}")
    submit_empty(supervisor, "Resolve", "Say what was done")
    supervisor.get_by_label("What was done?").fill("GP called the client; urgent review booked.")
    supervisor.get_by_role("button", name="Resolve").click()
    arrive_at(supervisor, f"Red-flag symptoms: {CLIENT}")
    expect(supervisor.get_by_role("main")).to_contain_text("Resolved")

    page.reload()
    arrive_at(page, CLIENT)
    expect(main.locator(".app-open-escalation")).to_have_count(0)

    supervisor.goto("/p/sheffield-pilot/directory/")
    arrive_at(supervisor, "Community directory")
    supervisor.get_by_role("main").get_by_role("link", name="Add to the directory").click()
    arrive_at(supervisor, "Add to the directory")
    submit_empty(supervisor, "Save", "Enter the name")
    assert_content_security_policy_held(page_log)


@pytest.mark.browser
def test_the_programme_lists_page_passes_axe(page, page_log, episode):
    sign_in(page, "manager@example.com")
    page.goto("/p/sheffield-pilot/casework-lists/")
    arrive_at(page, "Casework lists")
    page.get_by_role("button", name="Retire Mindfulness", exact=True).click()
    arrive_at(page, "Casework lists")
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("retired")
    assert_content_security_policy_held(page_log)


@pytest.mark.browser
def test_the_other_casework_forms_pass_axe_with_their_errors(page, page_log, episode):
    appointment = AppointmentFactory(episode=episode)
    goal = GoalFactory(episode=episode, description="Swim on Saturdays")
    sign_in(page, "trainer@example.com")
    arrive_at(page, SHEFFIELD)
    base = f"/p/sheffield-pilot/episodes/{episode.pk}"
    for path, title, button, first_error in [
        (f"{base}/signpost/", "Signpost or refer on", "Save", "Choose whether you signposted"),
        (
            f"/p/sheffield-pilot/appointments/{appointment.pk}/attendance/",
            str(appointment),
            "Save",
            "Choose what happened",
        ),
        (
            f"/p/sheffield-pilot/goals/{goal.pk}/review/",
            "Swim on Saturdays",
            "Save review",
            "Choose how the client has got on",
        ),
    ]:
        page.goto(path)
        arrive_at(page, title)
        submit_empty(page, button, first_error)

    page.goto(f"/p/sheffield-pilot/clients/{episode.client.pk}/contact-preferences/")
    arrive_at(page, "Contact preferences")
    page.get_by_label("Mobile phone number (optional)").fill("")
    submit_empty(page, "Save", "Enter a mobile number for text message reminders")

    page.goto(f"/p/sheffield-pilot/appointments/{appointment.pk}/")
    arrive_at(page, "Change the appointment")
    page.get_by_label("Time").fill("25:00")
    page.get_by_role("button", name="Save appointment").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the time like 14:30")
    page.goto(f"/p/sheffield-pilot/goals/{goal.pk}/")
    arrive_at(page, "Change the goal")
    assert_content_security_policy_held(page_log)
