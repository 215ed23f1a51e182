"""Deprivation reference data for administrators: what is loaded, and a file to upload,
imported by a background task followed on its job page."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from healthtrainer.accounts.access import SignedInRequest, site_view
from healthtrainer.accounts.roles import SitePermission
from healthtrainer.core.sizes import size_text
from healthtrainer.deprivation.importers import POSTCODES
from healthtrainer.deprivation.models import Edition, LsoaDeprivation, PostcodeLsoa
from healthtrainer.deprivation.tasks import upload_start

DATASET_CHOICES = [
    *((edition.value, f"File 7 of the {edition.label}") for edition in Edition),
    (POSTCODES, "Postcode to LSOA lookup (ONS Postcode Directory or NSPL)"),
]


class DatasetUploadForm(forms.Form):
    dataset = forms.ChoiceField(
        label="What the file holds",
        choices=DATASET_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the file holds"},
    )
    file = forms.FileField(
        label="Upload the file",
        help_text="A UTF-8 CSV file as published, or a .zip holding one CSV file",
        error_messages={"required": "Select the file to upload", "empty": "The file is empty"},
    )

    def clean_file(self) -> UploadedFile:
        uploaded: UploadedFile = self.cleaned_data["file"]
        limit = settings.REFERENCE_UPLOAD_MAX_BYTES
        if uploaded.size is not None and uploaded.size > limit:
            raise forms.ValidationError(
                f"The file is {size_text(uploaded.size)}: upload one of {size_text(limit)} or "
                "less, or load it with manage.py import_deprivation"
            )
        if Path(uploaded.name or "").suffix.lower() not in (".csv", ".zip"):
            raise forms.ValidationError("The file must be a .csv, or a .zip holding one")
        return uploaded


@site_view(SitePermission.IMPORT_DEPRIVATION_DATA)
@require_http_methods(["GET", "POST"])
def datasets(request: SignedInRequest) -> HttpResponse:
    form = DatasetUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded: UploadedFile = form.cleaned_data["file"]
        job = upload_start(
            actor=request.user,
            dataset=form.cleaned_data["dataset"],
            name=Path(uploaded.name or "the file").name,
            content=b"".join(uploaded.chunks()),
        )
        return redirect("background:site_job", job.pk)
    by_edition = dict(
        LsoaDeprivation.objects.values_list("edition").annotate(n=Count("pk")).order_by()
    )
    return render(
        request,
        "deprivation/datasets.jinja",
        {
            "form": form,
            "editions": [(edition, by_edition.get(edition.value, 0)) for edition in Edition],
            "postcodes": PostcodeLsoa.objects.count(),
            "max_size": size_text(settings.REFERENCE_UPLOAD_MAX_BYTES),
        },
    )
