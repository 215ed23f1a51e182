"""Writes to outcome measures: loading instruments, a programme's choice of them, recording
questionnaires (with corrections), and single-use client links. Each writes its audit
event; a PHQ-9 self-harm answer raises an escalation at once."""

from healthtrainer.measures.services.instruments import (
    definition_of,
    instruments_sync,
    item_results,
    item_texts,
    item_texts_load,
    programme_instrument_remove,
    programme_instrument_save,
)
from healthtrainer.measures.services.links import (
    LinkUnusable,
    client_link_complete,
    client_link_create,
    client_link_for,
)
from healthtrainer.measures.services.questionnaires import (
    Recorded,
    response_record,
)

__all__ = [
    "LinkUnusable",
    "Recorded",
    "client_link_complete",
    "client_link_create",
    "client_link_for",
    "definition_of",
    "instruments_sync",
    "item_results",
    "item_texts",
    "item_texts_load",
    "programme_instrument_remove",
    "programme_instrument_save",
    "response_record",
]
