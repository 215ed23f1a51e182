"""Participants and their documents, with the pseudonymised copy coding works on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from healthtrainer.accounts.models import User
from healthtrainer.core.audit import audit_record
from healthtrainer.programmes.models import Programme
from healthtrainer.qualitative.models import (
    Document,
    Participant,
)
from healthtrainer.qualitative.services.saving import save_unique
from healthtrainer.qualitative.text import pseudonymise


@dataclass(frozen=True)
class ParticipantDetails:
    label: str
    role: str
    organisation: Any = None
    client: Any = None
    trainer: Any = None
    consent_given: bool = False
    consent_recorded_on: date | None = None


@transaction.atomic
def participant_save(
    *,
    actor: User,
    programme: Programme,
    details: ParticipantDetails,
    participant: Participant | None = None,
) -> Participant:
    for linked in (details.organisation, details.client):
        if linked is not None and linked.programme_id != programme.pk:
            raise ValidationError("That record belongs to another programme.")
    if details.consent_given and details.consent_recorded_on is None:
        raise ValidationError({"consent_recorded_on": "Enter the date consent was recorded"})
    saved: Participant = save_unique(
        actor=actor,
        programme=programme,
        instance=participant or Participant(programme=programme),
        values=vars(details),
        field="label",
        taken=f"Another participant is already called {details.label}",
    )
    return saved


@transaction.atomic
def document_create(
    *,
    actor: User,
    participant: Participant,
    kind: str,
    title: str,
    text: str,
    source_name: str,
    replacements: Sequence[tuple[str, str]],
) -> Document:
    if not participant.consent_given:
        raise ValidationError(
            "Record the participant's consent before adding a document about them."
        )
    document = Document.objects.create(
        programme=participant.programme,
        participant=participant,
        kind=kind,
        title=title,
        source_name=source_name,
        original_text=text,
        analysis_text=pseudonymise(text, replacements),
        replacements=[list(pair) for pair in replacements],
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="qualitative.document.added",
        target=document,
        programme=document.programme,
        changed_fields=["original_text", "analysis_text", "replacements"],
    )
    return document


@transaction.atomic
def document_pseudonymise(
    *, actor: User, document: Document, replacements: Sequence[tuple[str, str]]
) -> Document:
    """Make the analysis copy again with these replacements. Refused once the document
    has codings: their spans would no longer point at the same words."""
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.codings.exists():
        raise ValidationError(
            "This document has been coded, so its analysis copy cannot change: the codings "
            "would no longer point at the same words."
        )
    locked.replacements = [list(pair) for pair in replacements]
    locked.analysis_text = pseudonymise(locked.original_text, replacements)
    locked.version += 1
    locked.save(update_fields=["replacements", "analysis_text", "version", "updated_at"])
    audit_record(
        actor=actor,
        action="qualitative.document.pseudonymised",
        target=locked,
        programme=locked.programme,
        changed_fields=["analysis_text", "replacements"],
    )
    return locked
