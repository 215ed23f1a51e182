"""The programme's own workforce lists: the CB fidelity items supervisors rate and the
statements trainers rate a course against."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_http_methods, require_POST

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission
from healthtrainer.casework.views import list_pages
from healthtrainer.casework.views.list_pages import ListSection, ListsPage
from healthtrainer.programmes.models import Programme
from healthtrainer.workforce.models import FidelityItem, SatisfactionItem

LISTS = ListsPage(
    heading="Workforce lists",
    intro="What supervisors and trainers rate. Retired entries stay on the ratings that name them.",
    sections=(
        ListSection(
            "fidelity",
            FidelityItem,
            "CB fidelity items",
            "What a supervisor rates in the work reviewed, on the programme's scale.",
        ),
        ListSection(
            "satisfaction",
            SatisfactionItem,
            "Course satisfaction statements",
            "What trainers rate a course against, from strongly disagree to strongly agree.",
        ),
    ),
    url_name="workforce:lists",
    set_active_url_name="workforce:list_item_set_active",
)


@programme_view(Permission.MANAGE_PROGRAMME)
@require_http_methods(["GET", "POST"])
def lists(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    return list_pages.lists_page(request, programme, LISTS)


@programme_view(Permission.MANAGE_PROGRAMME)
@require_POST
def list_item_set_active(
    request: ProgrammeRequest, programme: Programme, kind: str, item_id: int
) -> HttpResponse:
    return list_pages.list_item_set_active(request, programme, LISTS, kind, item_id)
