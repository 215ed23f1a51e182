"""Charts drawn on the server as SVG, so the page and a PDF show the same picture.

Each chart has a title and a description for screen readers, and every page that shows
one also shows its numbers in a table. Pure functions: figures in, markup out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from healthtrainer.core.chart_layout import (
    Scale,
    category_labels,
    counting_scale,
    fixed_scale,
    shortened,
    spaced_points,
    text_width,
    tick_text,
)

WIDTH, HEIGHT = 640, 280
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 48, 16, 16, 56
NHS_BLUE, NHS_DARK_GREY, NHS_WARM_YELLOW = "#005eb8", "#425563", "#ffb81c"


@dataclass(frozen=True)
class Bar:
    label: str
    # None for a figure that is hidden or missing: drawn as a gap marked "*", never as 0.
    value: float | None
    highlight: bool = False


def _svg(title: str, description: str, body: str, height: int = HEIGHT) -> Markup:
    identifier = "chart-" + "".join(ch if ch.isalnum() else "-" for ch in title.lower())
    # Every piece of text in the markup is escaped above or below; numbers are formatted.
    return Markup(  # noqa: S704
        f'<svg class="app-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{identifier}-title {identifier}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{identifier}-title">{escape(title)}</title>'
        f'<desc id="{identifier}-desc">{escape(description)}</desc>{body}</svg>'
    )


PLOT_HEIGHT = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
AXIS_FONT, LABEL_FONT = 12, 11


def _is_whole(values: Sequence[float]) -> bool:
    return all(float(value).is_integer() for value in values)


def _y(scale: Scale, value: float) -> float:
    span = (scale.high - scale.low) or 1.0
    return MARGIN_TOP + PLOT_HEIGHT * (1 - (value - scale.low) / span)


def _left_margin(scale: Scale) -> float:
    widest = max(text_width(tick_text(tick), AXIS_FONT) for tick in scale.ticks)
    return max(float(MARGIN_LEFT), widest + 12)


def _axis(scale: Scale, left: float) -> str:
    parts = []
    for tick in scale.ticks:
        y = _y(scale, tick)
        parts.append(
            f'<line x1="{left:.1f}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#d8dde0" stroke-width="1"/>'
            f'<text x="{left - 6:.1f}" y="{y + 4:.1f}" text-anchor="end" font-size="{AXIS_FONT}" '
            f'fill="{NHS_DARK_GREY}">{tick_text(tick)}</text>'
        )
    return "".join(parts)


def _level_label(x: float, text: str, full: str) -> str:
    """A label centred under its point, moved in from the edge rather than cut by it."""
    half = text_width(text, LABEL_FONT) / 2
    x = min(max(x, half + 2), WIDTH - half - 2)
    title = f"<title>{escape(full)}</title>" if text != full else ""
    return (
        f'<text x="{x:.1f}" y="{MARGIN_TOP + PLOT_HEIGHT + 16}" text-anchor="middle" '
        f'font-size="{LABEL_FONT}" fill="{NHS_DARK_GREY}">{title}{escape(text)}</text>'
    )


def _turned_label(x: float, text: str, full: str) -> str:
    y = MARGIN_TOP + PLOT_HEIGHT + 12
    title = f"<title>{escape(full)}</title>" if text != full else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="end" transform="rotate(-45 {x:.1f} {y:.1f})" '
        f'font-size="{LABEL_FONT}" fill="{NHS_DARK_GREY}">{title}{escape(text)}</text>'
    )


def bar_chart(title: str, description: str, bars: Sequence[Bar]) -> Markup:
    """Vertical bars; highlighted bars (such as GP champion practices) in yellow. Labels
    too long for their bar are turned and shortened, each with its full name as a tooltip."""
    shown = [bar.value for bar in bars if bar.value is not None]
    scale = counting_scale(max(shown, default=0.0), integer=_is_whole(shown))
    left = _left_margin(scale)
    slot = (WIDTH - left - MARGIN_RIGHT) / max(len(bars), 1)
    layout = category_labels([bar.label for bar in bars], slot, LABEL_FONT)
    parts = [_axis(scale, left)]
    for index, bar in enumerate(bars):
        x = left + index * slot + slot * 0.15
        if bar.value is None:
            parts.append(_gap(x + slot * 0.35, MARGIN_TOP + PLOT_HEIGHT - 6, bar.label))
        else:
            y = _y(scale, bar.value)
            colour = NHS_WARM_YELLOW if bar.highlight else NHS_BLUE
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
                f'height="{MARGIN_TOP + PLOT_HEIGHT - y:.1f}" fill="{colour}">'
                f"<title>{escape(bar.label)}: {bar.value:g}</title></rect>"
            )
    for index, text in zip(layout.shown, layout.texts, strict=True):
        centre = left + index * slot + slot * 0.5
        if layout.rotated:
            # A turned label reaches left as far as it is long: keep it inside the picture.
            room = (centre - 4) / math.cos(math.pi / 4) - LABEL_FONT
            parts.append(
                _turned_label(centre, shortened(text, room, LABEL_FONT), bars[index].label)
            )
        else:
            parts.append(_level_label(centre, text, bars[index].label))
    height = round(MARGIN_TOP + PLOT_HEIGHT + max(layout.depth + 8, MARGIN_BOTTOM))
    return _svg(title, description, "".join(parts), height)


def _gap(x: float, y: float, label: str) -> str:
    """Where a figure is hidden: a "*" in place of its mark, named for screen readers."""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" font-size="16" '
        f'fill="{NHS_DARK_GREY}"><title>{escape(label)}: hidden</title>*</text>'
    )


def cumulative_chart(
    title: str,
    description: str,
    labels: Sequence[str],
    running: Sequence[float | None],
    target: int | None,
) -> Markup:
    """A running total as a line, with the target as a dashed line when there is one. A
    hidden point (None) breaks the line and is marked "*"."""
    shown = [value for value in running if value is not None]
    scale = counting_scale(max([*shown, target or 0]), integer=_is_whole(shown))
    left = _left_margin(scale)
    step = (WIDTH - left - MARGIN_RIGHT) / max(len(running) - 1, 1)

    def point(index: int, value: float) -> tuple[float, float]:
        return left + index * step, _y(scale, value)

    parts = [_axis(scale, left)]
    if target:
        y = _y(scale, target)
        parts.append(
            f'<line x1="{left:.1f}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{NHS_DARK_GREY}" stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{WIDTH - MARGIN_RIGHT}" y="{y - 6:.1f}" text-anchor="end" font-size="12" '
            f'fill="{NHS_DARK_GREY}">Projected: {target:,}</text>'
        )
    for run in _runs(running):
        points = " ".join("{:.1f},{:.1f}".format(*point(i, running[i] or 0)) for i in run)
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{NHS_BLUE}" stroke-width="3"/>'
        )
    for index, (label, value) in enumerate(zip(labels, running, strict=True)):
        cx, cy = point(index, value or 0)
        if value is None:
            parts.append(_gap(cx, MARGIN_TOP + PLOT_HEIGHT - 6, label))
        else:
            parts.append(
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{NHS_BLUE}">'
                f"<title>{escape(label)}: {value:g}</title></circle>"
            )
    for index in spaced_points(labels, step, LABEL_FONT):
        parts.append(_level_label(point(index, 0)[0], labels[index], labels[index]))
    return _svg(title, description, "".join(parts))


def _runs(values: Sequence[float | None]) -> list[list[int]]:
    """The indexes of each unbroken stretch of shown values."""
    runs: list[list[int]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append(index)
    return [run for run in runs if run]


def score_chart(
    title: str,
    description: str,
    points: Sequence[tuple[str, float]],
    *,
    minimum: float,
    maximum: float,
) -> Markup:
    """Scores over time on the instrument's own scale, so a change looks as big as it is;
    ticks at round values within it (0, 5, 10 … on PHQ-9's 0 to 27)."""
    values = [value for _, value in points]
    scale = fixed_scale(minimum, maximum, integer=_is_whole([minimum, maximum, *values]))
    left = _left_margin(scale)
    step = (WIDTH - left - MARGIN_RIGHT) / max(len(points) - 1, 1)

    def place(index: int, value: float) -> tuple[float, float]:
        return left + index * step, _y(scale, value)

    parts = [_axis(scale, left)]
    if points:
        placed = [place(index, value) for index, (_, value) in enumerate(points)]
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in placed)
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="{NHS_BLUE}" stroke-width="3"/>'
        )
        for (label, value), (x, y) in zip(points, placed, strict=True):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{NHS_BLUE}">'
                f"<title>{escape(label)}: {value:g}</title></circle>"
            )
        labels = [label for label, _ in points]
        for index in spaced_points(labels, step, LABEL_FONT):
            parts.append(_level_label(placed[index][0], labels[index], labels[index]))
    return _svg(title, description, "".join(parts))


