"""Who may do what. Roles are global for now; the checks name permissions, not roles,
so making them per blog later changes only where the role comes from."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bulletin.domain.errors import PermissionDenied


class Role(enum.StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    CONTRIBUTOR = "contributor"


class Permission(enum.StrEnum):
    CREATE_BLOG = "create blogs"
    UPDATE_BLOG = "change this blog"
    END_BLOG = "end or reopen coverage"
    PUBLISH = "publish posts"
    EDIT_ANY = "edit other people's posts"
    DELETE = "delete posts"
    PIN = "pin posts"
    KEY_EVENT = "mark key events"
    MANAGE_USERS = "manage users"


_EDITOR = frozenset(Permission) - {Permission.MANAGE_USERS, Permission.CREATE_BLOG}
GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.EDITOR: _EDITOR,
    Role.CONTRIBUTOR: frozenset(),
}


@dataclass(frozen=True, slots=True)
class Actor:
    """The person (or script, through their token) behind a write."""

    id: int
    name: str
    role: Role

    def can(self, permission: Permission) -> bool:
        return permission in GRANTS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            role = self.role.value
            raise PermissionDenied(f"{self.name} is a {role}; a {role} cannot {permission.value}.")
