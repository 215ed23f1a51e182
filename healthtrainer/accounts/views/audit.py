"""Browsing the audit trail: a programme's events, and the site's for administrators."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from healthtrainer.accounts.access import (
    ProgrammeRequest,
    SignedInRequest,
    programme_view,
    site_view,
)
from healthtrainer.accounts.forms import AuditFilterForm, audit_actions, audit_object_types
from healthtrainer.accounts.models import User
from healthtrainer.accounts.roles import Permission, SitePermission
from healthtrainer.core.audit_labels import action_label, object_type_label
from healthtrainer.core.models import AuditEvent
from healthtrainer.programmes.models import Programme

PAGE_SIZE = 50


def _render_audit(
    request: HttpRequest,
    events: QuerySet[AuditEvent],
    people: QuerySet[User],
    programme: Programme | None,
) -> HttpResponse:
    form = AuditFilterForm(
        request.GET or None,
        people=people,
        actions=audit_actions(events),
        object_types=audit_object_types(events),
    )
    filtered = form.filter(events).select_related("actor", "programme")
    page = Paginator(filtered, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page:
        event.label = action_label(event.action)
        event.object_label = object_type_label(event.object_type)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit.jinja",
        {
            "programme": programme,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            # Administrators keep the codes, which exports and support requests quote.
            "show_codes": request.user.has_perm(SitePermission.VIEW_SITE_AUDIT),
        },
    )


@programme_view(Permission.VIEW_AUDIT)
def programme_audit(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    return _render_audit(
        request,
        AuditEvent.objects.for_programme(programme),
        User.objects.filter(
            Q(memberships__programme=programme) | Q(is_site_administrator=True)
        ).distinct(),
        programme,
    )


@site_view(SitePermission.VIEW_SITE_AUDIT)
def site_audit(request: SignedInRequest) -> HttpResponse:
    return _render_audit(request, AuditEvent.objects.all(), User.objects.all(), None)
