"""View decorators that fetch the programme in scope and check a named permission.

A programme the user does not belong to answers 404 (nothing leaks); a programme
they belong to, but whose page needs a permission their role lacks, answers 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from healthtrainer.accounts.models import User
from healthtrainer.accounts.roles import Permission, SitePermission
from healthtrainer.core.scoping import get_for_user_or_404
from healthtrainer.programmes.models import Programme

CURRENT_PROGRAMME_SESSION_KEY = "current_programme_slug"


class SignedInRequest(HttpRequest):
    """The request a view behind sign-in receives: its user is a real account."""

    user: User


class ProgrammeRequest(SignedInRequest):
    """The request a programme view receives, with the programme already in scope."""

    programme: Programme


# A view may stream its answer (HttpResponseBase covers StreamingHttpResponse).
ProgrammeView = Callable[..., HttpResponseBase]


def programme_view(permission: Permission) -> Callable[[ProgrammeView], ProgrammeView]:
    def decorator(view: ProgrammeView) -> ProgrammeView:
        @wraps(view)
        @login_required
        def wrapper(
            request: ProgrammeRequest, programme_slug: str, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            programme = get_for_user_or_404(
                Programme.objects.all(),
                request.user,
                Permission.VIEW_PROGRAMME,
                slug=programme_slug,
            )
            if not request.user.has_perm(permission, programme):
                raise PermissionDenied
            request.programme = programme
            request.session[CURRENT_PROGRAMME_SESSION_KEY] = programme.slug
            return view(request, programme, *args, **kwargs)

        return wrapper

    return decorator


def site_view(permission: SitePermission) -> Callable[[ProgrammeView], ProgrammeView]:
    def decorator(view: ProgrammeView) -> ProgrammeView:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
