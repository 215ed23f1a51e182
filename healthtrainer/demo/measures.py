"""Demo outcome measures: the programme collects SWEMWBS (its headline measure) and PHQ-9,
and each demo episode has the questionnaires its stage calls for, through the services.

Loaded once: a programme that already has questionnaires is left as it is.
"""

from __future__ import annotations

import random
from datetime import date

from django.db import transaction
from django.utils import timezone

from healthtrainer.accounts.models import User
from healthtrainer.casework.models import Discharge, FollowUp
from healthtrainer.casework.vocabulary import Attendance, DischargeReason
from healthtrainer.measures import services
from healthtrainer.measures.models import (
    Instrument,
    ProgrammeInstrument,
    QuestionnaireResponse,
    Source,
    Timepoint,
)
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status

SEED = 20261126


def _answers(rng: random.Random, items: int, low: int, high: int, total: int) -> dict[str, int]:
    """Item answers between low and high that add up to `total` (clamped to what fits)."""
    total = max(items * low, min(items * high, total))
    values = [low] * items
    while sum(values) < total:
        index = rng.randrange(items)
        if values[index] < high:
            values[index] += 1
    return {f"item{number}": value for number, value in enumerate(values, start=1)}


@transaction.atomic
def load_demo_measures(programme: Programme, *, manager: User, trainer: User) -> int:
    services.instruments_sync()
    swemwbs = Instrument.objects.get(code="swemwbs")
    phq9 = Instrument.objects.get(code="phq9")
    if not ProgrammeInstrument.objects.filter(programme=programme).exists():
        for instrument, at_follow_up, primary in ((swemwbs, True, True), (phq9, False, False)):
            services.programme_instrument_save(
                actor=manager,
                programme=programme,
                instrument=instrument,
                at_baseline=True,
                at_exit=True,
                at_follow_up=at_follow_up,
                is_primary=primary,
            )
    if QuestionnaireResponse.objects.filter(programme=programme).exists():
        return 0
    rng = random.Random(SEED)  # noqa: S311 - made-up data, not a secret
    recorded = 0
    episodes = Referral.objects.filter(programme=programme, status=Status.ACCEPTED).order_by(
        "received_date", "id"
    )
    for episode in episodes:
        first = (
            episode.appointments.filter(attendance=Attendance.ATTENDED)
            .order_by("starts_at")
            .first()
        )
        if first is None:
            continue
        wellbeing = rng.randint(15, 22)  # SWEMWBS raw, low well-being at referral
        mood = rng.randint(8, 16)  # PHQ-9, mild to moderately severe
        stages: list[tuple[str, date, int]] = [
            (Timepoint.BASELINE, timezone.localtime(first.starts_at).date(), 0)
        ]
        discharge = Discharge.objects.filter(episode=episode).first()
        if discharge is not None:
            gain = rng.randint(2, 7) if discharge.reason == DischargeReason.COMPLETED else 1
            stages.append((Timepoint.EXIT, discharge.discharged_on, gain))
            follow_up = FollowUp.objects.filter(episode=episode, reached=True).first()
            if follow_up is not None and follow_up.contacted_on is not None:
                stages.append((Timepoint.FOLLOW_UP, follow_up.contacted_on, gain - 1))
        for timepoint, day, gain in stages:
            services.response_record(
                actor=trainer,
                episode=episode,
                instrument=swemwbs,
                timepoint=timepoint,
                completed_on=day,
                source=Source.TRAINER,
                answers=_answers(rng, 7, 1, 5, wellbeing + gain),
            )
            recorded += 1
            if timepoint != Timepoint.FOLLOW_UP:
                answers = _answers(rng, 9, 0, 3, mood - 2 * gain)
                answers["item9"] = 0
                services.response_record(
                    actor=trainer,
                    episode=episode,
                    instrument=phq9,
                    timepoint=timepoint,
                    completed_on=day,
                    source=Source.TRAINER,
                    answers=answers,
                )
                recorded += 1
    return recorded
