"""The resources a programme used, as the evaluation values them: its costs against the
budget and the time others gave. Every figure here is a metric of the registry, so the
pages and the report count the same way."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission
from healthtrainer.core import charts
from healthtrainer.core.period import Period
from healthtrainer.evaluation.metrics import REGISTRY, cost_figures
from healthtrainer.programmes.models import Programme
from healthtrainer.workforce.forms.resources import CostPeriodForm
from healthtrainer.workforce.models import IndirectTime

PER_PAGE = 50
INDIRECT_METRICS = ["cost.indirect_by_role", "cost.indirect_by_activity", "cost.indirect_total"]
COST_METRICS = [
    "cost.by_category",
    "cost.direct_total",
    "cost.budget_total",
    "cost.indirect_by_role",
    "cost.indirect_total",
    "cost.per_referral",
    "cost.per_client_seen",
    "cost.per_client_completing",
    "cost.per_goal_achieved",
]


@programme_view(Permission.RECORD_INDIRECT_TIME)
def time_given(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    entries = (
        IndirectTime.objects.visible_to(request.user, Permission.RECORD_INDIRECT_TIME)
        .for_programme(programme)
        .select_related("recorded_by")
    )
    summary, figures = cost_figures(programme, Period())
    return render(
        request,
        "evaluation/time_given.jinja",
        {
            "programme": programme,
            "page": Paginator(entries, PER_PAGE).get_page(request.GET.get("page")),
            "summary": summary,
            "figures": figures,
            "definitions": {metric_id: REGISTRY[metric_id] for metric_id in INDIRECT_METRICS},
            "can_manage": request.user.has_perm(Permission.MANAGE_RESOURCES, programme),
        },
    )


def _evaluation_url(request: ProgrammeRequest, programme: Programme, period: Period) -> str:
    """The evaluation report for the same period, which it shows with the same cost
    metrics; the report itself starts at every date, this page at the programme's."""
    if not request.user.has_perm(Permission.VIEW_EVALUATION, programme):
        return ""
    dates = {"start": period.start, "end": period.end}
    query = urlencode({name: day.isoformat() for name, day in dates.items() if day})
    url = reverse("evaluation:report", args=[programme.slug])
    return f"{url}?{query}" if query else url


@programme_view(Permission.MANAGE_RESOURCES)
def costs(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    form = CostPeriodForm(request.GET or None, programme=programme)
    period = form.period()
    summary, figures = cost_figures(programme, period)
    return render(
        request,
        "evaluation/costs.jinja",
        {
            "programme": programme,
            "form": form,
            "period": period,
            "summary": summary,
            "figures": figures,
            "evaluation_url": _evaluation_url(request, programme, period),
            "definitions": {metric_id: REGISTRY[metric_id] for metric_id in COST_METRICS},
            # A chart of six empty bars would say nothing the words do not.
            "chart": charts.bar_chart(
                "Direct costs by category, in pounds",
                "A bar for each category of direct cost. The table beside it gives the same "
                "figures.",
                [
                    charts.Bar(label, float(cost))
                    for label, cost in figures["cost.by_category"].items()
                ],
            )
            if summary.direct_recorded
            else None,
        },
    )
