"""Pseudonyms for evaluators' exports: a keyed hash per programme, stable across exports
and irreversible without the key.

HMAC-SHA256 with a key derived for the programme from the service's pseudonymisation key,
so the same episode has the same pseudonym in every export of its programme, different
programmes' pseudonyms cannot be linked, and nobody without the key can recompute them
(ids are small numbers: an unkeyed hash of one is found by trying them all).
"""

from __future__ import annotations

import hashlib
import hmac

PSEUDONYM_LENGTH = 16


def programme_key(service_key: bytes, programme_id: int) -> bytes:
    if not service_key:
        raise ValueError("A pseudonymisation key is required.")
    return hmac.new(service_key, f"programme:{programme_id}".encode(), hashlib.sha256).digest()


def pseudonym(key: bytes, kind: str, identifier: int | str) -> str:
    """A stable pseudonym for one record: `kind` keeps an episode's and a trainer's apart."""
    digest = hmac.new(key, f"{kind}:{identifier}".encode(), hashlib.sha256).hexdigest()
    return digest[:PSEUDONYM_LENGTH]
