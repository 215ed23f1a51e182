"""Agreement between two coders, code by code and pooled, over the coded text.

The unit is one character of a document. The units compared are every character that
either coder coded with any code at all in the documents compared, whichever codes are
chosen for display, so that a code's figures are the same whether it is compared alone
or beside others. Text that neither coder coded is left out, since counting it would
inflate agreement with the easy "both left it alone".

For each code, every unit falls in one cell of a 2x2 table: both coders applied the
code, only the first did, only the second did, or neither did (the unit carries other
codes). From the table:

- percent agreement, 100 * (both + neither) / units;
- positive specific agreement, 100 * 2 both / (2 both + first only + second only): how
  far the coders agree on where the code applies. It leaves "neither" out, so it stays
  meaningful where little or no text is left without the code;
- Cohen's kappa, (po - pe) / (1 - pe), where po = (both + neither) / units is the
  agreement observed and pe = p1 p2 + (1 - p1)(1 - p2) the agreement expected by chance
  from the share of units each coder gave the code, p1 = (both + first only) / units and
  p2 = (both + second only) / units.

The pooled kappa over the chosen codes is that of De Vries, Elliott, Kanouse and Teleki
(2008, Field Methods 20(3), 272-282): (mean po - mean pe) / (1 - mean pe), the means
taken over the codes. Every code has the same units here, so mean po is
sum(both + neither) / sum(units) over the codes' tables summed. Mean pe keeps each
code's own chance agreement rather than one from the summed marginals, which would
treat codes applied often and codes applied rarely as interchangeable and so usually
understate chance. A code that neither coder applied adds nothing to either side, so it
does not move the pooled kappa. The pooled positive agreement is positive agreement over
the codes' tables summed.

Kappa is undefined where there is no "neither" unit, as in a one-code codebook: with
that cell empty it works out to -2bc / ((a + b)b + (a + c)c), with a both, b first only
and c second only, which cannot rise above 0 however closely the coders agree, so a
figure would mislead. It is also undefined where pe = 1 (neither coder applied the
code). The pooled kappa is undefined where no chosen code has a "neither" unit or mean
pe = 1. Each undefined figure carries the reason the page shows in its place. Pure
functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise

# A span of one document: (document id, start, end), end exclusive.
Span = tuple[int, int, int]

NO_TEXT = "Undefined: neither coder coded any text in the documents chosen."
NOT_APPLIED = "Undefined: neither coder applied this code."
NONE_APPLIED = "Undefined: neither coder applied any of the chosen codes."
NOTHING_LEFT = (
    "Undefined: all the text compared has this code from one coder or both, so agreement "
    "by chance cannot be estimated; the positive agreement carries the comparison."
)
NOTHING_LEFT_POOLED = (
    "Undefined: all the text compared has every chosen code from one coder or both, so "
    "agreement by chance cannot be estimated; the positive agreement carries the comparison."
)
CHANCE_TOTAL = (
    "Undefined: each chosen code was applied to all the text compared by both coders or by "
    "neither, so all of their agreement is expected by chance."
)


@dataclass(frozen=True)
class Figure:
    """A figure, or the reason it has none, which the page shows in its place."""

    value: float | None
    reason: str = ""


@dataclass(frozen=True)
class CodeAgreement:
    """One code's 2x2 table over the units compared, and the figures drawn from it."""

    code: str
    both: int
    only_first: int
    only_second: int
    neither: int

    @property
    def units(self) -> int:
        return self.both + self.only_first + self.only_second + self.neither

    @property
    def applied(self) -> int:
        return self.both + self.only_first + self.only_second

    @property
    def percent(self) -> Figure:
        if not self.units:
            return Figure(None, NO_TEXT)
        return Figure(100 * (self.both + self.neither) / self.units)

    @property
    def positive_percent(self) -> Figure:
        if not self.units:
            return Figure(None, NO_TEXT)
        if not self.applied:
            return Figure(None, NOT_APPLIED)
        return Figure(_positive(self.both, self.only_first, self.only_second))

    @property
    def kappa(self) -> Figure:
        if not self.units:
            return Figure(None, NO_TEXT)
        if not self.applied:
            return Figure(None, NOT_APPLIED)
        if not self.neither:
            return Figure(None, NOTHING_LEFT)
        above_chance, possible = self.chance_terms
        return Figure(above_chance / possible)

    @property
    def chance_terms(self) -> tuple[int, int]:
        """(po - pe) and (1 - pe), each times units squared so as to stay in whole
        numbers: kappa is their ratio, and the pooled kappa the ratio of their sums over
        the codes, which all have the same units."""
        units = self.units
        first = self.both + self.only_first
        second = self.both + self.only_second
        expected = first * second + (units - first) * (units - second)
        return units * (self.both + self.neither) - expected, units * units - expected


def _positive(both: int, only_first: int, only_second: int) -> float:
    return 100 * 2 * both / (2 * both + only_first + only_second)


@dataclass(frozen=True)
class Agreement:
    """The units compared, each chosen code's table, and the chosen codes pooled."""

    units: int
    codes: tuple[CodeAgreement, ...]

    @property
    def pooled_positive_percent(self) -> Figure:
        if not self.units:
            return Figure(None, NO_TEXT)
        if not any(code.applied for code in self.codes):
            return Figure(None, NONE_APPLIED)
        return Figure(
            _positive(
                sum(code.both for code in self.codes),
                sum(code.only_first for code in self.codes),
                sum(code.only_second for code in self.codes),
            )
        )

    @property
    def pooled_kappa(self) -> Figure:
        if not self.units:
            return Figure(None, NO_TEXT)
        if not any(code.applied for code in self.codes):
            return Figure(None, NONE_APPLIED)
        if not any(code.neither for code in self.codes):
            return Figure(None, NOTHING_LEFT_POOLED)
        terms = [code.chance_terms for code in self.codes]
        possible = sum(term[1] for term in terms)
        if not possible:
            return Figure(None, CHANCE_TOTAL)
        return Figure(sum(term[0] for term in terms) / possible)


def _units(spans: Iterable[Span]) -> set[tuple[int, int]]:
    return {(document, index) for document, start, end in spans for index in range(start, end)}


def agreement(
    first: Mapping[str, Iterable[Span]],
    second: Mapping[str, Iterable[Span]],
    *,
    report: Iterable[str],
) -> Agreement:
    """How two coders agree on each code in `report`, and on those codes pooled.

    `first` and `second` map every code each coder applied in the documents compared,
    not only the codes reported, to its spans: the units compared are built from all of
    them, so that a code's figures do not depend on which others are reported with it."""
    first_units = {code: _units(spans) for code, spans in first.items()}
    second_units = {code: _units(spans) for code, spans in second.items()}
    compared: set[tuple[int, int]] = set().union(*first_units.values(), *second_units.values())
    tables = []
    for code in report:
        a, b = first_units.get(code, set()), second_units.get(code, set())
        tables.append(
            CodeAgreement(
                code=code,
                both=len(a & b),
                only_first=len(a - b),
                only_second=len(b - a),
                neither=len(compared - (a | b)),
            )
        )
    return Agreement(units=len(compared), codes=tuple(tables))


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
