"""People and their API tokens (stored only as SHA-256 digests)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bulletin.domain.roles import Actor, Role
from bulletin.store.tables import tokens, users


async def get_by_name(conn: AsyncConnection, name: str) -> Actor | None:
    row = (await conn.execute(
        select(users.c.id, users.c.name, users.c.role).where(users.c.name == name)
    )).first()
    return Actor(id=row[0], name=row[1], role=Role(row[2])) if row else None


async def insert_user(conn: AsyncConnection, name: str, role: Role, now: datetime) -> Actor:
    result = await conn.execute(
        insert(users).values(name=name, role=role.value, created_at=now).returning(users.c.id)
    )
    return Actor(id=int(result.scalar_one()), name=name, role=role)


async def set_role(conn: AsyncConnection, user_id: int, role: Role) -> None:
    await conn.execute(update(users).where(users.c.id == user_id).values(role=role.value))


async def insert_token(conn: AsyncConnection, user_id: int, token_hash: str, label: str,
                       now: datetime) -> None:
    await conn.execute(insert(tokens).values(
        user_id=user_id, token_hash=token_hash, label=label, created_at=now,
    ))


async def actor_for_token(conn: AsyncConnection, token_hash: str) -> Actor | None:
    query = (
        select(users.c.id, users.c.name, users.c.role)
        .join(tokens, tokens.c.user_id == users.c.id)
        .where(tokens.c.token_hash == token_hash, tokens.c.revoked_at.is_(None))
    )
    row = (await conn.execute(query)).first()
    return Actor(id=row[0], name=row[1], role=Role(row[2])) if row else None
