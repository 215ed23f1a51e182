"""Administrators register the systems that call the FHIR interface, for a programme."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission
from healthtrainer.core.forms import add_service_errors
from healthtrainer.core.scoping import get_for_user_or_404
from healthtrainer.interop import services
from healthtrainer.interop.forms import ApiClientForm
from healthtrainer.interop.models import ApiClient
from healthtrainer.programmes.models import Programme

MANAGE = Permission.MANAGE_API_CLIENTS


@programme_view(MANAGE)
@require_http_methods(["GET", "POST"])
def api_clients(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    form = ApiClientForm(request.POST if request.method == "POST" else None)
    token = ""
    if request.method == "POST" and form.is_valid():
        try:
            _, token = services.api_client_create(
                actor=request.user, programme=programme, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = ApiClientForm()
    return render(
        request,
        "interop/api_clients.jinja",
        {
            "programme": programme,
            "clients": ApiClient.objects.visible_to(request.user, MANAGE)
            .for_programme(programme)
            .select_related("created_by"),
            "form": form,
            "token": token,
            "grantable": services.GRANTABLE,
        },
    )


@programme_view(MANAGE)
@require_POST
def api_client_revoke(
    request: ProgrammeRequest, programme: Programme, client_id: int
) -> HttpResponse:
    client = get_for_user_or_404(
        ApiClient.objects.for_programme(programme), request.user, MANAGE, pk=client_id
    )
    services.api_client_revoke(actor=request.user, client=client)
    messages.success(request, f"{client.name}'s token is revoked: its next call is refused.")
    return redirect("interop:api_clients", programme.slug)
