"""Analysis: agreement between coders, the framework matrix, themes beside figures, and
the coded segments export."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.core.audit import audit_record
from healthtrainer.core.forms import add_service_errors
from healthtrainer.core.parameters import parse_id
from healthtrainer.core.scoping import get_for_user_or_404
from healthtrainer.core.spreadsheets import CsvWriter, append_row
from healthtrainer.programmes.models import Programme
from healthtrainer.qualitative import queries, services
from healthtrainer.qualitative.agreement import side_by_side
from healthtrainer.qualitative.forms import (
    AgreementForm,
    FrameworkCellForm,
)
from healthtrainer.qualitative.joint import describe_goals, joint_display
from healthtrainer.qualitative.models import (
    Coding,
    Document,
    Participant,
    ParticipantRole,
    Theme,
)
from healthtrainer.qualitative.views.documents import ANALYSE, visible_document


@programme_view(ANALYSE)
def agreement(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    visible = Document.objects.visible_to(request.user, ANALYSE).for_programme(programme)
    coders = queries.coders(programme)
    form = AgreementForm(
        request.GET or None,
        coders=coders,
        documents=visible.defer("original_text", "analysis_text"),
        programme=programme,
    )
    names = queries.names_in(programme)
    form.fields["documents"].label_from_instance = (  # type: ignore[attr-defined]
        lambda document: names.hide(document.title, document)
    )
    results = None
    if form.is_valid():
        data = form.cleaned_data
        results = queries.agreement_between(
            data["first"], data["second"], data["documents"], data["codes"]
        )
    return render(
        request,
        "qualitative/agreement.jinja",
        {
            "programme": programme,
            "form": form,
            "results": results,
            "names": names,
            "coder_count": len(coders[:2]),
        },
    )


@programme_view(ANALYSE)
def agreement_compare(
    request: ProgrammeRequest, programme: Programme, document_id: int
) -> HttpResponse:
    item = visible_document(request, document_id, ANALYSE)
    people = {coder.pk: coder for coder in queries.coders(programme)}
    first = people.get(parse_id(request.GET.get("first")))  # type: ignore[arg-type]
    second = people.get(parse_id(request.GET.get("second")))  # type: ignore[arg-type]
    if first is None or second is None:
        raise Http404("Choose two coders who have coded in this programme")
    segments = side_by_side(
        len(item.analysis_text), queries.codings_by(item, first), queries.codings_by(item, second)
    )
    return render(
        request,
        "qualitative/compare.jinja",
        {
            "programme": programme,
            "document": item,
            "first": first,
            "second": second,
            "names": queries.names_in(programme),
            "segments": [
                (segment, item.analysis_text[segment.start : segment.end]) for segment in segments
            ],
        },
    )


SEGMENT_COLUMNS = [
    "document",
    "kind",
    "participant",
    "participant_role",
    "code",
    "theme",
    "coder",
    "coded_at",
    "start",
    "end",
    "quote",
]


@programme_view(ANALYSE)
def segments_export(request: ProgrammeRequest, programme: Programme, fmt: str) -> HttpResponse:
    """Every coded segment, as its pseudonymised words."""
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format")
    codings = (
        Coding.objects.visible_to(request.user, ANALYSE)
        .for_programme(programme)
        .select_related("document__participant", "code__theme", "coder")
    )
    names = queries.names_in(programme)
    rows: list[list[Any]] = [
        [
            names.hide(coding.document.title, coding.document),
            coding.document.get_kind_display(),
            names.hide(coding.document.participant.label),
            coding.document.participant.get_role_display(),
            coding.code.name,
            coding.code.theme.name if coding.code.theme else "",
            coding.coder.full_name,
            coding.created_at.isoformat(timespec="seconds"),
            coding.start,
            coding.end,
            coding.quote,
        ]
        for coding in codings
    ]
    audit_record(
        actor=request.user, action=f"qualitative.segments.exported_{fmt}", programme=programme
    )
    if fmt == "csv":
        out = io.StringIO()
        writer = CsvWriter(out)
        writer.writerows([SEGMENT_COLUMNS, *rows])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        book = Workbook()
        sheet = book.worksheets[0]
        sheet.title = "Coded segments"
        for row in [SEGMENT_COLUMNS, *rows]:
            append_row(sheet, row)
        content = io.BytesIO()
        book.save(content)
        response = HttpResponse(
            content.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = (
        f'attachment; filename="coded-segments-{programme.slug}.{fmt}"'
    )
    return response


@programme_view(ANALYSE)
def framework(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    role = request.GET.get("role", "")
    if role not in ParticipantRole.values:
        role = ""
    return render(
        request,
        "qualitative/framework.jinja",
        {
            "programme": programme,
            "matrix": queries.framework(programme, role),
            "names": queries.names_in(programme),
            "role": role,
            "roles": ParticipantRole.choices,
        },
    )


@programme_view(ANALYSE)
@require_http_methods(["GET", "POST"])
def framework_cell(
    request: ProgrammeRequest, programme: Programme, participant_id: int, theme_id: int
) -> HttpResponse:
    participant = get_for_user_or_404(
        Participant.objects.for_programme(programme), request.user, ANALYSE, pk=participant_id
    )
    theme = get_for_user_or_404(
        Theme.objects.for_programme(programme), request.user, ANALYSE, pk=theme_id
    )
    cell = participant.framework_cells.filter(theme=theme).first()
    quotes = (
        Coding.objects.for_programme(programme)
        .filter(document__participant=participant)
        .select_related("code", "document")
        .order_by("code__theme_id", "document_id", "start")
    )
    names = queries.names_in(programme)
    initial = (
        {"summary": names.hide(cell.summary), "quotes": list(cell.quotes.all())} if cell else None
    )
    form = FrameworkCellForm(
        request.POST if request.method == "POST" else None, initial=initial, quotes=quotes
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.framework_cell_save(
                actor=request.user,
                participant=participant,
                theme=theme,
                summary=form.cleaned_data["summary"],
                quotes=list(form.cleaned_data["quotes"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            label = names.hide(participant.label)
            messages.success(request, f"Summary for {label} on {theme.name} saved.")
            return redirect("qualitative:framework", programme.slug)
    return render(
        request,
        "qualitative/framework_cell.jinja",
        {
            "programme": programme,
            "participant": participant,
            "theme": theme,
            "form": form,
            "names": names,
        },
    )


@programme_view(ANALYSE)
def joint(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    return render(
        request,
        "qualitative/joint.jinja",
        {
            "programme": programme,
            "display": joint_display(programme),
            "describe_goals": describe_goals,
            "names": queries.names_in(programme),
        },
    )
