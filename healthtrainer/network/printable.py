"""A network's figures as a printable page and an A4 PDF: each chart, drawn as on the
page, with its summary in words and its table, laid out by the evaluation report's
printable stylesheet."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from healthtrainer.core.pdf import html_pdf
from healthtrainer.network.charts import figure_charts
from healthtrainer.network.figures import NetworkFigures, tables
from healthtrainer.network.formats import DISCLOSURE_STATEMENT
from healthtrainer.network.spc import SIGNAL_WORDS


def printable_html(figures: NetworkFigures) -> str:
    charts = figure_charts(figures)
    return render_to_string(
        "network/printable.jinja",
        {
            "network": figures.network,
            "generated_at": timezone.localtime(),
            "disclosure": DISCLOSURE_STATEMENT,
            "programmes": figures.programmes,
            "sections": [(table, charts.get(table.id)) for table in tables(figures)],
            "funnels": {item.outcome.id: item for item in figures.funnels},
            "adjusted": {item.id: item for item in figures.adjusted},
            "by_month": figures.by_month,
            "signal_words": SIGNAL_WORDS,
            "changes": list(figures.network.changes.all()),
        },
    )


def as_pdf(figures: NetworkFigures) -> bytes:
    return html_pdf(printable_html(figures))
