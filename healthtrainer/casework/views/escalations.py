"""Escalations: a trainer raises one; the pain team acknowledges and resolves it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission
from healthtrainer.casework import services
from healthtrainer.casework.forms.escalations import EscalationForm, ResolveEscalationForm
from healthtrainer.casework.models import Escalation
from healthtrainer.casework.views.scope import episode_or_404, record_or_404
from healthtrainer.core.forms import add_service_errors
from healthtrainer.measures.safety import safety_rule_label
from healthtrainer.programmes.models import Programme


@programme_view(Permission.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def escalation_new(
    request: ProgrammeRequest, programme: Programme, episode_id: int
) -> HttpResponse:
    episode = episode_or_404(request, programme, episode_id, Permission.RECORD_CASEWORK)
    form = EscalationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.escalation_raise(
            actor=request.user,
            episode=episode,
            category=form.cleaned_data["category"],
            details=form.cleaned_data["details"],
        )
        messages.success(
            request,
            "The escalation has been sent to the pain team. It stays open until they resolve it.",
        )
        return redirect("casework:episode", programme.slug, episode.pk)
    return render(
        request,
        "casework/escalation_new.jinja",
        {"programme": programme, "episode": episode, "form": form},
    )


@programme_view(Permission.VIEW_CASELOAD)
def escalations(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    visible = (
        Escalation.objects.visible_to(request.user, Permission.VIEW_CASELOAD)
        .for_programme(programme)
        .select_related("episode__client", "raised_by", "acknowledged_by")
    )
    return render(
        request,
        "casework/escalations.jinja",
        {
            "programme": programme,
            "open": list(visible.filter(resolved_at__isnull=True).order_by("created_at")),
            "resolved": list(
                visible.filter(resolved_at__isnull=False).order_by("-resolved_at")[:50]
            ),
        },
    )


@programme_view(Permission.VIEW_CASELOAD)
def escalation(request: ProgrammeRequest, programme: Programme, escalation_id: int) -> HttpResponse:
    item = record_or_404(Escalation, request, programme, Permission.VIEW_CASELOAD, escalation_id)
    return render(
        request,
        "casework/escalation.jinja",
        {
            "programme": programme,
            "escalation": item,
            "rule_label": safety_rule_label(item.rule) if item.rule else "",
            "resolve_form": ResolveEscalationForm(),
            "can_handle": request.user.has_perm(Permission.HANDLE_ESCALATIONS, programme),
        },
    )


@programme_view(Permission.HANDLE_ESCALATIONS)
@require_POST
def escalation_acknowledge(
    request: ProgrammeRequest, programme: Programme, escalation_id: int
) -> HttpResponse:
    item = record_or_404(
        Escalation, request, programme, Permission.HANDLE_ESCALATIONS, escalation_id
    )
    try:
        services.escalation_acknowledge(actor=request.user, escalation=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "You have acknowledged the escalation.")
    return redirect("casework:escalation", programme.slug, item.pk)


@programme_view(Permission.HANDLE_ESCALATIONS)
@require_POST
def escalation_resolve(
    request: ProgrammeRequest, programme: Programme, escalation_id: int
) -> HttpResponse:
    item = record_or_404(
        Escalation, request, programme, Permission.HANDLE_ESCALATIONS, escalation_id
    )
    form = ResolveEscalationForm(request.POST)
    if form.is_valid():
        try:
            services.escalation_resolve(
                actor=request.user, escalation=item, resolution=form.cleaned_data["resolution"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The escalation has been resolved.")
            return redirect("casework:escalation", programme.slug, item.pk)
    return render(
        request,
        "casework/escalation.jinja",
        {"programme": programme, "escalation": item, "resolve_form": form, "can_handle": True},
    )
