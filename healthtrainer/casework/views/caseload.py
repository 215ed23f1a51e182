"""The caseload, a client's episode page and their timeline. Opening either is audited."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission, Role
from healthtrainer.casework import services
from healthtrainer.casework.caseload import awaiting_follow_up, in_care, with_caseload_figures
from healthtrainer.casework.forms.caseload import CaseloadFilterForm
from healthtrainer.casework.models import Escalation
from healthtrainer.casework.timeline import client_timeline, in_order
from healthtrainer.casework.views.scope import episode_or_404
from healthtrainer.casework.vocabulary import Attendance
from healthtrainer.clients.models import Client
from healthtrainer.clients.services import client_viewed
from healthtrainer.core.in_place import in_place
from healthtrainer.core.scoping import get_for_user_or_404
from healthtrainer.measures.timeline import questionnaire_events
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status


@programme_view(Permission.VIEW_CASELOAD)
def caseload(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    now = timezone.now()
    own_only = request.user.role_in(programme.pk) == Role.HEALTH_TRAINER
    visible = Referral.objects.visible_to(request.user, Permission.VIEW_CASELOAD).filter(
        programme=programme, status=Status.ACCEPTED
    )
    if own_only:
        # Already implied by the scope, but said plainly the planner reads it as the
        # trainer's few hundred episodes, not thousands (docs/performance.md).
        visible = visible.filter(assigned_trainer=request.user)
    filters = CaseloadFilterForm(request.GET or None, programme=programme, own_only=own_only)
    episodes = filters.apply(
        with_caseload_figures(
            visible.select_related("client", "assigned_trainer", "practice"), now=now
        )
    ).order_by("assigned_trainer__full_name", "client__family_name", "id")
    return render(
        request,
        in_place(request, "casework/caseload.jinja", "casework/_caseload_results.jinja"),
        {
            "programme": programme,
            "filters": filters,
            "episodes": list(in_care(episodes)),
            "follow_ups": list(awaiting_follow_up(episodes).order_by("follow_up__due_on")),
            "own_only": own_only,
            "today": timezone.localdate(),
            "can_record": request.user.has_perm(Permission.RECORD_CASEWORK, programme),
            "open_escalations": Escalation.objects.visible_to(
                request.user, Permission.VIEW_CASELOAD
            )
            .for_programme(programme)
            .filter(resolved_at__isnull=True)
            .count(),
        },
    )


@programme_view(Permission.VIEW_CASELOAD)
def episode(request: ProgrammeRequest, programme: Programme, episode_id: int) -> HttpResponse:
    episode = episode_or_404(request, programme, episode_id, Permission.VIEW_CASELOAD)
    goals = list(episode.goals.prefetch_related("reviews", "check_ins"))
    appointments = list(
        episode.appointments.select_related("session_record").prefetch_related(
            "session_record__techniques", "session_record__topics"
        )
    )
    discharge = getattr(episode, "discharge", None)
    follow_up = getattr(episode, "follow_up", None)
    return render(
        request,
        "casework/episode.jinja",
        {
            "programme": programme,
            "episode": episode,
            "client": episode.client,
            "appointments": appointments,
            "goals": goals,
            "strategies": list(episode.strategies.select_related("strategy")),
            "escalations": list(episode.escalations.all()),
            "signpostings": list(episode.signpostings.select_related("resource")),
            "discharge": discharge,
            "follow_up": follow_up,
            "beyond_offer": services.is_beyond_offer(episode),
            "sessions_attended": sum(
                1 for a in appointments if a.attendance == Attendance.ATTENDED
            ),
            "now": timezone.now(),
            "can_record": request.user.has_perm(Permission.RECORD_CASEWORK, programme)
            and discharge is None,
            "can_record_follow_up": request.user.has_perm(Permission.RECORD_CASEWORK, programme)
            and follow_up is not None
            and not follow_up.is_recorded,
            "can_escalate": request.user.has_perm(Permission.RECORD_CASEWORK, programme),
        },
    )


@programme_view(Permission.VIEW_CASELOAD)
def timeline(request: ProgrammeRequest, programme: Programme, client_id: int) -> HttpResponse:
    client = get_for_user_or_404(
        Client.objects.for_programme(programme),
        request.user,
        Permission.VIEW_CASELOAD,
        pk=client_id,
    )
    client_viewed(actor=request.user, client=client)
    episodes = Referral.objects.visible_to(request.user, Permission.VIEW_CASELOAD).filter(
        client=client
    )
    return render(
        request,
        "casework/timeline.jinja",
        {
            "programme": programme,
            "client": client,
            "events": in_order(client_timeline(episodes) + questionnaire_events(episodes)),
        },
    )
