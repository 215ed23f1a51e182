"""The personal health plan: setting, rewording and reviewing goals."""

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
from healthtrainer.casework.forms.goals import GoalForm, GoalReviewForm
from healthtrainer.casework.models import Goal
from healthtrainer.casework.views.scope import episode_or_404, record_or_404
from healthtrainer.casework.vocabulary import Attendance
from healthtrainer.core.forms import add_service_errors
from healthtrainer.core.versioning import EditConflict
from healthtrainer.programmes.models import Programme

GOAL_FIELDS = (
    ("description", "What"),
    ("how_often", "How often"),
    ("when", "When"),
    ("domain", "Area of life"),
    ("confidence", "Confidence"),
)


@programme_view(Permission.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def goal_new(request: ProgrammeRequest, programme: Programme, episode_id: int) -> HttpResponse:
    episode = episode_or_404(request, programme, episode_id, Permission.RECORD_CASEWORK)
    last_session = (
        episode.appointments.filter(attendance=Attendance.ATTENDED).order_by("-starts_at").first()
    )
    form = GoalForm(
        request.POST if request.method == "POST" else None,
        initial={
            "set_on": timezone.localtime(last_session.starts_at).date()
            if last_session
            else timezone.localdate()
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_set(
                actor=request.user,
                episode=episode,
                details=form.details(),
                set_on=form.cleaned_data["set_on"] or timezone.localdate(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Goal added: {goal.description}.")
            if "add_another" in request.POST:
                return redirect("casework:goal_new", programme.slug, episode.pk)
            return redirect("casework:episode", programme.slug, episode.pk)
    return render(
        request,
        "casework/goal_form.jinja",
        {"programme": programme, "episode": episode, "form": form, "goal": None},
    )


@programme_view(Permission.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def goal_edit(request: ProgrammeRequest, programme: Programme, goal_id: int) -> HttpResponse:
    goal = record_or_404(Goal, request, programme, Permission.RECORD_CASEWORK, goal_id)
    form = GoalForm(
        request.POST if request.method == "POST" else None,
        initial={name: getattr(goal, name) for name, _ in GOAL_FIELDS} | {"version": goal.version},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(
                actor=request.user,
                goal=goal,
                details=form.details(),
                expected_version=form.cleaned_data["version"] or 0,
            )
        except EditConflict as error:
            conflict = error.current
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The goal has been saved.")
            return redirect("casework:episode", programme.slug, goal.episode_id)
    return render(
        request,
        "casework/goal_form.jinja",
        {
            "programme": programme,
            "episode": goal.episode,
            "form": form,
            "goal": goal,
            "conflict": conflict,
            "conflict_changes": _goal_changes(conflict, form) if conflict else [],
        },
    )


def _goal_changes(current: Goal, form: GoalForm) -> list[tuple[str, str, str]]:
    rows = []
    for name, label in GOAL_FIELDS:
        theirs, yours = getattr(current, name), form.cleaned_data[name]
        if name == "domain":
            theirs, yours = current.get_domain_display(), dict(form.fields["domain"].choices)[yours]  # type: ignore[attr-defined]
        if str(theirs) != str(yours):
            rows.append((label, str(theirs) or "None", str(yours) or "None"))
    return rows


@programme_view(Permission.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def goal_review(request: ProgrammeRequest, programme: Programme, goal_id: int) -> HttpResponse:
    goal = record_or_404(Goal, request, programme, Permission.RECORD_CASEWORK, goal_id)
    form = GoalReviewForm(
        request.POST if request.method == "POST" else None,
        initial={"reviewed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_review(
                actor=request.user,
                goal=goal,
                status=form.cleaned_data["status"],
                reviewed_on=form.cleaned_data["reviewed_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The review has been recorded.")
            return redirect("casework:episode", programme.slug, goal.episode_id)
    return render(
        request,
        "casework/goal_review.jinja",
        {
            "programme": programme,
            "goal": goal,
            "episode": goal.episode,
            "reviews": goal.reviews.select_related("reviewed_by"),
            "form": form,
        },
    )
