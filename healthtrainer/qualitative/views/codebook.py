"""Participants, the codebook (codes and themes, imported and exported) and a code's page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.models import User
from healthtrainer.accounts.roles import Permission
from healthtrainer.core.forms import add_service_errors
from healthtrainer.core.scoping import get_for_user_or_404
from healthtrainer.programmes.models import Programme
from healthtrainer.qualitative import queries, services
from healthtrainer.qualitative.codebook import (
    CodebookProblem,
    from_csv,
    from_qdc,
    to_csv,
    to_qdc,
)
from healthtrainer.qualitative.forms import (
    CodebookUploadForm,
    CodeForm,
    MemoForm,
    ParticipantForm,
    ThemeForm,
)
from healthtrainer.qualitative.models import (
    Code,
    Coding,
    Participant,
    Theme,
)
from healthtrainer.qualitative.views.documents import ANALYSE, VIEW


@programme_view(ANALYSE)
@require_http_methods(["GET", "POST"])
def participants(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    form = ParticipantForm(
        request.POST if request.method == "POST" else None,
        programme=programme,
        trainers=User.objects.trainers_of(programme),
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
            label = queries.names_in(programme).hide(participant.label)
            messages.success(request, f"{label} added.")
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
            "names": queries.names_in(programme),
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
            "names": queries.names_in(programme),
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
            "names": queries.names_in(programme),
            "can_analyse": request.user.has_perm(ANALYSE, programme),
        },
    )
