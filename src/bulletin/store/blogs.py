"""Blog rows, and the per-blog counters that number posts and events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from bulletin.domain.blog import Blog, BlogStatus
from bulletin.store.tables import blogs


def blog_from_row(row: RowMapping) -> Blog:
    return Blog(
        id=row["id"],
        slug=row["slug"],
        title=row["title"],
        description=row["description"],
        language=row["language"],
        timezone=row["timezone"],
        status=BlogStatus(row["status"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        ended_at=row["ended_at"],
        last_seq=row["last_seq"],
        last_position=row["last_position"],
        poll_after=row["poll_after"],
        closing_post_id=row["closing_post_id"],
    )


async def get_by_slug(conn: AsyncConnection, slug: str) -> Blog | None:
    row = (await conn.execute(select(blogs).where(blogs.c.slug == slug))).mappings().first()
    return blog_from_row(row) if row else None


async def get_by_id(conn: AsyncConnection, blog_id: int) -> Blog | None:
    row = (await conn.execute(select(blogs).where(blogs.c.id == blog_id))).mappings().first()
    return blog_from_row(row) if row else None


async def list_blogs(conn: AsyncConnection, limit: int = 100) -> list[Blog]:
    query = select(blogs).order_by(blogs.c.status, blogs.c.updated_at.desc()).limit(limit)
    return [blog_from_row(r) for r in (await conn.execute(query)).mappings()]


async def lock(conn: AsyncConnection, blog_id: int) -> Blog:
    """Inside a write: hold the blog's row until commit and read it as it is now, so a
    change that depends on the blog's state (ending a live blog) is decided once."""
    query = select(blogs).where(blogs.c.id == blog_id).with_for_update()
    return blog_from_row((await conn.execute(query)).mappings().one())


async def insert_blog(conn: AsyncConnection, values: dict[str, Any]) -> int:
    result = await conn.execute(insert(blogs).values(**values).returning(blogs.c.id))
    return int(result.scalar_one())


async def update_blog(conn: AsyncConnection, blog_id: int, values: dict[str, Any]) -> None:
    await conn.execute(update(blogs).where(blogs.c.id == blog_id).values(**values))


PIN_LOCK = 0x42756C6C  # the advisory-lock namespace for "pinning in blog N"


async def lock_pinning(conn: AsyncConnection, blog_id: int) -> None:
    """Inside a write: one pin change per blog at a time, held until commit, so editors
    pinning at the same moment cannot leave two pinned posts (each would see none pinned
    yet). PostgreSQL only; SQLite writers already take turns. An advisory lock rather than
    the blog row: other writers lock a post and then the blog row, and a pin goes on to
    lock the previously pinned post, so holding the row here could deadlock."""
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SELECT pg_advisory_xact_lock(:space, :blog)"),
                           {"space": PIN_LOCK, "blog": blog_id})


async def next_seq(conn: AsyncConnection, blog_id: int, *, new_position: bool = False
                   ) -> tuple[int, int]:
    """Bump the blog's counters and return (seq, position). The row lock this takes on
    PostgreSQL serialises writers of one blog until commit: commit order is seq order."""
    values: dict[str, Any] = {"last_seq": blogs.c.last_seq + 1}
    if new_position:
        values["last_position"] = blogs.c.last_position + 1
    result = await conn.execute(
        update(blogs).where(blogs.c.id == blog_id).values(**values)
        .returning(blogs.c.last_seq, blogs.c.last_position)
    )
    seq, position = result.one()
    return int(seq), int(position)


async def touch(conn: AsyncConnection, blog_id: int, now: datetime) -> None:
    await conn.execute(update(blogs).where(blogs.c.id == blog_id).values(updated_at=now))


async def last_seqs(conn: AsyncConnection, blog_ids: list[int]) -> dict[int, int]:
    if not blog_ids:
        return {}
    query = select(blogs.c.id, blogs.c.last_seq).where(blogs.c.id.in_(blog_ids))
    return {int(i): int(s) for i, s in (await conn.execute(query)).all()}


async def count(conn: AsyncConnection) -> int:
    return int((await conn.execute(select(func.count()).select_from(blogs))).scalar_one())


async def last_newsroom_seq(conn: AsyncConnection, blog_id: int) -> int:
    query = select(blogs.c.last_newsroom_seq).where(blogs.c.id == blog_id)
    return int((await conn.execute(query)).scalar_one())
