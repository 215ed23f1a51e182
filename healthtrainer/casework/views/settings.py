"""A client's contact preferences, and the programme's own casework lists."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission
from healthtrainer.casework import services
from healthtrainer.casework.forms.settings import ContactPreferencesForm
from healthtrainer.casework.models import CbTechnique, Strategy
from healthtrainer.casework.views import list_pages
from healthtrainer.casework.views.list_pages import ListSection, ListsPage, lists_page
from healthtrainer.clients.models import Client
from healthtrainer.clients.services import client_viewed
from healthtrainer.core.scoping import get_for_user_or_404
from healthtrainer.programmes.models import Programme

LISTS = ListsPage(
    heading="Casework lists",
    intro="What trainers choose from when they record a session. Retired entries stay on the "
    "records that name them.",
    sections=(
        ListSection(
            "techniques",
            CbTechnique,
            "CB approaches",
            "Cognitive behavioural techniques a trainer can use in a session.",
        ),
        ListSection(
            "strategies",
            Strategy,
            "Self-management strategies",
            "Strategies a client can take up and keep using.",
        ),
    ),
    url_name="casework:lists",
    set_active_url_name="casework:list_item_set_active",
)


@programme_view(Permission.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def contact_preferences(
    request: ProgrammeRequest, programme: Programme, client_id: int
) -> HttpResponse:
    client = get_for_user_or_404(
        Client.objects.for_programme(programme),
        request.user,
        Permission.RECORD_CASEWORK,
        pk=client_id,
    )
    if request.method == "GET":
        client_viewed(actor=request.user, client=client)
    form = ContactPreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"phone": client.phone, "email": client.email, "reminders_by": client.reminders_by},
    )
    if request.method == "POST" and form.is_valid():
        services.client_contact_preferences_update(
            actor=request.user, client=client, **form.cleaned_data
        )
        messages.success(request, "The contact preferences have been saved.")
        return redirect("clients:detail", programme.slug, client.pk)
    return render(
        request,
        "casework/contact_preferences.jinja",
        {"programme": programme, "client": client, "form": form},
    )


@programme_view(Permission.MANAGE_PROGRAMME)
@require_http_methods(["GET", "POST"])
def lists(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    return lists_page(request, programme, LISTS)


@programme_view(Permission.MANAGE_PROGRAMME)
@require_POST
def list_item_set_active(
    request: ProgrammeRequest, programme: Programme, kind: str, item_id: int
) -> HttpResponse:
    return list_pages.list_item_set_active(request, programme, LISTS, kind, item_id)
