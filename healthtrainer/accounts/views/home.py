"""Where a signed-in person lands: their programme's home page for their role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from healthtrainer.accounts import services
from healthtrainer.accounts.access import (
    CURRENT_PROGRAMME_SESSION_KEY,
    ProgrammeRequest,
    SignedInRequest,
    programme_view,
)
from healthtrainer.accounts.navigation import tasks_by_group, tasks_for
from healthtrainer.accounts.roles import ROLE_SUMMARIES, Permission, role_label
from healthtrainer.accounts.views.todo import to_do
from healthtrainer.network.services import networks_analysed_by
from healthtrainer.programmes.models import Organisation, Programme


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    programmes = Programme.objects.visible_to(request.user, Permission.VIEW_PROGRAMME)
    current = request.session.get(CURRENT_PROGRAMME_SESSION_KEY)
    if current and programmes.filter(slug=current).exists():
        return redirect("accounts:programme_home", current)
    last_id = request.user.last_programme_id
    last = programmes.filter(pk=last_id).first() if last_id is not None else None
    if last is not None:
        return redirect("accounts:programme_home", last.slug)
    only = list(programmes[:2])
    if len(only) == 1:
        return redirect("accounts:programme_home", only[0].slug)
    return redirect("accounts:choose_programme")


@login_required
def choose_programme(request: SignedInRequest) -> HttpResponse:
    user = request.user
    programmes = Programme.objects.visible_to(user, Permission.VIEW_PROGRAMME)
    rows = [(programme, role_label(user.role_in(programme.pk) or "")) for programme in programmes]
    return render(
        request,
        "accounts/choose_programme.jinja",
        {
            "rows": rows,
            "can_create_programme": user.has_perm("programmes.create_programme"),
            # A network analyst has no programme: their networks are their way in.
            "networks": networks_analysed_by(user),
        },
    )


def _organisations_by_kind(programme: Programme) -> list[tuple[str, list[str]]]:
    by_kind: dict[str, list[str]] = {}
    for organisation in Organisation.objects.for_programme(programme).order_by("kind", "name"):
        by_kind.setdefault(organisation.get_kind_display(), []).append(organisation.name)
    return list(by_kind.items())


@programme_view(Permission.VIEW_PROGRAMME)
def programme_home(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    role = request.user.role_in(programme.pk) or ""
    services.user_programme_opened(user=request.user, programme=programme)
    return render(
        request,
        "accounts/programme_home.jinja",
        {
            "programme": programme,
            "role": role,
            "role_label": role_label(role),
            "role_summary": ROLE_SUMMARIES[role],
            "to_do": to_do(request.user, programme),
            "task_groups": tasks_by_group(tasks_for(request.user, programme)),
            "organisations": _organisations_by_kind(programme),
        },
    )
