"""Chart labels in the PDF, as WeasyPrint sets them in its own fonts: no two overlap and
none is cut by the edge of its picture.

WeasyPrint draws each SVG text as glyphs placed one by one in a form XObject; its layout
tree holds no boxes for them. So the boxes are read back from the PDF: the content
streams are walked (transformations, clipping rectangles, text positions) and each
label's box runs from its first glyph to the end of its last, by the advances of the
embedded font, from its descent to its ascent.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations

import pytest
from django.templatetags.static import static
from pypdf import PdfReader
from pypdf.generic import ContentStream

from healthtrainer.core import charts
from healthtrainer.core.pdf import PDF_BASE_URL, static_file
from healthtrainer.core.period import Period
from healthtrainer.core.tests.test_charts_layout import PRACTICES, _overlap, months
from healthtrainer.evaluation.disclosure import Disclosure
from healthtrainer.evaluation.report import build_report
from healthtrainer.evaluation.report.output import pdf, printable_html
from healthtrainer.tests.factories import PracticeFactory, ReferralFactory

Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)
# A share of the font size above and below the baseline: DejaVu Sans' capitals and
# descenders, a little short of its line box so that lines of a paragraph never touch.
ASCENT, DESCENT = 0.75, 0.2


def _times(first: Matrix, then: Matrix) -> Matrix:
    a, b, c, d, e, f = first
    p, q, r, s, t, u = then
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def _apply(matrix: Matrix, x: float, y: float) -> Point:
    a, b, c, d, e, f = matrix
    return (x * a + y * c + e, x * b + y * d + f)


def _inverse(matrix: Matrix) -> Matrix:
    a, b, c, d, e, f = matrix
    det = a * d - b * c
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    return (ia, ib, ic, id_, -(e * ia + f * ic), -(e * ib + f * id_))


def _advances(font) -> dict[int, float]:
    """Glyph advances, in thousandths of the font size, from a CID font's /W array."""
    descendant = font["/DescendantFonts"][0].get_object()
    table: dict[int, float] = {}
    entries = list(descendant.get("/W", []))
    index = 0
    while index < len(entries):
        first, following = int(entries[index]), entries[index + 1]
        if isinstance(following, list):
            table.update({first + k: float(width) for k, width in enumerate(following)})
            index += 2
        else:
            table.update(dict.fromkeys(range(first, int(following) + 1), float(entries[index + 2])))
            index += 3
    default = float(descendant.get("/DW", 1000))
    return {-1: default, **table}


@dataclass
class Label:
    """One piece of text as set on the page: its glyphs' placements, and the clipping
    rectangle it was drawn within."""

    glyphs: list[tuple[Matrix, float, float, float]]
    clip: tuple[float, float, float, float]

    def corners(self) -> list[Point]:
        first = self.glyphs[0][0]
        back = _inverse(first)
        along = [
            _apply(back, *_apply(matrix, edge, 0))[0]
            for matrix, start, end, _ in self.glyphs
            for edge in (start, end)
        ]
        size = self.glyphs[0][3]
        low, high = min(along), max(along)
        # WeasyPrint sets text with a y axis pointing down: the ascent is at -y.
        return [
            _apply(first, low, -ASCENT * size),
            _apply(first, high, -ASCENT * size),
            _apply(first, high, DESCENT * size),
            _apply(first, low, DESCENT * size),
        ]

    def in_picture(self, unclipped: tuple[float, float, float, float]) -> bool:
        """Drawn within a picture's clip; not the page's own text, drawn unclipped, nor the
        running header and footer, laid out clipped to nothing to be copied into the margins."""
        left, top, right, bottom = self.clip
        return self.clip != unclipped and right > left and bottom > top

    def inside_clip(self) -> bool:
        left, top, right, bottom = self.clip
        return all(
            left - 0.5 <= x <= right + 0.5 and top - 0.5 <= y <= bottom + 0.5
            for x, y in self.corners()
        )


class _Walk:
    def __init__(self, reader: PdfReader) -> None:
        self.reader = reader
        self.labels: list[Label] = []

    def stream(self, content, resources, ctm: Matrix, clip) -> None:
        resources = resources.get_object() if resources is not None else {}
        saved: list[tuple[Matrix, tuple[float, float, float, float]]] = []
        text_matrix, size, advances = IDENTITY, 0.0, {-1: 1000.0}
        glyphs: list[tuple[Matrix, float, float, float]] | None = None
        path: list[Point] = []
        clipping = False
        for operands, operator in ContentStream(content, self.reader).operations:
            if operator == b"q":
                saved.append((ctm, clip))
            elif operator == b"Q":
                ctm, clip = saved.pop()
            elif operator == b"cm":
                ctm = _times(tuple(float(v) for v in operands), ctm)
            elif operator == b"re":
                x, y, w, h = (float(v) for v in operands)
                path += [_apply(ctm, x, y), _apply(ctm, x + w, y + h)]
            elif operator in (b"W", b"W*"):
                clipping = True
            elif operator in (b"n", b"f", b"f*", b"S", b"B", b"b"):
                if clipping and path:
                    xs, ys = [p[0] for p in path], [p[1] for p in path]
                    clip = (
                        max(clip[0], min(xs)),
                        max(clip[1], min(ys)),
                        min(clip[2], max(xs)),
                        min(clip[3], max(ys)),
                    )
                path, clipping = [], False
            elif operator == b"BT":
                text_matrix, glyphs = IDENTITY, []
            elif operator == b"ET":
                if glyphs:
                    self.labels.append(Label(glyphs, clip))
                glyphs = None
            elif operator == b"Tm":
                text_matrix = tuple(float(v) for v in operands)
            elif operator == b"Tf":
                advances = _advances(resources["/Font"][operands[0]].get_object())
                size = float(operands[1])
            elif operator in (b"TJ", b"Tj") and glyphs is not None:
                x = 0.0
                for item in operands[0] if operator == b"TJ" else [operands[0]]:
                    if isinstance(item, int | float) or hasattr(item, "as_numeric"):
                        x -= float(item) / 1000 * size
                        continue
                    raw = item.original_bytes if hasattr(item, "original_bytes") else bytes(item)
                    for k in range(0, len(raw) - 1, 2):
                        glyph = raw[k] * 256 + raw[k + 1]
                        advance = advances.get(glyph, advances[-1]) / 1000 * size
                        glyphs.append((_times(text_matrix, ctm), x, x + advance, size))
                        x += advance
            elif operator == b"Do":
                form = resources["/XObject"][operands[0]].get_object()
                if form.get("/Subtype") == "/Form":
                    matrix = tuple(float(v) for v in form.get("/Matrix", IDENTITY))
                    inner = form.get("/Resources", resources)
                    self.stream(form, inner, _times(matrix, ctm), clip)


