"""The companion in Welsh: every word of its client pages is marked for translation and has
its Welsh in the catalogue, the compiled catalogue is the one written, each client page
reads in Welsh once the client chooses it, and staff pages stay in English whatever the
browser holds."""

import gettext
import re
import uuid
from datetime import date, timedelta
from html import unescape
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from jinja2 import Environment, nodes

from healthtrainer.accounts.roles import Role
from healthtrainer.casework.models import ClientStrategy, GoalReview, Strategy
from healthtrainer.companion import catalogue
from healthtrainer.companion.language import COOKIE, ENGLISH, WELSH
from healthtrainer.companion.models import DiaryEntry, PacingPlan
from healthtrainer.companion.setback import SetbackDetails, setback_plan_save
from healthtrainer.companion.tests.conftest import PHONE, asked_for_code
from healthtrainer.conftest import sign_in
from healthtrainer.tests.factories import AppointmentFactory, GoalFactory

# The staff's pages and the printable files, which stay in English.
ENGLISH_ONLY_TEMPLATES = {
    "companion/episode.jinja",
    "companion/staff_setback_plan.jinja",
    "companion/summary_printable.jinja",
    "companion/your_data_printable.jinja",
}
# Macro parameters that NHS.UK components show to a reader.
SHOWN_PARAMETERS = {"text", "titleText", "html", "ariaLabel", "visuallyHiddenText", "label"}


def _welsh(client):
    client.cookies[COOKIE] = WELSH
    return client


# The catalogue


def test_every_client_template_is_read_for_words_to_translate():
    templates = {
        str(path.relative_to(catalogue.TEMPLATES_DIR))
        for path in (catalogue.TEMPLATES_DIR / "companion").glob("*.jinja")
    }
    assert templates - ENGLISH_ONLY_TEMPLATES == {
        name for name in catalogue.CLIENT_TEMPLATES if name.startswith("companion/")
    }


def _unmarked_words(source: str) -> list[str]:
    """Words a reader would see in a template that are not inside _() or gettext(): the
    template's own text and labels, and the words it gives the NHS.UK components."""
    jinja = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    # Each Jinja expression or tag stands as § in its place, so that HTML tags stay whole.
    html = "".join(value if kind == "data" else "§" for _, kind, value in jinja.lex(source))
    labels = re.findall(r'\b(?:aria-label|title|alt|placeholder)="([^"]*)"', html)
    text = re.split(r"<[^>]*>|&\w+;|§", html)
    found = [words for words in [*text, *labels] if re.search(r"[A-Za-z]{2,}", words)]
    tree = jinja.parse(source)
    for pair in tree.find_all(nodes.Pair):
        if (
            isinstance(pair.key, nodes.Const)
            and pair.key.value in SHOWN_PARAMETERS
            and isinstance(pair.value, nodes.Const)
            and isinstance(pair.value.value, str)
            and re.search(r"[A-Za-z]{2,}", pair.value.value)
        ):
            found.append(pair.value.value)
    return [" ".join(words.split()) for words in found]


@pytest.mark.parametrize(
    "name", [name for name in catalogue.CLIENT_TEMPLATES if name.startswith("companion/")]
)
def test_a_client_template_has_no_words_left_unmarked(name):
    source = (catalogue.TEMPLATES_DIR / name).read_text()
    assert _unmarked_words(source) == [], f"{name}: mark these with _() for translation"


def test_every_marked_word_is_in_the_catalogue_with_its_welsh():
    marked = {message.key: message for message in catalogue.marked_messages()}
    written = {message.key: message for message in catalogue.read_catalogue()}
    hint = "run `manage.py welsh_catalogue`, write the Welsh, and run it again"
    assert sorted(set(marked) - set(written)) == [], f"Not in the catalogue: {hint}"
    assert sorted(set(written) - set(marked)) == [], f"No longer used: {hint}"
    untranslated = [message.msgid for message in written.values() if not message.translated]
    assert untranslated == [], f"Without Welsh (or fuzzy): {hint}"


def test_the_compiled_catalogue_is_the_one_written():
    with catalogue.COMPILED.open("rb") as compiled:
        served = gettext.GNUTranslations(compiled)
    for message in catalogue.read_catalogue():
        if message.msgid_plural:
            for form, welsh in enumerate(message.msgstr):
                assert served._catalog[(message.msgid, form)] == welsh, "run welsh_catalogue"
        else:
            assert served._catalog[message.msgid] == message.msgstr[0], "run welsh_catalogue"


