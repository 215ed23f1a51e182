"""What an evaluation report is made of: sections of tables, each figure already passed
through disclosure control, and the headline metrics by id.

Every output (the page, the printable HTML, the PDF, CSV, XLSX and JSON) is drawn from one
`Report`, so the numbers agree everywhere and none can leave without disclosure control.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol, cast

from markupsafe import Markup

from healthtrainer.evaluation.disclosure import SUPPRESSED, Disclosure, percentage
from healthtrainer.evaluation.metrics.source import Ratio
from healthtrainer.evaluation.period import Period
from healthtrainer.evaluation.report.ledger import Cell, Ledger

NO_DATA = "no data"

# A value as shown: a count, a percentage or statistic, money, text; "*" when suppressed;
# None when there is nothing to show ("no data").
Shown = int | float | Decimal | str | None


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = True


Row = tuple[Shown, ...]


@dataclass(frozen=True)
class Table:
    id: str
    title: str
    columns: tuple[Column, ...]
    # While the report is being built, rows may hold figures pending protection.
    rows: Sequence[tuple[Any, ...]]
    # The registry metric the table shows, for its definition.
    metric_id: str
    chart: Markup | None = None
    note: str = ""
    # Draws the chart from the rows as shown, once the report is protected.
    draw: Callable[[list[Row]], Markup | None] | None = None
    # Where each figure comes from (see `source`), row by row; None for text.
    sources: tuple[tuple[str | None, ...], ...] = ()

    def finished(self) -> Table:
        """The table with every figure as shown, and its chart drawn from them."""
        rows = [tuple(shown(value) for value in row) for row in self.rows]
        return replace(
            self,
            rows=rows,
            chart=self.draw(rows) if self.draw else self.chart,
            draw=None,
            sources=tuple(tuple(source(value) for value in row) for row in self.rows),
        )


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    summary: str
    tables: list[Table]

    def finished(self) -> Section:
        return replace(self, tables=[table.finished() for table in self.tables])


@dataclass(frozen=True)
class Headline:
    id: str
    title: str
    definition: str
    value: Any
    numerator: Any = None
    denominator: Any = None
    # "%" for a percentage, "£" for money, "" for a count or other figure.
    unit: str = ""
    # What the denominator counts, in words ("referrals", "clients seen").
    of: str = ""

    def finished(self) -> Headline:
        return replace(
            self,
            value=shown(self.value),
            numerator=shown(self.numerator),
            denominator=shown(self.denominator),
        )

    @property
    def text(self) -> str:
        shown = display(self.value)
        if not isinstance(self.value, int | float | Decimal):
            return shown
        return f"£{shown}" if self.unit == "£" else f"{shown}{self.unit}"


@dataclass(frozen=True)
class Report:
    programme: str
    programme_slug: str
    period: Period
    disclosure: Disclosure
    generated_at: datetime
    sections: list[Section]
    metrics: dict[str, Headline] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)
    # Every count shown and the sums between them: what a reader is assumed to know.
    ledger: Ledger | None = None

    @property
    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]

    @property
    def disclosure_statement(self) -> str:
        if self.disclosure == Disclosure.EXACT:
            return "Exact figures: not for publication; for the care team only."
        return (
            "Published figures: counts of 1 to 7 are shown as *, other counts are rounded "
            "to the nearest 5, and percentages, rates and unit costs are worked out from the "
            "counts as shown. Further figures are shown as * where they would let a hidden "
            "count be worked out; money is shown to the whole pound."
        )


class Pending(Protocol):
    """A figure whose shown value is known only once the whole report is protected."""

    @property
    def shown(self) -> Shown: ...

    # Where the figure comes from, for an audit of the published report: a cell's key,
    # or a derived figure's kind and the keys it is worked out from.
    @property
    def source(self) -> str: ...


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


DERIVED = (Share, Statistic, PerUnit, Rate, RunningTotal, Probability, Interval)


def shown(value: Any) -> Shown:
    """A figure as shown, whether it was pending protection or plain."""
    if isinstance(value, Cell):
        return value.shown
    if isinstance(value, DERIVED):
        return value.shown
    return cast(Shown, value)


def source(value: Any) -> str | None:
    if isinstance(value, Cell):
        return f"count:{value.key}"
    if isinstance(value, DERIVED):
        return value.source
    return None


def display(value: Any) -> str:
    """A shown value as text, the same in every output."""
    if value is None:
        return NO_DATA
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, PValue):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def chart_value(value: Shown) -> float | None:
    """A shown value for drawing: a hidden or missing value is a gap, never a zero."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return float(value)
    return None
