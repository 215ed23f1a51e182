"""The personal health plan: goals, their reviews, and the strategies a client takes up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from healthtrainer.accounts.models import User
from healthtrainer.casework.models import (
    Appointment,
    ClientStrategy,
    Goal,
    GoalReview,
    SessionRecord,
    Strategy,
)
from healthtrainer.casework.services.common import audit, require_open
from healthtrainer.casework.vocabulary import (
    REVIEW_STATUSES,
    Attendance,
)
from healthtrainer.core.versioning import update_versioned
from healthtrainer.referrals.models import Referral

# Personal health plan -------------------------------------------------------------------


@dataclass(frozen=True)
class GoalDetails:
    description: str
    domain: str
    confidence: int
    how_often: str = ""
    when: str = ""


@transaction.atomic
def goal_set(
    *,
    actor: User,
    episode: Referral,
    details: GoalDetails,
    set_on: date,
    appointment: Appointment | None = None,
) -> Goal:
    require_open(episode, "set a goal")
    if set_on > timezone.localdate() or set_on < episode.received_date:
        raise ValidationError({"set_on": "The date set must be between the referral and today"})
    if appointment is None:
        appointment = episode.appointments.filter(
            attendance=Attendance.ATTENDED, starts_at__date=set_on
        ).first()
    elif appointment.episode_id != episode.pk:
        raise ValidationError("The session belongs to another client.")
    goal = Goal.objects.create(
        programme=episode.programme,
        episode=episode,
        set_on=set_on,
        set_at=appointment,
        created_by=actor,
        description=details.description.strip(),
        domain=details.domain,
        confidence=details.confidence,
        how_often=details.how_often.strip(),
        when=details.when.strip(),
    )
    audit(
        actor,
        "casework.goal.set",
        goal,
        episode,
        ["description", "domain", "confidence", "how_often", "when"],
    )
    return goal


@transaction.atomic
def goal_update(*, actor: User, goal: Goal, details: GoalDetails, expected_version: int) -> Goal:
    """Reword a goal. Raises EditConflict if someone saved it since `expected_version`."""
    require_open(goal.episode, "change a goal")
    fields = {
        "description": details.description.strip(),
        "domain": details.domain,
        "confidence": details.confidence,
        "how_often": details.how_often.strip(),
        "when": details.when.strip(),
    }
    changed = [name for name, value in fields.items() if getattr(goal, name) != value]
    goal = update_versioned(goal, expected_version=expected_version, fields=fields)
    audit(actor, "casework.goal.updated", goal, goal.episode, changed)
    return goal


@transaction.atomic
def goal_review(
    *,
    actor: User,
    goal: Goal,
    status: str,
    reviewed_on: date,
    note: str = "",
    session: SessionRecord | None = None,
) -> GoalReview:
    """Add a review to the goal's history; the latest review is the goal's status."""
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    require_open(goal.episode, "review a goal")
    if status not in REVIEW_STATUSES:
        raise ValidationError(
            "Choose whether the goal was achieved, partly achieved, not achieved "
            "or is no longer relevant."
        )
    if session is not None and session.appointment.episode_id != goal.episode_id:
        raise ValidationError("A goal can only be reviewed in its own client's session.")
    if reviewed_on < goal.set_on:
        raise ValidationError("A goal cannot be reviewed before it was set.")
    review = GoalReview.objects.create(
        goal=goal,
        reviewed_on=reviewed_on,
        status=status,
        note=note.strip(),
        session=session,
        reviewed_by=actor,
    )
    latest = goal.reviews.order_by("-reviewed_on", "-id").first()
    if latest is not None and goal.status != latest.status:
        Goal.objects.filter(pk=goal.pk).update(status=latest.status)
    audit(actor, "casework.goal.reviewed", goal, goal.episode, ["status"])
    return review


# Strategies ----------------------------------------------------------------------------


@transaction.atomic
def client_strategy_adopt(
    *, actor: User, episode: Referral, strategy: Strategy, adopted_on: date
) -> ClientStrategy:
    require_open(episode, "record a strategy")
    if strategy.programme_id != episode.programme_id:
        raise ValidationError("That strategy is not on this programme's list.")
    taken_up, created = ClientStrategy.objects.get_or_create(
        episode=episode,
        strategy=strategy,
        defaults={
            "programme": episode.programme,
            "adopted_on": adopted_on,
            "recorded_by": actor,
        },
    )
    if created:
        audit(
            actor, "casework.client_strategy.adopted", taken_up, episode, ["strategy", "adopted_on"]
        )
    return taken_up
