"""Appointments and session records: book, rebook, cancel, attendance, and the session."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission
from healthtrainer.casework import services
from healthtrainer.casework.forms.goals import goals_valid, new_goals, new_goals_formset
from healthtrainer.casework.forms.sessions import AppointmentForm, AttendanceForm, SessionForm
from healthtrainer.casework.models import (
    Appointment,
    CbTechnique,
    SessionRecord,
    Strategy,
)
from healthtrainer.casework.views.scope import episode_or_404, record_or_404
from healthtrainer.casework.vocabulary import Attendance
from healthtrainer.core.forms import add_service_errors
from healthtrainer.core.versioning import EditConflict
from healthtrainer.programmes.models import Programme


def _offer_warning(request: ProgrammeRequest, appointment: Appointment) -> None:
    if services.is_beyond_offer(appointment.episode):
        offered = appointment.programme.sessions_offered
        counted = services.sessions_counted(appointment.episode)
        messages.warning(
            request,
            f"{appointment.episode.client} now has {counted} sessions booked or attended; "
            f"the programme offers {offered}.",
        )


@programme_view(Permission.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def book(request: ProgrammeRequest, programme: Programme, episode_id: int) -> HttpResponse:
    episode = episode_or_404(request, programme, episode_id, Permission.RECORD_CASEWORK)
    form = AppointmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.appointment_book(
                actor=request.user,
                episode=episode,
                starts_at=form.starts_at(),
                mode=form.cleaned_data["mode"],
                venue=form.cleaned_data["venue"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Appointment booked: {appointment}.")
            _offer_warning(request, appointment)
            return redirect("casework:episode", programme.slug, episode.pk)
    return render(
        request,
        "casework/appointment_form.jinja",
        {
            "programme": programme,
            "episode": episode,
            "form": form,
            "heading": "Book an appointment",
            "sessions_counted": services.sessions_counted(episode),
        },
    )


@programme_view(Permission.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def rebook(request: ProgrammeRequest, programme: Programme, appointment_id: int) -> HttpResponse:
    appointment = record_or_404(
        Appointment, request, programme, Permission.RECORD_CASEWORK, appointment_id
    )
    local = timezone.localtime(appointment.starts_at)
    form = AppointmentForm(
        request.POST if request.method == "POST" else None,
        initial={
            "day": local.date(),
            "at": local.strftime("%H:%M"),
            "mode": appointment.mode,
            "venue": appointment.venue,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_rebook(
                actor=request.user,
                appointment=appointment,
                starts_at=form.starts_at(),
                mode=form.cleaned_data["mode"],
                venue=form.cleaned_data["venue"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The appointment has been changed.")
            return redirect("casework:episode", programme.slug, appointment.episode_id)
    return render(
        request,
        "casework/appointment_form.jinja",
        {
            "programme": programme,
            "episode": appointment.episode,
            "form": form,
            "heading": "Change the appointment",
            "appointment": appointment,
        },
    )


@programme_view(Permission.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def attendance(
    request: ProgrammeRequest, programme: Programme, appointment_id: int
) -> HttpResponse:
    """Did not attend, or cancelled by either side. Attended is recorded with the session."""
    appointment = record_or_404(
        Appointment, request, programme, Permission.RECORD_CASEWORK, appointment_id
    )
    form = AttendanceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_record_attendance(
                actor=request.user,
                appointment=appointment,
                attendance=form.cleaned_data["attendance"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Recorded: {Attendance(form.cleaned_data['attendance']).label.lower()}.",
            )
            return redirect("casework:episode", programme.slug, appointment.episode_id)
    return render(
        request,
        "casework/attendance.jinja",
        {"programme": programme, "appointment": appointment, "form": form, "now": timezone.now()},
    )


def _session_form(
    request: ProgrammeRequest, appointment: Appointment, record: SessionRecord | None
) -> SessionForm:
    episode = appointment.episode
    adopted = episode.strategies.values("strategy")
    techniques = CbTechnique.objects.for_programme(episode.programme).filter(is_active=True)
    initial = {}
    if record is not None:
        # A technique retired since the session was recorded stays ticked and on the form.
        techniques = (
            CbTechnique.objects.for_programme(episode.programme)
            .filter(Q(is_active=True) | Q(sessions=record))
            .distinct()
        )
        initial = {
            "duration_minutes": record.duration_minutes,
            "techniques": list(record.techniques.values_list("pk", flat=True)),
            "topics": list(record.topics.values_list("topic", flat=True)),
            "gp_visits_last_3_months": record.gp_visits_last_3_months,
            "notes": record.notes,
            "next_steps": record.next_steps,
            "version": record.version,
        }
    return SessionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        techniques=techniques,
        strategies=Strategy.objects.for_programme(episode.programme)
        .filter(is_active=True)
        .exclude(pk__in=adopted),
        goals=list(episode.goals.filter(final_status="")),
        ask_gp_visits=services.is_first_session(appointment),
    )


@programme_view(Permission.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def session(request: ProgrammeRequest, programme: Programme, appointment_id: int) -> HttpResponse:
    appointment = record_or_404(
        Appointment, request, programme, Permission.RECORD_CASEWORK, appointment_id
    )
    record: SessionRecord | None = getattr(appointment, "session_record", None)
    form = _session_form(request, appointment, record)
    goals = new_goals_formset(request.POST if request.method == "POST" else None)
    conflict = None
    # Both are checked, so every mistake shows at once.
    valid = request.method == "POST" and all([form.is_valid(), goals_valid(goals)])
    if valid:
        try:
            services.session_record_save(
                actor=request.user,
                appointment=appointment,
                details=form.details(),
                expected_version=form.cleaned_data.get("version"),
                reviews=[
                    services.GoalReviewEntry(goal_id=goal_id, status=status)
                    for goal_id, status in form.reviews()
                ],
                strategies=form.cleaned_data["strategies"],
                new_goals=new_goals(goals),
            )
        except EditConflict as error:
            conflict = error.current
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The session has been recorded.")
            return redirect("casework:episode", programme.slug, appointment.episode_id)
    return render(
        request,
        "casework/session_form.jinja",
        {
            "programme": programme,
            "appointment": appointment,
            "episode": appointment.episode,
            "form": form,
            "goals": goals,
            "record": record,
            "conflict": conflict,
            "conflict_changes": _session_changes(conflict, form) if conflict else [],
        },
    )


def _session_changes(current: SessionRecord, form: SessionForm) -> list[tuple[str, str, str]]:
    """What the other person saved, beside what this person entered, where they differ."""
    data = form.cleaned_data
    theirs_techniques = ", ".join(str(t) for t in current.techniques.all()) or "None"
    yours_techniques = ", ".join(str(t) for t in data["techniques"]) or "None"
    rows = [
        ("Duration (minutes)", str(current.duration_minutes), str(data["duration_minutes"])),
        ("CB approaches", theirs_techniques, yours_techniques),
        ("Notes", current.notes or "None", data["notes"] or "None"),
        ("Agreed next steps", current.next_steps or "None", data["next_steps"] or "None"),
    ]
    return [row for row in rows if row[1] != row[2]]
