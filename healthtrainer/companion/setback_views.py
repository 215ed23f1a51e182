"""The setback plan's two doors: the client's, in their companion, and the trainer's, from
the episode. Both save through `setback.setback_plan_save`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission
from healthtrainer.casework.views.scope import episode_or_404
from healthtrainer.clients.models import Client
from healthtrainer.companion.access import CompanionRequest, client_view
from healthtrainer.companion.forms import SetbackForm
from healthtrainer.companion.models import SetbackPlan
from healthtrainer.companion.services import current_episode
from healthtrainer.companion.setback import FIELDS, setback_plan_of, setback_plan_save
from healthtrainer.core.audit import audit_record
from healthtrainer.core.versioning import EditConflict
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral

CHANGED_BY_SOMEONE_ELSE = gettext_lazy(
    "The plan was changed by someone else after you opened it. It is shown below as they "
    "left it: make your change again, then save."
)


def _initial(plan: SetbackPlan) -> dict[str, Any]:
    return {**{name: getattr(plan, name) for name in FIELDS}, "version": plan.version}


def _edit(
    request: HttpRequest, episode: Referral, *, actor: Any | None, client: Client | None
) -> tuple[SetbackForm, bool]:
    """The form, and whether it was saved."""
    plan = setback_plan_of(episode)
    if request.method != "POST":
        return SetbackForm(initial=_initial(plan)), False
    form = SetbackForm(request.POST)
    if not form.is_valid():
        return form, False
    try:
        setback_plan_save(
            episode=episode,
            details=form.details(),
            expected_version=form.cleaned_data["version"],
            actor=actor,
            client=client,
        )
    except EditConflict as conflict:
        fresh = SetbackForm(data=_initial(conflict.current))
        fresh.is_valid()
        fresh.add_error(None, CHANGED_BY_SOMEONE_ELSE)
        return fresh, False
    return form, True


@client_view
@require_http_methods(["GET", "POST"])
def client_setback_plan(request: CompanionRequest) -> HttpResponse:
    client = request.companion.client
    episode = current_episode(client)
    if episode is None:
        return redirect("companion:home")
    if request.method == "GET":
        audit_record(
            actor=None,
            client_actor=client,
            action="companion.setback_plan.viewed",
            target=episode,
            programme=episode.programme,
        )
    form, saved = _edit(request, episode, actor=None, client=client)
    if saved:
        messages.success(request, gettext("Your setback plan is saved."))
        return redirect("companion:home")
    return render(
        request, "companion/setback_plan.jinja", {"companion": request.companion, "form": form}
    )


@programme_view(Permission.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def staff_setback_plan(
    request: ProgrammeRequest, programme: Programme, episode_id: int
) -> HttpResponse:
    episode = episode_or_404(request, programme, episode_id, Permission.RECORD_CASEWORK)
    form, saved = _edit(request, episode, actor=request.user, client=None)
    if saved:
        messages.success(request, "The setback plan is saved. The client sees it in their plan.")
        return redirect("companion:episode", programme.slug, episode.pk)
    return render(
        request,
        "companion/staff_setback_plan.jinja",
        {"programme": programme, "episode": episode, "client": episode.client, "form": form},
    )
