"""Charts label themselves: round ticks, no label cut off, no two labels on top of each
other, nothing outside the picture. Boxes are measured as the chart measures text, with a
generous width per character, so what passes here also fits in the PDF's fonts."""

from __future__ import annotations

import math
import re
from datetime import date
from itertools import combinations, pairwise
from xml.etree import ElementTree

import pytest

from healthtrainer.core import charts
from healthtrainer.core.chart_layout import (
    counting_scale,
    fixed_scale,
    text_width,
    tick_text,
)

SVG = "{http://www.w3.org/2000/svg}"
PRACTICES = [
    "Upperthorpe and Walkley Medical Centre Partnership",
    "Crookes Valley Road Surgery",
    "Dr Okafor and Partners, Sharrow Lane Health Centre",
    "Norfolk Park Health Centre",
    "The Porter Brook Medical Centre",
    "Birley Health Centre",
    "Woodhouse Health Centre",
    "Heeley Green Surgery",
    "Firth Park Surgery",
    "Page Hall Medical Centre",
    "Pitsmoor Surgery",
    "Darnall Primary Care Centre",
    "Manor Park Medical Centre",
    "Hackenthorpe Medical Centre",
    "Stannington Medical Centre",
    "Oughtibridge Surgery",
    "Dovercourt Surgery",
    "Richmond Medical Centre",
    "Sloan Medical Centre",
    "Totley Rise Medical Centre",
]


def months(count: int) -> list[str]:
    return [
        f"{date(2024 + (10 + index) // 12, (10 + index) % 12 + 1, 1):%b %Y}"
        for index in range(count)
    ]


def _text_of(element: ElementTree.Element) -> str:
    title = element.find(f"{SVG}title")
    text = (element.text or "") + "".join((child.tail or "") for child in element)
    return text.strip() if title is None else (title.tail or text).strip()


def _corners(element: ElementTree.Element) -> list[tuple[float, float]]:
    size = float(element.get("font-size", "12"))
    x, y = float(element.get("x", "0")), float(element.get("y", "0"))
    width = text_width(_text_of(element), size)
    anchor = element.get("text-anchor", "start")
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    box = [(left, y - size * 0.8), (left + width, y - size * 0.8)]
    box += [(left + width, y + size * 0.25), (left, y + size * 0.25)]
    turned = re.match(r"rotate\((-?[\d.]+) ([\d.]+) ([\d.]+)\)", element.get("transform", ""))
    if not turned:
        return box
    angle, cx, cy = (float(part) for part in turned.groups())
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    return [
        (cx + (px - cx) * cos - (py - cy) * sin, cy + (px - cx) * sin + (py - cy) * cos)
        for px, py in box
    ]


def _overlap(first: list[tuple[float, float]], second: list[tuple[float, float]]) -> bool:
    """Separating axis test for two convex quadrilaterals."""
    for shape in (first, second):
        for index in range(4):
            (x1, y1), (x2, y2) = shape[index], shape[(index + 1) % 4]
            axis = (y1 - y2, x2 - x1)
            a = [px * axis[0] + py * axis[1] for px, py in first]
            b = [px * axis[0] + py * axis[1] for px, py in second]
            if max(a) <= min(b) or max(b) <= min(a):
                return False
    return True


def labels_of(svg: str) -> tuple[tuple[float, float], list[ElementTree.Element]]:
    root = ElementTree.fromstring(str(svg))  # noqa: S314 (markup the chart code made)
    _, _, width, height = (float(part) for part in root.get("viewBox", "").split())
    return (width, height), [
        element for element in root.iter(f"{SVG}text") if _text_of(element) not in ("", "*")
    ]


def assert_labels_read(svg: str, full_labels: list[str]) -> None:
    (width, height), texts = labels_of(svg)
    boxes = [(_text_of(element), _corners(element)) for element in texts]
    for text, box in boxes:
        for px, py in box:
            assert -0.5 <= px <= width + 0.5, f"{text!r} runs off the side"
            assert -0.5 <= py <= height + 0.5, f"{text!r} runs off the bottom or top"
    for (one, first), (other, second) in combinations(boxes, 2):
        assert not _overlap(first, second), f"{one!r} and {other!r} overlap"
    shown = {_text_of(element) for element in texts}
    tooltips = set(re.findall(r"<title>([^<:]+)(?::[^<]*)?</title>", str(svg)))
    for label in full_labels:
        assert label in shown or label in tooltips, f"{label!r} is neither shown nor a tooltip"
    for element in texts:
        text = _text_of(element)
        if text.endswith("…"):
            assert element.find(f"{SVG}title") is not None, f"{text!r} has no full name"