def test_the_catalogue_keeps_its_welsh_when_read_and_written_again(tmp_path: Path):
    again = tmp_path / "django.po"
    catalogue.write_catalogue(catalogue.read_catalogue(), again)
    assert again.read_text() == catalogue.CATALOGUE.read_text()


# The switch


def test_the_switch_keeps_the_choice_and_goes_back_to_the_page(client):
    page = client.get(reverse("companion:language", args=[WELSH]), {"next": "/my/diary/?days=7"})
    assert page.status_code == 302
    assert page.url == "/my/diary/?days=7"
    kept = page.cookies[COOKIE]
    assert kept.value == WELSH
    assert kept["httponly"]
    assert kept["samesite"] == "Lax"


@pytest.mark.parametrize(
    "back",
    [
        "https://elsewhere.example/my/",
        "//elsewhere.example/my/",
        "/my/\\elsewhere.example",
        "/my/../p/a/",
        "/p/a/",
        "/my/\r\nSet-Cookie: a=b",
        "",
    ],
)
def test_the_switch_goes_back_to_a_companion_page_only(client, back):
    page = client.get(reverse("companion:language", args=[ENGLISH]), {"next": back})
    assert page.url == reverse("companion:home")


def test_a_language_the_companion_does_not_have_is_not_found(client):
    assert client.get(reverse("companion:language", args=["fr"])).status_code == 404


def test_the_sign_in_page_offers_welsh_and_then_reads_in_welsh(client):
    english = client.get(reverse("companion:sign_in")).content.decode()
    assert '<html lang="en-GB">' in english
    assert 'lang="cy" hreflang="cy">Cymraeg</a>' in english
    welsh = _welsh(client).get(reverse("companion:sign_in")).content.decode()
    assert '<html lang="cy">' in welsh
    assert "Mewngofnodi i'ch cynllun" in welsh
    assert 'hreflang="en-GB">English</a>' in welsh
    assert "Samaritans" in welsh
    assert "116 123" in welsh
    assert translation.get_language() == ENGLISH


def test_errors_are_in_welsh(client):
    page = _welsh(client).post(reverse("companion:sign_in"), {"contact": ""})
    text = page.content.decode()
    assert "Mae problem wedi codi" in text
    assert "Rhowch eich rhif ffôn symudol neu eich cyfeiriad e-bost" in text
    assert "<title>Gwall:" in text


# Every client page


@pytest.fixture
def full_plan(world, episode, signed_in):
    """A companion with something on every page: goals, a review and a check-in, an
    appointment, a strategy, diary entries, pacing and a setback plan."""
    trainer = world.people[Role.HEALTH_TRAINER]
    goal = GoalFactory(episode=episode, description="Walk to the shop and back")
    GoalReview.objects.create(
        goal=goal, reviewed_on=date(2026, 11, 2), status="partly_achieved", reviewed_by=trainer
    )
    ClientStrategy.objects.create(
        programme=world.programme,
        episode=episode,
        strategy=Strategy.objects.filter(programme=world.programme).first(),
        adopted_on=date(2026, 11, 2),
        recorded_by=trainer,
    )
    AppointmentFactory(episode=episode, starts_at=timezone.now() + timedelta(days=6))
    for days_ago, minutes, pain in ((3, 40, 3), (2, 45, 3), (1, 0, 7)):
        DiaryEntry.objects.create(
            programme=world.programme,
            episode=episode,
            key=uuid.uuid4(),
            recorded_for=timezone.now() - timedelta(days=days_ago),
            pain=pain,
            mood=4,
            sleep=2,
            activity="Walking",
            activity_minutes=minutes or None,
            note="A good walk",
        )
    PacingPlan.objects.create(
        programme=world.programme,
        episode=episode,
        activity="Walking",
        bad_day_minutes=20,
        baseline_percent=80,
        weekly_increase_percent=10,
        started_on=timezone.localdate() - timedelta(days=10),
    )
    setback_plan_save(
        episode=episode,
        details=SetbackDetails("Stiff in the morning", "A warm bath", "My sister"),
        expected_version=0,
        client=episode.client,
    )
    return signed_in


