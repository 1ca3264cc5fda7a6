"""Accounts and API tokens. A token is shown once; only its SHA-256 digest is stored."""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy.exc import IntegrityError

from bulletin.actions.newsroom import Newsroom
from bulletin.domain.errors import Conflict, ValidationError
from bulletin.domain.roles import Actor, Role
from bulletin.store import users as user_rows

_NAME = re.compile(r"^[\w][\w .'-]{0,98}[\w.]$|^\w$")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def validate_name(name: object) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValidationError("A user name is 1–100 letters, digits, spaces, dots or hyphens.",
                              field="name")
    return name


async def create_user(nr: Newsroom, name: str, role: Role) -> Actor:
    validate_name(name)
    try:
        async with nr.db.transaction() as conn:
            return await user_rows.insert_user(conn, name, role, nr.now())
    except IntegrityError:
        raise Conflict(f"There is already a user called {name!r}.", field="name") from None


async def ensure_user(nr: Newsroom, name: str, role: Role) -> Actor:
    """The user called `name` with `role`, created or updated as needed."""
    async with nr.db.transaction() as conn:
        actor = await user_rows.get_by_name(conn, name)
        if actor is None:
            return await user_rows.insert_user(conn, validate_name(name), role, nr.now())
        if actor.role is not role:
            await user_rows.set_role(conn, actor.id, role)
        return Actor(id=actor.id, name=actor.name, role=role)


async def issue_token(nr: Newsroom, actor: Actor, label: str = "") -> str:
    token = new_token()
    async with nr.db.transaction() as conn:
        await user_rows.insert_token(conn, actor.id, hash_token(token), label[:100], nr.now())
    return token


async def authenticate(nr: Newsroom, token: str) -> Actor | None:
    if not token or len(token) > 200:
        return None
    async with nr.db.read() as conn:
        return await user_rows.actor_for_token(conn, hash_token(token))
