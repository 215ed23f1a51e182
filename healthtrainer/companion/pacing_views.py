"""The client's pacing page: each activity they pace, with this week's planned time, the
last two weeks from their diary beside it, and a gentle word when it shows boom and bust."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from healthtrainer.companion.access import CompanionRequest, client_view
from healthtrainer.companion.forms import PacingForm
from healthtrainer.companion.pacing import pacing_lines, pacing_plan_start
from healthtrainer.companion.services import current_episode
from healthtrainer.core.audit import audit_record
from healthtrainer.core.forms import add_service_errors


@client_view
@require_http_methods(["GET", "POST"])
def pacing(request: CompanionRequest) -> HttpResponse:
    client = request.companion.client
    episode = current_episode(client)
    if episode is None:
        raise Http404("No current plan")
    form = PacingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pacing_plan_start(
                client=client,
                episode=episode,
                activity=form.cleaned_data["activity"],
                bad_day_minutes=form.cleaned_data["bad_day_minutes"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("Your pacing plan is ready."))
            return redirect("companion:pacing")
    lines = pacing_lines(episode)
    if request.method == "GET":
        audit_record(
            actor=None,
            client_actor=client,
            action="companion.pacing.viewed",
            target=episode,
            programme=episode.programme,
        )
    return render(
        request,
        "companion/pacing.jinja",
        {"companion": request.companion, "lines": lines, "form": form},
    )
