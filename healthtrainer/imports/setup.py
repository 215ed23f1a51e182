"""Setting up a programme: the one way a programme comes into being, from the create page,
a workbook import, the demo, the synthetic generator and the tests' factory alike.

A programme starts with the lists its casework and workforce records draw on (CB
techniques, strategies, satisfaction and fidelity items) and its workforce settings, so it
is created here, above the apps that own those lists, in one transaction with them.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from healthtrainer.casework.services.lists import programme_lists_seed
from healthtrainer.programmes import services as programme_services
from healthtrainer.programmes.models import Programme
from healthtrainer.workforce.services.setup import programme_workforce_seed


@transaction.atomic
def programme_setup(*, actor: Any, fields: dict[str, Any]) -> Programme:
    """Create a programme with its standard lists and workforce settings, or nothing."""
    programme = programme_services.programme_create(actor=actor, fields=fields)
    programme_lists_complete(actor=actor, programme=programme)
    return programme


def programme_lists_complete(*, actor: Any, programme: Programme) -> None:
    """Give the programme whichever of its standard lists and settings it lacks."""
    programme_lists_seed(actor=actor, programme=programme)
    programme_workforce_seed(actor=actor, programme=programme)
