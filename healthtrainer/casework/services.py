"""Writes to a client's episode: appointments, sessions, goals, strategies, discharge,
follow-up, escalations and signposting. Each is atomic and writes its audit event.

The rules a trainer can break by mistake (attendance for an appointment still to come,
a session after discharge, a review of another client's goal, a follow-up before
discharge) raise ValidationError with a message the form shows as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify

from healthtrainer.accounts.models import User
from healthtrainer.casework.models import (
    Appointment,
    CbTechnique,
    ClientStrategy,
    CommunityResource,
    Discharge,
    Escalation,
    FollowUp,
    Goal,
    GoalFollowUp,
    GoalReview,
    ProgrammeListItem,
    SessionRecord,
    SessionTopic,
    Signposting,
    Strategy,
    StrategyFollowUp,
)
from healthtrainer.casework.vocabulary import (
    CANCELLED_BY_EITHER_SIDE,
    DEFAULT_CB_TECHNIQUES,
    DEFAULT_STRATEGIES,
    FINAL_STATUSES,
    REVIEW_STATUSES,
    Attendance,
    GoalStatus,
    Maintained,
)
from healthtrainer.clients.models import Client
from healthtrainer.core.audit import audit_record
from healthtrainer.core.dates import add_months
from healthtrainer.core.versioning import update_versioned
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status


def _audit(
    actor: User | None, action: str, target: Any, episode: Referral, fields: Iterable[str]
) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=target,
        programme=episode.programme,
        changed_fields=fields,
    )


def is_discharged(episode: Referral) -> bool:
    return Discharge.objects.filter(episode=episode).exists()


def _require_open(episode: Referral, doing: str) -> None:
    if episode.status != Status.ACCEPTED:
        raise ValidationError(f"You cannot {doing}: this referral has not been accepted.")
    if is_discharged(episode):
        raise ValidationError(f"You cannot {doing}: the client has been discharged.")


# Programme lists ------------------------------------------------------------------------


@transaction.atomic
def programme_lists_seed(*, actor: User | None, programme: Programme) -> None:
    """Give a programme the standard CB techniques and strategies, unless it has its own."""
    lists: tuple[tuple[type[CbTechnique] | type[Strategy], tuple[tuple[str, str], ...]], ...] = (
        (CbTechnique, DEFAULT_CB_TECHNIQUES),
        (Strategy, DEFAULT_STRATEGIES),
    )
    for model, entries in lists:
        if model.objects.filter(programme=programme).exists():
            continue
        for position, (code, name) in enumerate(entries, start=1):
            model.objects.create(programme=programme, code=code, name=name, position=position)
        audit_record(
            actor=actor,
            action=f"casework.{model._meta.model_name}.seeded",
            programme=programme,
            changed_fields=["code", "name", "position"],
        )


@transaction.atomic
def programme_list_item_add(
    *, actor: User, programme: Programme, model: type[ProgrammeListItem], name: str
) -> ProgrammeListItem:
    """Add an entry to one of a programme's own lists, with a code made from its name."""
    name = name.strip()
    code = slugify(name).replace("-", "_")[:60]
    if not code:
        raise ValidationError({"name": "Enter a name with letters or numbers."})
    siblings = model.objects.filter(programme=programme)
    if siblings.filter(Q(name__iexact=name) | Q(code=code)).exists():
        raise ValidationError({"name": f"“{name}” is already on the list."})
    last = siblings.order_by("-position").first()
    item = model.objects.create(
        programme=programme,
        code=code,
        name=name,
        position=(last.position + 1) if last else 1,
    )
    audit_record(
        actor=actor,
        action=f"casework.{model._meta.model_name}.added",
        target=item,
        programme=programme,
        changed_fields=["code", "name"],
    )
    return item


