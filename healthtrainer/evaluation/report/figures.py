"""Figures pending protection, and how each is shown once the report is protected.

Counts are cells of the report's ledger; every other figure is derived from the counts as
shown (a percentage, a rate, a unit cost, a running total) or hidden with the size of its
group (a mean, an interval, a p value), so none tells a reader more than the counts.
`Disclose` makes them, in the report's disclosure mode.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from healthtrainer.evaluation.disclosure import SUPPRESSED, Disclosure, percentage
from healthtrainer.evaluation.metrics.ratio import Ratio
from healthtrainer.evaluation.report.ledger import Cell, Ledger

# A value as shown: a count, a percentage or statistic, money, text; "*" when suppressed;
# None when there is nothing to show ("no data").
Shown = int | float | Decimal | str | None


@dataclass(frozen=True)
class Share:
    """numerator / denominator as a percentage, from the counts as shown."""

    numerator: Cell
    denominator: Cell

    @property
    def shown(self) -> Shown:
        top, bottom = self.numerator.shown, self.denominator.shown
        if isinstance(top, str) or isinstance(bottom, str):
            return SUPPRESSED
        return percentage(top, bottom)

    @property
    def source(self) -> str:
        return f"share:{self.numerator.key}/{self.denominator.key}"


@dataclass(frozen=True)
class Statistic:
    """A mean or other statistic of a group: hidden when the group's size is hidden."""

    value: float | Decimal | None
    group: Cell
    places: int = 2

    @property
    def shown(self) -> Shown:
        if self.value is None:
            return None
        if self.group.hidden:
            return SUPPRESSED
        return _places(Decimal(str(self.value)), self.places)

    @property
    def source(self) -> str:
        return f"statistic:{self.group.key}"


@dataclass(frozen=True)
class PerUnit:
    """An amount divided by a count as shown (a unit cost): divided back by the amount,
    it gives only the count already shown."""

    amount: Decimal | None
    count: Cell
    places: int

    @property
    def shown(self) -> Shown:
        if self.amount is None:
            return None
        count = self.count.shown
        if isinstance(count, str):
            return SUPPRESSED
        if count == 0:
            return None
        return _places(self.amount / Decimal(count), self.places)

    @property
    def source(self) -> str:
        return f"per:{self.count.key}"


@dataclass(frozen=True)
class Rate:
    """A count as shown, per so many of something (referrals per 1,000 patients)."""

    count: Cell
    per: int
    of: int
    places: int = 2

    @property
    def shown(self) -> Shown:
        count = self.count.shown
        if isinstance(count, str):
            return SUPPRESSED
        return _places(Decimal(count * self.per) / Decimal(self.of), self.places)

    @property
    def source(self) -> str:
        return f"rate:{self.count.key}"


def _places(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


class Disclose:
    """Turns raw figures into what this report may show, in its disclosure mode. Counts
    become cells of one ledger, so that the whole report can be protected at once before
    any figure is shown."""

    def __init__(self, mode: Disclosure) -> None:
        self.mode = mode
        self.ledger = Ledger(mode)

    def count(self, key: str, n: int) -> Cell:
        return self.ledger.count(key, n)

    def breakdown(self, total: Cell, parts: Iterable[tuple[str, int]]) -> list[Cell]:
        """Cells for the groups of a total, every group listed, adding up to it."""
        cells = [self.count(key, n) for key, n in parts]
        self.ledger.add_up(total, cells)
        return cells

    def ratio(self, key: str, ratio: Ratio) -> tuple[Cell, Cell, Share]:
        """A numerator, its denominator and the share, keyed `key.n` and `key.d`."""
        numerator = self.count(f"{key}.n", ratio.numerator)
        denominator = self.count(f"{key}.d", ratio.denominator)
        self.ledger.at_most(numerator, denominator)
        return numerator, denominator, Share(numerator, denominator)

    def same_as(self, key: str, n: int, own_key: str) -> Cell:
        """The cell of `key` when this figure is the same count; its own cell otherwise
        (figures that agree by definition may still differ in data kept elsewhere)."""
        existing = self.ledger.cells.get(key)
        if existing is not None and existing.exact != n:
            return self.count(own_key, n)
        return self.count(key, n)

    def share(self, numerator: Cell, denominator: Cell) -> Share:
        return Share(numerator, denominator)

    def statistic(self, value: float | Decimal | None, group: Cell, places: int = 2) -> Statistic:
        return Statistic(value, group, places)

    def money(self, amount: Decimal | None) -> Shown:
        """Money to the penny for the care team; to the whole pound when published."""
        if amount is None:
            return None
        return amount.quantize(
            Decimal("0.01") if self.mode == Disclosure.EXACT else Decimal("1"),
            rounding=ROUND_HALF_UP,
        )

    def per(self, amount: Decimal | None, count: Cell) -> PerUnit:
        """A unit cost: to the penny for the care team; to the whole pound, of the count
        as shown, when published."""
        return PerUnit(amount, count, 2 if self.mode == Disclosure.EXACT else 0)

    def per_thousand(self, count: Cell, list_size: int | None) -> Rate | None:
        if not list_size:
            return None
        return Rate(count, 1000, list_size)


class PValue(float):
    """A p value: below 0.0001 it reads "< 0.0001", as a number it stays exact."""

    def __str__(self) -> str:
        return "< 0.0001" if self < 0.0001 else f"{self:.4f}"


@dataclass(frozen=True)
class Probability:
    """A p value of a group: hidden when the group's size is hidden."""

    value: float | None
    group: Cell

    @property
    def shown(self) -> Shown:
        if self.value is None:
            return None
        return SUPPRESSED if self.group.hidden else PValue(self.value)

    @property
    def source(self) -> str:
        return f"statistic:{self.group.key}"


@dataclass(frozen=True)
class Interval:
    """A confidence interval, "low to high", hidden when the group's size is hidden."""

    low: float | None
    high: float | None
    group: Cell

    @property
    def shown(self) -> Shown:
        if self.low is None or self.high is None:
            return None
        return SUPPRESSED if self.group.hidden else f"{self.low:.2f} to {self.high:.2f}"

    @property
    def source(self) -> str:
        return f"statistic:{self.group.key}"


@dataclass(frozen=True)
class RunningTotal:
    """The sum of counts as shown: hidden from the first hidden count on."""

    counts: tuple[Cell, ...]

    @property
    def shown(self) -> Shown:
        values = [cell.shown for cell in self.counts]
        if any(isinstance(value, str) for value in values):
            return SUPPRESSED
        return sum(cast(list[int], values))

    @property
    def source(self) -> str:
        return "sum:" + ",".join(cell.key for cell in self.counts)


# Every kind of figure pending protection: each has `shown` and `source`.
PENDING = (Cell, Share, Statistic, PerUnit, Rate, RunningTotal, Probability, Interval)


def shown(value: Any) -> Shown:
    """A figure as shown, whether it was pending protection or plain."""
    if isinstance(value, PENDING):
        return value.shown
    return cast(Shown, value)


def source(value: Any) -> str | None:
    """Where a figure comes from, for an audit of the published report: a cell's key, or
    a derived figure's kind and the keys it is worked out from; None for plain text."""
    return value.source if isinstance(value, PENDING) else None
