"""What a caseload row shows about each episode, computed in the database in one query."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, IntegerField, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from healthtrainer.casework.models import Appointment, Escalation, Goal
from healthtrainer.casework.vocabulary import Attendance, GoalStatus
from healthtrainer.referrals.models import Referral


def _per_episode(queryset: QuerySet[Any], aggregate: Any) -> Subquery:
    return Subquery(
        queryset.filter(episode=OuterRef("pk"))
        .order_by()
        .values("episode")
        .annotate(value=aggregate)
        .values("value")[:1]
    )


def _count(queryset: QuerySet[Any]) -> Coalesce:
    return Coalesce(_per_episode(queryset, Count("pk")), 0, output_field=IntegerField())


def with_caseload_figures(episodes: QuerySet[Referral], *, now: datetime) -> QuerySet[Referral]:
    """Annotate each episode with its next appointment, last contact, goals in progress,
    open escalations and the follow-up date, without a query per row."""
    return episodes.annotate(
        next_appointment=_per_episode(
            Appointment.objects.filter(attendance=Attendance.BOOKED, starts_at__gte=now),
            Min("starts_at"),
        ),
        last_session=_per_episode(
            Appointment.objects.filter(attendance=Attendance.ATTENDED), Max("starts_at")
        ),
        goals_in_progress=_count(
            Goal.objects.filter(final_status="").exclude(
                status__in=[GoalStatus.ACHIEVED, GoalStatus.NO_LONGER_RELEVANT]
            )
        ),
        open_escalations=_count(Escalation.objects.filter(resolved_at__isnull=True)),
    ).select_related("discharge", "follow_up")


def in_care(episodes: QuerySet[Referral]) -> QuerySet[Referral]:
    return episodes.filter(discharge__isnull=True)


def awaiting_follow_up(episodes: QuerySet[Referral]) -> QuerySet[Referral]:
    return episodes.filter(discharge__isnull=False, follow_up__isnull=False).exclude(
        follow_up__reached=True
    )


def caseload_summary(episodes: QuerySet[Referral], *, now: datetime) -> list[dict[str, Any]]:
    """Per health trainer: clients in care, goals in progress, open escalations and clients
    with no appointment booked. One query."""
    rows = (
        with_caseload_figures(in_care(episodes), now=now)
        .order_by()
        .values("assigned_trainer_id", "assigned_trainer__full_name")
        .annotate(
            clients_in_care=Count("pk"),
            goals_in_progress=Sum("goals_in_progress"),
            open_escalations=Sum("open_escalations"),
            without_next_appointment=Count("pk", filter=Q(next_appointment__isnull=True)),
        )
        .order_by("assigned_trainer__full_name")
    )
    return [
        {
            "trainer": row["assigned_trainer__full_name"] or "Not assigned",
            "clients_in_care": row["clients_in_care"],
            "goals_in_progress": row["goals_in_progress"] or 0,
            "open_escalations": row["open_escalations"] or 0,
            "without_next_appointment": row["without_next_appointment"],
        }
        for row in rows
    ]
