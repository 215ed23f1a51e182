"""Questionnaires the client owes, on their companion: the programme's own instruments at
the timepoints their episode has reached, filled in on the same page a client link opens,
with the same scoring and the same safety rules (PHQ-9 item 9 raises an escalation)."""

from __future__ import annotations

from dataclasses import dataclass

from healthtrainer.measures.due import measures_owed
from healthtrainer.measures.models import Instrument
from healthtrainer.measures.services.instruments import item_texts
from healthtrainer.referrals.models import Referral


@dataclass(frozen=True)
class QuestionnaireDue:
    instrument: Instrument
    timepoint: str
    timepoint_label: str
    # Licensed wording not loaded for this service: the trainer goes through it instead.
    with_trainer_only: bool


def questionnaires_due(episode: Referral) -> list[QuestionnaireDue]:
    owed = measures_owed(
        episode.programme, Referral.objects.for_programme(episode.programme).filter(pk=episode.pk)
    )
    missing = [item for measures in owed for item in measures.missing]
    instruments = Instrument.objects.in_bulk([item.instrument_id for item in missing])
    return [
        QuestionnaireDue(
            instrument=instruments[item.instrument_id],
            timepoint=item.timepoint,
            timepoint_label=item.timepoint_label,
            with_trainer_only=not all(item_texts(instruments[item.instrument_id]).values()),
        )
        for item in missing
    ]
