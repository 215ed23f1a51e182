"""Appointments and session records: booking, attendance, and what happened in a session."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from healthtrainer.accounts.models import User
from healthtrainer.casework.models import (
    Appointment,
    CbTechnique,
    Goal,
    SessionRecord,
    SessionTopic,
    Strategy,
)
from healthtrainer.casework.services.common import audit, require_open
from healthtrainer.casework.services.plan import (
    GoalDetails,
    client_strategy_adopt,
    goal_review,
    goal_set,
)
from healthtrainer.casework.vocabulary import (
    CANCELLED_BY_EITHER_SIDE,
    Attendance,
)
from healthtrainer.core.versioning import update_versioned
from healthtrainer.referrals.models import Referral

# Appointments ---------------------------------------------------------------------------


def sessions_counted(episode: Referral) -> int:
    """Appointments that use up the offer: attended, or booked and still to happen."""
    return episode.appointments.filter(
        attendance__in=[Attendance.ATTENDED, Attendance.BOOKED]
    ).count()


def is_beyond_offer(episode: Referral) -> bool:
    return sessions_counted(episode) > episode.programme.sessions_offered


@transaction.atomic
def appointment_book(
    *, actor: User, episode: Referral, starts_at: datetime, mode: str, venue: str = ""
) -> Appointment:
    require_open(episode, "book an appointment")
    appointment = Appointment.objects.create(
        programme=episode.programme,
        episode=episode,
        trainer=episode.assigned_trainer or actor,
        starts_at=starts_at,
        mode=mode,
        venue=venue.strip(),
    )
    audit(
        actor, "casework.appointment.booked", appointment, episode, ["starts_at", "mode", "venue"]
    )
    return appointment


def _require_booked(appointment: Appointment, doing: str) -> None:
    if appointment.attendance != Attendance.BOOKED:
        raise ValidationError(
            f"You cannot {doing}: it is already marked “{appointment.get_attendance_display()}”."
        )


@transaction.atomic
def appointment_rebook(
    *, actor: User, appointment: Appointment, starts_at: datetime, mode: str, venue: str = ""
) -> Appointment:
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    require_open(appointment.episode, "rebook an appointment")
    _require_booked(appointment, "rebook this appointment")
    changed = [
        name
        for name, value in (("starts_at", starts_at), ("mode", mode), ("venue", venue.strip()))
        if getattr(appointment, name) != value
    ]
    if not changed:
        return appointment
    appointment.starts_at, appointment.mode, appointment.venue = starts_at, mode, venue.strip()
    appointment.save(update_fields=changed)
    audit(actor, "casework.appointment.rebooked", appointment, appointment.episode, changed)
    return appointment


@transaction.atomic
def appointment_record_attendance(
    *, actor: User, appointment: Appointment, attendance: str, now: datetime | None = None
) -> Appointment:
    """Mark what happened to a booked appointment, once: attended or did not attend only
    once it has started; cancelled by either side at any time."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    now = now or timezone.now()
    if attendance not in (
        Attendance.ATTENDED,
        Attendance.DID_NOT_ATTEND,
        *CANCELLED_BY_EITHER_SIDE,
    ):
        raise ValidationError("Choose what happened at the appointment.")
    _require_booked(appointment, "change this appointment")
    if attendance not in CANCELLED_BY_EITHER_SIDE:
        require_open(appointment.episode, "record attendance")
        if appointment.starts_at > now:
            raise ValidationError(
                "You cannot record attendance for an appointment that has not happened yet. "
                "Cancel or rebook it instead."
            )
    appointment.attendance = attendance
    appointment.attendance_recorded_at = now
    appointment.save(update_fields=["attendance", "attendance_recorded_at"])
    verb = "cancelled" if attendance in CANCELLED_BY_EITHER_SIDE else "attendance_recorded"
    audit(actor, f"casework.appointment.{verb}", appointment, appointment.episode, ["attendance"])
    return appointment


