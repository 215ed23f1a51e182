"""Every account on the service, for administrators: who can sign in, and closing an
account across every programme when someone leaves."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from healthtrainer.accounts import services
from healthtrainer.accounts.access import SignedInRequest, site_view
from healthtrainer.accounts.models import User
from healthtrainer.accounts.roles import SitePermission
from healthtrainer.interop.models import ApiClient

PAGE_SIZE = 50


@site_view(SitePermission.DEACTIVATE_ACCOUNTS)
def accounts(request: SignedInRequest) -> HttpResponse:
    people = User.objects.annotate(
        programmes=Count("memberships", filter=Q(memberships__is_active=True))
    ).order_by("-is_active", "full_name", "email")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/site_accounts.jinja", {"page": page})


@site_view(SitePermission.DEACTIVATE_ACCOUNTS)
@require_http_methods(["GET", "POST"])
def deactivate(request: SignedInRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(User.objects.all(), pk=user_id)
    if request.method == "POST":
        try:
            ended = services.user_deactivate(actor=request.user, user=person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"{person} can no longer sign in. {ended} programme membership"
                f"{'' if ended == 1 else 's'} ended, and they are signed out everywhere.",
            )
        return redirect("accounts:accounts")
    return render(
        request,
        "accounts/deactivate.jinja",
        {
            "person": person,
            "memberships": person.memberships.filter(is_active=True).select_related("programme"),
            "systems": ApiClient.objects.filter(created_by=person, revoked_at__isnull=True),
        },
    )
