"""The trainer's side of a client's companion, from the episode page: what the client
recorded in their diary, their setback plan, and their access: invite the client, see
their devices with their last use, sign a device out, or close the companion."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission
from healthtrainer.casework.views.scope import episode_or_404
from healthtrainer.companion.diary import diary_days
from healthtrainer.companion.diary_views import pain_chart
from healthtrainer.companion.forms import InviteForm
from healthtrainer.companion.models import CompanionAccess, SetbackPlan
from healthtrainer.companion.pacing import pacing_lines
from healthtrainer.companion.services import (
    check_ins_by_sms_set,
    companion_close,
    companion_invite,
    device_sign_out,
)
from healthtrainer.companion.summary import DIARY_DAYS as DIARY_SPAN
from healthtrainer.companion.summary import Audience, summary_of
from healthtrainer.core.audit import audit_record
from healthtrainer.core.forms import add_service_errors
from healthtrainer.core.pdf import html_pdf
from healthtrainer.notifications.notifier import get_notifier
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral


def _access(episode: Referral) -> CompanionAccess | None:
    if episode.client_id is None:
        return None
    return (
        CompanionAccess.objects.for_programme(episode.programme)
        .filter(client_id=episode.client_id)
        .first()
    )


def _open_access_or_404(
    request: ProgrammeRequest, programme: Programme, episode_id: int
) -> tuple[Referral, CompanionAccess]:
    episode = episode_or_404(request, programme, episode_id, Permission.RECORD_CASEWORK)
    access = _access(episode)
    if access is None or not access.is_open:
        raise Http404("No companion")
    return episode, access


@programme_view(Permission.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def companion(request: ProgrammeRequest, programme: Programme, episode_id: int) -> HttpResponse:
    episode = episode_or_404(request, programme, episode_id, Permission.RECORD_CASEWORK)
    access = _access(episode)
    days = diary_days(episode, days=DIARY_SPAN)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            companion_invite(
                actor=request.user,
                episode=episode,
                sign_in_by=form.cleaned_data["sign_in_by"],
                notifier=get_notifier(),
                sign_in_url=request.build_absolute_uri(reverse("companion:sign_in")),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The client has been sent their invitation.")
            return redirect("companion:episode", programme.slug, episode.pk)
    return render(
        request,
        "companion/episode.jinja",
        {
            "programme": programme,
            "episode": episode,
            "client": episode.client,
            "access": access,
            "devices": access.devices.filter(signed_out_at__isnull=True) if access else [],
            "form": form,
            "setback": SetbackPlan.objects.for_programme(programme).filter(episode=episode).first(),
            "diary_days": days,
            "diary_chart": pain_chart(days, DIARY_SPAN),
            "diary_span": DIARY_SPAN,
            "pacing": pacing_lines(episode),
        },
    )


@programme_view(Permission.RECORD_CASEWORK)
@require_POST
def companion_end(request: ProgrammeRequest, programme: Programme, episode_id: int) -> HttpResponse:
    """Sign one device out (`device` given), or close the companion altogether."""
    episode, access = _open_access_or_404(request, programme, episode_id)
    device_id = request.POST.get("device", "")
    if device_id:
        device = (
            access.devices.filter(pk=device_id, signed_out_at__isnull=True).first()
            if device_id.isdigit()
            else None
        )
        if device is None:
            raise Http404("No such device")
        device_sign_out(device=device, actor=request.user)
        messages.success(request, f"{device.label} is signed out.")
    else:
        companion_close(actor=request.user, access=access)
        messages.success(request, "The client's companion is closed: they cannot sign in.")
    return redirect("companion:episode", programme.slug, episode.pk)


@programme_view(Permission.RECORD_CASEWORK)
@require_POST
def companion_check_ins(
    request: ProgrammeRequest, programme: Programme, episode_id: int
) -> HttpResponse:
    """Check-ins by numbered text messages, or by the companion."""
    episode, access = _open_access_or_404(request, programme, episode_id)
    by_sms = request.POST.get("by_sms") == "yes"
    try:
        check_ins_by_sms_set(actor=request.user, access=access, by_sms=by_sms)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "Check-in questions will go by text message."
            if by_sms
            else "The client will be reminded to check in on their companion.",
        )
    return redirect("companion:episode", programme.slug, episode.pk)


@programme_view(Permission.RECORD_CASEWORK)
@require_GET
def companion_summary(
    request: ProgrammeRequest, programme: Programme, episode_id: int
) -> HttpResponse:
    """The one-page summary as a PDF, for a session (`?for=session`) or the GP (`gp`)."""
    episode = episode_or_404(request, programme, episode_id, Permission.RECORD_CASEWORK)
    audience = request.GET.get("for", Audience.SESSION)
    if audience not in Audience.values:
        raise Http404("No such summary")
    summary = summary_of(episode, audience)
    html = render_to_string(
        "companion/summary_printable.jinja",
        {
            "summary": summary,
            "audience_label": Audience(audience).label,
            "chart": pain_chart(summary.diary, DIARY_SPAN),
            "diary_span": DIARY_SPAN,
        },
    )
    audit_record(
        actor=request.user,
        action="companion.summary.downloaded",
        target=episode,
        programme=programme,
    )
    response = HttpResponse(html_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="companion-summary-{episode.reference}-{audience}.pdf"'
    )
    return response
