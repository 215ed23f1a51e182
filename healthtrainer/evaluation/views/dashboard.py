"""The referral dashboard: the first aspect of the evaluation, GP referral, live."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import render

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission
from healthtrainer.core import charts
from healthtrainer.core.period import Period, period_problems
from healthtrainer.evaluation.metrics import REGISTRY, compute
from healthtrainer.evaluation.metrics.referral import REFERRAL_METRICS
from healthtrainer.programmes.models import Programme


class PeriodForm(forms.Form):
    start = forms.DateField(
        required=False,
        label="Referred from (YYYY-MM-DD)",
        error_messages={"invalid": "Enter the start date as YYYY-MM-DD"},
    )
    end = forms.DateField(
        required=False,
        label="Referred up to (YYYY-MM-DD)",
        error_messages={"invalid": "Enter the end date as YYYY-MM-DD"},
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        for name, problem in period_problems(cleaned.get("start"), cleaned.get("end")).items():
            self.add_error(name, problem)
        return cleaned

    def period(self) -> Period:
        if not self.is_valid():
            return Period()
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])


@programme_view(Permission.VIEW_REFERRAL_DASHBOARD)
def referral_dashboard(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    period = form.period()
    figures = compute(REFERRAL_METRICS, programme, period)
    months = figures["referral.by_month"]
    practices = figures["referral.by_practice"]
    return render(
        request,
        "evaluation/referral_dashboard.jinja",
        {
            "programme": programme,
            "form": form,
            "period": period,
            "figures": figures,
            "definitions": {metric_id: REGISTRY[metric_id] for metric_id in REFERRAL_METRICS},
            "cumulative_chart": charts.cumulative_chart(
                "Referrals received, running total",
                "A line of the running total of referrals by month, against the projected "
                "number of referrals. The table below gives the same figures.",
                [month.month.strftime("%b %Y") for month in months],
                [month.cumulative for month in months],
                figures["referral.projected"],
            ),
            "practice_chart": charts.bar_chart(
                "Referrals per 1,000 registered patients, by practice",
                "Bars for each GP practice; GP champion practices are in yellow. The table "
                "below gives the same figures.",
                [
                    charts.Bar(
                        practice.practice,
                        float(practice.per_thousand_patients or 0),
                        practice.is_gp_champion,
                    )
                    for practice in practices
                ],
            ),
        },
    )
