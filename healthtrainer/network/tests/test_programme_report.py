"""A member programme's published report, as the network's analyst reads it: only the
sections the programme shares, published figures whatever is asked, no way into the
programme's own pages, and nothing at all for anyone else or any other programme."""

import re
from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from healthtrainer.accounts.roles import Role
from healthtrainer.conftest import ADMINISTRATOR, sign_in
from healthtrainer.core.models import AuditEvent
from healthtrainer.core.period import Period
from healthtrainer.evaluation.disclosure import Disclosure
from healthtrainer.evaluation.report import build_report
from healthtrainer.evaluation.report.content import Column, Section, Table
from healthtrainer.network import programme_report
from healthtrainer.network.models import Network, NetworkMembership
from healthtrainer.network.programme_report import SECTIONS_SHARED, shared_report
from healthtrainer.network.services import analyst_add, network_join, network_withdraw
from healthtrainer.network.tests.builders import programme_with_goals
from healthtrainer.tests.factories import UserFactory

EVERY_SECTION = ("gp-referral", "cb-use", "client-outcomes", "client-companion", "resources")


def _url(network, slug):
    return reverse("network:programme_report", args=[network.slug, slug])


def _sections(page):
    return [found for found in EVERY_SECTION if f'<section id="{found}"' in page]


def _joined(network, name, aspects):
    programme, manager = programme_with_goals(name, 12, 8)
    network_join(actor=manager, network=network, programme=programme, aspects=aspects)
    return programme


def test_the_analyst_reads_only_the_sections_a_programme_shares(analyst, network):
    _joined(network, "Ripon", ["referral"])
    _joined(network, "Thirsk", ["outcomes", "equity"])
    _joined(network, "Malton", ["completeness", "equity"])

    ripon = analyst.get(_url(network, "ripon")).content.decode()
    assert _sections(ripon) == ["gp-referral"]
    assert "With the network: GP referral." in ripon
    assert (
        "not shared, so not shown: Trainers&#39; use of CB, Client outcomes, "
        "The client companion, Adequacy of resources." in ripon
    )

    thirsk = analyst.get(_url(network, "thirsk")).content.decode()
    assert _sections(thirsk) == ["client-outcomes", "client-companion"]
    assert "With the network: Client outcomes, Equity across deprivation." in thirsk
    # The report's equity tables are outcomes by subgroup, inside the outcomes section.
    assert 'id="equity-completed"' in thirsk

    malton = analyst.get(_url(network, "malton")).content.decode()
    assert _sections(malton) == []
    assert 'id="equity-completed"' not in malton
    assert "The report has no section on what this programme shares" in malton


def test_no_aspect_opens_the_use_of_techniques_or_the_resources():
    opened = {section for sections in SECTIONS_SHARED.values() for section in sections}
    assert opened == {"gp-referral", "client-outcomes", "client-companion"}


def test_every_figure_is_as_the_programme_s_published_report_shows_it(network):
    membership = NetworkMembership.objects.current().get(programme__slug="leeds")
    published = build_report(membership.programme, Period(), Disclosure.PUBLISHED)
    expected = {table.id: table.rows for table in published.tables}
    shown = shared_report(membership).report
    assert shown.disclosure == Disclosure.PUBLISHED
    assert shown.tables
    for table in shown.tables:
        assert table.rows == expected[table.id], table.id


def _goals_rows(page):
    table = page[page.index('id="goals-title"') : page.index('id="follow-up-title"')]
    return dict(
        re.findall(
            r'<th scope="row" class="nhsuk-table__cell">([^<]+)</th>\s*'
            r'<td class="nhsuk-table__cell nhsuk-table__cell--numeric">([^<]+)</td>',
            table,
        )
    )


def test_a_small_count_is_hidden_and_exact_figures_are_never_shown(analyst, network):
    # Whitby has 3 goals achieved and 2 not: both hidden.
    whitby = analyst.get(_url(network, "whitby")).content.decode()
    assert _goals_rows(whitby)["Achieved"] == "*"
    assert _goals_rows(whitby)["Not achieved"] == "*"
    # Leeds has 36 achieved, published as 35; asking for exact figures changes nothing.
    plain = analyst.get(_url(network, "leeds")).content.decode()
    asked = analyst.get(_url(network, "leeds"), {"disclosure": "exact"}).content.decode()
    assert _goals_rows(plain)["Achieved"] == "35"
    assert _goals_rows(asked) == _goals_rows(plain)
    assert "Published figures: counts of 1 to 7 are shown as *" in asked
    assert "Exact figures" not in asked


