"""Discharge and follow-up."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from healthtrainer.accounts.models import User
from healthtrainer.accounts.roles import Permission
from healthtrainer.casework.models import (
    ClientStrategy,
    Discharge,
    Escalation,
    FollowUp,
    Goal,
    GoalFollowUp,
    StrategyCheckIn,
    StrategyFollowUp,
)
from healthtrainer.casework.services.appointments import appointment_record_attendance
from healthtrainer.casework.services.check_ins import latest_strategy_answers
from healthtrainer.casework.services.common import audit, require_open
from healthtrainer.casework.services.plan import goal_review
from healthtrainer.casework.vocabulary import (
    FINAL_STATUSES,
    AnswerSource,
    Attendance,
    GoalStatus,
    Maintained,
)
from healthtrainer.core.dates import add_months
from healthtrainer.referrals.models import Referral

# Discharge and follow-up -----------------------------------------------------------------


@transaction.atomic
def episode_discharge(
    *,
    actor: User,
    episode: Referral,
    discharged_on: date,
    reason: str,
    final_statuses: Mapping[int, str],
    notes: str = "",
    escalation_override_reason: str = "",
) -> Discharge:
    """Close the episode: fix each goal's final status, cancel appointments still booked,
    and schedule the follow-up at the programme's interval.

    An escalation still waiting for acknowledgement holds the discharge back until the pain
    team has seen it, unless a supervisor lets the client go and says why."""
    episode = Referral.objects.select_for_update().get(pk=episode.pk)
    require_open(episode, "discharge the client")
    override = _check_open_escalations(actor, episode, escalation_override_reason)
    if discharged_on > timezone.localdate():
        raise ValidationError({"discharged_on": "The discharge date must be today or in the past"})
    last_session = (
        episode.appointments.filter(attendance=Attendance.ATTENDED).order_by("-starts_at").first()
    )
    earliest = (
        timezone.localtime(last_session.starts_at).date() if last_session else episode.received_date
    )
    if discharged_on < earliest:
        raise ValidationError(
            {
                "discharged_on": "The discharge date must be on or after "
                + ("the last session" if last_session else "the referral")
                + f", {earliest:%d %B %Y}"
            }
        )
    unmarked = episode.appointments.filter(
        attendance=Attendance.BOOKED, starts_at__lte=timezone.now()
    ).order_by("starts_at")
    if unmarked:
        days = ", ".join(f"{timezone.localtime(a.starts_at):%d %B}" for a in unmarked)
        raise ValidationError(
            f"Record what happened at the appointment on {days} before you discharge."
        )
    goals = list(Goal.objects.filter(episode=episode).annotate(review_count=Count("reviews")))
    missing = [goal for goal in goals if final_statuses.get(goal.pk) not in FINAL_STATUSES]
    if missing:
        raise ValidationError(
            "Give a final status for every goal: " + "; ".join(g.description for g in missing)
        )
    if set(final_statuses) - {goal.pk for goal in goals}:
        raise ValidationError("A goal you gave a status for is not one of this client's goals.")
    reviewed = [
        goal.description
        for goal in goals
        if goal.review_count and final_statuses[goal.pk] == GoalStatus.NOT_REVIEWED
    ]
    if reviewed:
        raise ValidationError(
            "These goals have been reviewed, so give how they went: " + "; ".join(reviewed)
        )
    for goal in goals:
        final = final_statuses[goal.pk]
        if final not in (GoalStatus.NOT_REVIEWED, goal.status):
            goal_review(
                actor=actor, goal=goal, status=final, reviewed_on=discharged_on, note="At discharge"
            )
        Goal.objects.filter(pk=goal.pk).update(final_status=final)
        audit(actor, "casework.goal.finalised", goal, episode, ["final_status"])
    for appointment in episode.appointments.filter(attendance=Attendance.BOOKED):
        appointment_record_attendance(
            actor=actor, appointment=appointment, attendance=Attendance.CANCELLED_BY_TRAINER
        )
    discharge = Discharge.objects.create(
        programme=episode.programme,
        episode=episode,
        discharged_on=discharged_on,
        reason=reason,
        notes=notes.strip(),
        discharged_by=actor,
        escalation_override_reason=override,
    )
    follow_up = FollowUp.objects.create(
        programme=episode.programme,
        episode=episode,
        due_on=add_months(discharged_on, episode.programme.follow_up_interval_months),
    )
    audit(
        actor,
        "casework.episode.discharged",
        discharge,
        episode,
        ["discharged_on", "reason", "notes"],
    )
    if override:
        audit(
            actor,
            "casework.discharge.escalation_overridden",
            discharge,
            episode,
            ["escalation_override_reason"],
        )
    audit(actor, "casework.follow_up.scheduled", follow_up, episode, ["due_on"])
    return discharge


def escalations_awaiting_acknowledgement(episode: Referral) -> list[Escalation]:
    return list(
        Escalation.objects.filter(episode=episode, acknowledged_at__isnull=True).order_by(
            "created_at", "pk"
        )
    )


def _check_open_escalations(actor: User, episode: Referral, override_reason: str) -> str:
    """The override reason to record: blank when nothing waits for acknowledgement."""
    waiting = escalations_awaiting_acknowledgement(episode)
    if not waiting:
        return ""
    if not actor.has_perm(Permission.HANDLE_ESCALATIONS, episode.programme):
        raise ValidationError(
            f"{len(waiting)} escalation(s) for this client are waiting for a supervisor to "
            "acknowledge them. Ask the pain team to acknowledge them before you discharge."
        )
    if not override_reason.strip():
        raise ValidationError(
            {
                "escalation_override_reason": "Say why the client can be discharged before "
                "the escalation is acknowledged"
            }
        )
    return override_reason.strip()


@dataclass(frozen=True)
class FollowUpAnswers:
    contacted_on: date
    reached: bool
    gp_visits_last_3_months: int | None = None
    notes: str = ""
    strategies_maintained: Mapping[int, str] | None = None
    goals_sustained: Mapping[int, str] | None = None
    # Required when the contact is before the follow-up's due date.
    early_reason: str = ""


@transaction.atomic
def follow_up_record(*, actor: User, follow_up: FollowUp, answers: FollowUpAnswers) -> FollowUp:
    """Record the follow-up contact. When the client was reached, every strategy they took
    up and every goal is asked about; when not, only the attempt is kept."""
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    episode = follow_up.episode
    discharge = Discharge.objects.filter(episode=episode).first()
    if discharge is None:
        raise ValidationError("You cannot record a follow-up before the client is discharged.")
    if follow_up.reached:
        raise ValidationError("This follow-up has already been recorded.")
    if answers.contacted_on < discharge.discharged_on:
        raise ValidationError(
            {"contacted_on": "The follow-up date must be on or after the discharge date"}
        )
    if answers.contacted_on > timezone.localdate():
        raise ValidationError({"contacted_on": "The follow-up date must be today or in the past"})
    days_early = max(0, (follow_up.due_on - answers.contacted_on).days)
    if days_early and not answers.early_reason.strip():
        raise ValidationError(
            {
                "early_reason": f"The follow-up is due on {follow_up.due_on:%d %B %Y}: say why "
                "the client was contacted early"
            }
        )
    follow_up.contacted_on = answers.contacted_on
    follow_up.reached = answers.reached
    follow_up.notes = answers.notes.strip()
    follow_up.days_early = days_early
    follow_up.early_reason = answers.early_reason.strip() if days_early else ""
    follow_up.recorded_by = actor
    changed = ["contacted_on", "reached", "notes", "days_early", "early_reason"]
    if answers.reached:
        taken_up = {item.pk: item for item in ClientStrategy.objects.filter(episode=episode)}
        goals = {goal.pk: goal for goal in Goal.objects.filter(episode=episode)}
        maintained = dict(answers.strategies_maintained or {})
        sustained = dict(answers.goals_sustained or {})
        if set(maintained) != set(taken_up) or set(sustained) != set(goals):
            raise ValidationError("Answer for every strategy the client took up and every goal.")
        follow_up.gp_visits_last_3_months = answers.gp_visits_last_3_months
        changed += ["gp_visits_last_3_months", "strategies", "goals"]
        from_client = latest_strategy_answers(episode)
        StrategyFollowUp.objects.bulk_create(
            StrategyFollowUp(
                follow_up=follow_up,
                client_strategy=taken_up[pk],
                maintained=value,
                source=_answer_source(value, from_client.get(pk)),
            )
            for pk, value in maintained.items()
        )
        follow_up.maintaining_strategies = overall_maintained(maintained.values())
        changed.append("maintaining_strategies")
        GoalFollowUp.objects.bulk_create(
            GoalFollowUp(follow_up=follow_up, goal=goals[pk], sustained=value)
            for pk, value in sustained.items()
        )
    follow_up.save()
    audit(actor, "casework.follow_up.recorded", follow_up, episode, changed)
    return follow_up


def _answer_source(recorded: str, client_answer: StrategyCheckIn | None) -> str:
    """The client's own if the trainer kept the client's latest check-in answer; the
    trainer's if there was none or the client said otherwise at the follow-up."""
    if client_answer is not None and client_answer.maintained == recorded:
        return AnswerSource.CLIENT
    return AnswerSource.TRAINER


def overall_maintained(answers: Iterable[str]) -> str:
    """The client-level answer from the answers per strategy: yes if every strategy is kept
    up, no if none is, partly otherwise; blank when the client took up none."""
    values = set(answers)
    if not values:
        return ""
    if values == {Maintained.YES}:
        return Maintained.YES
    if values == {Maintained.NO}:
        return Maintained.NO
    return Maintained.PARTLY
