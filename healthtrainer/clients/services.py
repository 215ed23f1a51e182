"""Reads and writes of client records that must be audited."""

from __future__ import annotations

from healthtrainer.accounts.models import User
from healthtrainer.clients.models import Client
from healthtrainer.core.audit import audit_record


def client_viewed(*, actor: User, client: Client) -> None:
    """Reading a client's record is audited, like any change to it."""
    audit_record(
        actor=actor, action="clients.client.viewed", target=client, programme=client.programme
    )
