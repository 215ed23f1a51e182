"""Where a signed-in person lands: their programme's home page for their role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from healthtrainer.accounts.access import CURRENT_PROGRAMME_SESSION_KEY, programme_view
from healthtrainer.accounts.navigation import tasks_for
from healthtrainer.accounts.roles import ROLE_SUMMARIES, Permission, role_label
from healthtrainer.programmes.models import Programme


@login_required
def home(request: HttpRequest) -> HttpResponse:
    programmes = Programme.objects.visible_to(request.user, Permission.VIEW_PROGRAMME)
    current = request.session.get(CURRENT_PROGRAMME_SESSION_KEY)
    if current and programmes.filter(slug=current).exists():
        return redirect("accounts:programme_home", current)
    only = list(programmes[:2])
    if len(only) == 1:
        return redirect("accounts:programme_home", only[0].slug)
    return redirect("accounts:choose_programme")


@login_required
def choose_programme(request: HttpRequest) -> HttpResponse:
    user = request.user
    programmes = Programme.objects.visible_to(user, Permission.VIEW_PROGRAMME)
    rows = [(programme, role_label(user.role_in(programme.pk) or "")) for programme in programmes]  # type: ignore[union-attr]
    return render(
        request,
        "accounts/choose_programme.jinja",
        {
            "rows": rows,
            "can_create_programme": user.has_perm("programmes.create_programme"),
        },
    )


@programme_view(Permission.VIEW_PROGRAMME)
def programme_home(request: HttpRequest, programme: Programme) -> HttpResponse:
    role = request.user.role_in(programme.pk) or ""  # type: ignore[union-attr]
    return render(
        request,
        "accounts/programme_home.jinja",
        {
            "programme": programme,
            "role": role,
            "role_label": role_label(role),
            "role_summary": ROLE_SUMMARIES[role],
            "tasks": tasks_for(request.user, programme),
        },
    )
