"""The change feed's rows: appended in the writer's transaction, read by seq."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bulletin.domain.events import Event, EventKind
from bulletin.store.blogs import next_seq
from bulletin.store.tables import blogs, events, newsroom_events


async def append(conn: AsyncConnection, blog_id: int, kind: EventKind, post_id: int | None,
                 data: str, now: datetime, *, seq: int | None = None) -> int:
    """Write one event; `seq` is taken from the blog's counter unless already bumped."""
    if seq is None:
        seq, _ = await next_seq(conn, blog_id)
    await conn.execute(insert(events).values(
        blog_id=blog_id, seq=seq, kind=kind.value, post_id=post_id, data=data, created_at=now,
    ))
    return seq


async def since(conn: AsyncConnection, blog_id: int, after_seq: int, limit: int = 1000
                ) -> list[Event]:
    query = (
        select(events.c.seq, events.c.kind, events.c.post_id, events.c.data)
        .where(events.c.blog_id == blog_id, events.c.seq > after_seq)
        .order_by(events.c.seq)
        .limit(limit)
    )
    return [
        Event(blog_id=blog_id, seq=int(seq), kind=EventKind(kind), post_id=post_id, data=data)
        for seq, kind, post_id, data in (await conn.execute(query)).all()
    ]


async def first_kept_seq(conn: AsyncConnection, blog_id: int) -> int | None:
    query = select(func.min(events.c.seq)).where(events.c.blog_id == blog_id)
    value = (await conn.execute(query)).scalar_one_or_none()
    return int(value) if value is not None else None


async def prune(conn: AsyncConnection, blog_id: int, keep: int) -> int:
    """Forget all but the newest `keep` events; readers further behind reload the page."""
    newest = (await conn.execute(
        select(func.max(events.c.seq)).where(events.c.blog_id == blog_id)
    )).scalar_one_or_none()
    if newest is None:
        return 0
    result = await conn.execute(
        delete(events).where(events.c.blog_id == blog_id, events.c.seq <= newest - keep)
    )
    return int(result.rowcount or 0)


async def append_newsroom(conn: AsyncConnection, blog_id: int, kind: str, post_id: int | None,
                          data: str, now: datetime) -> int:
    """The newsroom's own feed (drafts, the approval queue, who is editing): its own seq,
    so the public stream never has holes and never sees these."""
    result = await conn.execute(
        update(blogs).where(blogs.c.id == blog_id)
        .values(last_newsroom_seq=blogs.c.last_newsroom_seq + 1)
        .returning(blogs.c.last_newsroom_seq)
    )
    seq = int(result.scalar_one())
    await conn.execute(insert(newsroom_events).values(
        blog_id=blog_id, seq=seq, kind=kind, post_id=post_id, data=data, created_at=now))
    return seq


async def newsroom_since(conn: AsyncConnection, blog_id: int, after_seq: int, limit: int = 200
                         ) -> list[tuple[int, str, int | None, str]]:
    query = (
        select(newsroom_events.c.seq, newsroom_events.c.kind, newsroom_events.c.post_id,
               newsroom_events.c.data)
        .where(newsroom_events.c.blog_id == blog_id, newsroom_events.c.seq > after_seq)
        .order_by(newsroom_events.c.seq).limit(limit)
    )
    return [(int(s), k, p, d) for s, k, p, d in (await conn.execute(query)).all()]
