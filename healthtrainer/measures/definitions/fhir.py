"""An instrument as a FHIR R4 Questionnaire."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from healthtrainer.measures.definitions.model import (
    FHIR_BASE,
    Instrument,
)


def instrument_as_fhir_questionnaire(
    instrument: Instrument, item_texts: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The instrument as a FHIR R4 Questionnaire resource, as a plain dict.

    A licensed instrument's items carry text only where `item_texts` (the deployment's
    own licensed copy) supplies it; otherwise the item has a linkId and answers only.
    """
    texts = item_texts or {}
    items = []
    for item in instrument.items:
        entry: dict[str, Any] = {"linkId": item.id}
        text = texts.get(item.id) or item.text
        if text:
            entry["text"] = text
        entry["type"] = "choice"
        # Items are optional wherever the missing-item rule lets the form be scored without
        # them.
        entry["required"] = instrument.missing.max_missing == 0
        entry["answerOption"] = [
            {"valueCoding": {"code": str(option.value), "display": option.label}}
            for option in item.options
        ]
        items.append(entry)
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "url": f"{FHIR_BASE}/Questionnaire/{instrument.code}",
        "version": instrument.version,
        # A computable name: letters and digits, starting with a capital.
        "name": "".join(part.capitalize() for part in instrument.code.split("_")),
        "title": instrument.name,
        "status": "active",
        "copyright": instrument.licence,
        "item": items,
    }
    if instrument.stem:
        resource["description"] = instrument.stem
    return resource
