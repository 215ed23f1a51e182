"""What needs doing now, for the top of a person's programme home page.

Each item is counted over what the person may see (a trainer's own clients, a supervisor's
whole programme), in one aggregate query, so the page costs the same however much data
there is. An item shows only to a role that can act on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone

from healthtrainer.accounts.roles import Permission
from healthtrainer.casework.models import Appointment, Escalation, FollowUp
from healthtrainer.casework.vocabulary import Attendance
from healthtrainer.measures.due import measures_owed
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import OPEN
from healthtrainer.workforce.models import SupervisionSession


@dataclass(frozen=True)
class ToDo:
    count: int
    text: str
    href: str
    # Shown when the count is zero, so a calm day reads as calm rather than as missing.
    none_text: str


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _referrals_waiting(user: Any, programme: Any) -> ToDo:
    today = timezone.localdate()
    waiting = (
        Referral.objects.visible_to(user, Permission.TRIAGE_REFERRALS)
        .filter(programme=programme, status__in=OPEN)
        .aggregate(n=Count("pk"), oldest=Min("received_date"))
    )
    text = _plural(waiting["n"], "referral waiting for triage", "referrals waiting for triage")
    if waiting["oldest"] is not None:
        text += f", the oldest {_plural((today - waiting['oldest']).days, 'day', 'days')}"
    return ToDo(
        waiting["n"],
        text,
        reverse("referrals:triage", args=[programme.slug]),
        "No referrals waiting for triage",
    )


def _escalations_waiting(user: Any, programme: Any) -> ToDo:
    count = (
        Escalation.objects.visible_to(user, Permission.VIEW_CASELOAD)
        .filter(programme=programme, acknowledged_at__isnull=True)
        .count()
    )
    return ToDo(
        count,
        _plural(count, "escalation to acknowledge", "escalations to acknowledge"),
        reverse("casework:escalations", args=[programme.slug]),
        "No escalations waiting for acknowledgement",
    )


def _casework(user: Any, programme: Any) -> list[ToDo]:
    now = timezone.now()
    episodes = Referral.objects.visible_to(user, Permission.VIEW_CASELOAD).filter(
        programme=programme, status="accepted"
    )
    in_care = episodes.filter(discharge__isnull=True).aggregate(
        unbooked=Count(
            "pk",
            filter=~Q(
                pk__in=Appointment.objects.for_programme(programme)
                .filter(attendance=Attendance.BOOKED, starts_at__gte=now)
                .values("episode")
            ),
        )
    )
    to_record = (
        Appointment.objects.for_programme(programme)
        .filter(episode__in=episodes, attendance=Attendance.BOOKED, starts_at__lt=now)
        .count()
    )
    follow_ups = (
        FollowUp.objects.for_programme(programme)
        .filter(episode__in=episodes, due_on__lte=timezone.localdate())
        .exclude(reached=True)
        .count()
    )
    missing = sum(len(each.missing) for each in measures_owed(programme, episodes))
    caseload = reverse("casework:caseload", args=[programme.slug])
    return [
        ToDo(
            in_care["unbooked"],
            _plural(
                in_care["unbooked"],
                "client in care with no appointment booked",
                "clients in care with no appointment booked",
            ),
            caseload,
            "Every client in care has an appointment booked",
        ),
        ToDo(
            to_record,
            _plural(to_record, "past appointment to record", "past appointments to record"),
            caseload,
            "No past appointments waiting to be recorded",
        ),
        ToDo(
            follow_ups,
            _plural(follow_ups, "follow-up due", "follow-ups due"),
            caseload,
            "No follow-ups due",
        ),
        ToDo(
            missing,
            _plural(missing, "questionnaire missing", "questionnaires missing"),
            reverse("measures:due", args=[programme.slug]),
            "No questionnaires missing",
        ),
    ]


def _supervision_actions_due(user: Any, programme: Any) -> ToDo:
    sessions = SupervisionSession.objects.visible_to(user, Permission.VIEW_WORKFORCE).filter(
        programme=programme
    )
    count = (
        sessions.filter(
            actions__completed_on__isnull=True, actions__due_on__lte=timezone.localdate()
        )
        .values("actions")
        .count()
    )
    return ToDo(
        count,
        _plural(count, "supervision action due", "supervision actions due"),
        reverse("workforce:supervision_list", args=[programme.slug]),
        "No supervision actions due",
    )


ITEMS: tuple[tuple[Permission, Callable[[Any, Any], ToDo | list[ToDo]]], ...] = (
    (Permission.TRIAGE_REFERRALS, _referrals_waiting),
    (Permission.HANDLE_ESCALATIONS, _escalations_waiting),
    (Permission.RECORD_CASEWORK, _casework),
    (Permission.VIEW_WORKFORCE, _supervision_actions_due),
)


def to_do(user: Any, programme: Any) -> list[ToDo]:
    """What this person can act on now, most urgent kinds first."""
    found: list[ToDo] = []
    for permission, items in ITEMS:
        if user.has_perm(permission, programme):
            made = items(user, programme)
            found.extend(made if isinstance(made, list) else [made])
    return found
