"""Writes to outcome measures: loading instruments, a programme's choice of them, recording
questionnaires (with corrections), and single-use client links. Each writes its audit
event; a PHQ-9 self-harm answer raises an escalation at once."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from healthtrainer.accounts.models import User, hash_token
from healthtrainer.casework.models import Escalation
from healthtrainer.casework.services import escalation_raise
from healthtrainer.casework.vocabulary import EscalationCategory
from healthtrainer.core.audit import audit_record
from healthtrainer.measures.definitions import Instrument as Definition
from healthtrainer.measures.definitions import load_definitions
from healthtrainer.measures.models import (
    ClientLink,
    Instrument,
    InstrumentItemText,
    ProgrammeInstrument,
    QuestionnaireResponse,
    Source,
)
from healthtrainer.measures.safety import safety_rule
from healthtrainer.measures.scoring import InvalidAnswer, Score, score_answers, score_total
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status

CLIENT_LINK_DAYS = 7


def definition_of(instrument: Instrument) -> Definition:
    return load_definitions()[instrument.code]


# Instruments -----------------------------------------------------------------------------


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


# Questionnaires --------------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    response: QuestionnaireResponse
    escalation: Escalation | None


def _require_safety_answer(
    definition: Definition, answers: Mapping[str, int | None] | None, safety_answer: int | None
) -> int | None:
    """The safety item's answer. It must be given, with the items or beside a total: a
    questionnaire that skips it could hide a risk."""
    if definition.safety_item is None:
        return None
    number = next(
        index
        for index, item in enumerate(definition.items, start=1)
        if item.id == definition.safety_item
    )
    value = answers.get(definition.safety_item) if answers is not None else safety_answer
    if value is None:
        field = f"item_{definition.safety_item}" if answers is not None else "safety_answer"
        raise ValidationError({field: f"Answer question {number}: it is asked for safety"})
    return value


def _score(
    definition: Definition, answers: Mapping[str, int | None] | None, total: float | None
) -> Score:
    try:
        if answers is not None:
            return score_answers(definition, answers)
        if total is None:
            raise ValidationError("Enter the answers, or the total score.")
        return score_total(definition, total)
    except InvalidAnswer as error:
        raise ValidationError(str(error)) from None


@transaction.atomic
def response_record(
    *,
    actor: User | None,
    episode: Referral,
    instrument: Instrument,
    timepoint: str,
    completed_on: date,
    source: str,
    answers: Mapping[str, int | None] | None = None,
    total: float | None = None,
    safety_answer: int | None = None,
    correction_reason: str = "",
) -> Recorded:
    """Score and keep a questionnaire. A second one for the same timepoint is a correction
    and needs a reason; the first is kept, no longer current."""
    if episode.status != Status.ACCEPTED:
        raise ValidationError("Questionnaires are recorded for accepted referrals only.")
    chosen = ProgrammeInstrument.objects.filter(
        programme=episode.programme_id, instrument=instrument
    ).first()
    if chosen is None:
        raise ValidationError(f"{instrument.name} is not one of this programme's measures.")
    if timepoint not in chosen.timepoints:
        raise ValidationError(
            f"This programme does not collect {instrument.name} at that timepoint."
        )
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "The date must be today or in the past"})
    definition = definition_of(instrument)
    if answers is not None and all(value is None for value in answers.values()):
        raise ValidationError("Answer at least one question.")
    safety_value = _require_safety_answer(definition, answers, safety_answer)
    score = _score(definition, answers, total)
    at_risk = score.safety_flag or (
        answers is None
        and safety_value is not None
        and definition.safety_threshold is not None
        and safety_value > definition.safety_threshold
    )
    earlier = (
        QuestionnaireResponse.objects.select_for_update()
        .filter(episode=episode, instrument=instrument, timepoint=timepoint, is_current=True)
        .first()
    )
    reason = correction_reason.strip()
    if earlier is not None and not reason:
        raise ValidationError(
            {
                "correction_reason": f"{instrument.name} has already been recorded at this "
                "timepoint. To replace it, say why"
            }
        )
    if earlier is not None:
        earlier.is_current = False
        earlier.save(update_fields=["is_current"])
    response = QuestionnaireResponse.objects.create(
        programme=episode.programme,
        episode=episode,
        instrument=instrument,
        timepoint=timepoint,
        completed_on=completed_on,
        answers=dict(score.item_scores) if answers is not None else {},
        total=score.total,
        raw_total=score.raw_total,
        band=score.band or "",
        complete=score.complete,
        scored=score.scored,
        source=source,
        entered_by=actor,
        replaces=earlier,
        correction_reason=reason if earlier else "",
    )
    audit_record(
        actor=actor,
        action=f"measures.response.{'corrected' if earlier else 'recorded'}",
        target=response,
        programme=episode.programme,
        changed_fields=["answers", "total", "timepoint", "completed_on"],
    )
    escalation = None
    rule = safety_rule(definition)
    already_open = Escalation.objects.filter(
        episode=episode, rule=rule, resolved_at__isnull=True
    ).exists()
    if at_risk and not already_open:
        escalation = escalation_raise(
            actor=None,
            episode=episode,
            category=EscalationCategory.SELF_HARM,
            details=(
                f"{instrument.name} at {response.get_timepoint_display().lower()}: the client "
                "reported thoughts of being better off dead or of hurting themselves. "
                "Contact the client today and follow the risk protocol."
            ),
            rule=rule,
        )
    return Recorded(response, escalation if at_risk else None)


# Client links ----------------------------------------------------------------------------


class LinkUnusable(Exception):
    """The link is unknown, used or expired. The message says which, without details."""


@transaction.atomic
def client_link_create(
    *,
    actor: User,
    episode: Referral,
    instrument: Instrument,
    timepoint: str,
    valid_days: int = CLIENT_LINK_DAYS,
) -> tuple[ClientLink, str]:
    """A single-use link for the client to complete one questionnaire. The token is returned
    once to be shown or sent; only its hash is kept."""
    chosen = ProgrammeInstrument.objects.filter(
        programme=episode.programme_id, instrument=instrument
    ).first()
    if chosen is None or timepoint not in chosen.timepoints:
        raise ValidationError(f"This programme does not collect {instrument.name} then.")
    if QuestionnaireResponse.objects.filter(
        episode=episode, instrument=instrument, timepoint=timepoint, is_current=True
    ).exists():
        raise ValidationError(
            f"{instrument.name} has already been recorded at this timepoint. Correct it "
            "with the client instead."
        )
    if not all(item_texts(instrument).values()):
        raise ValidationError(
            f"The wording of {instrument.name} has not been loaded for this service, so a "
            "client cannot complete it alone. Complete it with the client from the licensed form."
        )
    token = secrets.token_urlsafe(32)
    link = ClientLink.objects.create(
        programme=episode.programme,
        episode=episode,
        instrument=instrument,
        timepoint=timepoint,
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=valid_days),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="measures.client_link.created",
        target=link,
        programme=episode.programme,
        changed_fields=["instrument", "timepoint", "expires_at"],
    )
    return link, token


def client_link_for(token: str, *, now: datetime | None = None, lock: bool = False) -> ClientLink:
    queryset = ClientLink.objects.select_related("instrument", "episode", "programme")
    if lock:
        queryset = queryset.select_for_update()
    link = queryset.filter(token_hash=hash_token(token)).first()
    if link is None:
        raise LinkUnusable("This link is not recognised. Ask your health trainer for a new one.")
    if link.used_at is not None:
        raise LinkUnusable(
            "This link has already been used. Ask your health trainer for a new one."
        )
    if link.expires_at <= (now or timezone.now()):
        raise LinkUnusable("This link has expired. Ask your health trainer for a new one.")
    still_collected = ProgrammeInstrument.objects.filter(
        programme=link.programme_id, instrument=link.instrument_id
    ).first()
    if (
        link.episode.status != Status.ACCEPTED
        or still_collected is None
        or link.timepoint not in still_collected.timepoints
        or QuestionnaireResponse.objects.filter(
            episode=link.episode_id,
            instrument=link.instrument_id,
            timepoint=link.timepoint,
            is_current=True,
        ).exists()
    ):
        raise LinkUnusable(
            "This questionnaire is no longer needed. Thank you: there is nothing more to do."
        )
    return link


@transaction.atomic
def client_link_complete(
    *, token: str, answers: Mapping[str, int | None], now: datetime | None = None
) -> Recorded:
    """The client's answers through their link: recorded once, then the link is spent."""
    now = now or timezone.now()
    link = client_link_for(token, now=now, lock=True)
    try:
        recorded = response_record(
            actor=None,
            episode=link.episode,
            instrument=link.instrument,
            timepoint=link.timepoint,
            completed_on=timezone.localdate(now),
            source=Source.CLIENT_LINK,
            answers=answers,
        )
    except IntegrityError:
        # Another link for the same questionnaire was completed at the same moment.
        raise LinkUnusable(
            "This questionnaire is no longer needed. Thank you: there is nothing more to do."
        ) from None
    link.used_at = now
    link.response = recorded.response
    link.save(update_fields=["used_at", "response"])
    audit_record(
        actor=None,
        action="measures.client_link.used",
        target=link,
        programme=link.programme,
        changed_fields=["used_at"],
    )
    return recorded
