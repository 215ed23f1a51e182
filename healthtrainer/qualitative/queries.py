"""Reads the qualitative pages share: who has coded, a code's segments, the matrix."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.db.models import QuerySet

from healthtrainer.accounts.models import User
from healthtrainer.programmes.models import Programme
from healthtrainer.qualitative.agreement import Agreement, Span, agreement
from healthtrainer.qualitative.models import Code, Coding, Document

CONTEXT = 120


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
