"""The triage state machine: which status may follow which, and nothing else."""

from __future__ import annotations

from django.db import models


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    CONTACT_ATTEMPTED = "contact_attempted", "Contact attempted"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined by the client"
    UNABLE_TO_CONTACT = "unable_to_contact", "Unable to contact"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Statuses a referral can be closed with from the triage queue (with a reason).
CLOSING = (Status.DECLINED, Status.UNABLE_TO_CONTACT, Status.WITHDRAWN)

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.RECEIVED: frozenset(
        {Status.CONTACT_ATTEMPTED, Status.ACCEPTED, Status.NOT_ELIGIBLE, *CLOSING}
    ),
    Status.CONTACT_ATTEMPTED: frozenset(
        {Status.CONTACT_ATTEMPTED, Status.ACCEPTED, Status.NOT_ELIGIBLE, *CLOSING}
    ),
    Status.ACCEPTED: frozenset(),
    Status.DECLINED: frozenset(),
    Status.UNABLE_TO_CONTACT: frozenset(),
    Status.NOT_ELIGIBLE: frozenset(),
    Status.WITHDRAWN: frozenset(),
}

OPEN = frozenset(status for status, following in TRANSITIONS.items() if following)


class IllegalTransition(Exception):
    def __init__(self, current: str, target: str) -> None:
        self.current, self.target = current, target
        super().__init__(
            f"A referral that is {Status(current).label.lower()} cannot become "
            f"{Status(target).label.lower()}."
        )


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS[current]:
        raise IllegalTransition(current, target)
