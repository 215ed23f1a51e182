"""What an evaluation report is made of: sections of tables, each figure already passed
through disclosure control, and the headline metrics by id.

Every output (the page, the printable HTML, the PDF, CSV, XLSX and JSON) is drawn from one
`Report`, so the numbers agree everywhere and none can leave without disclosure control.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from healthtrainer.core.period import Period
from healthtrainer.evaluation.disclosure import Disclosure
from healthtrainer.evaluation.report.figures import PValue, Shown, shown, source
from healthtrainer.evaluation.report.ledger import Ledger

NO_DATA = "no data"


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
    # What a table with no rows says instead, when there is more to say than that nothing
    # has been recorded yet.
    empty: str = ""
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
