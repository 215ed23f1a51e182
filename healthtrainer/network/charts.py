"""The network's charts as SVG, drawn once from its figures for the page and for the PDF,
each keyed by the id of the table that holds its numbers."""

from __future__ import annotations

import math

from markupsafe import Markup

from healthtrainer.core.charts import ControlPoint, FunnelPoint, control_chart, funnel_chart
from healthtrainer.network.casemix import CASE_MIX_WORDS, AdjustedFunnel
from healthtrainer.network.figures import NetworkFigures
from healthtrainer.network.funnel import Band
from healthtrainer.network.outcomes import OUTCOME_BY_ID, NetworkFunnel
from healthtrainer.network.spc import Point
from healthtrainer.network.wellbeing import WellbeingFunnel

REFERRALS_TITLE = "Referrals each month"
COMPLETED_TITLE = "Completed, by month of referral (%)"


def figure_charts(figures: NetworkFigures) -> dict[str, Markup]:
    """Every chart of the network's figures that has something to draw, by table id."""
    charts: dict[str, Markup | None] = {
        item.outcome.id: outcome_chart(item) for item in figures.funnels
    }
    for funnel in figures.wellbeing.funnels:
        charts[funnel.id] = mean_chart(funnel)
    for adjusted in figures.adjusted:
        charts[adjusted.id] = adjusted_chart(adjusted)
    by_month = figures.by_month
    if by_month.referrals:
        charts["referrals-by-month"] = spc_chart(
            REFERRALS_TITLE,
            "Referrals received by the network each month, with the mean and the "
            "control limits of an XmR chart; special causes are marked.",
            by_month.referrals,
            1,
        )
    if by_month.referrals and by_month.completed:
        charts["completed-by-month"] = spc_chart(
            COMPLETED_TITLE,
            "The share of referrals accepted each month that completed the programme, "
            "with the mean and each month's control limits of a p-chart.",
            by_month.completed,
            100,
        )
    return {key: chart for key, chart in charts.items() if chart is not None}


def outcome_chart(item: NetworkFunnel) -> Markup | None:
    if item.funnel is None:
        return None
    points = [
        FunnelPoint(
            shown.programme.name,
            shown.denominator,
            shown.share * 100,
            beyond_outer=shown.band == Band.BEYOND_998,
            beyond_inner=shown.band == Band.BEYOND_95,
        )
        for shown in item.shown
    ]
    curve = [
        (n, lowest * 100, low * 100, high * 100, highest * 100)
        for n, lowest, low, high, highest in item.funnel.curve
    ]
    return funnel_chart(
        item.outcome.title,
        f"Each programme's percentage against how many it is of, with the network's "
        f"{item.funnel.target * 100:.1f}% as a line and 95% and 99.8% control limits.",
        points,
        curve,
        target=item.funnel.target * 100,
        low=0,
        high=100,
        x_label="How many the percentage is of (log scale)",
    )


def adjusted_chart(adjusted: AdjustedFunnel) -> Markup | None:
    if adjusted.funnel is None:
        return None
    highest = max([2.0, *(item.ratio for item in adjusted.shown)])
    title = OUTCOME_BY_ID[adjusted.outcome].title
    return funnel_chart(
        f"{title}, adjusted for case-mix",
        "Each programme's observed count against the count expected from the network's "
        f"rates for clients like its own (by {CASE_MIX_WORDS}), with 1 as a line and 95% "
        "and 99.8% control limits.",
        [
            FunnelPoint(
                item.programme.name,
                item.expected_about,
                item.ratio,
                beyond_outer=item.band == Band.BEYOND_998,
                beyond_inner=item.band == Band.BEYOND_95,
            )
            for item in adjusted.shown
        ],
        adjusted.funnel.curve,
        target=1.0,
        low=0,
        high=highest,
        x_label="Expected (log scale)",
    )


def mean_chart(item: WellbeingFunnel) -> Markup | None:
    if item.funnel is None:
        return None
    funnel = item.funnel
    reach = [value for row in funnel.curve for value in row[1:]]
    reach += [shown.mean for shown in item.shown]
    measured = (
        f"mean change less the change expected for its case-mix (by {CASE_MIX_WORDS})"
        if item.adjusted
        else "mean change in well-being"
    )
    return funnel_chart(
        item.title,
        f"Each programme's {measured} against its number of clients with scores before "
        f"and after, with the network's {funnel.target:.1f} as a line and 95% and 99.8% "
        "control limits.",
        [
            FunnelPoint(
                shown.programme.name,
                shown.pairs,
                shown.mean,
                beyond_outer=shown.band == Band.BEYOND_998,
                beyond_inner=shown.band == Band.BEYOND_95,
            )
            for shown in item.shown
        ],
        funnel.curve,
        target=funnel.target,
        low=math.floor(min(reach)),
        high=math.ceil(max(reach)),
        x_label="Clients with scores before and after (log scale)",
        point_text=("observed minus expected " if item.adjusted else "mean change ")
        + "{value:g} over {denominator:g} clients",
    )


def spc_chart(title: str, description: str, points: list[Point], scale: int) -> Markup:
    """An XmR or p-chart; `scale` 100 draws shares as percentages."""
    return control_chart(
        title,
        description,
        [
            ControlPoint(
                point.label,
                point.value * scale,
                point.mean * scale,
                point.lower * scale,
                point.upper * scale,
                special=bool(point.signals),
            )
            for point in points
        ],
    )
