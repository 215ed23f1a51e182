"""The network analyst's pages: the networks they analyse, and each network's funnel plots
of the headline outcomes, from published counts of the programmes that share outcomes."""

from __future__ import annotations

import io
import math
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from markupsafe import Markup

from healthtrainer.core.charts import ControlPoint, FunnelPoint, control_chart, funnel_chart
from healthtrainer.core.spreadsheets import CsvWriter
from healthtrainer.network.access import network_view
from healthtrainer.network.casemix import AdjustedFunnel
from healthtrainer.network.completeness import COLUMNS
from healthtrainer.network.figures import beside_funnel, beside_wellbeing, figures_of, tables
from healthtrainer.network.funnel import Band
from healthtrainer.network.models import Network
from healthtrainer.network.outcomes import NetworkFunnel
from healthtrainer.network.services import change_declare, networks_analysed_by
from healthtrainer.network.spc import SIGNAL_WORDS, Point
from healthtrainer.network.wellbeing import DEFINITION, RESTS_ON_WORDS, WellbeingFunnel


@login_required
def networks(request: HttpRequest) -> HttpResponse:
    return render(
        request, "network/networks.jinja", {"networks": networks_analysed_by(request.user)}
    )


@network_view
@require_http_methods(["GET", "POST"])
def network(request: HttpRequest, network: Network) -> HttpResponse:
    problem = ""
    if request.method == "POST":
        problem = _declare(request, network)
        if not problem:
            return redirect(reverse("network:network", args=[network.slug]) + "#by-month")
    figures = figures_of(network)
    by_month = figures.by_month
    chosen_id = request.GET.get("programme", "")
    chosen = next((p for p in figures.referral_programmes if str(p.pk) == chosen_id), None)
    chosen_charts = by_month.programme_charts.get(chosen.pk) if chosen else None
    return render(
        request,
        "network/network.jinja",
        {
            "network": network,
            "programmes": figures.programmes,
            "funnels": [
                (item, _chart(item), beside_funnel(figures, item)) for item in figures.funnels
            ],
            "wellbeing": [
                (item, _mean_chart(item), beside_wellbeing(figures, item))
                for item in figures.wellbeing.funnels
            ],
            "without_instrument": figures.wellbeing.without_instrument,
            "wellbeing_definition": DEFINITION,
            "wellbeing_rests_on": RESTS_ON_WORDS,
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
            "completeness": figures.completeness,
            "completeness_columns": COLUMNS,
            "completeness_by_group": figures.completeness_by_group,
            "adjusted": figures.adjusted,
            "adjusted_chart": _adjusted_chart(figures.adjusted),
            "equity": figures.equity,
            "changes": network.changes.all(),
            "change_problem": problem,
            "change_typed": request.POST if request.method == "POST" else {},
            "referral_programmes": figures.referral_programmes,
            "chosen": chosen,
            "chosen_referrals_chart": _control_chart(
                f"Referrals each month: {chosen.name}",
                "The programme's referrals each month (published counts), with the mean "
                "and the control limits of an XmR chart; special causes are marked.",
                chosen_charts.referrals,
                1,
            )
            if chosen and chosen_charts
            else None,
            "chosen_completed_chart": _control_chart(
                f"Completed, by month of referral (%): {chosen.name}",
                "The share of the programme's referrals accepted each month that completed, "
                "with each month's control limits of a p-chart.",
                chosen_charts.completed,
                100,
            )
            if chosen and chosen_charts and chosen_charts.completed
            else None,
        },
    )


def _declare(request: HttpRequest, network: Network) -> str:
    """Declare a change from the month typed; the problem in words, or "" when done."""
    typed = request.POST.get("month", "")
    try:
        year, month = (int(part) for part in typed.split("-"))
        starts = date(year, month, 1)
    except ValueError:
        return "Enter the month the change started, for example 2026-04"
    try:
        change_declare(
            actor=request.user, network=network, month=starts, what=request.POST.get("what", "")
        )
    except ValidationError as error:
        return " ".join(error.messages)
    messages.success(request, f"The charts now start afresh from {starts:%B %Y}.")
    return ""


@network_view
def network_download(request: HttpRequest, network: Network, fmt: str) -> HttpResponse:
    """The page's figures as JSON (every table), or one table as CSV (`?table=`)."""
    found = {table.id: table for table in tables(figures_of(network))}
    if fmt == "json":
        return JsonResponse(
            {
                "network": network.name,
                "disclosure": "published counts: 1 to 7 hidden, others rounded to 5",
                "tables": {
                    table.id: {"title": table.title, "columns": table.columns, "rows": table.rows}
                    for table in found.values()
                },
            }
        )
    chosen = found.get(request.GET.get("table", ""))
    if fmt != "csv" or chosen is None:
        raise Http404("No such download")
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(chosen.columns)
    writer.writerows(chosen.rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{network.slug}-{chosen.id}.csv"'
    return response


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


def _mean_chart(item: WellbeingFunnel) -> Markup | None:
    if item.funnel is None:
        return None
    funnel = item.funnel
    reach = [value for row in funnel.curve for value in row[1:]]
    reach += [shown.mean for shown in item.shown]
    return funnel_chart(
        item.title,
        f"Each programme's mean change in well-being against its number of clients with "
        f"scores before and after, with the network's mean change of {funnel.target:.1f} "
        f"as a line and 95% and 99.8% control limits.",
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
        point_text="mean change {value:g} over {denominator:g} clients",
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
