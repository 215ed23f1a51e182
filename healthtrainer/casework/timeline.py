"""A client's story in order: referrals, sessions, goals and reviews, strategies,
escalations, signposting, discharge and follow-up. A fixed number of queries for any
number of episodes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from healthtrainer.casework.models import (
    Appointment,
    ClientStrategy,
    Discharge,
    Escalation,
    FollowUp,
    GoalReview,
    Signposting,
)
from healthtrainer.casework.models import Goal as GoalModel
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str
    title: str
    detail: str = ""
    episode_id: int | None = None

    @property
    def day(self) -> date:
        return timezone.localtime(self.at).date()


# Within a day, events follow the client's path through the programme: most carry a date
# only, so their time of day cannot order them.
STAGE_ORDER = (
    "Referral",
    "Session",
    "Goal",
    "Strategy",
    "Measure",
    "Signposting",
    "Escalation",
    "Discharge",
    "Follow-up",
)


def in_order(events: list[Event]) -> list[Event]:
    """Oldest day first; within a day, by stage, then by time where one is known."""
    rank = {kind: position for position, kind in enumerate(STAGE_ORDER)}
    return sorted(events, key=lambda event: (event.day, rank.get(event.kind, 0), event.at))


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _linkable(referral: Referral) -> int | None:
    """Only an accepted referral has an episode page to link to."""
    return referral.pk if referral.status == Status.ACCEPTED else None


def _referral_events(episodes: list[Referral]) -> list[Event]:
    events = []
    for referral in episodes:
        events.append(
            Event(
                _start_of(referral.received_date),
                "Referral",
                f"Referral {referral.reference} received",
                referral.practice.name if referral.practice else referral.get_source_display(),
                _linkable(referral),
            )
        )
        if referral.first_contact_date:
            events.append(
                Event(
                    _start_of(referral.first_contact_date),
                    "Referral",
                    "First contact",
                    "",
                    _linkable(referral),
                )
            )
    return events


def _appointment_events(appointments: QuerySet[Appointment]) -> list[Event]:
    events = []
    for appointment in appointments:
        record = getattr(appointment, "session_record", None)
        detail = appointment.get_mode_display()
        if record is not None:
            techniques = ", ".join(str(t) for t in record.techniques.all())
            detail = f"{detail}, {record.duration_minutes} minutes" + (
                f". CB approaches: {techniques}" if techniques else ""
            )
        events.append(
            Event(
                appointment.starts_at,
                "Session",
                f"Session: {appointment.get_attendance_display().lower()}",
                detail,
                appointment.episode_id,
            )
        )
    return events


def client_timeline(episodes: QuerySet[Referral]) -> list[Event]:
    """Every event of the client's episodes the viewer may see, oldest first."""
    episode_list = list(episodes.select_related("practice"))
    ids = [episode.pk for episode in episode_list]
    events = _referral_events(episode_list)
    events += _appointment_events(
        Appointment.objects.filter(episode_id__in=ids)
        .select_related("session_record")
        .prefetch_related("session_record__techniques")
    )
    for goal in GoalModel.objects.filter(episode_id__in=ids):
        events.append(
            Event(
                _start_of(goal.set_on),
                "Goal",
                f"Goal set: {goal.description}",
                f"Confidence {goal.confidence} out of 10",
                goal.episode_id,
            )
        )
    for review in GoalReview.objects.filter(goal__episode_id__in=ids).select_related("goal"):
        events.append(
            Event(
                _start_of(review.reviewed_on),
                "Goal",
                f"Goal reviewed: {review.goal.description}",
                review.get_status_display() + (f". {review.note}" if review.note else ""),
                review.goal.episode_id,
            )
        )
    for taken_up in ClientStrategy.objects.filter(episode_id__in=ids).select_related("strategy"):
        events.append(
            Event(
                _start_of(taken_up.adopted_on),
                "Strategy",
                f"Took up {taken_up.strategy}",
                "",
                taken_up.episode_id,
            )
        )
    events += _closing_events(ids)
    return in_order(events)


def _closing_events(ids: list[int]) -> list[Event]:
    events: list[Any] = []
    for escalation in Escalation.objects.filter(episode_id__in=ids):
        events.append(
            Event(
                escalation.created_at,
                "Escalation",
                f"Escalation: {escalation.get_category_display()}",
                escalation.state,
                escalation.episode_id,
            )
        )
    for signposting in Signposting.objects.filter(episode_id__in=ids).select_related("resource"):
        events.append(
            Event(
                _start_of(signposting.signposted_on),
                "Signposting",
                f"{signposting.get_kind_display()} to {signposting.service_name}",
                signposting.notes,
                signposting.episode_id,
            )
        )
    for discharge in Discharge.objects.filter(episode_id__in=ids):
        events.append(
            Event(
                _start_of(discharge.discharged_on),
                "Discharge",
                "Discharged",
                discharge.get_reason_display(),
                discharge.episode_id,
            )
        )
    for follow_up in FollowUp.objects.filter(episode_id__in=ids, contacted_on__isnull=False):
        events.append(
            Event(
                _start_of(follow_up.contacted_on),  # type: ignore[arg-type]
                "Follow-up",
                "Follow-up" + (": client reached" if follow_up.reached else ": not reached"),
                "",
                follow_up.episode_id,
            )
        )
    return events
