"""Reads the qualitative pages share: who has coded, a code's segments, the matrix, and
the names every text shown to analysts is pseudonymised with."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.db.models import QuerySet

from healthtrainer.accounts.models import User
from healthtrainer.programmes.models import Programme
from healthtrainer.qualitative.agreement import Agreement, Span, agreement
from healthtrainer.qualitative.models import Code, Coding, Document
from healthtrainer.qualitative.text import pseudonymise

CONTEXT = 120


def _first_for_each_name(pairs: Iterable[Sequence[str]]) -> list[tuple[str, str]]:
    kept: dict[str, tuple[str, str]] = {}
    for name, replacement in pairs:
        kept.setdefault(name.casefold(), (name, replacement))
    return list(kept.values())


class Names:
    """The names a programme's documents replace, each with its pseudonym, for the texts
    analysts see beside a document's body: titles, participant labels, memos, code
    definitions and examples, theme descriptions and framework summaries.

    The body is pseudonymised once, when it is stored, because codings point at its
    characters. These texts carry no such positions, so they are pseudonymised as they
    are shown, with every name the programme's documents list at that moment: a memo
    written before a document named someone hides the name once a document lists it."""

    def __init__(self, pairs: Iterable[Sequence[str]]) -> None:
        self._pairs = _first_for_each_name(pairs)

    def hide(self, text: str, document: Document | None = None) -> str:
        """`text` with every listed name replaced; the names of `document`, when the text
        belongs to one, come first, so its title reads as its body does."""
        if not text:
            return text
        if document is None or not document.replacements:
            return pseudonymise(text, self._pairs)
        return pseudonymise(text, _first_for_each_name([*document.replacements, *self._pairs]))


def names_in(programme: Programme) -> Names:
    """Every name the programme's documents replace, the earliest document's pseudonym
    first where two differ (one query)."""
    lists = (
        Document.objects.for_programme(programme)
        .order_by("created_at", "pk")
        .values_list("replacements", flat=True)
    )
    return Names(pair for pairs in lists for pair in pairs)


def coders(programme: Programme) -> QuerySet[User]:
    return User.objects.filter(
        pk__in=Coding.objects.for_programme(programme).values("coder")
    ).order_by("full_name")


@dataclass(frozen=True)
class Segment:
    coding: Coding
    before: str
    quote: str
    after: str


def in_context(codings: Iterable[Coding]) -> list[Segment]:
    """Each coding's words with some text either side."""
    segments = []
    for coding in codings:
        text = coding.document.analysis_text
        before = text[max(0, coding.start - CONTEXT) : coding.start]
        after = text[coding.end : coding.end + CONTEXT]
        segments.append(
            Segment(
                coding,
                ("…" if coding.start > CONTEXT else "") + before,
                text[coding.start : coding.end],
                after + ("…" if coding.end + CONTEXT < len(text) else ""),
            )
        )
    return segments


def agreement_between(
    first: User, second: User, documents: Iterable[Document], codes: Iterable[Code]
) -> Agreement:
    """Every coding of both coders in the documents, whatever its code, goes in: the
    text compared is all they coded, so the chosen codes' figures do not depend on
    which others were chosen (one query)."""
    spans: dict[int, dict[str, list[Span]]] = {
        first.pk: defaultdict(list),
        second.pk: defaultdict(list),
    }
    for coder, code, document, start, end in Coding.objects.filter(
        document__in=list(documents), coder__in=[first, second]
    ).values_list("coder_id", "code__name", "document_id", "start", "end"):
        spans[coder][code].append((document, start, end))
    return agreement(spans[first.pk], spans[second.pk], report=[code.name for code in codes])


def codings_by(document: Document, coder: Any) -> list[tuple[str, int, int]]:
    return [
        (coding.code.name, coding.start, coding.end)
        for coding in document.codings.filter(coder=coder).select_related("code")
    ]


@dataclass(frozen=True)
class Piece:
    """A stretch of the analysis copy with the same codes throughout."""

    start: int
    text: str
    codes: tuple[str, ...]


def pieces(document: Document, codings: Iterable[Coding]) -> list[Piece]:
    text = document.analysis_text
    spans = [(coding.code.name, coding.start, coding.end) for coding in codings]
    cuts = sorted({0, len(text), *(point for _, s, e in spans for point in (s, e))})
    result = []
    for start, end in pairwise(cuts):
        if start >= end or end > len(text):
            continue
        names = tuple(sorted({name for name, s, e in spans if s <= start and end <= e}))
        result.append(Piece(start, text[start:end], names))
    return result


@dataclass(frozen=True)
class Framework:
    participants: list[Any]
    themes: list[Any]
    cells: dict[tuple[int, int], Any]


def framework(programme: Programme, role: str = "") -> Framework:
    """Participants as rows, themes as columns, and the cells written so far (4 queries)."""
    from healthtrainer.qualitative.models import FrameworkCell, Participant, Theme

    participants = Participant.objects.for_programme(programme)
    if role:
        participants = participants.filter(role=role)
    cells = (
        FrameworkCell.objects.for_programme(programme)
        .filter(participant__in=participants)
        .prefetch_related("quotes__document")
    )
    return Framework(
        list(participants),
        list(Theme.objects.for_programme(programme)),
        {(cell.participant_id, cell.theme_id): cell for cell in cells},
    )
