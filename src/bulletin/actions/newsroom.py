"""What every action needs: the store, the broker that wakes readers, and a clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bulletin.domain.blog import Blog
from bulletin.domain.embeds import DEFAULT_MASTODON_HOSTS
from bulletin.domain.errors import NotFound
from bulletin.domain.events import EventKind
from bulletin.domain.post import Post
from bulletin.domain.roles import Actor
from bulletin.feed.broker import Broker
from bulletin.render.payload import dumps, post_json
from bulletin.store import blogs as blog_rows
from bulletin.store import events as event_rows
from bulletin.store import history
from bulletin.store import posts as post_rows
from bulletin.store import users as user_rows
from bulletin.store.database import Database


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Newsroom:
    db: Database
    broker: Broker
    now: Callable[[], datetime] = field(default=utcnow)
    #: Mastodon servers whose posts may be embedded (the `embed_mastodon_hosts` setting).
    mastodon_hosts: tuple[str, ...] = DEFAULT_MASTODON_HOSTS

    async def announce(self, blog_id: int, seq: int) -> None:
        """After commit: tell every node that blog `blog_id` has events up to `seq`."""
        await self.broker.publish(blog_id, seq)


async def blog_or_404(conn: AsyncConnection, slug: str) -> Blog:
    blog = await blog_rows.get_by_slug(conn, slug)
    if blog is None:
        raise NotFound(f"There is no blog at '{slug[:80]}'.", field="slug")
    return blog


async def post_or_404(conn: AsyncConnection, blog: Blog, post_id: int) -> Post:
    post = await post_rows.get(conn, blog.id, post_id)
    if post is None:
        raise NotFound(f"Post {post_id} is not in the blog '{blog.slug}'.", field="post_id")
    return post


async def record_post_event(conn: AsyncConnection, blog: Blog, post: Post, kind: EventKind,
                            now: datetime, *, seq: int | None = None) -> int:
    """Append the post's event; the payload is rendered once, here, and never again."""
    data = dumps({"id": post.id}) if kind is EventKind.POST_DELETED else dumps(
        post_json(post, blog))
    return await event_rows.append(conn, blog.id, kind, post.id, data, now, seq=seq)


async def record_blog_event(conn: AsyncConnection, blog_id: int, kind: EventKind,
                            now: datetime) -> int:
    blog = await blog_rows.get_by_id(conn, blog_id)
    assert blog is not None
    return await event_rows.append(conn, blog_id, kind, None, dumps(blog.to_json()), now)


async def as_member(conn: AsyncConnection, actor: Actor, blog: Blog) -> Actor:
    """The actor with the role in force on this blog (membership, else site-wide)."""
    site = await user_rows.get_by_id(conn, actor.id)
    blog_role = await user_rows.blog_role(conn, blog.id, actor.id)
    return actor.on_blog(site.role if site else None, blog_role)


async def audit(conn: AsyncConnection, actor: Actor, blog_id: int | None, action: str,
                now: datetime, *, post_id: int | None = None, detail: str = "") -> None:
    """Every write leaves a line: who, what, when, from which token or session."""
    await history.record(conn, blog_id=blog_id, user_id=actor.id, action=action,
                         post_id=post_id, detail=detail, via=actor.via, now=now)


async def newsroom_event(conn: AsyncConnection, blog_id: int, kind: str, post_id: int | None,
                         data: dict[str, Any], now: datetime) -> int:
    return await event_rows.append_newsroom(conn, blog_id, kind, post_id, dumps(data), now)
