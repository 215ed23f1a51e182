"""A client's contact preferences, and the programme's own casework lists."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission
from healthtrainer.casework import services
from healthtrainer.casework.forms import ContactPreferencesForm, ListItemForm
from healthtrainer.casework.models import CbTechnique, ProgrammeListItem, Strategy
from healthtrainer.clients.models import Client
from healthtrainer.clients.services import client_viewed
from healthtrainer.core.forms import add_service_errors
from healthtrainer.core.scoping import get_for_user_or_404
from healthtrainer.programmes.models import Programme
from healthtrainer.workforce.models import FidelityItem, SatisfactionItem

# Each programme's own lists: what trainers record, and what supervisors and trainers rate.
LISTS: dict[str, type[ProgrammeListItem]] = {
    "techniques": CbTechnique,
    "strategies": Strategy,
    "satisfaction": SatisfactionItem,
    "fidelity": FidelityItem,
}


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
    forms = {kind: ListItemForm(prefix=kind) for kind in LISTS}
    if request.method == "POST":
        if "seed" in request.POST:
            services.programme_lists_seed(actor=request.user, programme=programme)
            messages.success(request, "The standard lists have been added.")
            return redirect("casework:lists", programme.slug)
        kind = request.POST.get("list", "")
        if kind not in LISTS:
            raise Http404("No such list")
        form = forms[kind] = ListItemForm(request.POST, prefix=kind)
        if form.is_valid():
            try:
                item = services.programme_list_item_add(
                    actor=request.user,
                    programme=programme,
                    model=LISTS[kind],
                    name=form.cleaned_data["name"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"“{item.name}” has been added.")
                return redirect("casework:lists", programme.slug)
    return render(
        request,
        "casework/lists.jinja",
        {
            "programme": programme,
            "forms": forms,
            "entries": {
                kind: list(model.objects.for_programme(programme)) for kind, model in LISTS.items()
            },
        },
    )


@programme_view(Permission.MANAGE_PROGRAMME)
@require_POST
def list_item_set_active(
    request: ProgrammeRequest, programme: Programme, kind: str, item_id: int
) -> HttpResponse:
    if kind not in LISTS:
        raise Http404("No such list")
    model = LISTS[kind]
    item: ProgrammeListItem = get_for_user_or_404(
        model.objects.for_programme(programme),
        request.user,
        Permission.MANAGE_PROGRAMME,
        pk=item_id,
    )
    is_active = request.POST.get("is_active") == "true"
    services.programme_list_item_set_active(actor=request.user, item=item, is_active=is_active)
    messages.success(request, f"“{item.name}” has been {'restored' if is_active else 'retired'}.")
    return redirect("casework:lists", programme.slug)
