"""Coding in a real browser: an evaluator selects words with the mouse and applies a code,
then codes more words by keyboard alone. Every page reached is checked with axe."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from healthtrainer.accounts.models import User
from healthtrainer.programmes.models import Programme
from healthtrainer.qualitative import services
from healthtrainer.qualitative.models import Coding
from healthtrainer.tests.browser import (
    SHEFFIELD,
    arrive_at,
    assert_content_security_policy_held,
    sign_in,
    submit_empty,
)

TEXT = "At first I did everything on good days. Pacing changed that: now I stop before it hurts."


@pytest.fixture
def document(demo, settings):
    settings.REQUIRE_MFA = False
    programme = Programme.objects.get(slug="sheffield-pilot")
    manager = User.objects.get(email="manager@example.com")
    participant = services.participant_save(
        actor=manager,
        programme=programme,
        details=services.ParticipantDetails(
            label="Client A",
            role="client",
            consent_given=True,
            consent_recorded_on=timezone.localdate(),
        ),
    )
    for name in ("Pacing", "Boom and bust"):
        services.code_save(
            actor=manager, programme=programme, details=services.CodeDetails(name=name)
        )
    return services.document_create(
        actor=manager,
        participant=participant,
        kind="case_study",
        title="Case study A",
        text=TEXT,
        source_name="pasted",
        replacements=[],
    )


def _drag_over(page, words):
    """Select `words` in the document text with the mouse, as a person would."""
    box = page.evaluate(
        """(words) => {
          const holder = document.getElementById("document-text");
          const walker = document.createTreeWalker(holder, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const at = walker.currentNode.data.indexOf(words);
            if (at >= 0) {
              holder.scrollIntoView({block: "center"});
              const range = document.createRange();
              range.setStart(walker.currentNode, at);
              range.setEnd(walker.currentNode, at + words.length);
              const box = range.getBoundingClientRect();
              const middle = box.top + box.height / 2;
              return {x1: box.left + 1, y1: middle, x2: box.right - 1, y2: middle};
            }
          }
          return null;
        }""",
        words,
    )
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()


@pytest.mark.browser
def test_an_evaluator_codes_by_selecting_text_and_by_keyboard(page, page_log, document):
    sign_in(page, "evaluator@example.com")
    arrive_at(page, SHEFFIELD)
    page.get_by_role("main").get_by_role("link", name="Interviews and case studies").click()
    arrive_at(page, "Interviews and case studies")
    page.get_by_role("link", name="Case study A").click()
    arrive_at(page, "Case study A")
    submit_empty(page, "Apply codes", "Choose at least one code to apply")

    main = page.get_by_role("main")
    _drag_over(page, "Pacing changed that")
    expect(main.get_by_label("Words to code")).to_have_value("Pacing changed that")
    main.get_by_role("group", name="Codes to apply").get_by_label("Pacing").check()
    main.get_by_role("button", name="Apply codes").click()
    arrive_at(page, "Case study A")
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Coded as Pacing")
    coding = Coding.objects.get()
    assert TEXT[coding.start : coding.end] == "Pacing changed that"
    expect(page.locator("#document-text .app-coded")).to_have_text("Pacing changed that")

    # By keyboard alone: type the words, tick a code with the space bar, submit with Enter.
    main.get_by_label("Words to code").focus()
    page.keyboard.type("everything on good days")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    codes = main.get_by_role("group", name="Codes to apply")
    expect(codes.get_by_label("Boom and bust")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(main.get_by_role("button", name="Apply codes")).to_be_focused()
    page.keyboard.press("Enter")
    arrive_at(page, "Case study A")
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Coded as Boom and bust"
    )
    typed = Coding.objects.get(code__name="Boom and bust")
    assert TEXT[typed.start : typed.end] == "everything on good days"

    main.get_by_role("link", name="Pacing", exact=True).first.click()
    arrive_at(page, "Pacing")
    expect(page.get_by_role("main").locator("mark")).to_have_text("Pacing changed that")
    page.get_by_role("link", name="Back").click()
    arrive_at(page, "Codebook")
    for link, heading in (
        ("Participants", "Participants"),
        ("Agreement between coders", "Agreement between coders"),
    ):
        page.get_by_role("main").get_by_role("link", name=link, exact=True).click()
        arrive_at(page, heading)
        expect(page.locator("header")).to_contain_text(SHEFFIELD)
    # Only the evaluator has coded so far: the page says what agreement needs.
    expect(page.get_by_role("main")).to_contain_text("Agreement needs two people")
    assert_content_security_policy_held(page_log)
