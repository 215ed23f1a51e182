"""Import a programme workbook from the browser: upload and check, confirm, and follow the
import, which runs as a background task (`tasks.py`), on its job page. An upload larger
than `IN_REQUEST_MAX_UPLOAD_BYTES` is checked by a task too, and confirmed from its page.

A workbook that passes its check waits in the database (`pending_workbooks`) under a
random token given to the uploader alone, so confirming does not upload it a second time
and may reach any app server. It is deleted once imported, and after a day at the latest;
one that fails its check is never kept.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission
from healthtrainer.background import services as jobs
from healthtrainer.background.models import BackgroundJob, JobKind, JobState
from healthtrainer.core.sizes import size_text
from healthtrainer.imports import pending as pending_workbooks
from healthtrainer.imports.format import REFERRALS, SHEETS
from healthtrainer.imports.importer import plan_import, received_words
from healthtrainer.imports.models import PendingWorkbook
from healthtrainer.imports.report import CREATED, UPDATED, ImportReport
from healthtrainer.imports.tasks import GONE, check_workbook, import_workbook
from healthtrainer.imports.workbook import Problem, Workbook, read_workbook
from healthtrainer.programmes.models import Programme


class UploadForm(forms.Form):
    workbook = forms.FileField(
        label="Upload the workbook",
        help_text="An Excel workbook (.xlsx), or the sheets as CSV files in a .zip",
        error_messages={
            "required": "Select the workbook to upload",
            "empty": "The selected file is empty",
        },
    )


def _render_upload(
    request: ProgrammeRequest,
    programme: Programme,
    form: UploadForm,
    problems: list[Problem] | None = None,
    file_name: str = "",
) -> HttpResponse:
    return render(
        request,
        "imports/upload.jinja",
        {
            "programme": programme,
            "form": form,
            "problems": problems or [],
            "file_name": file_name,
            "max_size": size_text(settings.IMPORT_MAX_BYTES),
            "referral_columns": SHEETS[REFERRALS],
        },
    )


def _refuse(
    request: ProgrammeRequest, programme: Programme, problems: list[Problem], file_name: str
) -> HttpResponse:
    return _render_upload(request, programme, UploadForm(), problems, file_name)


@programme_view(Permission.IMPORT_REFERRALS)
@require_http_methods(["GET", "POST"])
def upload(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    """Upload a workbook; check it; show what importing it would do, or every problem."""
    if request.method != "POST":
        return _render_upload(request, programme, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_upload(request, programme, form)
    uploaded: UploadedFile = form.cleaned_data["workbook"]
    name = Path(uploaded.name or "the workbook").name
    if uploaded.size is not None and uploaded.size > settings.IMPORT_MAX_BYTES:
        form.add_error(
            "workbook",
            f"The selected file is {size_text(uploaded.size)}: it must be "
            f"{size_text(settings.IMPORT_MAX_BYTES)} or smaller",
        )
        return _render_upload(request, programme, form)
    content = b"".join(uploaded.chunks())
    if len(content) > settings.IN_REQUEST_MAX_UPLOAD_BYTES:
        return _check_in_background(request, programme, content, name)
    # Planning reads the rows again from the file, so it happens while the file exists.
    with pending_workbooks.as_file(content) as path:
        workbook = read_workbook(path)
        report = plan_import(programme=programme, workbook=workbook)
    if not report.is_valid:
        return _refuse(request, programme, report.problems, name)
    token = pending_workbooks.keep(content, programme=programme, user=request.user, name=name)
    return _render_confirm(request, programme, workbook, report, token, name)


def _check_in_background(
    request: ProgrammeRequest, programme: Programme, content: bytes, name: str
) -> HttpResponse:
    """Keep the upload unchecked and queue its check; the job's page shows the result and,
    if it passes, the button that imports it. One that fails is deleted by the check."""
    pending_id = pending_workbooks.keep_for_check(
        content, programme=programme, user=request.user, name=name
    )
    job = jobs.job_start(
        actor=request.user, programme=programme, kind=JobKind.WORKBOOK_CHECK, title=f"Check {name}"
    )
    check_workbook.enqueue(str(job.pk), pending_id)
    return redirect("background:job", programme.slug, job.pk)


def _pending_confirmed(request: ProgrammeRequest, programme: Programme) -> PendingWorkbook | None:
    """The kept upload the person confirmed: by its token from the check page, or by the
    background check (their own, finished) whose page they confirmed on."""
    checked = request.POST.get("checked", "")
    if not checked:
        token = request.POST.get("token", "")
        return pending_workbooks.find(token, programme=programme, user=request.user)
    try:
        job_id = uuid.UUID(checked)
    except ValueError:
        return None
    check = (
        BackgroundJob.objects.for_programme(programme)
        .filter(
            pk=job_id,
            started_by=request.user,
            kind=JobKind.WORKBOOK_CHECK,
            state=JobState.FINISHED,
        )
        .first()
    )
    if check is None:
        return None
    return pending_workbooks.find_checked(
        check.outcome["pending_id"], programme=programme, user=request.user
    )


def _render_confirm(
    request: ProgrammeRequest,
    programme: Programme,
    workbook: Workbook,
    report: ImportReport,
    token: str,
    name: str,
) -> HttpResponse:
    return render(
        request,
        "imports/confirm.jinja",
        {
            "programme": programme,
            "report": report,
            "token": token,
            "file_name": name,
            "received": received_words(workbook),
            "has_programme_sheet": workbook.programme is not None,
            "listed": [c for c in report.changes if c.action in (CREATED, UPDATED)],
        },
    )


@programme_view(Permission.IMPORT_REFERRALS)
@require_POST
def confirm(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    """Queue the import of the workbook uploaded and checked a moment ago, and send the
    person to its page, which follows it to the end."""
    pending = _pending_confirmed(request, programme)
    if pending is None:
        messages.error(request, GONE)
        return redirect("imports:upload", programme.slug)
    job = jobs.job_start(
        actor=request.user,
        programme=programme,
        kind=JobKind.WORKBOOK_IMPORT,
        title=f"Import {pending.name}",
    )
    import_workbook.enqueue(str(job.pk), pending.pk)
    return redirect("background:job", programme.slug, job.pk)
