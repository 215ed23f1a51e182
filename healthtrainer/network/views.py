"""The network analyst's pages: the networks they analyse, and each network's funnel plots
of the headline outcomes, from published counts of the programmes that share outcomes."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from healthtrainer.core.audit import audit_record
from healthtrainer.network.access import network_view
from healthtrainer.network.charts import (
    COMPLETED_TITLE,
    REFERRALS_TITLE,
    figure_charts,
    mean_chart,
    outcome_chart,
    spc_chart,
)
from healthtrainer.network.completeness import COLUMNS
from healthtrainer.network.figures import beside_funnel, beside_wellbeing, figures_of, tables
from healthtrainer.network.formats import CONTENT_TYPES, as_csv, as_json, as_xlsx
from healthtrainer.network.models import Aspect, Network
from healthtrainer.network.outcomes import OUTCOME_BY_ID
from healthtrainer.network.printable import as_pdf
from healthtrainer.network.services import change_declare, members_of, networks_analysed_by
from healthtrainer.network.spc import SIGNAL_WORDS
from healthtrainer.network.wellbeing import DEFINITION, RESTS_ON_WORDS


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
    charts = figure_charts(figures)
    audit_record(actor=request.user, action="network.figures.viewed", target=network)
    return render(
        request,
        "network/network.jinja",
        {
            "network": network,
            "programmes": figures.programmes,
            "members": members_of(network),
            "aspect_choices": Aspect.choices,
            "waiting": figures.waiting,
            "published_at": figures.published_at,
            "funnels": [
                (item, outcome_chart(item), beside_funnel(figures, item))
                for item in figures.funnels
            ],
            "wellbeing": [
                (item, mean_chart(item), beside_wellbeing(figures, item))
                for item in figures.wellbeing.funnels
            ],
            "without_instrument": figures.wellbeing.without_instrument,
            "wellbeing_definition": DEFINITION,
            "wellbeing_rests_on": RESTS_ON_WORDS,
            "by_month": by_month,
            "referrals_chart": charts.get("referrals-by-month"),
            "completed_chart": charts.get("completed-by-month"),
            "signal_words": SIGNAL_WORDS,
            "completeness": figures.completeness,
            "completeness_columns": COLUMNS,
            "completeness_by_group": figures.completeness_by_group,
            "adjusted": [
                (item, OUTCOME_BY_ID[item.outcome].title, charts.get(item.id))
                for item in figures.adjusted
            ],
            "equity": figures.equity,
            "changes": network.changes.all(),
            "change_problem": problem,
            "change_typed": request.POST if request.method == "POST" else {},
            "referral_programmes": figures.referral_programmes,
            "chosen": chosen,
            "chosen_referrals_chart": spc_chart(
                f"{REFERRALS_TITLE}: {chosen.name}",
                "The programme's referrals each month (published counts), with the mean "
                "and the control limits of an XmR chart; special causes are marked.",
                chosen_charts.referrals,
                1,
            )
            if chosen and chosen_charts
            else None,
            "chosen_completed_chart": spc_chart(
                f"{COMPLETED_TITLE}: {chosen.name}",
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
    """The page's figures: every table as JSON or XLSX, every chart with its table as PDF,
    or one table as CSV (`?table=`)."""
    if fmt not in CONTENT_TYPES:
        raise Http404("No such download")
    figures = figures_of(network)
    found = {table.id: table for table in tables(figures)}
    name = network.slug
    content: bytes | str
    if fmt == "json":
        response: HttpResponse = JsonResponse(as_json(network, list(found.values())))
    else:
        if fmt == "csv":
            chosen = found.get(request.GET.get("table", ""))
            if chosen is None:
                raise Http404("No such table")
            content, name = as_csv(chosen), f"{network.slug}-{chosen.id}"
        elif fmt == "xlsx":
            content = as_xlsx(network, list(found.values()))
        else:
            content = as_pdf(figures)
        response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    audit_record(actor=request.user, action=f"network.figures.exported_{fmt}", target=network)
    return response
