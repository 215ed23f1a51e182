"""Documents and their coding: the list, adding one, reading it (its original for those
allowed), coding passages, choosing quotes for the report, and memos."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission
from healthtrainer.core.audit import audit_record
from healthtrainer.core.forms import add_service_errors
from healthtrainer.core.scoping import get_for_user_or_404
from healthtrainer.programmes.models import Programme
from healthtrainer.qualitative import queries, services
from healthtrainer.qualitative.forms import (
    CodingForm,
    DocumentForm,
    MemoForm,
    PseudonymiseForm,
)
from healthtrainer.qualitative.models import (
    Code,
    Coding,
    Document,
)

VIEW = Permission.VIEW_QUALITATIVE
ANALYSE = Permission.ANALYSE_QUALITATIVE


def visible_document(
    request: ProgrammeRequest, document_id: int, permission: str = VIEW
) -> Document:
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
            "names": queries.names_in(programme),
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
    names = queries.names_in(programme)
    form.fields["participant"].label_from_instance = (  # type: ignore[attr-defined]
        lambda participant: names.hide(participant.label)
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
            messages.success(
                request, f"{names.hide(document.title, document)} added, with names replaced."
            )
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
            "names": queries.names_in(programme),
            "has_codes": Code.objects.for_programme(programme).exists(),
        },
        status=status,
    )


@programme_view(VIEW)
def document(request: ProgrammeRequest, programme: Programme, document_id: int) -> HttpResponse:
    return _document_page(request, visible_document(request, document_id))


@programme_view(Permission.VIEW_ORIGINAL_TRANSCRIPTS)
@require_http_methods(["GET", "POST"])
def document_original(
    request: ProgrammeRequest, programme: Programme, document_id: int
) -> HttpResponse:
    item = visible_document(request, document_id, Permission.VIEW_ORIGINAL_TRANSCRIPTS)
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
    item = visible_document(request, document_id, ANALYSE)
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
        target = {"document": visible_document(request, pk, ANALYSE)}
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
