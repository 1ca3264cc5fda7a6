"""Browser sessions (cookie token stored as SHA-256, with its CSRF token) and the record of
failed sign-ins that throttles password guessing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from bulletin.domain.roles import Actor, Role
from bulletin.store.tables import login_failures, sessions, users


@dataclass(frozen=True, slots=True)
class Session:
    id: int
    actor: Actor
    csrf_token: str
    expires_at: datetime


async def insert_session(conn: AsyncConnection, user_id: int, token_hash: str, csrf: str,
                         now: datetime, expires_at: datetime, user_agent: str) -> int:
    result = await conn.execute(insert(sessions).values(
        token_hash=token_hash, user_id=user_id, csrf_token=csrf, created_at=now,
        expires_at=expires_at, user_agent=user_agent[:300],
    ).returning(sessions.c.id))
    return int(result.scalar_one())


async def session_for(conn: AsyncConnection, token_hash: str, now: datetime) -> Session | None:
    query = (
        select(sessions.c.id, sessions.c.csrf_token, sessions.c.expires_at, users.c.id,
               users.c.name, users.c.role)
        .join(users, users.c.id == sessions.c.user_id)
        .where(sessions.c.token_hash == token_hash, sessions.c.expires_at > now)
    )
    row = (await conn.execute(query)).first()
    if row is None:
        return None
    actor = Actor(id=row[3], name=row[4], role=Role(row[5]) if row[5] else None,
                  via=f"session {row[0]}")
    return Session(id=row[0], actor=actor, csrf_token=row[1], expires_at=row[2])


async def delete_session(conn: AsyncConnection, token_hash: str) -> None:
    await conn.execute(delete(sessions).where(sessions.c.token_hash == token_hash))


ATTEMPTS_LOCK = 0x5349474E  # advisory-lock key space for sign-in attempts ("SIGN")


async def lock_attempts(conn: AsyncConnection, address: str) -> None:
    """Inside a write: sign-in attempts from one address take turns at counting their
    failures (PostgreSQL; SQLite writers already take turns), so parallel guesses cannot
    all read a count below the limit."""
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SELECT pg_advisory_xact_lock(:space, hashtext(:address))"),
                           {"space": ATTEMPTS_LOCK, "address": address[:64]})


async def record_failure(conn: AsyncConnection, name: str, address: str, now: datetime
                         ) -> None:
    await conn.execute(insert(login_failures).values(name=name[:100], address=address[:64],
                                                     created_at=now))


async def recent_failures(conn: AsyncConnection, name: str, address: str, since: datetime
                          ) -> tuple[int, int]:
    """Failures for this name from this address, and from this address for any name."""
    recent = login_failures.c.created_at > since
    from_here = login_failures.c.address == address[:64]
    base = select(func.count()).select_from(login_failures)
    pair = await conn.execute(base.where(recent, from_here, login_failures.c.name == name[:100]))
    total = await conn.execute(base.where(recent, from_here))
    return int(pair.scalar_one()), int(total.scalar_one())


async def clear_failures(conn: AsyncConnection, name: str) -> None:
    await conn.execute(delete(login_failures).where(login_failures.c.name == name[:100]))


async def forget_stale(conn: AsyncConnection, now: datetime, failures_before: datetime
                       ) -> tuple[int, int]:
    """Delete sessions that have expired and failed sign-ins too old to count."""
    gone = await conn.execute(delete(sessions).where(sessions.c.expires_at <= now))
    old = await conn.execute(delete(login_failures)
                             .where(login_failures.c.created_at < failures_before))
    return gone.rowcount or 0, old.rowcount or 0
