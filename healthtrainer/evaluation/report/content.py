"""What an evaluation report is made of: sections of tables, each figure already passed
through disclosure control, and the headline metrics by id.

Every output (the page, the printable HTML, the PDF, CSV, XLSX and JSON) is drawn from one
`Report`, so the numbers agree everywhere and none can leave without disclosure control.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from markupsafe import Markup

from healthtrainer.evaluation.disclosure import (
    SMALLEST_SHOWN,
    SUPPRESSED,
    Disclosure,
    shown_count,
    shown_percentage,
)
from healthtrainer.evaluation.metrics.source import Ratio
from healthtrainer.evaluation.period import Period

NO_DATA = "no data"

# A value as shown: a count, a percentage or statistic, money, text; "*" when suppressed;
# None when there is nothing to show ("no data").
Shown = int | float | Decimal | str | None


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = True


@dataclass(frozen=True)
class Table:
    id: str
    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[Shown, ...]]
    # The registry metric the table shows, for its definition.
    metric_id: str
    chart: Markup | None = None
    note: str = ""


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    summary: str
    tables: list[Table]


@dataclass(frozen=True)
class Headline:
    id: str
    title: str
    definition: str
    value: Shown
    numerator: Shown = None
    denominator: Shown = None
    # "%" for a percentage, "£" for money, "" for a count or other figure.
    unit: str = ""

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

    @property
    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]

    @property
    def disclosure_statement(self) -> str:
        if self.disclosure == Disclosure.EXACT:
            return "Exact figures: not for publication; for the care team only."
        return (
            "Published figures: counts of 1 to 7 are shown as *, other counts are rounded "
            "to the nearest 5, and percentages are worked out from the rounded counts."
        )


class Disclose:
    """Turns raw figures into what this report may show, in its disclosure mode."""

    def __init__(self, mode: Disclosure) -> None:
        self.mode = mode

    def count(self, n: int) -> int | str:
        return shown_count(n, self.mode)

    def share(self, ratio: Ratio) -> Decimal | str | None:
        return shown_percentage(ratio.numerator, ratio.denominator, self.mode)

    def of(self, n: int, total: int) -> Decimal | str | None:
        return shown_percentage(n, total, self.mode)

    def small(self, n: int) -> bool:
        """Whether a group of n people is too small to publish a figure about."""
        return self.mode == Disclosure.PUBLISHED and 0 < n < SMALLEST_SHOWN

    def statistic(self, value: float | Decimal | None, n: int, places: int = 2) -> Shown:
        """A mean or other statistic of n people: suppressed with a small group."""
        if value is None:
            return None
        if self.small(n):
            return SUPPRESSED
        return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

    def money(self, amount: Decimal | None, n: int | None = None) -> Shown:
        if amount is None:
            return None
        if n is not None and self.small(n):
            return SUPPRESSED
        return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def display(value: Any) -> str:
    """A shown value as text, the same in every output."""
    if value is None:
        return NO_DATA
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def chart_value(value: Shown) -> float:
    """A shown value for drawing: suppressed and missing values are drawn as nothing."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return float(value)
    return 0.0
