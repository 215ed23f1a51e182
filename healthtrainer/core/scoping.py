"""Scoped access: every programme-owned object is reached through these.

A user's reach is one predicate, `visible_to(user, permission)`, on each scoped
QuerySet. Views never filter by programme themselves, and anything out of reach
answers 404, so a probe cannot tell "not yours" from "does not exist".

The user model supplies `programme_ids_with(permission)`; core does not import
the accounts app, so the dependency stays pointing downwards.
"""

from __future__ import annotations

from typing import Any, Protocol, Self, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404


class ScopedUser(Protocol):
    is_authenticated: bool

    def programme_ids_with(self, permission: str) -> set[int]: ...


_M = TypeVar("_M", bound=models.Model)


class ProgrammeScopedQuerySet(models.QuerySet[_M]):
    """A QuerySet of objects that belong to one programme.

    `programme_path` is the lookup from the model to its programme. Later scopes
    (a trainer's own caseload, say) override `visible_to` on their own QuerySet.
    """

    programme_path = "programme"

    def for_programme(self, programme: Any) -> Self:
        return self.filter(**{self.programme_path: programme})

    def visible_to(self, user: Any, permission: str) -> Self:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        member: ScopedUser = user
        return self.filter(**{f"{self.programme_path}__in": member.programme_ids_with(permission)})


def get_for_user_or_404(
    queryset: ProgrammeScopedQuerySet[_M], user: Any, permission: str, **lookup: Any
) -> _M:
    try:
        return queryset.visible_to(user, permission).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None
