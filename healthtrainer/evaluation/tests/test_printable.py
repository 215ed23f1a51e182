"""The printable report styled by a static stylesheet (the CSP refuses inline styles), the
PDF laid out from the same file with nothing fetched over the network, the favicon, and
the evaluation page's first screen of headline tiles."""

from __future__ import annotations

import io
import re
import socket
from datetime import date

import pytest
from django.templatetags.static import static
from django.urls import reverse
from pypdf import PdfReader

from healthtrainer.accounts.roles import Role
from healthtrainer.core.pdf import PDF_BASE_URL, static_file
from healthtrainer.core.period import Period
from healthtrainer.evaluation.disclosure import Disclosure
from healthtrainer.evaluation.report import build_report
from healthtrainer.evaluation.report.output import pdf, printable_html
from healthtrainer.tests.factories import PracticeFactory, ReferralFactory

STYLESHEET = "evaluation/printable.css"


def _referrals(programme, count, received):
    practice = PracticeFactory(programme=programme, registered_list_size=5000)
    for _ in range(count):
        ReferralFactory(practice=practice, imd_decile=1, received_date=received)


@pytest.fixture
def programme(world):
    """9 referrals in May 2011, and 4 in the February before."""
    _referrals(world.programme, 9, date(2011, 5, 3))
    _referrals(world.programme, 4, date(2011, 2, 10))
    return world.programme


def test_the_printable_page_has_no_inline_style_and_links_its_stylesheet_and_icon(programme):
    html = printable_html(build_report(programme, Period(), Disclosure.PUBLISHED))
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert f'<link rel="stylesheet" href="{static(STYLESHEET)}">' in html
    assert static("nhsuk/assets/images/favicon.ico") in html
    # The running header, copied into the PDF's margins by the stylesheet.
    assert f"Published figures \u2013 {programme.name}" in html


def test_the_stylesheet_is_read_from_the_static_files_and_nothing_else_is_read():
    path = static_file(PDF_BASE_URL.rstrip("/") + static(STYLESHEET))
    assert path.name == "printable.css"
    assert "string-set" in path.read_text()
    for url in [
        "https://example.com/static/evaluation/printable.css",
        "http://healthtrainer.invalid/static/evaluation/printable.css",
        PDF_BASE_URL + "media/secret.csv",
        PDF_BASE_URL.rstrip("/") + static("evaluation/missing.css"),
    ]:
        with pytest.raises(ValueError, match="static file"):
            static_file(url)


def test_the_pdf_is_styled_by_the_stylesheet_without_the_network(programme, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("The PDF tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    report = build_report(programme, Period(), Disclosure.EXACT)
    reader = PdfReader(io.BytesIO(pdf(report)))
    first = reader.pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (595, 842)
    assert len(reader.pages) > 2
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Exact figures \u2013 {programme.name}" in text
        assert f"Generated {report.generated_at:%d %B %Y %H:%M}" in text
        assert f"Page {number} of {len(reader.pages)}" in text


def test_the_printable_period_keeps_the_months_capitalised(programme):
    report = build_report(
        programme, Period(date(2011, 4, 1), date(2011, 6, 30)), Disclosure.PUBLISHED
    )
    assert "Referred 01 April 2011 to 30 June 2011." in printable_html(report)


def test_a_browser_asking_for_favicon_ico_is_sent_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("nhsuk/assets/images/favicon.ico")
    assert "max-age=86400" in response["Cache-Control"]
    assert client.get(response["Location"]).status_code == 200


def _page(client, programme, **query):
    response = client.get(reverse("evaluation:report", args=[programme.slug]), query)
    assert response.status_code == 200
    return response.content.decode()


def _tile(page: str, title: str) -> str:
    """The text of the headline tile with this title, tags removed."""
    start = page.index(f'nhsuk-card__heading nhsuk-heading-s">{title}<')
    return re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", page[start : page.index("</details>", start)])
    )


def test_the_page_opens_on_headline_tiles_with_their_trend(programme, client_as):
    page = _page(
        client_as(Role.PROGRAMME_MANAGER),
        programme,
        start="2011-04-01",
        end="2011-06-30",
        disclosure="exact",
    )
    glance, contents = page.index('id="at-a-glance-title"'), page.index('id="contents-title"')
    assert glance < contents < page.index('id="gp-referral-title"')
    assert "referred 01 January 2011 to 31 March 2011" in page
    assert re.findall(r'<h3 id="glance-[^"]+">([^<]+)</h3>', page) == [
        "GP referral",
        "Trainers&#39; use of CB",
        "Client outcomes",
        "Adequacy of resources",
    ]
    received = _tile(page, "Referrals received")
    assert " 9 " in received
    assert "Up 5 from the previous period (4)" in received
    assert "How this is counted" in received
    assert "Referrals received in the period" in received
    deprived = _tile(page, "Referrals from the most deprived areas")
    assert "100.0%" in deprived
    assert "of 9 referrals with a known area" in deprived
    assert "No change from the previous period (100.0%)" in deprived


def test_hidden_figures_stay_hidden_and_are_not_compared(programme, client_as):
    page = _page(client_as(Role.EVALUATOR), programme, start="2011-04-01", end="2011-06-30")
    received = _tile(page, "Referrals received")
    # 9 referrals are published as 10; the 4 before are hidden, so there is no trend.
    assert " 10 " in received
    assert "No previous figure" in received


def test_without_a_start_there_is_nothing_to_compare_with(programme, client_as):
    page = _page(client_as(Role.PROGRAMME_MANAGER), programme)
    assert "Choose a period with a start date" in page
    assert "No previous figure" in _tile(page, "Referrals received")
    assert "from the previous period" not in page
