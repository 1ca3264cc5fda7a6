"""Invitation links: who was invited to which blog, by whom, as what, and what became of
the link. Only the link's SHA-256 digest is stored, so a link cannot be shown twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import aliased

from bulletin.domain.invitations import Invitation
from bulletin.store.tables import blogs, invitations, memberships, users

_inviter = aliased(users)
_COLUMNS = (invitations.c.id, invitations.c.blog_id, blogs.c.slug, blogs.c.title, blogs.c.timezone,
            invitations.c.user_id, users.c.name, invitations.c.inviter_id, _inviter.c.name,
            invitations.c.role, invitations.c.created_at, invitations.c.expires_at,
            invitations.c.accepted_at, invitations.c.revoked_at, invitations.c.replaced_by)


def _select() -> Any:
    return (select(*_COLUMNS)
            .join(blogs, blogs.c.id == invitations.c.blog_id)
            .join(users, users.c.id == invitations.c.user_id)
            .join(_inviter, _inviter.c.id == invitations.c.inviter_id, isouter=True))


def _row(r: Any) -> Invitation:
    return Invitation(id=r[0], blog_id=r[1], blog_slug=r[2], blog_title=r[3], timezone=r[4],
                      user_id=r[5], name=r[6], inviter_id=r[7], inviter=r[8], role=r[9],
                      sent_at=r[10], expires_at=r[11], accepted_at=r[12], revoked_at=r[13],
                      replaced_by=r[14])


async def insert_invitation(conn: AsyncConnection, *, blog_id: int, user_id: int,
                            inviter_id: int, role: str, token_hash: str, now: datetime,
                            expires_at: datetime) -> int:
    result = await conn.execute(insert(invitations).values(
        blog_id=blog_id, user_id=user_id, inviter_id=inviter_id, role=role,
        token_hash=token_hash, created_at=now, expires_at=expires_at,
    ).returning(invitations.c.id))
    return int(result.scalar_one())


async def get(conn: AsyncConnection, invitation_id: int) -> Invitation | None:
    row = (await conn.execute(_select().where(invitations.c.id == invitation_id))).first()
    return _row(row) if row else None


async def by_token(conn: AsyncConnection, token_hash: str) -> Invitation | None:
    row = (await conn.execute(_select().where(invitations.c.token_hash == token_hash))).first()
    return _row(row) if row else None


async def for_blog(conn: AsyncConnection, blog_id: int, limit: int = 500) -> list[Invitation]:
    query = (_select().where(invitations.c.blog_id == blog_id)
             .order_by(invitations.c.id.desc()).limit(limit))
    return [_row(r) for r in await conn.execute(query)]


async def for_user(conn: AsyncConnection, user_id: int) -> list[Invitation]:
    query = _select().where(invitations.c.user_id == user_id).order_by(invitations.c.id)
    return [_row(r) for r in await conn.execute(query)]


async def pending_for(conn: AsyncConnection, blog_id: int, user_id: int, now: datetime
                      ) -> list[int]:
    query = select(invitations.c.id).where(
        invitations.c.blog_id == blog_id, invitations.c.user_id == user_id,
        invitations.c.accepted_at.is_(None), invitations.c.revoked_at.is_(None),
        invitations.c.expires_at > now)
    return [int(i) for i in (await conn.execute(query)).scalars()]


async def close(conn: AsyncConnection, invitation_id: int, now: datetime, *,
                replaced_by: int | None = None) -> bool:
    """Revoke (or, with `replaced_by`, replace) a link that is still open. False when it
    was already accepted, revoked or replaced: of two clicks at once, one wins."""
    result = await conn.execute(
        update(invitations)
        .where(invitations.c.id == invitation_id, invitations.c.accepted_at.is_(None),
               invitations.c.revoked_at.is_(None))
        .values(revoked_at=now, replaced_by=replaced_by))
    return bool(result.rowcount)


async def accept(conn: AsyncConnection, invitation_id: int, user_id: int, now: datetime
                 ) -> bool:
    """Use the link: only while it is pending (not expired, revoked or used). The
    person's other open links are spent with it: they all set the same password."""
    result = await conn.execute(
        update(invitations)
        .where(invitations.c.id == invitation_id, invitations.c.accepted_at.is_(None),
               invitations.c.revoked_at.is_(None), invitations.c.expires_at > now)
        .values(accepted_at=now))
    if not result.rowcount:
        return False
    await conn.execute(
        update(invitations)
        .where(invitations.c.user_id == user_id, invitations.c.accepted_at.is_(None),
               invitations.c.revoked_at.is_(None))
        .values(accepted_at=now))
    return True


@dataclass(frozen=True, slots=True)
class Covered:
    """A blog the person gets into with the password they set, and as what."""

    slug: str
    title: str
    role: str


async def memberships_of(conn: AsyncConnection, user_id: int) -> list[Covered]:
    query = (select(blogs.c.slug, blogs.c.title, memberships.c.role)
             .join(blogs, blogs.c.id == memberships.c.blog_id)
             .where(memberships.c.user_id == user_id).order_by(memberships.c.id))
    return [Covered(r[0], r[1], r[2]) for r in await conn.execute(query)]


async def blog_ids_of(conn: AsyncConnection, user_id: int) -> list[int]:
    query = select(memberships.c.blog_id).where(memberships.c.user_id == user_id)
    return [int(i) for i in (await conn.execute(query)).scalars()]
