"""Rows written straight through the store (below the actions layer) for store tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bulletin.domain.events import EventKind
from bulletin.domain.post import PostStatus
from bulletin.domain.roles import Actor, Role
from bulletin.store import blogs as blog_rows
from bulletin.store import events as event_rows
from bulletin.store import posts as post_rows
from bulletin.store import users as user_rows
from bulletin.store.database import Database

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


async def make_blog(db: Database, slug: str) -> int:
    async with db.transaction() as conn:
        return await blog_rows.insert_blog(conn, {
            "slug": slug, "title": slug.title(), "language": "en", "timezone": "UTC",
            "status": "live", "created_at": T0, "updated_at": T0})


async def make_author(db: Database, name: str = "Sam Store") -> Actor:
    async with db.transaction() as conn:
        return await user_rows.insert_user(conn, name, Role.EDITOR, T0)


async def append_event(db: Database, blog_id: int, kind: EventKind = EventKind.BLOG_UPDATED,
                       post_id: int | None = None) -> int:
    """One write transaction appending one event; returns its seq."""
    async with db.transaction() as conn:
        return await event_rows.append(conn, blog_id, kind, post_id, '{"n":1}', T0)


async def publish_row(db: Database, blog_id: int, author: Actor, *, pinned: bool = False,
                      key_event: bool = False, status: PostStatus = PostStatus.PUBLISHED,
                      headline: str | None = None) -> tuple[int, int]:
    """A post and its post.published event in one transaction, the way an action writes
    them; returns (post id, position)."""
    async with db.transaction() as conn:
        seq, position = await blog_rows.next_seq(conn, blog_id, new_position=True)
        at = T0 + timedelta(minutes=position)
        values: dict[str, Any] = {
            "blog_id": blog_id, "position": position, "status": status.value,
            "headline": headline, "blocks": '[{"kind":"text","html":"<p>x</p>"}]',
            "author_id": author.id, "language": None, "created_at": at, "published_at": at,
            "updated_at": at, "version": 1, "pinned": pinned, "key_event": key_event,
            "idempotency_key": None,
        }
        post_id = await post_rows.insert_post(conn, values)
        await event_rows.append(conn, blog_id, EventKind.POST_PUBLISHED, post_id, "{}", at,
                                seq=seq)
    return post_id, position