FLOW_BOX_WIDTH, FLOW_BOX_HEIGHT, FLOW_GAP = 300, 44, 28


def flow_chart(
    title: str, description: str, stages: Sequence[tuple[str, str]], exits: Sequence[str]
) -> Markup:
    """A CONSORT-style flow: one box per stage, top to bottom, with an arrow between each
    and, beside each arrow, a box saying who left at that step (`exits[i]` lies between
    stage i and stage i + 1; an empty exit draws no box)."""
    step = FLOW_BOX_HEIGHT + FLOW_GAP
    height = 16 + len(stages) * step
    box_x = 24
    parts = [
        f'<defs><marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        f'markerWidth="8" markerHeight="8" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{NHS_DARK_GREY}"/></marker></defs>'
    ]
    for index, (label, value) in enumerate(stages):
        y = 8 + index * step
        parts.append(
            f'<rect x="{box_x}" y="{y}" width="{FLOW_BOX_WIDTH}" height="{FLOW_BOX_HEIGHT}" '
            f'fill="#ffffff" stroke="{NHS_BLUE}" stroke-width="2"/>'
            f'<text x="{box_x + 12}" y="{y + 27}" font-size="14" fill="#212b32">'
            f"{escape(label)}</text>"
            f'<text x="{box_x + FLOW_BOX_WIDTH - 12}" y="{y + 27}" font-size="16" '
            f'font-weight="bold" text-anchor="end" fill="#212b32">{escape(value)}</text>'
        )
        if index == len(stages) - 1:
            continue
        middle = box_x + FLOW_BOX_WIDTH / 2
        arrow_top, arrow_bottom = y + FLOW_BOX_HEIGHT, y + step
        parts.append(
            f'<line x1="{middle}" x2="{middle}" y1="{arrow_top}" y2="{arrow_bottom - 2}" '
            f'stroke="{NHS_DARK_GREY}" stroke-width="2" marker-end="url(#flow-arrow)"/>'
        )
        exit_text = exits[index] if index < len(exits) else ""
        if exit_text:
            exit_y = arrow_top + FLOW_GAP / 2
            exit_x = box_x + FLOW_BOX_WIDTH + 40
            parts.append(
                f'<line x1="{middle}" x2="{exit_x}" y1="{exit_y}" y2="{exit_y}" '
                f'stroke="{NHS_DARK_GREY}" stroke-width="1" stroke-dasharray="4 3"/>'
                f'<text x="{exit_x + 6}" y="{exit_y + 5}" font-size="13" '
                f'fill="{NHS_DARK_GREY}">{escape(exit_text)}</text>'
            )
    return _svg(title, description, "".join(parts), height)