@transaction.atomic
def programme_list_item_set_active(
    *, actor: User, item: ProgrammeListItem, is_active: bool
) -> None:
    """Retire an entry (it stays on the records that name it) or bring it back."""
    item.is_active = is_active
    item.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=f"casework.{item._meta.model_name}.{'restored' if is_active else 'retired'}",
        target=item,
        programme=item.programme,
        changed_fields=["is_active"],
    )


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
    _require_open(episode, "book an appointment")
    appointment = Appointment.objects.create(
        programme=episode.programme,
        episode=episode,
        trainer=episode.assigned_trainer or actor,
        starts_at=starts_at,
        mode=mode,
        venue=venue.strip(),
    )
    _audit(
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
    _require_open(appointment.episode, "rebook an appointment")
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
    _audit(actor, "casework.appointment.rebooked", appointment, appointment.episode, changed)
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
        _require_open(appointment.episode, "record attendance")
        if appointment.starts_at > now:
            raise ValidationError(
                "You cannot record attendance for an appointment that has not happened yet. "
                "Cancel or rebook it instead."
            )
    appointment.attendance = attendance
    appointment.attendance_recorded_at = now
    appointment.save(update_fields=["attendance", "attendance_recorded_at"])
    verb = "cancelled" if attendance in CANCELLED_BY_EITHER_SIDE else "attendance_recorded"
    _audit(actor, f"casework.appointment.{verb}", appointment, appointment.episode, ["attendance"])
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
    now: datetime | None = None,
) -> SessionRecord:
    """Record (or correct) what happened in a session, with the goal reviews and strategies
    taken up in it. Saving a session for a booked appointment marks it attended.

    A correction must name the version it was made against: if someone else saved the
    session in between, EditConflict is raised and nothing is written.
    """
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    episode = appointment.episode
    _require_open(episode, "record a session")
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
        _audit(
            actor, "casework.appointment.attendance_recorded", appointment, episode, ["attendance"]
        )
    _audit(actor, action, record, episode, [*fields, "techniques", "topics"])
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
    return record


def _goals_of_episode(episode: Referral, goal_ids: list[int]) -> dict[int, Goal]:
    goals = {goal.pk: goal for goal in Goal.objects.filter(episode=episode, pk__in=goal_ids)}
    if len(goals) != len(set(goal_ids)):
        raise ValidationError("A goal you reviewed is not one of this client's goals.")
    return goals


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
    _require_open(episode, "set a goal")
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
    _audit(
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
    _require_open(goal.episode, "change a goal")
    fields = {
        "description": details.description.strip(),
        "domain": details.domain,
        "confidence": details.confidence,
        "how_often": details.how_often.strip(),
        "when": details.when.strip(),
    }
    changed = [name for name, value in fields.items() if getattr(goal, name) != value]
    goal = update_versioned(goal, expected_version=expected_version, fields=fields)
    _audit(actor, "casework.goal.updated", goal, goal.episode, changed)
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
    _require_open(goal.episode, "review a goal")
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
    _audit(actor, "casework.goal.reviewed", goal, goal.episode, ["status"])
    return review


# Strategies ----------------------------------------------------------------------------


@transaction.atomic
def client_strategy_adopt(
    *, actor: User, episode: Referral, strategy: Strategy, adopted_on: date
) -> ClientStrategy:
    _require_open(episode, "record a strategy")
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
        _audit(
            actor, "casework.client_strategy.adopted", taken_up, episode, ["strategy", "adopted_on"]
        )
    return taken_up


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
) -> Discharge:
    """Close the episode: fix each goal's final status, cancel appointments still booked,
    and schedule the follow-up at the programme's interval."""
    episode = Referral.objects.select_for_update().get(pk=episode.pk)
    _require_open(episode, "discharge the client")
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
        _audit(actor, "casework.goal.finalised", goal, episode, ["final_status"])
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
    )
    follow_up = FollowUp.objects.create(
        programme=episode.programme,
        episode=episode,
        due_on=add_months(discharged_on, episode.programme.follow_up_interval_months),
    )
    _audit(
        actor,
        "casework.episode.discharged",
        discharge,
        episode,
        ["discharged_on", "reason", "notes"],
    )
    _audit(actor, "casework.follow_up.scheduled", follow_up, episode, ["due_on"])
    return discharge


@dataclass(frozen=True)
class FollowUpAnswers:
    contacted_on: date
    reached: bool
    gp_visits_last_3_months: int | None = None
    notes: str = ""
    strategies_maintained: Mapping[int, str] | None = None
    goals_sustained: Mapping[int, str] | None = None


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
    follow_up.contacted_on = answers.contacted_on
    follow_up.reached = answers.reached
    follow_up.notes = answers.notes.strip()
    follow_up.recorded_by = actor
    changed = ["contacted_on", "reached", "notes"]
    if answers.reached:
        taken_up = {item.pk: item for item in ClientStrategy.objects.filter(episode=episode)}
        goals = {goal.pk: goal for goal in Goal.objects.filter(episode=episode)}
        maintained = dict(answers.strategies_maintained or {})
        sustained = dict(answers.goals_sustained or {})
        if set(maintained) != set(taken_up) or set(sustained) != set(goals):
            raise ValidationError("Answer for every strategy the client took up and every goal.")
        follow_up.gp_visits_last_3_months = answers.gp_visits_last_3_months
        changed += ["gp_visits_last_3_months", "strategies", "goals"]
        StrategyFollowUp.objects.bulk_create(
            StrategyFollowUp(follow_up=follow_up, client_strategy=taken_up[pk], maintained=value)
            for pk, value in maintained.items()
        )
        follow_up.maintaining_strategies = overall_maintained(maintained.values())
        changed.append("maintaining_strategies")
        GoalFollowUp.objects.bulk_create(
            GoalFollowUp(follow_up=follow_up, goal=goals[pk], sustained=value)
            for pk, value in sustained.items()
        )
    follow_up.save()
    _audit(actor, "casework.follow_up.recorded", follow_up, episode, changed)
    return follow_up


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


