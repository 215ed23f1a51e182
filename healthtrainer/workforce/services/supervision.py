"""Writes about trainers and their supervision: profiles, workforce settings, supervision
sessions with CB-fidelity ratings, and the actions agreed in them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from healthtrainer.accounts.models import Membership, User
from healthtrainer.accounts.roles import Role
from healthtrainer.core.audit import audit_record
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status
from healthtrainer.workforce.models import (
    FidelityItem,
    FidelityRating,
    SupervisionAction,
    SupervisionSession,
    TrainerProfile,
    WorkforceSettings,
)
from healthtrainer.workforce.services.setup import settings_for


@transaction.atomic
def trainer_profile_save(
    *, actor: User, membership: Membership, fields: Mapping[str, object]
) -> TrainerProfile:
    if membership.role != Role.HEALTH_TRAINER:
        raise ValidationError("Only health trainers have a trainer profile.")
    profile, created = TrainerProfile.objects.get_or_create(
        membership=membership,
        defaults={"programme_id": membership.programme_id, "trainer_id": membership.user_id},
    )
    changed = [name for name, value in fields.items() if getattr(profile, name) != value]
    for name in changed:
        setattr(profile, name, fields[name])
    profile.full_clean()
    profile.save()
    if created or changed:
        audit_record(
            actor=actor,
            action=f"workforce.trainer_profile.{'created' if created else 'updated'}",
            target=profile,
            programme=membership.programme,
            changed_fields=changed or list(fields),
        )
    return profile


@transaction.atomic
def workforce_settings_update(
    *, actor: User, workforce_settings: WorkforceSettings, changed_fields: list[str]
) -> WorkforceSettings:
    """Save settings a form has already changed; the scale must still hold every rating."""
    if not changed_fields:
        return workforce_settings
    workforce_settings.full_clean()
    outside = FidelityRating.objects.filter(
        session__programme=workforce_settings.programme
    ).exclude(
        value__gte=workforce_settings.fidelity_scale_min,
        value__lte=workforce_settings.fidelity_scale_max,
    )
    if outside.exists():
        raise ValidationError(
            "Some ratings already recorded fall outside this scale: widen it, or keep the old one."
        )
    workforce_settings.save()
    audit_record(
        actor=actor,
        action="workforce.settings.updated",
        target=workforce_settings,
        programme=workforce_settings.programme,
        changed_fields=changed_fields,
    )
    return workforce_settings


@transaction.atomic
def supervision_record(
    *,
    actor: User,
    programme: Programme,
    trainers: Iterable[User],
    held_on: date,
    duration_minutes: int,
    format: str,
    cases: Iterable[Referral] = (),
    concerns: str = "",
) -> SupervisionSession:
    """Record a supervision session with one trainer or a group, and the cases discussed."""
    trainers = list(trainers)
    if not trainers:
        raise ValidationError({"trainers": "Choose the health trainers supervised"})
    allowed = {trainer.pk for trainer in User.objects.trainers_of(programme)}
    outside = [str(trainer) for trainer in trainers if trainer.pk not in allowed]
    if outside:
        raise ValidationError(
            {"trainers": f"{', '.join(outside)} is not a health trainer in this programme"}
        )
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "The date must be today or in the past"})
    cases = list(cases)
    # In care on the day: a session recorded later may discuss a client discharged since.
    in_care = set(
        Referral.objects.filter(
            Q(discharge__isnull=True) | Q(discharge__discharged_on__gte=held_on),
            programme=programme,
            status=Status.ACCEPTED,
            received_date__lte=held_on,
            pk__in=[case.pk for case in cases],
        ).values_list("pk", flat=True)
    )
    if any(case.pk not in in_care for case in cases):
        raise ValidationError(
            {"cases": "A case discussed is not a client in this programme's care"}
        )
    session = SupervisionSession(
        programme=programme,
        supervisor=actor,
        held_on=held_on,
        duration_minutes=duration_minutes,
        format=format,
        concerns=concerns.strip(),
    )
    session.full_clean()
    session.save()
    session.trainers.set(trainers)
    session.cases.set(cases)
    audit_record(
        actor=actor,
        action="workforce.supervision.recorded",
        target=session,
        programme=programme,
        changed_fields=["trainers", "held_on", "duration_minutes", "format", "cases", "concerns"],
    )
    return session


@transaction.atomic
def fidelity_rate(
    *,
    actor: User,
    session: SupervisionSession,
    trainer: User,
    ratings: Mapping[int, int],
) -> list[FidelityRating]:
    """Rate a trainer's work reviewed in the session, item by item, on the programme's
    scale. Rating again replaces the earlier ratings of that trainer in that session."""
    if not session.trainers.filter(pk=trainer.pk).exists():
        raise ValidationError(f"{trainer} was not supervised in this session.")
    if not ratings:
        raise ValidationError("Rate at least one fidelity item.")
    scale = settings_for(session.programme)
    items = {
        item.pk: item
        for item in FidelityItem.objects.filter(programme=session.programme, pk__in=list(ratings))
    }
    if len(items) != len(ratings):
        raise ValidationError("Rate only the programme's fidelity items.")
    outside = [
        items[pk].name
        for pk, value in ratings.items()
        if not scale.fidelity_scale_min <= value <= scale.fidelity_scale_max
    ]
    if outside:
        raise ValidationError(
            f"Rate from {scale.fidelity_scale_min} to {scale.fidelity_scale_max}: "
            + ", ".join(outside)
        )
    FidelityRating.objects.filter(session=session, trainer=trainer).delete()
    created = FidelityRating.objects.bulk_create(
        FidelityRating(session=session, trainer=trainer, item=items[pk], value=value)
        for pk, value in ratings.items()
    )
    audit_record(
        actor=actor,
        action="workforce.supervision.fidelity_rated",
        target=session,
        programme=session.programme,
        # The trainer whose work was rated is named by their id, as the trail holds no names.
        changed_fields=["ratings", f"trainer:{trainer.pk}"],
    )
    return created


@transaction.atomic
def supervision_action_add(
    *,
    actor: User,
    session: SupervisionSession,
    description: str,
    owner: User | None = None,
    due_on: date | None = None,
) -> SupervisionAction:
    if not description.strip():
        raise ValidationError({"description": "Describe the action"})
    if owner is not None and owner.pk not in {trainer.pk for trainer in session.trainers.all()} | {
        session.supervisor_id
    }:
        raise ValidationError({"owner": "Choose someone who took part in the session"})
    action = SupervisionAction.objects.create(
        session=session, description=description.strip(), owner=owner, due_on=due_on
    )
    audit_record(
        actor=actor,
        action="workforce.supervision_action.added",
        target=action,
        programme=session.programme,
        changed_fields=["description", "owner", "due_on"],
    )
    return action


@transaction.atomic
def supervision_action_complete(
    *, actor: User, action: SupervisionAction, completed_on: date
) -> SupervisionAction:
    if action.completed_on is not None:
        raise ValidationError("This action is already complete.")
    if completed_on > timezone.localdate() or completed_on < action.session.held_on:
        raise ValidationError("The completion date must be between the session and today.")
    action.completed_on = completed_on
    action.save(update_fields=["completed_on"])
    audit_record(
        actor=actor,
        action="workforce.supervision_action.completed",
        target=action,
        programme=action.session.programme,
        changed_fields=["completed_on"],
    )
    return action
