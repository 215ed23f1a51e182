"""Registers every permission in roles.py with `rules`, checked against a programme."""

from __future__ import annotations

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate

from healthtrainer.accounts.roles import (
    ADMINISTRATOR_SITE_PERMISSIONS,
    Permission,
    SitePermission,
    role_has_permission,
)


def _programme_permission(permission: Permission) -> Any:
    def holds(user: Any, programme: Any) -> bool:
        if programme is None or not user.is_authenticated or not user.is_active:
            return False
        role = user.role_in(programme.pk)
        return role is not None and role_has_permission(role, permission)

    return predicate(holds, name=f"holds {permission}")


def _site_permission(permission: SitePermission) -> Any:
    def holds(user: Any) -> bool:
        return bool(
            user.is_authenticated
            and user.is_active
            and user.is_site_administrator
            and permission in ADMINISTRATOR_SITE_PERMISSIONS
        )

    return predicate(holds, name=f"holds {permission}")


for _permission in Permission:
    add_perm(_permission.value, _programme_permission(_permission))
for _site in SitePermission:
    add_perm(_site.value, _site_permission(_site))
