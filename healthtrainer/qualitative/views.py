"""Pages of the qualitative analysis: documents and coding, participants, the codebook,
agreement between coders, and exports of coded segments."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from openpyxl import Workbook

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission
from healthtrainer.core.audit import audit_record
from healthtrainer.core.forms import add_service_errors
from healthtrainer.core.scoping import get_for_user_or_404
from healthtrainer.programmes.models import Programme
from healthtrainer.qualitative import queries, services
from healthtrainer.qualitative.agreement import side_by_side
from healthtrainer.qualitative.codebook import (
    CodebookProblem,
    from_csv,
    from_qdc,
    to_csv,
    to_qdc,
)
from healthtrainer.qualitative.forms import (
    AgreementForm,
    CodebookUploadForm,
    CodeForm,
    CodingForm,
    DocumentForm,
    FrameworkCellForm,
    MemoForm,
    ParticipantForm,
    PseudonymiseForm,
    ThemeForm,
)
from healthtrainer.qualitative.joint import describe_goals, joint_display
from healthtrainer.qualitative.models import (
    Code,
    Coding,
    Document,
    Participant,
    ParticipantRole,
    Theme,
)
from healthtrainer.workforce.services.training import programme_trainers

VIEW = Permission.VIEW_QUALITATIVE
ANALYSE = Permission.ANALYSE_QUALITATIVE


def _document(request: ProgrammeRequest, document_id: int, permission: str = VIEW) -> Document:
    return get_for_user_or_404(
        Document.objects.for_programme(request.programme).select_related("participant"),
        request.user,
        permission,
        pk=document_id,
    )


def _coding(request: ProgrammeRequest, coding_id: int) -> Coding:
    return get_for_user_or_404(
        Coding.objects.for_programme(request.programme).select_related("document", "code"),
        request.user,
        ANALYSE,
        pk=coding_id,
    )


@programme_view(VIEW)
def documents(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    visible = (
        Document.objects.visible_to(request.user, VIEW)
        .for_programme(programme)
        .select_related("participant")
        .defer("original_text", "analysis_text")
    )
    return render(
        request,
        "qualitative/documents.jinja",
        {
            "programme": programme,
            "documents": visible,
            "can_analyse": request.user.has_perm(ANALYSE, programme),
        },
    )


@programme_view(ANALYSE)
@require_http_methods(["GET", "POST"])
def document_new(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    form = DocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        programme=programme,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_create(
                actor=request.user,
                participant=data["participant"],
                kind=data["kind"],
                title=data["title"],
                text=data["text"],
                source_name=data["source_name"],
                replacements=data["replacements"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{document.title} added, with names replaced.")
            return redirect("qualitative:document", programme.slug, document.pk)
    return render(request, "qualitative/document_new.jinja", {"programme": programme, "form": form})


def _document_page(
    request: ProgrammeRequest,
    document: Document,
    coding_form: CodingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    programme = request.programme
    can_analyse = request.user.has_perm(ANALYSE, programme)
    audit_record(
        actor=request.user,
        action="qualitative.document.viewed",
        target=document,
        programme=programme,
    )
    codings = list(document.codings.select_related("code", "coder").prefetch_related("memos"))
    return render(
        request,
        "qualitative/document.jinja",
        {
            "programme": programme,
            "document": document,
            "codings": codings,
            "pieces": queries.pieces(document, codings),
            "can_analyse": can_analyse,
            "can_see_original": request.user.has_perm(
                Permission.VIEW_ORIGINAL_TRANSCRIPTS, programme
            ),
            "coding_form": coding_form
            or CodingForm(programme=programme, initial={"version": document.version}),
            "memo_form": MemoForm(),
            "memos": document.memos.select_related("author"),
            "has_codes": Code.objects.for_programme(programme).exists(),
        },
        status=status,
    )


@programme_view(VIEW)
def document(request: ProgrammeRequest, programme: Programme, document_id: int) -> HttpResponse:
    return _document_page(request, _document(request, document_id))


@programme_view(Permission.VIEW_ORIGINAL_TRANSCRIPTS)
@require_http_methods(["GET", "POST"])
def document_original(
    request: ProgrammeRequest, programme: Programme, document_id: int
) -> HttpResponse:
    item = _document(request, document_id, Permission.VIEW_ORIGINAL_TRANSCRIPTS)
    initial = "\n".join(f"{name} = {pseudonym}" for name, pseudonym in item.replacements)
    form = PseudonymiseForm(
        request.POST if request.method == "POST" else None, initial={"replacements": initial}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.document_pseudonymise(
                actor=request.user, document=item, replacements=form.cleaned_data["replacements"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The analysis copy has been made again.")
            return redirect("qualitative:document", programme.slug, item.pk)
    audit_record(
        actor=request.user,
        action="qualitative.document.original_viewed",
        target=item,
        programme=programme,
    )
    return render(
        request,
        "qualitative/document_original.jinja",
        {"programme": programme, "document": item, "form": form},
    )


def _span(document: Document, data: dict[str, Any]) -> tuple[int, int]:
    """The words to code: the selection made in the page when it still matches the words
    sent with it, or else the words typed, found in the text."""
    start, end = data.get("start"), data.get("end")
    quote = data.get("quote") or ""
    if (
        isinstance(start, int)
        and isinstance(end, int)
        and (not quote or document.analysis_text[start:end] == quote)
    ):
        return start, end  # coding_add checks the span and the version.
    if quote.strip():
        return services.span_of_quote(document, quote, data.get("occurrence") or 1)
    raise ValidationError(
        {"quote": "Select text in the document, or type or paste the words to code"}
    )


@programme_view(ANALYSE)
@require_POST
def coding_add(request: ProgrammeRequest, programme: Programme, document_id: int) -> HttpResponse:
    item = _document(request, document_id, ANALYSE)
    form = CodingForm(request.POST, programme=programme)
    if form.is_valid():
        data = form.cleaned_data
        try:
            start, end = _span(item, data)
            codings = services.coding_add(
                actor=request.user,
                document=item,
                codes=list(data["codes"]),
                start=start,
                end=end,
                version=data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            names = ", ".join(coding.code.name for coding in codings)
            messages.success(request, f"Coded as {names}.")
            return redirect("qualitative:document", programme.slug, item.pk)
    return _document_page(request, item, form, status=400)


@programme_view(ANALYSE)
@require_POST
def coding_remove(request: ProgrammeRequest, programme: Programme, coding_id: int) -> HttpResponse:
    item = _coding(request, coding_id)
    try:
        services.coding_remove(actor=request.user, coding=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The coding {item.code.name} has been removed.")
    return redirect("qualitative:document", programme.slug, item.document_id)


@programme_view(ANALYSE)
@require_POST
def coding_report(request: ProgrammeRequest, programme: Programme, coding_id: int) -> HttpResponse:
    item = _coding(request, coding_id)
    chosen = request.POST.get("chosen") == "yes"
    services.coding_choose_for_report(actor=request.user, coding=item, chosen=chosen)
    messages.success(
        request,
        "The quote will appear in the evaluation report."
        if chosen
        else "The quote will no longer appear in the evaluation report.",
    )
    return redirect("qualitative:document", programme.slug, item.document_id)


@programme_view(ANALYSE)
@require_POST
def memo_add(request: ProgrammeRequest, programme: Programme, about: str, pk: int) -> HttpResponse:
    form = MemoForm(request.POST)
    target: dict[str, Any]
    if about == "document":
        target = {"document": _document(request, pk, ANALYSE)}
        back = ("qualitative:document", pk)
    elif about == "code":
        code = get_for_user_or_404(
            Code.objects.for_programme(programme), request.user, ANALYSE, pk=pk
        )
        target, back = {"code": code}, ("qualitative:code", pk)
    elif about == "coding":
        coding = _coding(request, pk)
        target, back = {"coding": coding}, ("qualitative:document", coding.document_id)
    else:
        raise Http404("Nothing to write a memo about")
    if form.is_valid():
        services.memo_add(actor=request.user, text=form.cleaned_data["text"], **target)
        messages.success(request, "Memo saved.")
    else:
        messages.error(request, "Write the memo before saving it.")
    return redirect(back[0], programme.slug, back[1])


@programme_view(ANALYSE)
@require_http_methods(["GET", "POST"])
def participants(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    form = ParticipantForm(
        request.POST if request.method == "POST" else None,
        programme=programme,
        trainers=programme_trainers(programme),
        can_link_records=request.user.has_perm(Permission.VIEW_CLIENT_RECORD, programme),
    )
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.participant_save(
                actor=request.user,
                programme=programme,
                details=services.ParticipantDetails(**form.cleaned_data),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{participant.label} added.")
            return redirect("qualitative:participants", programme.slug)
    return render(
        request,
        "qualitative/participants.jinja",
        {
            "programme": programme,
            "participants": Participant.objects.for_programme(programme).select_related(
                "organisation"
            ),
            "form": form,
        },
    )


@programme_view(ANALYSE)
@require_http_methods(["GET", "POST"])
def codebook(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    code_form = CodeForm(
        request.POST if request.POST.get("add") == "code" else None, programme=programme
    )
    theme_form = ThemeForm(request.POST if request.POST.get("add") == "theme" else None)
    upload_form = CodebookUploadForm(
        request.POST if request.POST.get("add") == "codebook" else None,
        request.FILES if request.POST.get("add") == "codebook" else None,
    )
    if request.method == "POST":
        done = _codebook_post(request, programme, code_form, theme_form, upload_form)
        if done:
            return redirect("qualitative:codebook", programme.slug)
    codes = list(Code.objects.for_programme(programme).select_related("theme", "parent"))
    return render(
        request,
        "qualitative/codebook.jinja",
        {
            "programme": programme,
            "tree": _tree(codes),
            "themes": Theme.objects.for_programme(programme),
            "code_form": code_form,
            "theme_form": theme_form,
            "upload_form": upload_form,
        },
        status=400 if request.method == "POST" else 200,
    )


def _tree(codes: list[Code]) -> list[tuple[int, Code]]:
    """Codes in order, each with its depth, children under their parent."""
    children: dict[int | None, list[Code]] = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)
    ordered: list[tuple[int, Code]] = []

    def walk(parent: int | None, depth: int) -> None:
        for code in children.get(parent, []):
            ordered.append((depth, code))
            walk(code.pk, depth + 1)

    walk(None, 0)
    return ordered


def _codebook_post(
    request: ProgrammeRequest,
    programme: Programme,
    code_form: CodeForm,
    theme_form: ThemeForm,
    upload_form: CodebookUploadForm,
) -> bool:
    adding = request.POST.get("add")
    form: Any = {"code": code_form, "theme": theme_form, "codebook": upload_form}.get(adding or "")
    if form is None or not form.is_valid():
        return False
    try:
        if adding == "code":
            code = services.code_save(
                actor=request.user,
                programme=programme,
                details=services.CodeDetails(**form.cleaned_data),
            )
            messages.success(request, f"Code {code.name} added.")
        elif adding == "theme":
            theme = services.theme_save(
                actor=request.user, programme=programme, **form.cleaned_data
            )
            messages.success(request, f"Theme {theme.name} added.")
        else:
            upload = form.cleaned_data["codebook"]
            content = upload.read()
            try:
                parsed = (
                    from_qdc(content)
                    if upload.name.lower().endswith(".qdc")
                    else from_csv(content.decode("utf-8-sig"))
                )
            except (CodebookProblem, UnicodeDecodeError) as error:
                message = (
                    str(error)
                    if isinstance(error, CodebookProblem)
                    else "The CSV file is not in UTF-8: save it as UTF-8 and try again."
                )
                raise ValidationError({"codebook": message}) from None
            counts = services.codebook_import(
                actor=request.user, programme=programme, codebook=parsed
            )
            messages.success(
                request,
                f"Codebook imported: {counts.created} codes added, {counts.updated} updated.",
            )
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


@programme_view(ANALYSE)
def codebook_export(request: ProgrammeRequest, programme: Programme, fmt: str) -> HttpResponse:
    book = services.codebook_of(programme)
    if fmt == "qdc":
        response = HttpResponse(to_qdc(book), content_type="application/xml")
    elif fmt == "csv":
        response = HttpResponse(to_csv(book), content_type="text/csv; charset=utf-8")
    else:
        raise Http404("No such format")
    response["Content-Disposition"] = f'attachment; filename="codebook-{programme.slug}.{fmt}"'
    return response


@programme_view(VIEW)
def code(request: ProgrammeRequest, programme: Programme, code_id: int) -> HttpResponse:
    item = get_for_user_or_404(
        Code.objects.for_programme(programme).select_related("theme", "parent"),
        request.user,
        VIEW,
        pk=code_id,
    )
    codings = (
        Coding.objects.visible_to(request.user, VIEW)
        .filter(code=item)
        .select_related("document__participant", "coder")
    )
    return render(
        request,
        "qualitative/code.jinja",
        {
            "programme": programme,
            "code": item,
            "segments": queries.in_context(codings),
            "memos": item.memos.select_related("author"),
            "memo_form": MemoForm(),
            "can_analyse": request.user.has_perm(ANALYSE, programme),
        },
    )


@programme_view(ANALYSE)
def agreement(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    visible = Document.objects.visible_to(request.user, ANALYSE).for_programme(programme)
    form = AgreementForm(
        request.GET or None,
        coders=queries.coders(programme),
        documents=visible.defer("original_text", "analysis_text"),
        programme=programme,
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
        {"programme": programme, "form": form, "results": results},
    )


@programme_view(ANALYSE)
def agreement_compare(
    request: ProgrammeRequest, programme: Programme, document_id: int
) -> HttpResponse:
    item = _document(request, document_id, ANALYSE)
    people = {coder.pk: coder for coder in queries.coders(programme)}
    try:
        first = people[int(request.GET.get("first", ""))]
        second = people[int(request.GET.get("second", ""))]
    except (KeyError, ValueError):
        raise Http404("Choose two coders who have coded in this programme") from None
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
    rows: list[list[Any]] = [
        [
            coding.document.title,
            coding.document.get_kind_display(),
            coding.document.participant.label,
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
        writer = csv.writer(out, lineterminator="\n")
        writer.writerows([SEGMENT_COLUMNS, *rows])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        book = Workbook()
        sheet = book.worksheets[0]
        sheet.title = "Coded segments"
        sheet.append(SEGMENT_COLUMNS)
        for row in rows:
            sheet.append(row)
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
    initial = {"summary": cell.summary, "quotes": list(cell.quotes.all())} if cell else None
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
            messages.success(request, f"Summary for {participant.label} on {theme.name} saved.")
            return redirect("qualitative:framework", programme.slug)
    return render(
        request,
        "qualitative/framework_cell.jinja",
        {"programme": programme, "participant": participant, "theme": theme, "form": form},
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
        },
    )
