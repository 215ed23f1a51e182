"""The network analyst's pages: the networks they analyse, and each network's funnel plots
of the headline outcomes, from published counts of the programmes that share outcomes."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from markupsafe import Markup

from healthtrainer.core.charts import ControlPoint, FunnelPoint, control_chart, funnel_chart
from healthtrainer.core.period import Period
from healthtrainer.network.access import network_view
from healthtrainer.network.casemix import AdjustedFunnel, completion_adjusted
from healthtrainer.network.completeness import COLUMNS, completeness
from healthtrainer.network.equity import equity
from healthtrainer.network.funnel import Band
from healthtrainer.network.models import Aspect, Network
from healthtrainer.network.monthly import monthly
from healthtrainer.network.outcomes import OUTCOMES, NetworkFunnel, network_funnel
from healthtrainer.network.services import networks_analysed_by, programmes_sharing
from healthtrainer.network.spc import SIGNAL_WORDS, Point


@login_required
def networks(request: HttpRequest) -> HttpResponse:
    return render(
        request, "network/networks.jinja", {"networks": networks_analysed_by(request.user)}
    )


@network_view
def network(request: HttpRequest, network: Network) -> HttpResponse:
    programmes = programmes_sharing(network, Aspect.OUTCOMES)
    funnels = [network_funnel(outcome, programmes, Period()) for outcome in OUTCOMES]
    by_month = monthly(programmes_sharing(network, Aspect.REFERRAL))
    complete = completeness(programmes_sharing(network, Aspect.COMPLETENESS))
    adjusted = completion_adjusted(programmes)
    fairness = equity(programmes_sharing(network, Aspect.EQUITY))
    return render(
        request,
        "network/network.jinja",
        {
            "network": network,
            "programmes": programmes,
            "funnels": [(item, _chart(item)) for item in funnels],
            "by_month": by_month,
            "referrals_chart": _control_chart(
                "Referrals each month",
                "Referrals received by the network each month, with the mean and the "
                "control limits of an XmR chart; special causes are marked.",
                by_month.referrals,
                1,
            ),
            "completed_chart": _control_chart(
                "Completed, by month of referral (%)",
                "The share of referrals accepted each month that completed the programme, "
                "with the mean and each month's control limits of a p-chart.",
                by_month.completed,
                100,
            ),
            "signal_words": SIGNAL_WORDS,
            "completeness": complete,
            "adjusted": adjusted,
            "equity": fairness,
            "adjusted_chart": _adjusted_chart(adjusted),
            "completeness_of": {item.programme.pk: item for item in complete},
            "completeness_columns": COLUMNS,
            # Which completeness limits each outcome, shown beside it.
            "limited_by": {"goals": "goal_statuses", "strategies": "follow_up_reached"},
        },
    )


def _adjusted_chart(adjusted: AdjustedFunnel) -> Markup | None:
    if adjusted.funnel is None:
        return None
    highest = max([2.0, *(item.ratio for item in adjusted.shown)])
    return funnel_chart(
        "Completed, adjusted for case-mix",
        "Each programme's completions against those expected from the network's rates for "
        "clients like its own (by IMD quintile, age band and sex), with 1 as a line and 95% "
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
        x_label="Completions expected (log scale)",
    )


def _control_chart(title: str, description: str, points: list[Point], scale: int) -> Markup:
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


def _chart(item: NetworkFunnel) -> Markup | None:
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
