"""A network's figures in the JSON API: the list and each figure's table, the same as the
JSON download's, for the network's analysts only; every read audited."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from healthtrainer.accounts.roles import Role
from healthtrainer.conftest import ADMINISTRATOR, sign_in
from healthtrainer.core.models import AuditEvent
from healthtrainer.interop.services import GRANTABLE, api_client_create
from healthtrainer.network.models import Network
from healthtrainer.network.services import analyst_add
from healthtrainer.network.tests.builders import goals_network, signed_in_analyst
from healthtrainer.tests.factories import UserFactory


@pytest.fixture
def network(world):
    return goals_network()


@pytest.fixture
def analyst(network, world, client):
    return signed_in_analyst(network, world, client)


def test_the_list_names_every_figure_with_its_address(analyst, network):
    response = analyst.get("/api/v1/networks/yorkshire/figures")
    assert response.status_code == 200
    listed = {item["id"]: item for item in response.json()}
    download = analyst.get(reverse("network:network_download", args=[network.slug, "json"]))
    assert list(listed) == list(download.json()["tables"])
    assert listed["goals"]["url"] == "/api/v1/networks/yorkshire/figures/goals"
    assert listed["goals"]["columns"][0] == "Programme"


def test_each_figure_is_the_json_download_s_table(analyst, network):
    tables = analyst.get(reverse("network:network_download", args=[network.slug, "json"])).json()[
        "tables"
    ]
    for figure_id, table in tables.items():
        response = analyst.get(reverse("api:network_figure", args=[network.slug, figure_id]))
        assert response.status_code == 200, figure_id
        body = response.json()
        assert body["id"] == figure_id
        assert body["network"] == "Yorkshire"
        assert body["disclosure"].startswith("published counts")
        assert {key: body[key] for key in ("title", "columns", "rows")} == table
    goals = analyst.get("/api/v1/networks/yorkshire/figures/goals").json()
    assert ["Leeds", 35, 40, 87.5, "Outside 99.8%", ""] in goals["rows"]


def test_every_read_is_audited_with_the_analyst_and_the_network(analyst, network):
    analyst.get("/api/v1/networks/yorkshire/figures")
    analyst.get("/api/v1/networks/yorkshire/figures/equity")
    events = AuditEvent.objects.filter(action__startswith="api.network_figure")
    assert sorted(event.action for event in events) == [
        "api.network_figure.read",
        "api.network_figures.listed",
    ]
    assert {(event.object_type, event.object_id) for event in events} == {
        ("network.network", str(network.pk))
    }
    assert all(event.actor is not None for event in events)


def test_an_unknown_figure_is_not_found(analyst, network):
    response = analyst.get("/api/v1/networks/yorkshire/figures/nothing")
    assert response.status_code == 404
    assert "GET /api/v1/networks/yorkshire/figures lists them" in response.json()["detail"]


def test_nobody_but_the_network_s_analysts_finds_it(network, world, client_as):
    paths = ["/api/v1/networks/yorkshire/figures", "/api/v1/networks/yorkshire/figures/goals"]
    elsewhere = Network.objects.create(name="Elsewhere", slug="elsewhere")
    other_analyst = UserFactory()
    analyst_add(actor=world.people[ADMINISTRATOR], network=elsewhere, user=other_analyst)
    other = sign_in(HttpClient(), other_analyst)
    visitors = [client_as(Role.PROGRAMME_MANAGER), client_as(ADMINISTRATOR), other]
    for visitor in visitors:
        for path in paths:
            response = visitor.get(path)
            assert response.status_code == 404, path
            assert response.json() == {"detail": "There is no network yorkshire."}
        assert visitor.get("/api/v1/networks/missing/figures").status_code == 404
    _, token = api_client_create(
        actor=None, programme=world.programme, name="System", permissions=list(GRANTABLE)
    )
    for visitor in (HttpClient(), HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}")):
        for path in paths:
            assert visitor.get(path).status_code == 401
    assert not AuditEvent.objects.filter(action__startswith="api.network_figure").exists()


def test_the_openapi_document_lists_the_network_figures(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/v1/networks/{network_slug}/figures",
        "/api/v1/networks/{network_slug}/figures/{figure_id}",
    } <= set(paths)
    assert "GET /api/v1/networks/{network_slug}/figures" in client.get("/api/docs").content.decode()
