"""Writes to the qualitative analysis, each audited: participants, documents and their
pseudonymised copies, the codebook, codings and memos."""

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
from healthtrainer.qualitative.codebook import Codebook, CodeEntry, ThemeEntry
from healthtrainer.qualitative.models import (
    Code,
    Coding,
    Document,
    FrameworkCell,
    Memo,
    Participant,
    Theme,
)
from healthtrainer.qualitative.queries import names_in
from healthtrainer.qualitative.text import pseudonymise

CHANGED_SINCE = (
    "The document has changed since you opened it, so the text you selected may have moved: "
    "open it again and select the text again."
)


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
    saved: Participant = _save_unique(
        actor=actor,
        programme=programme,
        instance=participant or Participant(programme=programme),
        values=vars(details),
        field="label",
        taken=f"Another participant is already called {details.label}",
    )
    return saved


def _save_unique(
    *,
    actor: Any,
    programme: Programme,
    instance: Any,
    values: dict[str, Any],
    field: str,
    taken: str,
) -> Any:
    """Save a new or changed record whose `field` is unique in the programme, and audit it
    as qualitative.<model>.added or .updated."""
    model = type(instance)
    duplicate = model.objects.filter(programme=programme, **{field: values[field]})
    if instance.pk is not None:
        duplicate = duplicate.exclude(pk=instance.pk)
    if duplicate.exists():
        raise ValidationError({field: taken})
    created = instance.pk is None
    for name, value in values.items():
        setattr(instance, name, value)
    instance.save()
    audit_record(
        actor=actor,
        action=f"qualitative.{model._meta.model_name}.{'added' if created else 'updated'}",
        target=instance,
        programme=programme,
        changed_fields=values.keys(),
    )
    return instance


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


@dataclass(frozen=True)
class CodeDetails:
    name: str
    definition: str = ""
    example: str = ""
    parent: Code | None = None
    theme: Theme | None = None


@transaction.atomic
def code_save(
    *, actor: User, programme: Programme, details: CodeDetails, code: Code | None = None
) -> Code:
    for linked in (details.parent, details.theme):
        if linked is not None and linked.programme_id != programme.pk:
            raise ValidationError("That code or theme belongs to another programme.")
    ancestor = details.parent
    while ancestor is not None:
        if code is not None and ancestor.pk == code.pk:
            raise ValidationError({"parent": "A code cannot sit inside itself or its own codes"})
        ancestor = ancestor.parent
    saved: Code = _save_unique(
        actor=actor,
        programme=programme,
        instance=code or Code(programme=programme),
        values=vars(details),
        field="name",
        taken=f"There is already a code called {details.name}",
    )
    return saved


@transaction.atomic
def theme_save(
    *, actor: User, programme: Programme, name: str, description: str, aspect: str
) -> Theme:
    if Theme.objects.filter(programme=programme, name=name).exists():
        raise ValidationError({"name": f"There is already a theme called {name}"})
    theme = Theme.objects.create(
        programme=programme, name=name, description=description, aspect=aspect
    )
    audit_record(
        actor=actor,
        action="qualitative.theme.added",
        target=theme,
        programme=programme,
        changed_fields=["name", "description", "aspect"],
    )
    return theme


def span_of_quote(document: Document, quote: str, occurrence: int = 1) -> tuple[int, int]:
    """Where the `occurrence`-th appearance of `quote` is in the analysis copy: for coding
    by typing or pasting the words instead of selecting them."""
    quote = quote.strip()
    if not quote:
        raise ValidationError({"quote": "Enter the words to code, exactly as in the document"})
    start = -1
    for _ in range(max(occurrence, 1)):
        start = document.analysis_text.find(quote, start + 1)
        if start < 0:
            raise ValidationError(
                {
                    "quote": "Those words are not in the document"
                    if occurrence <= 1
                    else f"Those words do not appear {occurrence} times in the document"
                }
            )
    return start, start + len(quote)


@transaction.atomic
def coding_add(
    *,
    actor: User,
    document: Document,
    codes: Sequence[Code],
    start: int,
    end: int,
    version: int,
) -> list[Coding]:
    """Apply each code to [start, end) of the analysis copy as it was at `version`."""
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if version != locked.version:
        raise ValidationError(CHANGED_SINCE)
    if not 0 <= start < end <= len(locked.analysis_text):
        raise ValidationError(
            f"The selection must lie within the document's {len(locked.analysis_text):,} "
            "characters: select the text again."
        )
    if not codes:
        raise ValidationError({"codes": "Choose at least one code to apply"})
    if any(code.programme_id != locked.programme_id for code in codes):
        raise ValidationError("That code belongs to another programme.")
    codings = [
        Coding.objects.create(
            programme=locked.programme,
            document=locked,
            code=code,
            start=start,
            end=end,
            document_version=locked.version,
            coder=actor,
        )
        for code in codes
    ]
    for coding in codings:
        audit_record(
            actor=actor,
            action="qualitative.coding.added",
            target=coding,
            programme=locked.programme,
            changed_fields=["code", "start", "end"],
        )
    return codings


