"""What the newsroom can look back on: post revisions and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bulletin.store.tables import audit, revisions, users


async def add_revision(conn: AsyncConnection, post_id: int, version: int, headline: str | None,
                       blocks: str, language: str | None, editor_id: int, now: datetime,
                       correction: str | None = None) -> None:
    await conn.execute(insert(revisions).values(
        post_id=post_id, version=version, headline=headline, blocks=blocks, language=language,
        editor_id=editor_id, created_at=now, correction=correction))


async def list_revisions(conn: AsyncConnection, post_id: int) -> list[dict[str, Any]]:
    query = (
        select(revisions.c.version, revisions.c.headline, revisions.c.blocks,
               revisions.c.language, revisions.c.created_at, users.c.name,
               revisions.c.correction)
        .join(users, users.c.id == revisions.c.editor_id)
        .where(revisions.c.post_id == post_id).order_by(revisions.c.version.desc())
    )
    return [
        {"version": r[0], "headline": r[1], "blocks": r[2], "language": r[3],
         "created_at": r[4], "editor": r[5], "correction": r[6]}
        for r in await conn.execute(query)
    ]


async def record(conn: AsyncConnection, *, blog_id: int | None, user_id: int | None,
                 action: str, post_id: int | None, detail: str, via: str, now: datetime
                 ) -> None:
    await conn.execute(insert(audit).values(
        blog_id=blog_id, user_id=user_id, action=action, post_id=post_id,
        detail=detail[:2000], via=via[:120], created_at=now))


async def audit_log(conn: AsyncConnection, blog_id: int, *, before_id: int | None = None,
                    limit: int = 100) -> list[dict[str, Any]]:
    query = (
        select(audit.c.id, audit.c.action, audit.c.post_id, audit.c.detail, audit.c.via,
               audit.c.created_at, users.c.name)
        .join(users, users.c.id == audit.c.user_id, isouter=True)
        .where(audit.c.blog_id == blog_id)
    )
    if before_id is not None:
        query = query.where(audit.c.id < before_id)
    query = query.order_by(audit.c.id.desc()).limit(limit)
    return [
        {"id": r[0], "action": r[1], "post_id": r[2], "detail": r[3], "via": r[4],
         "created_at": r[5].isoformat(), "who": r[6]}
        for r in await conn.execute(query)
    ]
