"""Roles: editors run the coverage, admins also manage people and blogs."""

from __future__ import annotations

import pytest

from bulletin.domain.errors import PermissionDenied
from bulletin.domain.roles import Actor, Permission, Role


def test_editors_publish_pin_and_end_but_do_not_manage_users() -> None:
    editor = Actor(1, "Erin", Role.EDITOR)
    for permission in (Permission.PUBLISH, Permission.PIN, Permission.END_BLOG,
                       Permission.DELETE, Permission.EDIT_ANY):
        assert editor.can(permission)
    assert not editor.can(Permission.MANAGE_USERS)
    assert not editor.can(Permission.CREATE_BLOG)


def test_admins_can_do_everything() -> None:
    admin = Actor(1, "Ada", Role.ADMIN)
    assert all(admin.can(p) for p in Permission)


def test_a_refusal_says_who_and_why() -> None:
    with pytest.raises(PermissionDenied, match="Cory is a contributor; a contributor cannot "
                                               "publish posts"):
        Actor(3, "Cory", Role.CONTRIBUTOR).require(Permission.PUBLISH)
