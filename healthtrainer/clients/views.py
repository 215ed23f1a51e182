"""A client's record. Every view of it is audited."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission
from healthtrainer.clients import services
from healthtrainer.clients.models import Client
from healthtrainer.core.scoping import get_for_user_or_404
from healthtrainer.programmes.models import Programme


@programme_view(Permission.VIEW_CLIENT_RECORD)
def client_detail(request: ProgrammeRequest, programme: Programme, client_id: int) -> HttpResponse:
    client = get_for_user_or_404(
        Client.objects.for_programme(programme),
        request.user,
        Permission.VIEW_CLIENT_RECORD,
        pk=client_id,
    )
    services.client_viewed(actor=request.user, client=client)
    episodes = client.referrals.select_related("practice", "assigned_trainer").order_by(
        "-received_date"
    )
    return render(
        request,
        "clients/detail.jinja",
        {
            "programme": programme,
            "client": client,
            "episodes": episodes,
            "can_record": request.user.has_perm(Permission.RECORD_CASEWORK, programme),
        },
    )
