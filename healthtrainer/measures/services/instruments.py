"""Instruments a programme may use: their definitions, their licensed wording, and the
programme's choice of them."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from healthtrainer.accounts.models import User
from healthtrainer.core.audit import audit_record
from healthtrainer.measures.definitions import Instrument as Definition
from healthtrainer.measures.definitions import load_definitions
from healthtrainer.measures.models import (
    Instrument,
    InstrumentItemText,
    ProgrammeInstrument,
    QuestionnaireResponse,
)
from healthtrainer.measures.scoring import score_answers
from healthtrainer.programmes.models import Programme


def definition_of(instrument: Instrument) -> Definition:
    return load_definitions()[instrument.code]


@transaction.atomic
def instruments_sync(*, actor: User | None = None) -> list[Instrument]:
    """Bring the instrument table in line with the definition files (idempotent)."""
    synced = []
    for definition in load_definitions().values():
        fields = {
            "name": definition.name,
            "version": definition.version,
            "item_text_licensed": definition.item_text_licensed,
        }
        instrument, created = Instrument.objects.get_or_create(
            code=definition.code, defaults=fields
        )
        changed = [name for name, value in fields.items() if getattr(instrument, name) != value]
        if changed:
            for name in changed:
                setattr(instrument, name, fields[name])
            instrument.save()
        if created or changed:
            audit_record(
                actor=actor,
                action=f"measures.instrument.{'loaded' if created else 'updated'}",
                target=instrument,
                changed_fields=list(fields) if created else changed,
            )
        synced.append(instrument)
    return synced


@transaction.atomic
def item_texts_load(*, actor: User, instrument: Instrument, texts: Mapping[str, str]) -> int:
    """Load the wording of a licensed instrument's items, as the deployment's licence allows."""
    definition = definition_of(instrument)
    known = {item.id for item in definition.items}
    unknown = sorted(set(texts) - known)
    if unknown:
        raise ValidationError(f"{instrument.name} has no item {', '.join(unknown)}.")
    empty = sorted(item_id for item_id, text in texts.items() if not text.strip())
    if empty:
        raise ValidationError(f"Give the wording of {', '.join(empty)}.")
    for item_id, text in texts.items():
        InstrumentItemText.objects.update_or_create(
            instrument=instrument,
            item_id=item_id,
            defaults={"text": text.strip(), "loaded_by": actor},
        )
    audit_record(
        actor=actor,
        action="measures.instrument.item_text_loaded",
        target=instrument,
        changed_fields=sorted(texts),
    )
    return len(texts)


def item_texts(instrument: Instrument) -> dict[str, str]:
    """Each item's wording: from the definition for free instruments, else as loaded."""
    definition = definition_of(instrument)
    loaded = dict(
        InstrumentItemText.objects.filter(instrument=instrument).values_list("item_id", "text")
    )
    return {item.id: item.text or loaded.get(item.id, "") for item in definition.items}


@transaction.atomic
def programme_instrument_save(
    *,
    actor: User,
    programme: Programme,
    instrument: Instrument,
    at_baseline: bool,
    at_exit: bool,
    at_follow_up: bool,
    is_primary: bool,
) -> ProgrammeInstrument:
    if not (at_baseline or at_exit or at_follow_up):
        raise ValidationError("Choose at least one timepoint, or stop using the instrument.")
    if is_primary:
        ProgrammeInstrument.objects.filter(programme=programme, is_primary=True).exclude(
            instrument=instrument
        ).update(is_primary=False)
    chosen, created = ProgrammeInstrument.objects.update_or_create(
        programme=programme,
        instrument=instrument,
        defaults={
            "at_baseline": at_baseline,
            "at_exit": at_exit,
            "at_follow_up": at_follow_up,
            "is_primary": is_primary,
        },
    )
    audit_record(
        actor=actor,
        action=f"measures.programme_instrument.{'added' if created else 'updated'}",
        target=chosen,
        programme=programme,
        changed_fields=["at_baseline", "at_exit", "at_follow_up", "is_primary"],
    )
    return chosen


@transaction.atomic
def programme_instrument_remove(*, actor: User, chosen: ProgrammeInstrument) -> None:
    """Stop collecting an instrument; questionnaires already recorded are kept."""
    audit_record(
        actor=actor,
        action="measures.programme_instrument.removed",
        target=chosen,
        programme=chosen.programme,
    )
    chosen.delete()


def item_results(response: QuestionnaireResponse) -> str:
    """Per-item results, for instruments reported item by item (ONS4): "happiness 7 (high)"."""
    definition = definition_of(response.instrument)
    if definition.scoring != "per_item" or response.total is not None or not response.answers:
        return ""
    score = score_answers(definition, response.answers)
    return "; ".join(
        f"{item_id.replace('_', ' ')} {value}"
        + (f" ({score.item_bands[item_id]})" if score.item_bands.get(item_id) else "")
        for item_id, value in score.item_scores.items()
        if value is not None
    )
