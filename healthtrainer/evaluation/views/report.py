"""The evaluation report: the live page, and the same report to download in each format.
A PDF or spreadsheet, or the research data, of a period larger than
`IN_REQUEST_MAX_REFERRALS` is made by a background task, followed on its job page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission
from healthtrainer.background.models import JobKind
from healthtrainer.core.audit import audit_record
from healthtrainer.evaluation.disclosure import Disclosure
from healthtrainer.evaluation.exports import RESEARCH, ExportOrder, is_large
from healthtrainer.evaluation.report import build_report
from healthtrainer.evaluation.report.content import display
from healthtrainer.evaluation.report.output import Format, write
from healthtrainer.evaluation.report.trend import at_a_glance, previous_period
from healthtrainer.evaluation.research_export import (
    ExportUnavailable,
    csv_lines,
    export_rows,
    service_key,
)
from healthtrainer.evaluation.tasks import export_start
from healthtrainer.evaluation.views.dashboard import PeriodForm
from healthtrainer.programmes.models import Programme

# The formats whose writing, not the report's figures, is the long part.
SLOW_FORMATS = (Format.PDF, Format.XLSX)

DISCLOSURE_CHOICES = [
    (Disclosure.PUBLISHED.value, "Published: small counts hidden, others rounded to 5"),
    (Disclosure.EXACT.value, "Exact: for the care team only, not for publication"),
]


class ReportForm(PeriodForm):
    """The period, and the disclosure mode: published unless exact is chosen and allowed."""

    disclosure = forms.ChoiceField(
        required=False,
        label="Figures",
        choices=DISCLOSURE_CHOICES,
        error_messages={"invalid_choice": "You can only see published figures"},
    )

    def __init__(self, *args: Any, exact_allowed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exact_allowed = exact_allowed
        if not exact_allowed:
            self.fields["disclosure"] = forms.ChoiceField(
                required=False,
                label="Figures",
                choices=DISCLOSURE_CHOICES[:1],
                error_messages={"invalid_choice": "You can only see published figures"},
            )

    def mode(self) -> Disclosure:
        if self.is_valid() and self.cleaned_data.get("disclosure") == Disclosure.EXACT:
            return Disclosure.EXACT
        return Disclosure.PUBLISHED


def _form(request: ProgrammeRequest, programme: Programme) -> ReportForm:
    return ReportForm(
        request.GET or None,
        exact_allowed=request.user.has_perm(Permission.VIEW_EXACT_FIGURES, programme),
    )


def _page(
    request: ProgrammeRequest, programme: Programme, form: ReportForm, status: int = 200
) -> HttpResponse:
    period, mode = form.period(), form.mode()
    built = build_report(programme, period, mode)
    # The tiles' trends: the same report, in the same mode, for the period of equal length
    # just before. Built only when the period has a start, so all referrals cost one report.
    earlier_period = previous_period(period, timezone.localdate())
    earlier = build_report(programme, earlier_period, mode) if earlier_period else None
    query = request.GET.copy()
    query.pop("table", None)
    return render(
        request,
        "evaluation/report/page.jinja",
        {
            "programme": programme,
            "form": form,
            "report": built,
            "aspects": at_a_glance(built, earlier),
            "earlier_period": earlier_period,
            "show": display,
            "formats": [
                (Format.PDF, "PDF (A4, for printing)"),
                (Format.HTML, "Printable web page (HTML)"),
                (Format.XLSX, "Spreadsheet of every table (XLSX)"),
                (Format.CSV, "Every figure, one per line (CSV)"),
                (Format.JSON, "Data for other systems (JSON)"),
            ],
            "query": query.urlencode(),
            "can_export_research": request.user.has_perm(
                Permission.EXPORT_RESEARCH_DATA, programme
            ),
        },
        status=status,
    )


@programme_view(Permission.VIEW_EVALUATION)
def report(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    return _page(request, programme, _form(request, programme))


@programme_view(Permission.VIEW_EVALUATION)
def report_download(request: ProgrammeRequest, programme: Programme, fmt: str) -> HttpResponse:
    if fmt not in Format.__members__.values():
        raise Http404("No such format")
    form = _form(request, programme)
    if form.is_bound and not form.is_valid():
        # A download cannot show form errors: the page shows them with the form.
        return _page(request, programme, form, status=400)
    audit_action = f"evaluation.report.exported_{fmt}"
    if fmt in SLOW_FORMATS and is_large(programme, form.period()):
        order = ExportOrder(fmt, form.period(), form.mode())
        return _in_background(request, programme, order, audit_action)
    built = build_report(programme, form.period(), form.mode())
    table_id = request.GET.get("table") or None
    if table_id and table_id not in {table.id for table in built.tables}:
        raise Http404("No such table")
    output = write(built, Format(fmt), table_id if fmt == Format.CSV else None)
    audit_record(
        actor=request.user,
        action=audit_action,
        programme=programme,
        changed_fields=[built.disclosure.value],
    )
    response = HttpResponse(output.content, content_type=output.content_type)
    disposition = "inline" if fmt == Format.HTML else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{output.filename}"'
    return response


@programme_view(Permission.EXPORT_RESEARCH_DATA)
def research_export(request: ProgrammeRequest, programme: Programme) -> HttpResponseBase:
    """One de-identified row per referral received in the period, streamed as CSV."""
    form = _form(request, programme)
    if form.is_bound and not form.is_valid():
        return _page(request, programme, form, status=400)
    try:
        service_key()
    except ExportUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    audit_action = "evaluation.research_export.downloaded"
    if is_large(programme, form.period()):
        order = ExportOrder(RESEARCH, form.period())
        return _in_background(request, programme, order, audit_action)
    audit_record(actor=request.user, action=audit_action, programme=programme)
    response = StreamingHttpResponse(
        csv_lines(export_rows(programme, form.period())), content_type="text/csv; charset=utf-8"
    )
    filename = f"research-{programme.slug}-{form.period().slug()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _in_background(
    request: ProgrammeRequest, programme: Programme, order: ExportOrder, audit_action: str
) -> HttpResponse:
    # The research data is de-identified rows, under no disclosure mode.
    mode = [] if order.kind == JobKind.RESEARCH_EXPORT else [order.disclosure.value]
    audit_record(actor=request.user, action=audit_action, programme=programme, changed_fields=mode)
    job = export_start(actor=request.user, programme=programme, order=order)
    return redirect("background:job", programme.slug, job.pk)
