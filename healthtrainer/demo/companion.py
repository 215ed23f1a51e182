"""The demo's client companion: one client of the demo trainer, invited, who signs in
with the demo's own mobile number (codes land in the outbox, shown on the code page)."""

from __future__ import annotations

from django.db.models import Count

from healthtrainer.accounts.models import User
from healthtrainer.clients.models import Client
from healthtrainer.companion.models import CompanionAccess, SignInBy
from healthtrainer.companion.services import companion_invite
from healthtrainer.notifications.notifier import OutboxNotifier
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status

# A number Ofcom keeps for drama: it belongs to nobody.
DEMO_CLIENT_PHONE = "07700 900001"


def load_demo_companion(programme: Programme, *, trainer: User, sign_in_url: str) -> Client | None:
    """Invite the trainer's client with the most appointments; None if already done or
    the trainer has no client."""
    if CompanionAccess.objects.for_programme(programme).exists():
        return None
    episode = (
        Referral.objects.for_programme(programme)
        .filter(assigned_trainer=trainer, status=Status.ACCEPTED, client__isnull=False)
        .annotate(booked=Count("appointments"))
        .order_by("-booked", "pk")
        .first()
    )
    if episode is None or episode.client is None:
        return None
    client = episode.client
    client.phone = DEMO_CLIENT_PHONE
    client.save(update_fields=["phone"])
    companion_invite(
        actor=trainer,
        episode=episode,
        sign_in_by=SignInBy.SMS,
        notifier=OutboxNotifier(),
        sign_in_url=sign_in_url,
    )
    return client
