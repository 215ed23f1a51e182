"""Reaching casework objects: through the episode's scope, so a trainer's reach is the
referral's one predicate and anything else answers 404.

Every page that opens an episode or one of its records shows the client's details, so
opening one (a GET) is recorded as a read of the client's record.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model

from healthtrainer.accounts.access import ProgrammeRequest
from healthtrainer.accounts.roles import Permission
from healthtrainer.casework.models import EpisodeScopedQuerySet
from healthtrainer.clients.services import client_viewed
from healthtrainer.core.scoping import get_for_user_or_404
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status

_R = TypeVar("_R", bound=Model)


def _read(request: ProgrammeRequest, episode: Referral) -> None:
    if request.method == "GET" and episode.client is not None:
        client_viewed(actor=request.user, client=episode.client)


def episode_or_404(
    request: ProgrammeRequest, programme: Programme, episode_id: int, permission: Permission
) -> Referral:
    episode = get_for_user_or_404(
        Referral.objects.for_programme(programme)
        .filter(status=Status.ACCEPTED)
        .select_related("client", "assigned_trainer", "practice", "programme"),
        request.user,
        permission,
        pk=episode_id,
    )
    _read(request, episode)
    return episode


def record_or_404(
    model: type[_R],
    request: ProgrammeRequest,
    programme: Programme,
    permission: Permission,
    pk: int,
) -> _R:
    """One record of an episode (an appointment, a goal, an escalation) in the user's reach."""
    queryset: EpisodeScopedQuerySet[_R] = model._default_manager.all()  # type: ignore[assignment]
    record = get_for_user_or_404(
        queryset.for_programme(programme).select_related("episode", "episode__client"),
        request.user,
        permission,
        pk=pk,
    )
    _read(request, record.episode)  # type: ignore[attr-defined]
    return record
