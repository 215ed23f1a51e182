"""Agreement between two coders, code by code, on coded units only.

The unit is one character of a document. Only characters that either coder coded with
any of the codes compared count: text that neither coder coded is left out, since
counting it would inflate agreement with the easy "both left it alone".

For each code, over those units: percent agreement is the share of units on which the
coders agree (both applied the code, or both did not), and Cohen's kappa corrects that
for the agreement expected by chance from how often each coder applied the code. Kappa
is None when chance agreement is total (both coders applied the code to every unit, or
to none), where it is undefined. Pure functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise

# A span of one document: (document id, start, end), end exclusive.
Span = tuple[int, int, int]


@dataclass(frozen=True)
class CodeAgreement:
    code: str
    units: int
    both: int
    only_first: int
    only_second: int
    neither: int

    @property
    def percent(self) -> float | None:
        if not self.units:
            return None
        return 100 * (self.both + self.neither) / self.units

    @property
    def kappa(self) -> float | None:
        if not self.units:
            return None
        observed = (self.both + self.neither) / self.units
        first = (self.both + self.only_first) / self.units
        second = (self.both + self.only_second) / self.units
        expected = first * second + (1 - first) * (1 - second)
        if expected >= 1:
            return None
        return (observed - expected) / (1 - expected)


def _units(spans: Iterable[Span]) -> set[tuple[int, int]]:
    return {(document, index) for document, start, end in spans for index in range(start, end)}


def agreement(
    first: Mapping[str, Iterable[Span]], second: Mapping[str, Iterable[Span]], codes: Iterable[str]
) -> list[CodeAgreement]:
    """Per code, how two coders' spans agree. `first` and `second` map a code to the spans
    each coder applied it to."""
    chosen = list(codes)
    first_units = {code: _units(first.get(code, ())) for code in chosen}
    second_units = {code: _units(second.get(code, ())) for code in chosen}
    coded: set[tuple[int, int]] = set()
    for code in chosen:
        coded |= first_units[code] | second_units[code]
    results = []
    for code in chosen:
        a, b = first_units[code], second_units[code]
        results.append(
            CodeAgreement(
                code=code,
                units=len(coded),
                both=len(a & b),
                only_first=len(a - b),
                only_second=len(b - a),
                neither=len(coded - (a | b)),
            )
        )
    return results


@dataclass(frozen=True)
class Segment:
    """A stretch of text over which neither coder's codes change."""

    start: int
    end: int
    first: frozenset[str]
    second: frozenset[str]

    @property
    def differs(self) -> bool:
        return self.first != self.second


def side_by_side(
    length: int,
    first: Iterable[tuple[str, int, int]],
    second: Iterable[tuple[str, int, int]],
) -> list[Segment]:
    """The text of one document cut wherever either coder's codes start or stop, with the
    codes each coder applied to each piece. `first` and `second` are (code, start, end)."""
    first, second = list(first), list(second)
    cuts = {0, length}
    for _, start, end in [*first, *second]:
        cuts.update((max(0, min(start, length)), max(0, min(end, length))))
    points = sorted(cuts)
    segments = []
    for start, end in pairwise(points):
        if start == end:
            continue
        segments.append(
            Segment(
                start,
                end,
                frozenset(code for code, s, e in first if s <= start and end <= e),
                frozenset(code for code, s, e in second if s <= start and end <= e),
            )
        )
    return segments
