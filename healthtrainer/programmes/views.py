"""Programme settings and the organisations taking part."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from healthtrainer.accounts.access import (
    ProgrammeRequest,
    SignedInRequest,
    programme_view,
    site_view,
)
from healthtrainer.accounts.roles import Permission, SitePermission
from healthtrainer.core.forms import add_service_errors
from healthtrainer.core.scoping import get_for_user_or_404
from healthtrainer.imports.setup import programme_setup
from healthtrainer.programmes import services
from healthtrainer.programmes.forms import OrganisationForm, ProgrammeForm, ProgrammeSettingsForm
from healthtrainer.programmes.models import Organisation, Programme


@site_view(SitePermission.CREATE_PROGRAMME)
@require_http_methods(["GET", "POST"])
def programme_create(request: SignedInRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = programme_setup(
                actor=request.user,
                fields={name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{programme.name} has been created.")
            return redirect("accounts:programme_home", programme.slug)
    return render(request, "programmes/programme_create.jinja", {"form": form})


@programme_view(Permission.MANAGE_PROGRAMME)
@require_http_methods(["GET", "POST"])
def programme_settings(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    form = ProgrammeSettingsForm(
        request.POST if request.method == "POST" else None, instance=programme
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(
                actor=request.user, programme=form.instance, changed_fields=form.changed_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The programme settings have been saved.")
            return redirect("programmes:settings", programme.slug)
    return render(request, "programmes/settings.jinja", {"programme": programme, "form": form})


@programme_view(Permission.MANAGE_PROGRAMME)
def organisations(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    return render(
        request,
        "programmes/organisations.jinja",
        {
            "programme": programme,
            "organisations": Organisation.objects.for_programme(programme),
        },
    )


@programme_view(Permission.MANAGE_PROGRAMME)
@require_http_methods(["GET", "POST"])
def organisation_edit(
    request: ProgrammeRequest, programme: Programme, organisation_id: int | None = None
) -> HttpResponse:
    if organisation_id is None:
        organisation = Organisation(programme=programme)
    else:
        organisation = get_for_user_or_404(
            Organisation.objects.for_programme(programme),
            request.user,
            Permission.MANAGE_PROGRAMME,
            pk=organisation_id,
        )
    form = OrganisationForm(
        request.POST if request.method == "POST" else None, instance=organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.organisation_save(
                actor=request.user, organisation=form.instance, changed_fields=form.changed_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{saved.name} has been saved.")
            return redirect("programmes:organisations", programme.slug)
    return render(
        request,
        "programmes/organisation_edit.jinja",
        {"programme": programme, "form": form, "organisation": organisation},
    )