def test_the_page_links_to_no_programme_page(analyst, network):
    page = analyst.get(_url(network, "leeds")).content.decode()
    links = set(re.findall(r'href="([^"#]+)"', page))
    assert not [link for link in links if link.startswith("/p/")], links
    assert "Download this table as CSV" not in page
    assert reverse("network:network", args=[network.slug]) in links


def test_reading_a_programme_s_report_is_audited(analyst, network):
    analyst.get(_url(network, "leeds"))
    event = AuditEvent.objects.get(action="network.programme_report.viewed")
    assert event.programme.slug == "leeds"


@pytest.mark.parametrize("persona", [Role.PROGRAMME_MANAGER, Role.EVALUATOR, ADMINISTRATOR])
def test_nobody_but_the_network_s_analysts_reads_it(network, client_as, world, persona):
    assert client_as(persona).get(_url(network, "leeds")).status_code == 404


def test_not_even_the_programme_s_own_manager_reads_it_through_the_network(network, client):
    leeds = NetworkMembership.objects.current().get(programme__slug="leeds")
    signed_in = sign_in(client, leeds.consented_by)
    assert signed_in.get(_url(network, "leeds")).status_code == 404


def test_the_analyst_of_another_network_finds_nothing(network, world, client):
    elsewhere = Network.objects.create(name="Elsewhere", slug="elsewhere")
    person = UserFactory()
    analyst_add(actor=world.people[ADMINISTRATOR], network=elsewhere, user=person)
    signed_in = sign_in(client, person)
    assert signed_in.get(_url(network, "leeds")).status_code == 404
    # Nor through their own network, of which Leeds is no member.
    assert signed_in.get(_url(elsewhere, "leeds")).status_code == 404


def test_a_programme_not_in_the_network_is_not_found(analyst, network, world):
    leeds = NetworkMembership.objects.current().get(programme__slug="leeds")
    network_withdraw(actor=leeds.consented_by, membership=leeds)
    assert analyst.get(_url(network, "leeds")).status_code == 404
    assert analyst.get(_url(network, "nowhere")).status_code == 404
    # A programme that exists but never joined.
    assert analyst.get(_url(network, world.programme.slug)).status_code == 404
    assert not AuditEvent.objects.filter(action="network.programme_report.viewed").exists()


def test_every_programme_named_on_the_network_page_links_to_its_report(analyst, network):
    page = analyst.get(reverse("network:network", args=[network.slug])).content.decode()
    leeds = f'<a href="{_url(network, "leeds")}">Leeds</a>'
    assert f"Outside the 95% limits: {leeds} (87.5%, beyond 99.8%)." in page
    # In the funnel's table, and in the list of the network's programmes at the top.
    assert f'<td class="nhsuk-table__cell">{leeds}</td>' in page
    members = page[page.index('id="members"') : page.index("</details>")]
    assert f'<a href="{_url(network, "whitby")}">Whitby</a>' in members
    assert "The 8 programmes in the network" in members


def test_the_quotes_a_report_chose_are_left_out_of_every_section(network, monkeypatch):
    membership = NetworkMembership.objects.current().get(programme__slug="leeds")
    published = build_report(membership.programme, Period(), Disclosure.PUBLISHED)
    quotes = Table(
        "quotes-gp-referral",
        "What people said",
        (Column("Theme", False), Column("In their words", False)),
        [("Easy referral", "Referring was quick.")],
        "qualitative.quotes",
    )
    with_quotes = replace(
        published,
        sections=[
            Section(part.id, part.title, part.summary, [*part.tables, quotes])
            for part in published.sections
        ],
    )
    monkeypatch.setattr(programme_report, "build_report", lambda *args: with_quotes)
    shown = shared_report(membership).report
    assert {table.id for table in shown.tables} == {
        table.id
        for section in published.sections
        if section.id in {"gp-referral", "client-outcomes", "client-companion"}
        for table in section.tables
    }


def test_the_page_s_queries_do_not_grow_with_the_programme(analyst, network):
    """Leeds holds eight times Whitby's goals, in the same number of queries."""
    counts = []
    for slug in ("whitby", "leeds"):
        with CaptureQueriesContext(connection) as queries:
            assert analyst.get(_url(network, slug)).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
