"""A page that edits some of a programme's own lists: add an entry, retire or restore one.

Each app owns the page for its own lists (casework: CB approaches and strategies;
workforce: fidelity items and course statements); both are drawn by this one helper.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from healthtrainer.accounts.access import ProgrammeRequest
from healthtrainer.accounts.roles import Permission
from healthtrainer.casework import services
from healthtrainer.casework.forms.settings import ListItemForm
from healthtrainer.casework.models import ProgrammeListItem
from healthtrainer.core.forms import add_service_errors
from healthtrainer.core.scoping import get_for_user_or_404
from healthtrainer.programmes.models import Programme


@dataclass(frozen=True)
class ListSection:
    kind: str
    model: type[ProgrammeListItem]
    title: str
    hint: str


@dataclass(frozen=True)
class ListsPage:
    """Which lists a page edits, and the names of its two URLs."""

    heading: str
    intro: str
    sections: tuple[ListSection, ...]
    url_name: str
    set_active_url_name: str

    def section(self, kind: str) -> ListSection:
        for section in self.sections:
            if section.kind == kind:
                return section
        raise Http404("No such list")


def lists_page(request: ProgrammeRequest, programme: Programme, page: ListsPage) -> HttpResponse:
    forms = {section.kind: ListItemForm(prefix=section.kind) for section in page.sections}
    if request.method == "POST":
        section = page.section(request.POST.get("list", ""))
        form = forms[section.kind] = ListItemForm(request.POST, prefix=section.kind)
        if form.is_valid():
            try:
                item = services.programme_list_item_add(
                    actor=request.user,
                    programme=programme,
                    model=section.model,
                    name=form.cleaned_data["name"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"“{item.name}” has been added.")
                return redirect(page.url_name, programme.slug)
    return render(
        request,
        "casework/lists.jinja",
        {
            "programme": programme,
            "page": page,
            "forms": forms,
            "entries": {
                section.kind: list(section.model.objects.for_programme(programme))
                for section in page.sections
            },
        },
    )


def list_item_set_active(
    request: ProgrammeRequest, programme: Programme, page: ListsPage, kind: str, item_id: int
) -> HttpResponse:
    item: ProgrammeListItem = get_for_user_or_404(
        page.section(kind).model.objects.for_programme(programme),
        request.user,
        Permission.MANAGE_PROGRAMME,
        pk=item_id,
    )
    is_active = request.POST.get("is_active") == "true"
    services.programme_list_item_set_active(actor=request.user, item=item, is_active=is_active)
    messages.success(request, f"“{item.name}” has been {'restored' if is_active else 'retired'}.")
    return redirect(page.url_name, programme.slug)
