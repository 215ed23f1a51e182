"""The caseload: a trainer's own clients; every trainer's for supervisors and managers."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission, Role
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status


@programme_view(Permission.VIEW_CASELOAD)
def caseload(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    episodes = (
        Referral.objects.visible_to(request.user, Permission.VIEW_CASELOAD)
        .filter(programme=programme, status=Status.ACCEPTED)
        .select_related("client", "assigned_trainer", "practice")
        .order_by("assigned_trainer__full_name", "client__family_name", "id")
    )
    return render(
        request,
        "casework/caseload.jinja",
        {
            "programme": programme,
            "episodes": episodes,
            "own_only": request.user.role_in(programme.pk) == Role.HEALTH_TRAINER,
            "today": timezone.localdate(),
        },
    )