@dataclass(frozen=True)
class FunnelPoint:
    label: str
    denominator: float
    value: float
    # Outside the outer limits (drawn as a filled warm-yellow diamond), or the inner ones.
    beyond_outer: bool = False
    beyond_inner: bool = False


def funnel_chart(
    title: str,
    description: str,
    points: Sequence[FunnelPoint],
    curve: Sequence[tuple[float, float, float, float, float]],
    *,
    target: float,
    low: float,
    high: float,
    x_label: str,
    point_text: str = "{value:g} of {denominator:g}",
) -> Markup:
    """A funnel plot: each unit's figure against its denominator (x, on a log scale), the
    target as a line, and inner and outer control limits as curves (`curve` rows are
    denominator, outer low, inner low, inner high, outer high). `point_text` says a point
    in words after its label."""
    scale = fixed_scale(low, high, integer=_is_whole([low, high]))
    left = _left_margin(scale)
    denominators = [row[0] for row in curve] + [point.denominator for point in points]
    smallest, largest = max(min(denominators, default=1), 1), max(denominators, default=10)
    span = math.log(largest) - math.log(smallest) or 1.0

    def x_of(n: float) -> float:
        share = (math.log(max(n, smallest)) - math.log(smallest)) / span
        return left + share * (WIDTH - left - MARGIN_RIGHT)

    def y_of(value: float) -> float:
        return _y(scale, min(max(value, low), high))

    parts = [_axis(scale, left)]
    for column, dashed in ((1, False), (2, True), (3, True), (4, False)):
        line = " ".join(f"{x_of(row[0]):.1f},{y_of(row[column]):.1f}" for row in curve)
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="{NHS_DARK_GREY}" '
            f'stroke-width="1.5"{dash}/>'
        )
    y = y_of(target)
    parts.append(
        f'<line x1="{left:.1f}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
        f'stroke="{NHS_BLUE}" stroke-width="2"/>'
    )
    for point in points:
        x, y = x_of(point.denominator), y_of(point.value)
        colour = NHS_WARM_YELLOW if point.beyond_outer or point.beyond_inner else NHS_BLUE
        size = 7 if point.beyond_outer else 5
        parts.append(
            f'<path d="M{x:.1f},{y - size:.1f} L{x + size:.1f},{y:.1f} L{x:.1f},{y + size:.1f} '
            f'L{x - size:.1f},{y:.1f} z" fill="{colour}" stroke="#212b32" stroke-width="1">'
            f"<title>{escape(point.label)}: "
            f"{escape(point_text.format(value=point.value, denominator=point.denominator))}"
            "</title></path>"
        )
    parts.append(
        f'<text x="{(left + WIDTH - MARGIN_RIGHT) / 2:.1f}" y="{HEIGHT - 12}" '
        f'text-anchor="middle" font-size="{AXIS_FONT}" fill="{NHS_DARK_GREY}">'
        f"{escape(x_label)}</text>"
    )
    return _svg(title, description, "".join(parts))


