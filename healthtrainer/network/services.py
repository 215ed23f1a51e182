"""Joining a network and leaving it, by a programme manager's decision, and naming its
analysts, by an administrator. Each step is audited; a withdrawal takes the programme out
of every network figure at once, because every figure reads only current memberships."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from healthtrainer.accounts.roles import Permission
from healthtrainer.core.audit import audit_record
from healthtrainer.network.models import (
    Aspect,
    DeclaredChange,
    Network,
    NetworkAnalyst,
    NetworkMembership,
)
from healthtrainer.network.tasks import make_published_figures
from healthtrainer.programmes.models import Programme


@transaction.atomic
def network_join(
    *, actor: Any, network: Network, programme: Programme, aspects: Iterable[str]
) -> NetworkMembership:
    if not actor.has_perm(Permission.MANAGE_PROGRAMME, programme):
        raise PermissionDenied("Only the programme's manager can consent for it.")
    chosen = sorted(set(aspects))
    if not chosen:
        raise ValidationError({"aspects": "Choose at least one aspect to share"})
    if set(chosen) - set(Aspect.values):
        raise ValidationError({"aspects": "Choose from the aspects listed"})
    try:
        with transaction.atomic():
            membership = NetworkMembership.objects.create(
                network=network,
                programme=programme,
                aspects=chosen,
                consented_by=actor,
                consented_at=timezone.now(),
            )
    except IntegrityError:
        raise ValidationError(f"{programme} is already in {network}.") from None
    audit_record(
        actor=actor,
        action="network.membership.consented",
        target=membership,
        programme=programme,
        changed_fields=chosen,
    )
    # The network shows the programme's figures as its published report does: made now,
    # so that it appears on the network's pages as soon as the work is done.
    make_published_figures.enqueue(programme.pk)
    return membership


@transaction.atomic
def network_withdraw(*, actor: Any, membership: NetworkMembership) -> None:
    if not actor.has_perm(Permission.MANAGE_PROGRAMME, membership.programme):
        raise PermissionDenied("Only the programme's manager can withdraw its consent.")
    if membership.withdrawn_at is not None:
        return
    membership.withdrawn_at = timezone.now()
    membership.withdrawn_by = actor
    membership.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit_record(
        actor=actor,
        action="network.membership.withdrawn",
        target=membership,
        programme=membership.programme,
        changed_fields=["withdrawn_at"],
    )


def programmes_sharing(network: Network, aspect: str) -> list[Programme]:
    """The programmes whose current consent shares `aspect` with the network."""
    return members_by_aspect(network)[aspect]


def members_by_aspect(network: Network) -> dict[str, list[Programme]]:
    """For each aspect, the programmes whose current consent shares it, by name: one
    query."""
    memberships = (
        NetworkMembership.objects.current()
        .filter(network=network)
        .select_related("programme")
        .order_by("programme__name")
    )
    return {
        aspect: [item.programme for item in memberships if item.shares(aspect)]
        for aspect in Aspect.values
    }


def members_of(network: Network) -> list[NetworkMembership]:
    """The network's current memberships, by programme name."""
    return list(
        NetworkMembership.objects.current()
        .filter(network=network)
        .select_related("programme")
        .order_by("programme__name")
    )


@transaction.atomic
def analyst_add(*, actor: Any, network: Network, user: Any) -> NetworkAnalyst:
    if not actor.is_site_administrator:
        raise PermissionDenied("Only an administrator names a network's analysts.")
    analyst, _ = NetworkAnalyst.objects.get_or_create(
        network=network, user=user, defaults={"added_by": actor, "added_at": timezone.now()}
    )
    audit_record(actor=actor, action="network.analyst.added", target=analyst)
    return analyst


def networks_analysed_by(user: Any) -> list[Network]:
    if not user.is_authenticated:
        return []
    return list(Network.objects.filter(analysts__user=user, analysts__user__is_active=True))


@transaction.atomic
def change_declare(*, actor: Any, network: Network, month: date, what: str) -> DeclaredChange:
    """Declare a change from a month on: the network's SPC limits start afresh there."""
    if network not in networks_analysed_by(actor):
        raise PermissionDenied("Only the network's analysts declare its changes.")
    what = what.strip()
    if not what:
        raise ValidationError({"what": "Say what changed"})
    try:
        with transaction.atomic():
            change = DeclaredChange.objects.create(
                network=network,
                month=month.replace(day=1),
                what=what,
                declared_by=actor,
                declared_at=timezone.now(),
            )
    except IntegrityError:
        raise ValidationError({"month": "A change is already declared from that month"}) from None
    audit_record(
        actor=actor, action="network.change.declared", target=change, changed_fields=["month"]
    )
    return change