def _client_pages(episode):
    entry = DiaryEntry.objects.filter(episode=episode).first()
    return [
        reverse("companion:sign_in"),
        reverse("companion:home"),
        reverse("companion:diary"),
        reverse("companion:diary_new"),
        reverse("companion:diary_entry", args=[entry.pk]),
        reverse("companion:pacing"),
        reverse("companion:setback_plan"),
        reverse("companion:your_data"),
        reverse("companion:devices"),
        reverse("companion:sign_out"),
    ]


def _text_pieces(html: str) -> set[str]:
    """Each piece of text a reader meets, and each label read out, one by one."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    labels = re.findall(r'\b(?:aria-label|title|alt)="([^"]*)"', html)
    pieces = [*re.split(r"<[^>]*>", html), *labels]
    # Punctuation around a piece (": " before a hidden goal, "(" before a note) is not a word.
    around = " :;,.()\u00b7\u2013"
    return {" ".join(unescape(piece).split()).strip(around) for piece in pieces} - {""}


def _same_in_both(english: str, welsh: str, data: set[str]) -> set[str]:
    return {
        piece
        for piece in _text_pieces(english) & _text_pieces(welsh)
        if re.search(r"[A-Za-z]{2,}", piece) and piece not in data
    }


def test_every_client_page_reads_in_welsh_once_chosen(full_plan, episode, world):
    # What the client or their trainer wrote, and names, are as they were written.
    data = {
        "Walk to the shop and back",
        "Stiff in the morning",
        "A warm bath",
        "My sister",
        "A good walk",
        "Walking",
        world.people[Role.HEALTH_TRAINER].full_name,
        *ClientStrategy.objects.filter(episode=episode).values_list("strategy__name", flat=True),
        *episode.client.companion.devices.values_list("label", flat=True),
        "NHS",
    }
    for address in _client_pages(episode):
        full_plan.cookies[COOKIE] = ENGLISH
        english = full_plan.get(address).content.decode()
        full_plan.cookies[COOKIE] = WELSH
        welsh = full_plan.get(address).content.decode()
        assert '<html lang="cy">' in welsh, address
        assert _same_in_both(english, welsh, data) == set(), f"English left on {address}"
        assert translation.get_language() == ENGLISH


def test_dates_and_the_diary_read_in_welsh(full_plan, episode):
    home = _welsh(full_plan).get(reverse("companion:home")).content.decode()
    assert "Eich apwyntiad nesaf" in home
    assert "wedi'i gyflawni'n rhannol" in home
    assert "Tachwedd 2026" in home
    diary = full_plan.get(reverse("companion:diary")).content.decode()
    assert "hwyliau da; cwsg gwael" in diary
    assert "Poen dros y 30 diwrnod diwethaf" in diary


def test_a_code_page_and_a_refused_code_are_in_welsh(client, invited):
    asked_for_code(_welsh(client), PHONE)
    page = client.post(reverse("companion:code"), {"code": "000000"}).content.decode()
    assert '<html lang="cy">' in page
    assert "Dydy&#39;r cod ddim yn gywir" in page


def test_flash_messages_are_in_welsh(full_plan):
    now = timezone.localtime() - timedelta(minutes=1)
    page = _welsh(full_plan).post(
        reverse("companion:diary_new"),
        {
            "key": str(uuid.uuid4()),
            "pain": "4",
            "recorded_date": now.date().isoformat(),
            "recorded_time": now.strftime("%H:%M"),
        },
        follow=True,
    )
    assert "Mae eich cofnod dyddiadur wedi&#39;i gadw." in page.content.decode()
    assert "Llwyddiant" in page.content.decode()


# Staff pages


def test_staff_pages_stay_in_english_with_the_welsh_cookie(client, world, episode, invited):
    trainer = world.people[Role.HEALTH_TRAINER]
    _welsh(sign_in(client, trainer))
    for address in [
        reverse("accounts:home"),
        reverse("companion:episode", args=[world.programme.slug, episode.pk]),
        reverse("companion:staff_setback_plan", args=[world.programme.slug, episode.pk]),
    ]:
        page = client.get(address, follow=True).content.decode()
        assert '<html lang="en-GB">' in page, address
        assert "Cymraeg" not in page, address
    setback = client.get(
        reverse("companion:staff_setback_plan", args=[world.programme.slug, episode.pk])
    ).content.decode()
    assert "Signs that a flare-up is starting" in setback
    assert "Skip to main content" in setback
