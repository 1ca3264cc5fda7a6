"""People, their per-blog roles, API tokens and invitations (stored only as SHA-256)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bulletin.domain.profile import Profile
from bulletin.domain.roles import Actor, Role
from bulletin.store.tables import memberships, tokens, users

# The label of one-time invitation links kept in `tokens` before invitations got their own
# table (migration 0006 spent them all); such rows are never API tokens.
INVITE = "invite"


def _role(value: str | None) -> Role | None:
    return Role(value) if value else None


def _actor(row: Any, via: str = "") -> Actor:
    return Actor(id=row[0], name=row[1], role=_role(row[2]), via=via)


async def get_by_name(conn: AsyncConnection, name: str) -> Actor | None:
    row = (await conn.execute(
        select(users.c.id, users.c.name, users.c.role).where(users.c.name == name)
    )).first()
    return _actor(row) if row else None


async def get_by_id(conn: AsyncConnection, user_id: int) -> Actor | None:
    row = (await conn.execute(
        select(users.c.id, users.c.name, users.c.role).where(users.c.id == user_id)
    )).first()
    return _actor(row) if row else None


async def password_hash(conn: AsyncConnection, user_id: int) -> str | None:
    query = select(users.c.password_hash).where(users.c.id == user_id)
    value = (await conn.execute(query)).scalar_one_or_none()
    return str(value) if value else None


async def set_password_hash(conn: AsyncConnection, user_id: int, value: str) -> None:
    await conn.execute(update(users).where(users.c.id == user_id).values(password_hash=value))


async def list_users(conn: AsyncConnection) -> list[Actor]:
    rows = await conn.execute(select(users.c.id, users.c.name, users.c.role)
                              .order_by(users.c.name))
    return [_actor(r) for r in rows]


async def insert_user(conn: AsyncConnection, name: str, role: Role | None, now: datetime
                      ) -> Actor:
    result = await conn.execute(
        insert(users).values(name=name, role=role.value if role else None, created_at=now)
        .returning(users.c.id)
    )
    return Actor(id=int(result.scalar_one()), name=name, role=role)


async def set_role(conn: AsyncConnection, user_id: int, role: Role | None) -> None:
    await conn.execute(update(users).where(users.c.id == user_id)
                       .values(role=role.value if role else None))


async def insert_token(conn: AsyncConnection, user_id: int, token_hash: str, label: str,
                       now: datetime) -> int:
    result = await conn.execute(insert(tokens).values(
        user_id=user_id, token_hash=token_hash, label=label, created_at=now,
    ).returning(tokens.c.id))
    return int(result.scalar_one())


async def actor_for_token(conn: AsyncConnection, token_hash: str) -> Actor | None:
    query = (
        select(users.c.id, users.c.name, users.c.role, tokens.c.id)
        .join(tokens, tokens.c.user_id == users.c.id)
        .where(tokens.c.token_hash == token_hash, tokens.c.revoked_at.is_(None),
               tokens.c.label != INVITE)
    )
    row = (await conn.execute(query)).first()
    return _actor(row, via=f"token {row[3]}") if row else None


async def list_tokens(conn: AsyncConnection, user_id: int) -> list[dict[str, Any]]:
    query = (select(tokens.c.id, tokens.c.label, tokens.c.created_at, tokens.c.revoked_at)
             .where(tokens.c.user_id == user_id, tokens.c.label != INVITE)
             .order_by(tokens.c.id))
    return [
        {"id": r[0], "label": r[1], "created_at": r[2].isoformat(),
         "revoked_at": r[3].isoformat() if r[3] else None}
        for r in await conn.execute(query)
    ]


async def revoke_token(conn: AsyncConnection, token_id: int, user_id: int | None,
                       now: datetime) -> bool:
    query = update(tokens).where(tokens.c.id == token_id, tokens.c.revoked_at.is_(None))
    if user_id is not None:
        query = query.where(tokens.c.user_id == user_id)
    result = await conn.execute(query.values(revoked_at=now))
    return bool(result.rowcount)


async def blog_role(conn: AsyncConnection, blog_id: int, user_id: int) -> Role | None:
    query = select(memberships.c.role).where(memberships.c.blog_id == blog_id,
                                             memberships.c.user_id == user_id)
    return _role((await conn.execute(query)).scalar_one_or_none())


async def set_blog_role(conn: AsyncConnection, blog_id: int, user_id: int, role: Role | None,
                        now: datetime) -> None:
    await conn.execute(delete(memberships).where(memberships.c.blog_id == blog_id,
                                                 memberships.c.user_id == user_id))
    if role is not None:
        await conn.execute(insert(memberships).values(
            blog_id=blog_id, user_id=user_id, role=role.value, created_at=now))


async def members(conn: AsyncConnection, blog_id: int) -> list[dict[str, Any]]:
    """Who has a role here; `joined` is whether they have set a password."""
    query = (select(users.c.id, users.c.name, memberships.c.role,
                    users.c.password_hash.is_not(None))
             .join(memberships, memberships.c.user_id == users.c.id)
             .where(memberships.c.blog_id == blog_id).order_by(users.c.name))
    return [{"id": r[0], "name": r[1], "role": r[2], "joined": bool(r[3])}
            for r in await conn.execute(query)]


async def profile(conn: AsyncConnection, user_id: int) -> Profile | None:
    query = select(users.c.id, users.c.name, users.c.title, users.c.photo_url
                   ).where(users.c.id == user_id)
    row = (await conn.execute(query)).first()
    return Profile(id=row[0], name=row[1], title=row[2] or "", photo_url=row[3]) if row else None


async def set_profile(conn: AsyncConnection, user_id: int, values: dict[str, Any]) -> None:
    """Change `title` and/or `photo_url` (None: no photo)."""
    await conn.execute(update(users).where(users.c.id == user_id).values(**values))
