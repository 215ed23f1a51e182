"""A network's figures in the JSON API: the list, and each figure's table, the same as in
the network's JSON download (`network/figures.py`), built from published counts only.

They answer the network's analysts, signed in to the service (their session), and nobody
else: a network they do not analyse, or any network to someone who analyses none, is not
found. An API client's token reaches one programme, never a network, so it is refused as
not signed in. Every read is audited, as the network's page is."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import SessionAuth

from healthtrainer.api.schemas import InvalidRequest, Message
from healthtrainer.core.audit import audit_record
from healthtrainer.network.access import network_analysed
from healthtrainer.network.figures import Table, figures_of, tables
from healthtrainer.network.formats import DISCLOSURE
from healthtrainer.network.models import Network

networks = Router(auth=SessionAuth(), tags=["networks"])

ANSWERS = {401: Message, 404: Message, 422: InvalidRequest}


class FigureSummary(Schema):
    id: str
    title: str
    columns: list[str]
    url: str


class Figure(Schema):
    id: str
    title: str
    network: str
    disclosure: str
    columns: list[str]
    rows: list[list[int | float | str]]


def _network(request: HttpRequest, slug: str, action: str) -> tuple[Network, list[Table]]:
    network = network_analysed(request.user, slug)
    if network is None:
        raise HttpError(404, f"There is no network {slug}.")
    audit_record(actor=request.user, action=action, target=network)
    return network, tables(figures_of(network))


@networks.get(
    "/{network_slug}/figures",
    response={200: list[FigureSummary], **ANSWERS},
    url_name="network_figures",
)
def network_figures(request: HttpRequest, network_slug: str) -> list[FigureSummary]:
    """Every figure of the network's page, with its title, its columns and its address."""
    network, found = _network(request, network_slug, "api.network_figures.listed")
    return [
        FigureSummary(
            id=table.id,
            title=table.title,
            columns=table.columns,
            url=f"/api/v1/networks/{network.slug}/figures/{table.id}",
        )
        for table in found
    ]


@networks.get(
    "/{network_slug}/figures/{figure_id}",
    response={200: Figure, **ANSWERS},
    url_name="network_figure",
)
def network_figure(request: HttpRequest, network_slug: str, figure_id: str) -> Figure:
    """One figure's table, as published: a count of 1 to 7 is "*", others rounded to 5,
    and "" where there is nothing to count."""
    network, found = _network(request, network_slug, "api.network_figure.read")
    table = next((table for table in found if table.id == figure_id), None)
    if table is None:
        raise HttpError(
            404,
            f"{figure_id} is not a figure of {network.slug}: "
            f"GET /api/v1/networks/{network.slug}/figures lists them.",
        )
    return Figure(
        id=table.id,
        title=table.title,
        network=network.name,
        disclosure=DISCLOSURE,
        columns=table.columns,
        rows=table.rows,
    )