# Escalations ---------------------------------------------------------------------------


@transaction.atomic
def escalation_raise(
    *,
    actor: User | None,
    episode: Referral,
    category: str,
    details: str,
    rule: str = "",
) -> Escalation:
    """Raise a concern for the pain team. A rule (a questionnaire answer, say) raises one
    with no person as actor and names itself in `rule`."""
    if actor is None and not rule:
        raise ValueError("An escalation raised by a rule must name the rule.")
    escalation = Escalation.objects.create(
        programme=episode.programme,
        episode=episode,
        category=category,
        details=details.strip(),
        raised_by=actor,
        rule=rule,
    )
    _audit(actor, "casework.escalation.raised", escalation, episode, ["category", "details"])
    return escalation


@transaction.atomic
def escalation_acknowledge(*, actor: User, escalation: Escalation) -> Escalation:
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.acknowledged_at is not None:
        raise ValidationError("This escalation has already been acknowledged.")
    escalation.acknowledged_at = timezone.now()
    escalation.acknowledged_by = actor
    escalation.save(update_fields=["acknowledged_at", "acknowledged_by"])
    _audit(
        actor,
        "casework.escalation.acknowledged",
        escalation,
        escalation.episode,
        ["acknowledged_at"],
    )
    return escalation


@transaction.atomic
def escalation_resolve(*, actor: User, escalation: Escalation, resolution: str) -> Escalation:
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.acknowledged_at is None:
        raise ValidationError("Acknowledge the escalation before you resolve it.")
    if escalation.resolved_at is not None:
        raise ValidationError("This escalation has already been resolved.")
    if not resolution.strip():
        raise ValidationError({"resolution": "Say what was done"})
    escalation.resolved_at = timezone.now()
    escalation.resolved_by = actor
    escalation.resolution = resolution.strip()
    escalation.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    _audit(
        actor,
        "casework.escalation.resolved",
        escalation,
        escalation.episode,
        ["resolved_at", "resolution"],
    )
    return escalation


# Community directory and signposting ------------------------------------------------------


@transaction.atomic
def community_resource_save(
    *, actor: User, resource: CommunityResource, changed_fields: list[str]
) -> CommunityResource:
    """Save a directory entry a form has filled in; new entries and edits are audited."""
    adding = resource._state.adding
    if not adding and not changed_fields:
        return resource
    resource.full_clean()
    resource.save()
    audit_record(
        actor=actor,
        action=f"casework.community_resource.{'added' if adding else 'updated'}",
        target=resource,
        programme=resource.programme,
        changed_fields=changed_fields,
    )
    return resource


@transaction.atomic
def signposting_record(
    *,
    actor: User,
    episode: Referral,
    kind: str,
    signposted_on: date,
    resource: CommunityResource | None = None,
    other_service: str = "",
    notes: str = "",
) -> Signposting:
    _require_open(episode, "signpost the client")
    if resource is None and not other_service.strip():
        raise ValidationError("Choose a service from the directory or name another one.")
    if resource is not None and resource.programme_id != episode.programme_id:
        raise ValidationError("That service is not in this programme's directory.")
    signposting = Signposting.objects.create(
        programme=episode.programme,
        episode=episode,
        kind=kind,
        resource=resource,
        other_service=other_service.strip(),
        signposted_on=signposted_on,
        notes=notes.strip(),
        recorded_by=actor,
    )
    _audit(
        actor,
        "casework.signposting.recorded",
        signposting,
        episode,
        ["kind", "resource", "other_service"],
    )
    return signposting


# Client contact preferences ---------------------------------------------------------------


@transaction.atomic
def client_contact_preferences_update(
    *, actor: User, client: Client, phone: str, email: str, reminders_by: str
) -> Client:
    values = {"phone": phone.strip(), "email": email.strip(), "reminders_by": reminders_by}
    changed = [name for name, value in values.items() if getattr(client, name) != value]
    if not changed:
        return client
    for name in changed:
        setattr(client, name, values[name])
    client.save(update_fields=changed)
    audit_record(
        actor=actor,
        action="clients.client.contact_preferences_updated",
        target=client,
        programme=client.programme,
        changed_fields=changed,
    )
    return client