def chart_labels(document: bytes) -> list[list[Label]]:
    """Per page, each text WeasyPrint drew from an SVG: within the clipping rectangle it
    sets to the picture's viewport (the page's own text is drawn unclipped)."""
    reader = PdfReader(io.BytesIO(document))
    pages = []
    for page in reader.pages:
        walk = _Walk(reader)
        everything = (-1e9, -1e9, 1e9, 1e9)
        walk.stream(page.get_contents(), page["/Resources"], IDENTITY, everything)
        pages.append([label for label in walk.labels if label.in_picture(everything)])
    return pages


def assert_labels_apart_and_whole(document: bytes) -> int:
    count = 0
    for number, labels in enumerate(chart_labels(document), start=1):
        count += len(labels)
        for label in labels:
            assert label.inside_clip(), f"a label on page {number} is cut by its picture's edge"
        for first, second in combinations(labels, 2):
            assert not _overlap(first.corners(), second.corners()), (
                f"two labels overlap on page {number}"
            )
    return count


def _printed(*pictures: str) -> bytes:
    from weasyprint import CSS, HTML  # Pango loads on import: only here

    stylesheet = static_file(PDF_BASE_URL.rstrip("/") + static("evaluation/printable.css"))
    figures = "".join(f"<figure>{picture}</figure>" for picture in pictures)
    html = f"<!doctype html><html lang='en'><body>{figures}</body></html>"
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(stylesheet))])


def test_the_pdf_reader_sees_an_overlap_and_a_cut_label():
    """The check itself: two texts drawn on top of each other, and one past the edge."""
    svg = (
        '<svg viewBox="0 0 640 100" xmlns="http://www.w3.org/2000/svg">'
        '<text x="100" y="50" font-size="12">Nov 2024</text>'
        '<text x="120" y="52" font-size="12">Dec 2024</text>'
        '<text x="630" y="90" font-size="12" text-anchor="middle">Jan 2025</text></svg>'
    )
    labels = chart_labels(_printed(svg))[0]
    assert len(labels) == 3
    assert _overlap(labels[0].corners(), labels[1].corners())
    assert [label.inside_clip() for label in labels] == [True, True, False]


def test_every_kind_of_chart_keeps_its_labels_apart_and_whole_in_the_pdf():
    practices = [charts.Bar(name, float(3 + i % 7), i % 4 == 0) for i, name in enumerate(PRACTICES)]
    scores = [(f"Session {n}", float(score)) for n, score in enumerate([21, 17, 12, 9, 8, 10], 1)]
    pictures = [
        charts.bar_chart("Practices", "Counts", practices),
        charts.bar_chart("Quintiles", "Rates", [charts.Bar(f"{q}", 2.5 * q) for q in range(1, 6)]),
        *(
            charts.cumulative_chart(
                f"{n} months", "Total", months(n), [3.0 * i for i in range(n)], 90
            )
            for n in (6, 12, 24, 36)
        ),
        charts.score_chart("PHQ-9", "Scores", scores, minimum=0, maximum=27),
        charts.flow_chart(
            "Flow",
            "Stages",
            [("Referred", "120"), ("Accepted", "96"), ("Discharged", "70")],
            ["24 declined or not reached", "26 still in the programme"],
        ),
    ]
    drawn = sum(str(picture).count("<text ") for picture in pictures)
    assert assert_labels_apart_and_whole(_printed(*pictures)) == drawn


@pytest.mark.django_db
def test_the_printed_report_keeps_every_chart_label_apart_and_whole(world):
    first = date(2023, 1, 9)
    for index, name in enumerate(PRACTICES):
        practice = PracticeFactory(
            programme=world.programme, name=name, is_gp_champion=index % 5 == 0
        )
        for month in range(index % 3, 24, 3):
            ReferralFactory(
                practice=practice,
                imd_decile=1 + index % 10,
                received_date=first + timedelta(days=30 * month),
            )
    report = build_report(world.programme, Period(), Disclosure.EXACT)
    drawn = printable_html(report).count("<text ")
    assert drawn > 60
    assert assert_labels_apart_and_whole(pdf(report)) == drawn
