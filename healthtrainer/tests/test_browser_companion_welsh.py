"""The companion in Welsh, in a phone-sized browser: the demo client chooses Cymraeg on the
sign-in page, signs in in Welsh, and reads every client page in Welsh (`lang="cy"`), each
passing axe and fitting 390 px and 320 px; an error summary is in Welsh too; English is a
link away; and the trainer's pages stay in English in the same browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from healthtrainer.companion.models import CompanionAccess
from healthtrainer.companion.services import current_episode
from healthtrainer.demo.companion import DEMO_CLIENT_PHONE
from healthtrainer.notifications.models import OutboxMessage
from healthtrainer.tests.browser import check_accessibility, sign_in, wait_for_scripts

PHONE_WIDTH = 390
REFLOW_WIDTH = 320
WELSH_PAGES = [
    ("/my/", "Eich cynllun"),
    ("/my/diary/?days=7", "Eich dyddiadur"),
    ("/my/diary/new/", "Ychwanegu cofnod dyddiadur"),
    ("/my/pacing/", "Cymedroli gweithgarwch"),
    ("/my/setback-plan/", "Eich cynllun ar gyfer pyliau o boen"),
    ("/my/your-record/", "Eich cofnod"),
    ("/my/devices/", "Eich dyfeisiau"),
    ("/my/sign-out/", "Allgofnodi o'ch cynllun ar y ddyfais hon?"),
]


def _in_welsh(page: Page, heading: str) -> None:
    """The page is in Welsh, passes axe and fits a phone and 400% zoom."""
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    for width in (PHONE_WIDTH, REFLOW_WIDTH):
        page.set_viewport_size({"width": width, "height": 844})
        wait_for_scripts(page)
        scrolled = page.evaluate("document.documentElement.scrollWidth")
        assert scrolled <= width, f"{page.url} is {scrolled} px wide at {width} px"
        check_accessibility(page)


@pytest.mark.browser
def test_a_client_reads_every_page_in_welsh(browser: Browser, live_server, full_demo):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": PHONE_WIDTH, "height": 844}
    )
    page = context.new_page()
    heading = page.get_by_role("heading", level=1)
    try:
        page.goto("/my/sign-in/")
        page.get_by_role("link", name="Cymraeg").click()
        _in_welsh(page, "Mewngofnodi i'ch cynllun")
        page.get_by_label("Eich rhif ffôn symudol neu eich cyfeiriad e-bost").fill(
            DEMO_CLIENT_PHONE
        )
        page.get_by_role("button", name="Anfon cod ataf i").click()
        _in_welsh(page, "Rhowch eich cod diogelwch")
        code = OutboxMessage.objects.filter(template="companion_sign_in_code").latest("pk")
        page.get_by_label("Cod diogelwch", exact=True).fill(code.personalisation["code"])
        page.get_by_role("button", name="Mewngofnodi", exact=True).click()
        expect(heading).to_have_text("Eich cynllun")
        expect(page.get_by_text("Samaritans")).to_be_visible()
        for address, title in WELSH_PAGES:
            page.goto(address)
            _in_welsh(page, title)

        page.goto("/my/pacing/")
        page.get_by_role("button", name="Gwneud fy nghynllun cymedroli").click()
        expect(page.locator(".nhsuk-error-summary")).to_contain_text("Mae problem wedi codi")
        expect(page).to_have_title(
            "Gwall: Cymedroli gweithgarwch \u2013 Hyfforddwr Iechyd ar gyfer poen cronig"
        )
        _in_welsh(page, "Cymedroli gweithgarwch")

        page.get_by_role("link", name="English").click()
        expect(heading).to_have_text("Pacing")
        expect(page.locator("html")).to_have_attribute("lang", "en-GB")
        check_accessibility(page)
        page.get_by_role("link", name="Cymraeg").click()
        expect(heading).to_have_text("Cymedroli gweithgarwch")

        # The same browser, with Welsh chosen, signed in as the client's trainer.
        sign_in(page, "trainer@example.com")
        access = CompanionAccess.objects.select_related("programme").get()
        episode = current_episode(access.client)
        page.goto(f"/p/{access.programme.slug}/episodes/{episode.pk}/companion/")
        expect(heading).to_have_text("The client's companion")
        expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    finally:
        context.close()
