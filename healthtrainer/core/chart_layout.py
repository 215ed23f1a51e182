"""Where a chart's ticks and labels go, so that they read: ticks at round values, and
labels that fit their space, whole or shortened with the full text kept for a tooltip.

Text is measured with a deliberately generous average character width, so a label that
fits here fits in any sans-serif font the page or the PDF ends up using.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Average advance of a character, as a share of the font size: about 0.5 for Arial and
# Frutiger; 0.6 leaves room for capitals and wide letters.
CHARACTER_WIDTH = 0.6
LINE_HEIGHT = 1.25


def text_width(text: str, font_size: float) -> float:
    return len(text) * font_size * CHARACTER_WIDTH


@dataclass(frozen=True)
class Scale:
    """A linear axis from `low` to `high` with ticks at round values within it."""

    low: float
    high: float
    ticks: tuple[float, ...]


def _nice_step(span: float, wanted: int, *, integer: bool) -> float:
    raw = span / max(wanted, 1)
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    steps = (1, 2, 5, 10) if integer else (1, 2, 2.5, 5, 10)
    for multiple in steps:
        step = multiple * power
        if step >= raw and (not integer or float(step).is_integer()):
            return float(step)
    return float(10 * power)


def counting_scale(largest: float, *, integer: bool = True, wanted: int = 4) -> Scale:
    """From 0 to a round value at or above `largest`, with 3 to 6 round ticks; whole
    numbers only on a scale of whole things, such as counts."""
    if largest <= 0:
        largest = 4.0 if integer else 1.0
    step = _nice_step(largest, wanted, integer=integer)
    if integer:
        step = max(step, 1.0)
    high = math.ceil(largest / step - 1e-9) * step
    if high < largest:
        high += step
    return Scale(0.0, high, _ticks(0.0, high, step))


def fixed_scale(low: float, high: float, *, integer: bool, wanted: int = 6) -> Scale:
    """A questionnaire's own range (PHQ-9 from 0 to 27): ends fixed, ticks at round values
    inside it, whole numbers where the scores are whole."""
    span = (high - low) or 1.0
    step = _nice_step(span, wanted, integer=integer)
    first = math.ceil(low / step - 1e-9) * step
    return Scale(low, high, _ticks(first, high, step))


def _ticks(first: float, last: float, step: float) -> tuple[float, ...]:
    count = math.floor((last - first) / step + 1e-9) + 1
    return tuple(round(first + index * step, 10) for index in range(count))


def tick_text(value: float) -> str:
    """A tick as people write it: 25, 2.5, 1,000; never 6.75 from a share of the range."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def shortened(text: str, room: float, font_size: float) -> str:
    """The text, cut at a word where it can be, with "…", to fit `room`; whole if it fits."""
    if text_width(text, font_size) <= room:
        return text
    fits = max(int(room / (font_size * CHARACTER_WIDTH)) - 1, 1)
    cut = text[:fits]
    if " " in cut.strip():
        cut = cut[: cut.rstrip().rfind(" ")]
    return cut.rstrip() + "…"


@dataclass(frozen=True)
class CategoryLabels:
    """How a row of labels under a chart is drawn: level or turned 45 degrees, which of
    them are shown, each as shown, and how much room below the plot they take."""

    rotated: bool
    shown: tuple[int, ...]
    texts: tuple[str, ...]
    depth: float


ROTATED_ROOM = 96.0


def category_labels(labels: Sequence[str], spacing: float, font_size: float) -> CategoryLabels:
    """Level when every label fits its own space; otherwise turned 45 degrees and
    shortened to the room below the plot; and every nth one only when even turned
    labels would touch."""
    if not labels:
        return CategoryLabels(False, (), (), 0.0)
    widest = max(text_width(label, font_size) for label in labels)
    if widest <= spacing * 0.9:
        return CategoryLabels(False, tuple(range(len(labels))), tuple(labels), font_size * 1.6)
    line = font_size * LINE_HEIGHT
    if widest <= spacing * 3 and len(labels) <= 4:
        # A few long labels: level, shortened to their space, rather than turned.
        texts = tuple(shortened(label, spacing * 0.9, font_size) for label in labels)
        return CategoryLabels(False, tuple(range(len(labels))), texts, font_size * 1.6)
    # Turned labels are parallel lines `spacing` apart sideways: sin 45° of that apart.
    every = max(1, math.ceil(line / (spacing * math.sin(math.pi / 4))))
    shown = tuple(range(0, len(labels), every))
    room = ROTATED_ROOM / math.sin(math.pi / 4) - font_size
    texts = tuple(shortened(labels[index], room, font_size) for index in shown)
    depth = max(text_width(text, font_size) for text in texts) * math.sin(math.pi / 4)
    return CategoryLabels(True, shown, texts, depth + font_size * 1.5)


def spaced_points(labels: Sequence[str], spacing: float, font_size: float) -> tuple[int, ...]:
    """Which labels along a line chart to show, level, so that none touches the next:
    every nth, always starting with the first."""
    if not labels:
        return ()
    widest = max(text_width(label, font_size) for label in labels) + font_size
    every = max(1, math.ceil(widest / max(spacing, 1e-9)))
    return tuple(range(0, len(labels), every))