# Session records ------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionDetails:
    duration_minutes: int
    techniques: list[CbTechnique]
    topics: list[str]
    notes: str = ""
    next_steps: str = ""
    gp_visits_last_3_months: int | None = None


@dataclass(frozen=True)
class GoalReviewEntry:
    goal_id: int
    status: str
    note: str = ""


def is_first_session(appointment: Appointment) -> bool:
    """The GP-visits question is asked at the first attended session only."""
    earlier = appointment.episode.appointments.filter(
        attendance=Attendance.ATTENDED, starts_at__lt=appointment.starts_at
    )
    return not earlier.exists()


@transaction.atomic
def session_record_save(
    *,
    actor: User,
    appointment: Appointment,
    details: SessionDetails,
    expected_version: int | None = None,
    reviews: Iterable[GoalReviewEntry] = (),
    strategies: Iterable[Strategy] = (),
    new_goals: Iterable[GoalDetails] = (),
    now: datetime | None = None,
) -> SessionRecord:
    """Record (or correct) what happened in a session, with the goal reviews, strategies
    taken up and new goals agreed in it, all or nothing. Saving a session for a booked
    appointment marks it attended; a new goal is dated on the session.

    A correction must name the version it was made against: if someone else saved the
    session in between, EditConflict is raised and nothing is written.
    """
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    episode = appointment.episode
    require_open(episode, "record a session")
    now = now or timezone.now()
    if appointment.starts_at > now:
        raise ValidationError("You cannot record a session that has not happened yet.")
    if appointment.attendance not in (Attendance.BOOKED, Attendance.ATTENDED):
        raise ValidationError(
            f"This appointment is marked “{appointment.get_attendance_display()}”: "
            "there is no session to record."
        )
    reviews = list(reviews)
    goals = _goals_of_episode(episode, [entry.goal_id for entry in reviews])
    fields = {
        "duration_minutes": details.duration_minutes,
        "notes": details.notes.strip(),
        "next_steps": details.next_steps.strip(),
        "gp_visits_last_3_months": details.gp_visits_last_3_months,
    }
    existing = SessionRecord.objects.filter(appointment=appointment).first()
    if existing is None:
        record = SessionRecord.objects.create(appointment=appointment, recorded_by=actor, **fields)
        action = "casework.session.recorded"
    else:
        if expected_version is None:
            raise ValidationError("This session has already been recorded: open it to correct it.")
        record = update_versioned(
            existing, expected_version=expected_version, fields={**fields, "updated_at": now}
        )
        action = "casework.session.corrected"
    record.techniques.set(details.techniques)
    SessionTopic.objects.filter(session=record).exclude(topic__in=details.topics).delete()
    for topic in details.topics:
        SessionTopic.objects.get_or_create(session=record, topic=topic)
    if appointment.attendance != Attendance.ATTENDED:
        appointment.attendance = Attendance.ATTENDED
        appointment.attendance_recorded_at = now
        appointment.save(update_fields=["attendance", "attendance_recorded_at"])
        audit(
            actor, "casework.appointment.attendance_recorded", appointment, episode, ["attendance"]
        )
    audit(actor, action, record, episode, [*fields, "techniques", "topics"])
    session_day = timezone.localtime(appointment.starts_at).date()
    for entry in reviews:
        goal_review(
            actor=actor,
            goal=goals[entry.goal_id],
            status=entry.status,
            reviewed_on=session_day,
            note=entry.note,
            session=record,
        )
    for strategy in strategies:
        client_strategy_adopt(
            actor=actor, episode=episode, strategy=strategy, adopted_on=session_day
        )
    for goal in new_goals:
        goal_set(
            actor=actor, episode=episode, details=goal, set_on=session_day, appointment=appointment
        )
    return record


def _goals_of_episode(episode: Referral, goal_ids: list[int]) -> dict[int, Goal]:
    goals = {goal.pk: goal for goal in Goal.objects.filter(episode=episode, pk__in=goal_ids)}
    if len(goals) != len(set(goal_ids)):
        raise ValidationError("A goal you reviewed is not one of this client's goals.")
    return goals
