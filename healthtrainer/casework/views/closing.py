"""Discharge and follow-up."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission
from healthtrainer.casework import services
from healthtrainer.casework.forms.closing import DischargeForm, FollowUpForm
from healthtrainer.casework.views.scope import episode_or_404
from healthtrainer.core.forms import add_service_errors
from healthtrainer.measures.due import questionnaires_at
from healthtrainer.measures.models import Timepoint
from healthtrainer.programmes.models import Programme


@programme_view(Permission.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def discharge(request: ProgrammeRequest, programme: Programme, episode_id: int) -> HttpResponse:
    episode = episode_or_404(request, programme, episode_id, Permission.RECORD_CASEWORK)
    form = DischargeForm(
        request.POST if request.method == "POST" else None,
        goals=list(episode.goals.all()),
        initial={"discharged_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            done = services.episode_discharge(
                actor=request.user,
                episode=episode,
                discharged_on=form.cleaned_data["discharged_on"],
                reason=form.cleaned_data["reason"],
                final_statuses=form.final_statuses(),
                notes=form.cleaned_data["notes"],
                escalation_override_reason=form.cleaned_data["escalation_override_reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{episode.client} has been discharged. Follow-up is due on "
                f"{episode.follow_up.due_on:%d %B %Y}. Record the exit measures "
                "with the client if you have not already.",
            )
            return redirect("casework:episode", programme.slug, done.episode_id)
    return render(
        request,
        "casework/discharge.jinja",
        {
            "programme": programme,
            "episode": episode,
            "form": form,
            "waiting_escalations": services.escalations_awaiting_acknowledgement(episode),
            "may_override": request.user.has_perm(Permission.HANDLE_ESCALATIONS, programme),
            "questionnaires": questionnaires_at(programme, episode, Timepoint.EXIT),
        },
    )


@programme_view(Permission.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def follow_up(request: ProgrammeRequest, programme: Programme, episode_id: int) -> HttpResponse:
    episode = episode_or_404(request, programme, episode_id, Permission.RECORD_CASEWORK)
    record = getattr(episode, "follow_up", None)
    if record is None:
        messages.error(request, "You cannot record a follow-up before the client is discharged.")
        return redirect("casework:episode", programme.slug, episode.pk)
    if record.is_recorded:
        messages.info(request, "The follow-up has already been recorded.")
        return redirect("casework:episode", programme.slug, episode.pk)
    form = FollowUpForm(
        request.POST if request.method == "POST" else None,
        strategies=list(episode.strategies.select_related("strategy")),
        goals=list(episode.goals.all()),
        client_answers=services.latest_strategy_answers(episode),
        initial={"contacted_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_record(actor=request.user, follow_up=record, answers=form.answers())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The follow-up has been recorded.")
            return redirect("casework:episode", programme.slug, episode.pk)
    return render(
        request,
        "casework/follow_up.jinja",
        {
            "programme": programme,
            "episode": episode,
            "follow_up": record,
            "form": form,
            "questionnaires": questionnaires_at(programme, episode, Timepoint.FOLLOW_UP),
        },
    )
