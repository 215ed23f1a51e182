"""Import a programme workbook from the browser: upload and check, confirm, import.

The uploaded file waits in a private folder (`IMPORT_UPLOAD_DIR`) under a random token
that only the uploader's session knows, so confirming does not upload it a second time.
It is deleted once imported, when it turns out invalid, and after a day at the latest.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.import_report import CREATED, UPDATED, ImportReport
from healthtrainer.referrals.importer import import_referrals, plan_import, received_range
from healthtrainer.referrals.workbook import Problem, Workbook, read_workbook
from healthtrainer.referrals.workbook_files import size_text
from healthtrainer.referrals.workbook_format import REFERRALS, SHEETS

SESSION_KEY = "referral_workbook_uploads"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
UPLOAD_MAX_AGE_SECONDS = 24 * 60 * 60


class UploadForm(forms.Form):
    workbook = forms.FileField(
        label="Upload the workbook",
        help_text="An Excel workbook (.xlsx), or the sheets as CSV files in a .zip",
        error_messages={
            "required": "Select the workbook to upload",
            "empty": "The selected file is empty",
        },
    )


def _upload_dir() -> Path:
    folder = Path(settings.IMPORT_UPLOAD_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _path(token: str) -> Path:
    if not _TOKEN.match(token):
        raise ValueError("Not an upload token.")
    return _upload_dir() / f"{token}.upload"


def _save(upload: UploadedFile) -> str:
    """Keep the upload under a new token, readable by the service's user only."""
    token = secrets.token_urlsafe(32)
    descriptor = os.open(_path(token), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        for chunk in upload.chunks():
            file.write(chunk)
    return token


def _discard(token: str) -> None:
    _path(token).unlink(missing_ok=True)


def _discard_stale_uploads() -> None:
    """Workbooks hold patient data: none is kept longer than a day, confirmed or not."""
    oldest = time.time() - UPLOAD_MAX_AGE_SECONDS
    for path in _upload_dir().glob("*.upload"):
        if path.stat().st_mtime < oldest:
            path.unlink(missing_ok=True)


def _pending(request: ProgrammeRequest) -> dict[str, dict[str, str]]:
    pending: dict[str, dict[str, str]] = request.session.get(SESSION_KEY, {})
    return pending


def _remember(request: ProgrammeRequest, token: str, programme: Programme, name: str) -> None:
    pending = _pending(request)
    pending[token] = {"programme": programme.slug, "name": name}
    request.session[SESSION_KEY] = pending


def _forget(request: ProgrammeRequest, token: str) -> None:
    pending = _pending(request)
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    _discard(token)


def _render_upload(
    request: ProgrammeRequest,
    programme: Programme,
    form: UploadForm,
    problems: list[Problem] | None = None,
    file_name: str = "",
) -> HttpResponse:
    return render(
        request,
        "referrals/import_upload.jinja",
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
    _discard_stale_uploads()
    token = _save(uploaded)
    workbook = read_workbook(_path(token))
    report = plan_import(programme=programme, workbook=workbook)
    if not report.is_valid:
        _discard(token)
        return _refuse(request, programme, report.problems, name)
    _remember(request, token, programme, name)
    return _render_confirm(request, programme, workbook, report, token, name)


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
        "referrals/import_confirm.jinja",
        {
            "programme": programme,
            "report": report,
            "token": token,
            "file_name": name,
            "received": received_range(workbook),
            "has_programme_sheet": workbook.programme is not None,
            "listed": [c for c in report.changes if c.action in (CREATED, UPDATED)],
        },
    )


@programme_view(Permission.IMPORT_REFERRALS)
@require_POST
def confirm(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    """Import the workbook uploaded and checked a moment ago, and show what was done."""
    token = request.POST.get("token", "")
    upload = _pending(request).get(token)
    if (
        upload is None
        or upload["programme"] != programme.slug
        or not _TOKEN.match(token)
        or not _path(token).is_file()
    ):
        messages.error(
            request,
            "That upload has already been imported, or has expired. Upload the workbook again.",
        )
        return redirect("referrals:import_upload", programme.slug)
    # Checked again: the programme may have changed since the upload.
    workbook = read_workbook(_path(token))
    report = import_referrals(actor=request.user, programme=programme, workbook=workbook)
    _forget(request, token)
    if not report.is_valid:
        return _refuse(request, programme, report.problems, upload["name"])
    context: dict[str, Any] = {
        "programme": programme,
        "report": report,
        "file_name": upload["name"],
    }
    return render(request, "referrals/import_report.jinja", context)