@dataclass(frozen=True)
class ControlPoint:
    label: str
    value: float | None
    mean: float
    lower: float
    upper: float
    # A special cause marks the point (warm yellow, larger).
    special: bool = False


def control_chart(title: str, description: str, points: Sequence[ControlPoint]) -> Markup:
    """A statistical process control chart: the values joined month by month, the mean and
    the control limits as steps (they change where a change is declared, or with each
    month's denominator), special-cause points marked."""
    shown = [point for point in points if point.value is not None]
    values = [v for point in points for v in (point.lower, point.upper, point.mean)] + [
        point.value for point in shown if point.value is not None
    ]
    low, high = min(values, default=0.0), max(values, default=1.0)
    scale = fixed_scale(min(low, 0.0), high if high > low else low + 1, integer=False)
    left = _left_margin(scale)
    step = (WIDTH - left - MARGIN_RIGHT) / max(len(points) - 1, 1)

    def x_of(index: int) -> float:
        return left + index * step

    parts = [_axis(scale, left)]
    for name, colour, dash in (
        ("lower", NHS_DARK_GREY, ' stroke-dasharray="6 4"'),
        ("upper", NHS_DARK_GREY, ' stroke-dasharray="6 4"'),
        ("mean", NHS_DARK_GREY, ""),
    ):
        line = " ".join(
            f"{x_of(i):.1f},{_y(scale, getattr(point, name)):.1f}" for i, point in enumerate(points)
        )
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="1.5"{dash}/>'
        )
    for run in _runs([point.value for point in points]):
        line = " ".join(f"{x_of(i):.1f},{_y(scale, points[i].value or 0):.1f}" for i in run)
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="{NHS_BLUE}" stroke-width="2.5"/>'
        )
    for index, point in enumerate(points):
        if point.value is None:
            continue
        colour, radius = (NHS_WARM_YELLOW, 6) if point.special else (NHS_BLUE, 4)
        parts.append(
            f'<circle cx="{x_of(index):.1f}" cy="{_y(scale, point.value):.1f}" r="{radius}" '
            f'fill="{colour}" stroke="#212b32" stroke-width="1">'
            f"<title>{escape(point.label)}: {point.value:g}</title></circle>"
        )
    labels = [point.label for point in points]
    for index in spaced_points(labels, step, LABEL_FONT):
        parts.append(_level_label(x_of(index), labels[index], labels[index]))
    return _svg(title, description, "".join(parts))
