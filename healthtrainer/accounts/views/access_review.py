"""The periodic access review: who holds which role, and who has stopped using it."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.models import Membership
from healthtrainer.accounts.roles import Permission
from healthtrainer.programmes.models import Programme

UNUSED_AFTER = timedelta(days=90)


@programme_view(Permission.REVIEW_ACCESS)
def access_review(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    unused_before = timezone.now() - UNUSED_AFTER
    memberships = list(
        Membership.objects.for_programme(programme)
        .active()
        .select_related("user", "organisation")
        .order_by("role", "user__full_name")
    )
    rows = [
        {
            "membership": membership,
            "last_login": membership.user.last_login,
            "unused": (membership.user.last_login or membership.created_at) < unused_before,
        }
        for membership in memberships
    ]
    return render(
        request,
        "accounts/access_review.jinja",
        {
            "programme": programme,
            "rows": rows,
            "unused_count": sum(row["unused"] for row in rows),
            "unused_days": UNUSED_AFTER.days,
        },
    )