@transaction.atomic
def coding_remove(*, actor: User, coding: Coding) -> None:
    if coding.coder_id != actor.pk:
        raise ValidationError("Only the coder who made a coding can remove it.")
    audit_record(
        actor=actor,
        action="qualitative.coding.removed",
        target=coding,
        programme=coding.programme,
        changed_fields=["code", "start", "end"],
    )
    coding.memos.all().delete()
    coding.delete()


@transaction.atomic
def coding_choose_for_report(*, actor: User, coding: Coding, chosen: bool) -> Coding:
    coding.in_report = chosen
    coding.save(update_fields=["in_report"])
    audit_record(
        actor=actor,
        action="qualitative.coding.chosen" if chosen else "qualitative.coding.unchosen",
        target=coding,
        programme=coding.programme,
        changed_fields=["in_report"],
    )
    return coding


@transaction.atomic
def memo_add(
    *,
    actor: User,
    text: str,
    document: Document | None = None,
    code: Code | None = None,
    coding: Coding | None = None,
) -> Memo:
    target = document or code or coding
    if target is None or sum(item is not None for item in (document, code, coding)) != 1:
        raise ValidationError("A memo is about one document, code or coding.")
    if not text.strip():
        raise ValidationError({"text": "Write the memo"})
    memo = Memo.objects.create(
        programme=target.programme,
        document=document,
        code=code,
        coding=coding,
        text=text.strip(),
        author=actor,
    )
    audit_record(
        actor=actor,
        action="qualitative.memo.added",
        target=memo,
        programme=memo.programme,
        changed_fields=["text"],
    )
    return memo


def codebook_of(programme: Programme) -> Codebook:
    """The programme's codebook as exported: definitions, examples and theme descriptions,
    often written from quotes, with names replaced as in the documents."""
    names = names_in(programme)
    codes = list(Code.objects.for_programme(programme).select_related("parent"))
    ordered: list[Code] = []
    children: dict[int | None, list[Code]] = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)

    def walk(parent: int | None) -> None:
        for code in children.get(parent, []):
            ordered.append(code)
            walk(code.pk)

    walk(None)
    return Codebook(
        codes=[
            CodeEntry(
                str(code.guid),
                code.name,
                str(code.parent.guid) if code.parent else "",
                names.hide(code.definition),
                names.hide(code.example),
            )
            for code in ordered
        ],
        themes=[
            ThemeEntry(
                str(theme.guid),
                theme.name,
                names.hide(theme.description),
                tuple(str(code.guid) for code in codes if code.theme_id == theme.pk),
            )
            for theme in Theme.objects.for_programme(programme)
        ],
    )


@dataclass(frozen=True)
class ImportCounts:
    created: int
    updated: int


@transaction.atomic
def codebook_import(*, actor: User, programme: Programme, codebook: Codebook) -> ImportCounts:
    """Codes matched by guid, then by name; themes by name. Nothing is deleted."""
    existing = list(Code.objects.for_programme(programme))
    by_guid = {str(code.guid): code for code in existing}
    by_name = {code.name: code for code in existing}
    themes = {theme.name: theme for theme in Theme.objects.for_programme(programme)}
    theme_of: dict[str, Theme] = {}
    for theme_entry in codebook.themes:
        theme = themes.get(theme_entry.name)
        if theme is None:
            theme = themes[theme_entry.name] = Theme.objects.create(
                programme=programme,
                name=theme_entry.name,
                description=theme_entry.description,
                guid=theme_entry.guid,
            )
        for member in theme_entry.members:
            theme_of[member] = theme
    created = updated = 0
    saved: dict[str, Code] = {}
    for entry in codebook.codes:  # parents come before their children
        code = by_guid.get(entry.guid) or by_name.get(entry.name)
        if code is None:
            code = Code(programme=programme, guid=entry.guid)
            created += 1
        else:
            updated += 1
        code.name = entry.name
        code.definition = entry.definition
        code.example = entry.example
        code.parent = saved.get(entry.parent_guid) or by_guid.get(entry.parent_guid)
        code.theme = theme_of.get(entry.guid, code.theme)
        code.save()
        saved[entry.guid] = code
    audit_record(
        actor=actor,
        action="qualitative.codebook.imported",
        programme=programme,
        changed_fields=["name", "definition", "example", "parent", "theme"],
    )
    return ImportCounts(created, updated)


@transaction.atomic
def framework_cell_save(
    *,
    actor: User,
    participant: Participant,
    theme: Theme,
    summary: str,
    quotes: Sequence[Coding],
) -> FrameworkCell:
    """The summary of what the participant said on the theme, with supporting quotes from
    the participant's own documents."""
    if theme.programme_id != participant.programme_id:
        raise ValidationError("That theme belongs to another programme.")
    if not summary.strip():
        raise ValidationError({"summary": "Write the summary"})
    if any(quote.document.participant_id != participant.pk for quote in quotes):
        raise ValidationError({"quotes": "A supporting quote must come from this participant"})
    cell, created = FrameworkCell.objects.update_or_create(
        programme=participant.programme,
        participant=participant,
        theme=theme,
        defaults={"summary": summary.strip(), "author": actor},
    )
    cell.quotes.set(quotes)
    audit_record(
        actor=actor,
        action=f"qualitative.framework_cell.{'added' if created else 'updated'}",
        target=cell,
        programme=cell.programme,
        changed_fields=["summary", "quotes"],
    )
    return cell
