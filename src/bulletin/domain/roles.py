"""Who may do what, per blog. The checks name permissions, not roles, so the rules live here
and nowhere else.

A user may have a site-wide role (admins; or a default for every blog, as `bulletin
createuser --role editor` gives scripts) and a role per blog (a membership), which wins
for that blog. A site admin is an admin everywhere.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

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
    APPROVE = "approve or return submitted posts"
    SCHEDULE = "schedule posts"
    WRITE_DRAFTS = "write drafts"
    SEE_NEWSROOM = "see the newsroom's drafts, queue and audit log"
    MANAGE_MEMBERS = "invite colleagues and change their roles"
    MANAGE_WEBHOOKS = "register webhooks"
    MANAGE_USERS = "manage users"


_CONTRIBUTOR = frozenset({Permission.WRITE_DRAFTS, Permission.SEE_NEWSROOM})
_EDITOR = frozenset(Permission) - {Permission.MANAGE_USERS, Permission.CREATE_BLOG,
                                   Permission.MANAGE_MEMBERS, Permission.MANAGE_WEBHOOKS}
GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.EDITOR: _EDITOR,
    Role.CONTRIBUTOR: _CONTRIBUTOR,
}


def effective_role(site_role: Role | None, blog_role: Role | None) -> Role | None:
    if site_role is Role.ADMIN:
        return Role.ADMIN
    return blog_role or site_role


@dataclass(frozen=True, slots=True)
class Actor:
    """The person (or script, through their token) behind a write. `role` is the role in
    force where they act: site-wide, or for one blog once `on_blog` has been applied."""

    id: int
    name: str
    role: Role | None
    via: str = ""  # "token 12" or "session 40": audit entries say from where

    def can(self, permission: Permission) -> bool:
        return self.role is not None and permission in GRANTS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            if self.role is None:
                raise PermissionDenied(
                    f"{self.name} has no role on this blog and cannot {permission.value}. "
                    "Ask an admin to invite you.")
            role = self.role.value
            a = "an" if role[0] in "aeiou" else "a"
            raise PermissionDenied(f"{self.name} is {a} {role}; {a} {role} cannot "
                                   f"{permission.value}.")

    def on_blog(self, site_role: Role | None, blog_role: Role | None) -> Actor:
        return replace(self, role=effective_role(site_role, blog_role))
