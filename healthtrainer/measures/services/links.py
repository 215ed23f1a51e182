"""Single-use links for a client to complete a questionnaire themselves."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from healthtrainer.accounts.models import User, hash_token
from healthtrainer.core.audit import audit_record
from healthtrainer.measures.models import (
    ClientLink,
    Instrument,
    ProgrammeInstrument,
    QuestionnaireResponse,
    Source,
)
from healthtrainer.measures.services.instruments import item_texts
from healthtrainer.measures.services.questionnaires import Recorded, response_record
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status

CLIENT_LINK_DAYS = 7


class LinkUnusable(Exception):
    """The link is unknown, used or expired. The message says which, without details."""


@transaction.atomic
def client_link_create(
    *,
    actor: User | None,
    episode: Referral,
    instrument: Instrument,
    timepoint: str,
    valid_days: int = CLIENT_LINK_DAYS,
) -> tuple[ClientLink, str]:
    """A single-use link for the client to complete one questionnaire. The token is returned
    once to be shown or sent; only its hash is kept. `actor` is None when the client opens
    it from their own companion, and it is audited as theirs."""
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
        client_actor=episode.client if actor is None else None,
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
