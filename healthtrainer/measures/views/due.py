"""Questionnaires due and not yet completed."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from healthtrainer.accounts.access import (
    ProgrammeRequest,
    programme_view,
)
from healthtrainer.accounts.roles import Permission
from healthtrainer.measures.due import measures_owed
from healthtrainer.measures.models import (
    ProgrammeInstrument,
)
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status


@programme_view(Permission.VIEW_CASELOAD)
def due(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    episodes = Referral.objects.visible_to(request.user, Permission.VIEW_CASELOAD).filter(
        programme=programme, status=Status.ACCEPTED
    )
    rows = [row for row in measures_owed(programme, episodes) if row.missing]
    owed = sum(len(row.owed) for row in measures_owed(programme, episodes))
    return render(
        request,
        "measures/due.jinja",
        {
            "programme": programme,
            "rows": rows,
            "owed": owed,
            "missing": sum(len(row.missing) for row in rows),
            "configured": ProgrammeInstrument.objects.for_programme(programme).exists(),
        },
    )