def axis_values(svg: str) -> list[float]:
    _, texts = labels_of(svg)
    ticks = [
        element
        for element in texts
        if element.get("text-anchor") == "end"
        and element.get("transform") is None
        and float(element.get("x", "0")) < 120
        and not _text_of(element).startswith("Projected")
    ]
    return [float(_text_of(element).replace(",", "")) for element in ticks]


def assert_round(values: list[float], *, whole: bool) -> None:
    steps = {round(b - a, 9) for a, b in pairwise(values)}
    assert len(steps) == 1, values
    step = steps.pop()
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 9) in {1, 2, 2.5, 5}, values
    if whole:
        assert all(value.is_integer() for value in values), values


def test_twenty_long_practice_names_are_turned_shortened_and_never_overlap():
    bars = [charts.Bar(name, float(3 + index % 7)) for index, name in enumerate(PRACTICES)]
    svg = charts.bar_chart("Referrals by practice", "Counts", bars)
    assert_labels_read(svg, PRACTICES)
    assert_round(axis_values(svg), whole=True)


def test_a_few_bars_keep_their_labels_whole():
    labels = ["1 (most deprived)", "2", "3", "4", "5 (least deprived)"]
    svg = charts.bar_chart("By quintile", "Rates", [charts.Bar(x, 40.5) for x in labels])
    assert {_text_of(element) for element in labels_of(svg)[1]} >= set(labels)
    assert_labels_read(svg, labels)
    short = charts.bar_chart("By sex", "Rates", [charts.Bar(x, 4) for x in ("Female", "Male")])
    assert not any(element.get("transform") for element in labels_of(short)[1])


@pytest.mark.parametrize("count", [1, 6, 12, 18, 36])
def test_month_labels_are_never_cut_at_the_edges_or_overlapping(count):
    labels = months(count)
    running = [float(index * 3) for index in range(count)]
    svg = charts.cumulative_chart("Referrals", "Running total", labels, running, target=90)
    assert_labels_read(svg, labels)
    assert_round(axis_values(svg), whole=True)
    shown = {_text_of(element) for element in labels_of(svg)[1]}
    assert labels[0] in shown
    assert not any(re.fullmatch(r"[A-Z][a-z]{2} \d{1,3}", text) for text in shown)


def test_the_phq9_axis_reads_in_round_whole_scores():
    points = [
        (f"{label} session", float(score))
        for label, score in zip(
            ["First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Exit", "Follow-up"],
            [21, 19, 17, 14, 12, 11, 9, 10],
            strict=True,
        )
    ]
    svg = charts.score_chart("PHQ-9", "Scores", points, minimum=0, maximum=27)
    values = axis_values(svg)
    assert values == [0, 5, 10, 15, 20, 25]
    assert_labels_read(svg, [label for label, _ in points])


@pytest.mark.parametrize(
    ("largest", "whole", "top", "ticks"),
    [
        (13.5, False, 15, [0, 5, 10, 15]),
        (27, True, 30, [0, 10, 20, 30]),
        (3, True, 3, [0, 1, 2, 3]),
        (0, True, 4, [0, 1, 2, 3, 4]),
        (0.8, False, 0.8, [0, 0.2, 0.4, 0.6, 0.8]),
        (1234, True, 1500, [0, 500, 1000, 1500]),
    ],
)
def test_counting_scales_end_on_a_round_tick(largest, whole, top, ticks):
    scale = counting_scale(largest, integer=whole)
    assert scale.high == top
    assert list(scale.ticks) == ticks


def test_a_fixed_scale_keeps_its_ends_with_round_ticks_inside():
    scale = fixed_scale(7, 35, integer=False)
    assert (scale.low, scale.high) == (7, 35)
    assert list(scale.ticks) == [10, 15, 20, 25, 30, 35]


def test_ticks_are_written_as_people_write_numbers():
    assert [tick_text(v) for v in (0, 2.5, 1500, 0.25)] == ["0", "2.5", "1,500", "0.25"]
