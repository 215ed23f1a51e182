"""The answers every part of the JSON API shares: a refusal in words, and what was wrong
with a request's parameters."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class Message(Schema):
    detail: str


class InvalidRequest(Schema):
    """What was wrong with the request's parameters, one entry each."""

    detail: list[dict[str, Any]]


# Every call with a token may be refused for it, or for its parameters.
REFUSALS: dict[int, Any] = {401: Message, 403: Message, 422: InvalidRequest}
