"""Coding passages, choosing them for the report, memos and the framework matrix."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from healthtrainer.accounts.models import User
from healthtrainer.core.audit import audit_record
from healthtrainer.qualitative.models import (
    Code,
    Coding,
    Document,
    FrameworkCell,
    Memo,
    Participant,
    Theme,
)

CHANGED_SINCE = (
    "The document has changed since you opened it, so the text you selected may have moved: "
    "open it again and select the text again."
)


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
