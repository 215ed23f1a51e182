"""The companion's own words are plain English: each client page's main text reads as
"fairly easy" or easier (Flesch reading ease 60 or more) at a school grade of 9 or below
(Flesch-Kincaid), measured with textstat on the text a client reads."""

import re
import warnings
from html import unescape

import pytest
from django.urls import reverse

with warnings.catch_warnings():
    # textstat 0.7.4 reads its data through pkg_resources, which warns that it is old.
    warnings.simplefilter("ignore")
    import textstat

from healthtrainer.companion.catalogue import read_catalogue
from healthtrainer.tests.factories import GoalFactory

PAGES = [
    "companion:sign_in",
    "companion:home",
    "companion:diary",
    "companion:diary_new",
    "companion:pacing",
    "companion:setback_plan",
    "companion:your_data",
    "companion:devices",
    "companion:sign_out",
]
EASIEST_TO_READ = 60
HIGHEST_GRADE = 9


def main_text(html: str) -> str:
    """What a client reads in the page's main part: no scripts, tags or numbers alone."""
    main = html.split('id="maincontent"', 1)[-1].split("</main>", 1)[0]
    main = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", main, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", " ", main))
    # Each piece of a page (a label, a button) is a sentence of its own to a reader.
    pieces = [" ".join(piece.split()) for piece in re.split(r"\s{2,}|\n", text)]
    return " ".join(
        piece if piece.endswith((".", "?", "!", ":")) else piece + "."
        for piece in pieces
        if re.search(r"[A-Za-z]{2,}", piece)
    )


@pytest.mark.parametrize("name", PAGES)
def test_every_client_page_is_in_plain_english(name, signed_in, episode):
    GoalFactory(episode=episode, description="Walk to the shop and back")
    page = signed_in.get(reverse(name), follow=True).content.decode()
    text = main_text(page)
    assert len(text.split()) > 20, text
    ease = textstat.flesch_reading_ease(text)
    grade = textstat.flesch_kincaid_grade(text)
    assert ease >= EASIEST_TO_READ, (name, ease, text)
    assert grade <= HIGHEST_GRADE, (name, grade, text)


def test_the_words_marked_for_translation_are_in_plain_english():
    """The catalogue holds every word of the client pages, messages and errors included,
    some of which no page shows until something goes wrong; read together, they too are
    fairly easy to read."""
    pieces = []
    for message in read_catalogue():
        words = re.sub(r"<[^>]+>", "", message.msgid).replace("%%", "%")
        words = " ".join(re.sub(r"%\(\w+\)s", "it", words).split())
        if re.search(r"[A-Za-z]{2,}", words):
            pieces.append(words if words.endswith((".", "?", "!", ":")) else words + ".")
    text = " ".join(pieces)
    assert len(pieces) > 100
    assert textstat.flesch_reading_ease(text) >= EASIEST_TO_READ
    assert textstat.flesch_kincaid_grade(text) <= HIGHEST_GRADE
