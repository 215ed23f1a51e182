"""Resources and costs: time given by GP champions and the pain team, role rates, the
budget, cost items, and the Costs page that sets what was spent against the budget."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission
from healthtrainer.core.forms import add_service_errors
from healthtrainer.core.scoping import get_for_user_or_404
from healthtrainer.programmes.models import Programme
from healthtrainer.workforce.forms.resources import (
    BudgetLineForm,
    CostItemForm,
    IndirectTimeForm,
    RoleRatesForm,
)
from healthtrainer.workforce.models import BudgetLine, CostItem, RoleRate
from healthtrainer.workforce.services import resources as services

PER_PAGE = 50


@programme_view(Permission.RECORD_INDIRECT_TIME)
@require_http_methods(["GET", "POST"])
def indirect_time_new(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    form = IndirectTimeForm(
        request.POST if request.method == "POST" else None,
        initial={"given_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.indirect_time_record(
                actor=request.user, programme=programme, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{entry.hours.normalize():f} hours given by {entry.person} recorded."
            )
            return redirect("evaluation:time_given", programme.slug)
    return render(
        request,
        "workforce/resources/indirect_time_form.jinja",
        {"programme": programme, "form": form},
    )


@programme_view(Permission.MANAGE_RESOURCES)
@require_http_methods(["GET", "POST"])
def role_rates(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    rates = list(RoleRate.objects.for_programme(programme))
    form = RoleRatesForm(request.POST if request.method == "POST" else None, rates=rates)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_rates_update(actor=request.user, programme=programme, rates=form.rates())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The role rates have been saved.")
            return redirect("workforce:role_rates", programme.slug)
    return render(
        request,
        "workforce/resources/role_rates.jinja",
        {"programme": programme, "form": form},
    )


@programme_view(Permission.MANAGE_RESOURCES)
def budget_lines(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    lines = list(
        BudgetLine.objects.visible_to(request.user, Permission.MANAGE_RESOURCES).for_programme(
            programme
        )
    )
    return render(
        request,
        "workforce/resources/budget_lines.jinja",
        {"programme": programme, "lines": lines, "total": sum(line.amount for line in lines)},
    )


@programme_view(Permission.MANAGE_RESOURCES)
@require_http_methods(["GET", "POST"])
def budget_line_edit(
    request: ProgrammeRequest, programme: Programme, line_id: int | None = None
) -> HttpResponse:
    line = (
        get_for_user_or_404(
            BudgetLine.objects.for_programme(programme),
            request.user,
            Permission.MANAGE_RESOURCES,
            pk=line_id,
        )
        if line_id is not None
        else None
    )
    initial = (
        {
            "funding_source": line.funding_source,
            "amount": line.amount,
            "period_start": line.period_start,
            "period_end": line.period_end,
        }
        if line is not None
        else {}
    )
    form = BudgetLineForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.budget_line_save(
                actor=request.user, programme=programme, line=line, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The budget line from {saved.funding_source} is saved.")
            return redirect("workforce:budget_lines", programme.slug)
    return render(
        request,
        "workforce/resources/budget_line_form.jinja",
        {"programme": programme, "form": form, "line": line},
    )


@programme_view(Permission.MANAGE_RESOURCES)
def cost_items(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    items = CostItem.objects.visible_to(request.user, Permission.MANAGE_RESOURCES).for_programme(
        programme
    )
    return render(
        request,
        "workforce/resources/cost_items.jinja",
        {
            "programme": programme,
            "page": Paginator(items, PER_PAGE).get_page(request.GET.get("page")),
        },
    )


@programme_view(Permission.MANAGE_RESOURCES)
@require_http_methods(["GET", "POST"])
def cost_item_new(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    form = CostItemForm(
        request.POST if request.method == "POST" else None,
        initial={"incurred_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.cost_item_record(
                actor=request.user, programme=programme, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The cost “{item.description}” has been recorded.")
            return redirect("workforce:cost_items", programme.slug)
    return render(
        request,
        "workforce/resources/cost_item_form.jinja",
        {"programme": programme, "form": form},
    )
