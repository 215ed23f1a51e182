"""The client's companion in a phone-sized browser: the demo client signs in with a code,
records two diary entries, answers a check-in, starts pacing, changes their setback plan,
reads their record, finds their devices and signs out; every page fits 390 px and passes
axe; and the trainer sees the check-in beside the goal and the diary and pacing on the
client's companion page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from healthtrainer.companion.models import CompanionAccess, DiaryEntry
from healthtrainer.companion.services import current_episode
from healthtrainer.demo.companion import DEMO_CLIENT_PHONE
from healthtrainer.notifications.models import OutboxMessage
from healthtrainer.tests.browser import check_accessibility, sign_in, wait_for_scripts

PHONE_WIDTH = 390


def _fits(page) -> None:
    wait_for_scripts(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width} px wide"
    check_accessibility(page)


@pytest.mark.browser
def test_a_client_signs_in_on_their_phone_reads_their_plan_and_signs_out(
    browser: Browser, live_server, full_demo
):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": PHONE_WIDTH, "height": 844}
    )
    page = context.new_page()
    try:
        page.goto("/my/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to your plan")
        _fits(page)
        page.get_by_label("Your mobile number or email address").fill(DEMO_CLIENT_PHONE)
        page.get_by_role("button", name="Send me a code").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
        _fits(page)
        code = OutboxMessage.objects.filter(template="companion_sign_in_code").latest("pk")
        page.get_by_label("Security code").fill(code.personalisation["code"])
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your plan")
        expect(page.get_by_text("Samaritans")).to_be_visible()
        _fits(page)
        entries_before = DiaryEntry.objects.count()
        for score in ("7", "4"):
            page.get_by_role("link", name="Add to your diary").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Add a diary entry")
            _fits(page)
            page.get_by_label(score, exact=True).check()
            page.get_by_role("button", name="Save").first.click()
            expect(page.get_by_text("Your diary entry is saved.")).to_be_visible()
            page.goto("/my/")
        assert DiaryEntry.objects.count() == entries_before + 2
        page.goto("/my/diary/?days=7")
        expect(page.get_by_role("table")).to_be_visible()
        _fits(page)
        page.goto("/my/")
        page.get_by_role("button", name="Partly").first.click()
        expect(page.get_by_text("your health trainer will see it")).to_be_visible()
        expect(page.get_by_text("You said: partly").first).to_be_visible()
        page.goto("/my/pacing/")
        page.get_by_label("The activity").fill("Swimming")
        page.get_by_label("On a bad day, for how many minutes").fill("10")
        page.get_by_role("button", name="Make my pacing plan").click()
        expect(page.get_by_text("about 8 minutes")).to_be_visible()
        _fits(page)
        page.goto("/my/your-record/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Your record")
        _fits(page)
        page.goto("/my/")
        page.get_by_role("link", name="Change your setback plan").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your setback plan")
        _fits(page)
        page.get_by_label("What helps").fill("A warm bath, and a slower day")
        page.get_by_role("button", name="Save the plan").click()
        expect(page.get_by_text("A warm bath, and a slower day")).to_be_visible()
        page.goto("/my/devices/")
        expect(page.get_by_text("(this one)")).to_be_visible()
        _fits(page)
        page.goto("/my/sign-out/")
        _fits(page)
        page.get_by_role("button", name="Sign out").last.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to your plan")
    finally:
        context.close()

    staff = browser.new_context(
        base_url=live_server.url, viewport={"width": PHONE_WIDTH, "height": 844}
    )
    trainer = staff.new_page()
    try:
        sign_in(trainer, "trainer@example.com")
        access = CompanionAccess.objects.select_related("programme").get()
        episode = current_episode(access.client)
        trainer.goto(f"/p/{access.programme.slug}/episodes/{episode.pk}/companion/")
        expect(trainer.get_by_role("heading", level=1)).to_have_text("The client's companion")
        expect(trainer.get_by_text("The client has not signed in yet.")).to_be_visible()
        expect(trainer.get_by_text("Activities the client paces")).to_be_visible()
        expect(trainer.get_by_role("table").nth(1)).to_contain_text("Swimming")
        _fits(trainer)
        trainer.goto(f"/p/{access.programme.slug}/episodes/{episode.pk}/")
        expect(trainer.get_by_text("partly (in their companion)").first).to_be_visible()
    finally:
        staff.close()
