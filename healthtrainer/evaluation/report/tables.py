"""Building tables for the report's sections."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from markupsafe import Markup

from healthtrainer.evaluation.report.content import Column, Row, Table

GAP_NOTE = "Hidden figures are gaps, marked *, not zeros."


def columns(*labels: str, text: int = 1) -> tuple[Column, ...]:
    """The first `text` columns hold text; the rest hold numbers."""
    return tuple(Column(label, numeric=index >= text) for index, label in enumerate(labels))


def table(
    id: str,
    title: str,
    metric_id: str,
    heads: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    draw: Callable[[list[Row]], Markup | None] | None = None,
    note: str = "",
    empty: str = "",
) -> Table:
    """A table whose figures may still be pending protection; `draw` makes its chart
    from the figures as shown."""
    return Table(
        id,
        title,
        tuple(heads),
        [tuple(row) for row in rows],
        metric_id,
        note=note,
        empty=empty,
        draw=draw,
    )


def quotes_table(aspect_id: str, quotes: list[Any]) -> list[Table]:
    """What people said on one aspect, if analysts chose quotes for it."""
    if not quotes:
        return []
    return [
        table(
            f"quotes-{aspect_id.replace('_', '-')}",
            "What people said",
            "qualitative.quotes",
            columns("Theme", "Who", "In their words", text=3),
            [(quote.theme, f"{quote.participant} ({quote.role})", quote.words) for quote in quotes],
            note="Names are replaced by pseudonyms.",
        )
    ]
