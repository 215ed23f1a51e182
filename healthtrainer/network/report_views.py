"""A member programme's published evaluation report, for the network's analysts: the
sections the programme shares with the network, as its published report shows them."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from healthtrainer.core.audit import audit_record
from healthtrainer.evaluation.report.content import display
from healthtrainer.network.access import network_view
from healthtrainer.network.models import Network
from healthtrainer.network.programme_report import member_of, shared_report


@network_view
def programme_report(request: HttpRequest, network: Network, programme_slug: str) -> HttpResponse:
    """Published figures only, whatever the address asks for: the page takes no choice of
    period or disclosure. A programme not (or no longer) in the network is not found."""
    membership = member_of(network, programme_slug)
    if membership is None:
        raise Http404("No such programme in this network")
    shared = shared_report(membership)
    audit_record(
        actor=request.user,
        action="network.programme_report.viewed",
        target=network,
        programme=membership.programme,
    )
    return render(
        request,
        "network/programme_report.jinja",
        {"network": network, "shared": shared, "report": shared.report, "show": display},
    )
