"""Recording a completed questionnaire: scoring, corrections and the PHQ-9 safety rule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from healthtrainer.accounts.models import User
from healthtrainer.casework.models import Escalation
from healthtrainer.casework.services import escalation_raise
from healthtrainer.casework.vocabulary import EscalationCategory
from healthtrainer.core.audit import audit_record
from healthtrainer.measures.definitions import Instrument as Definition
from healthtrainer.measures.models import (
    Instrument,
    ProgrammeInstrument,
    QuestionnaireResponse,
)
from healthtrainer.measures.safety import safety_rule
from healthtrainer.measures.scoring import InvalidAnswer, Score, score_answers, score_total
from healthtrainer.measures.services.instruments import definition_of
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status


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
