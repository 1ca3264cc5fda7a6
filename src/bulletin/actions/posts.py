"""Publishing and correcting posts: publish, edit, delete, pin, key event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from bulletin.actions.newsroom import Newsroom, blog_or_404, post_or_404, record_post_event
from bulletin.domain.blocks import parse_blocks
from bulletin.domain.blog import Blog
from bulletin.domain.errors import (
    BlogEnded,
    Conflict,
    NotFound,
    PreconditionRequired,
    ValidationError,
)
from bulletin.domain.events import EventKind
from bulletin.domain.post import (
    Post,
    PostContent,
    PostStatus,
    check_size,
    parse_content,
    validate_flag,
    validate_headline,
    validate_idempotency_key,
    validate_post_language,
)
from bulletin.domain.roles import Actor, Permission
from bulletin.render.payload import post_json
from bulletin.render.sanitize import sanitize_html
from bulletin.store import blogs as blog_rows
from bulletin.store import posts as post_rows
from bulletin.store.posts import encode_blocks

PUBLISH_FIELDS = frozenset({"headline", "blocks", "language", "key_event", "pinned"})
EDIT_FIELDS = frozenset({"headline", "blocks", "language", "key_event"})


@dataclass(frozen=True, slots=True)
class Published:
    post: Post
    created: bool  # False when an Idempotency-Key matched an earlier publish


def _reject_unknown(raw: object, allowed: frozenset[str]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ValidationError("The request body must be a JSON object.")
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ValidationError(
            f"Unknown field {unknown[0]!r}; a post has: {', '.join(sorted(allowed))}.",
            field=unknown[0],
        )
    return raw


def _open_for_posts(blog: Blog) -> None:
    if not blog.is_live:
        raise BlogEnded(
            f"The coverage '{blog.title}' has ended; reopen it before publishing.",
            field="slug",
        )


async def publish(nr: Newsroom, actor: Actor, slug: str, raw: object, *,
                  idempotency_key: str | None = None) -> Published:
    """Publish a new post on top of the stream (and pin it, if asked)."""
    actor.require(Permission.PUBLISH)
    body = _reject_unknown(raw, PUBLISH_FIELDS)
    content = parse_content(body, sanitize_html)
    key_event = validate_flag(body.get("key_event", False), "key_event")
    pin = validate_flag(body.get("pinned", False), "pinned")
    if pin:
        actor.require(Permission.PIN)
    key = validate_idempotency_key(idempotency_key)
    try:
        return await _publish(nr, actor, slug, content, key_event, pin, key)
    except IntegrityError:
        # Two retries with the same key raced: the other one won; answer with its post.
        if key is None:
            raise
        async with nr.db.read() as conn:
            blog = await blog_or_404(conn, slug)
            earlier = await post_rows.by_idempotency_key(conn, blog.id, actor.id, key)
        if earlier is None:
            raise
        return Published(earlier, created=False)


async def _publish(nr: Newsroom, actor: Actor, slug: str, content: PostContent,
                   key_event: bool, pin: bool, key: str | None) -> Published:
    async with nr.db.transaction() as conn:
        blog = await blog_or_404(conn, slug)
        if key is not None:
            earlier = await post_rows.by_idempotency_key(conn, blog.id, actor.id, key)
            if earlier is not None:
                return Published(earlier, created=False)
        _open_for_posts(blog)
        now = nr.now()
        if pin:
            await _unpin_current(conn, blog, now)
        seq, position = await blog_rows.next_seq(conn, blog.id, new_position=True)
        post_id = await post_rows.insert_post(conn, {
            "blog_id": blog.id, "position": position, "status": PostStatus.PUBLISHED.value,
            "headline": content.headline, "blocks": encode_blocks(content.blocks),
            "author_id": actor.id, "language": content.language, "created_at": now,
            "published_at": now, "updated_at": now, "version": 1, "pinned": pin,
            "key_event": key_event, "idempotency_key": key,
        })
        post = await post_or_404(conn, blog, post_id)
        await record_post_event(conn, blog, post, EventKind.POST_PUBLISHED, now, seq=seq)
        if pin:
            seq = await record_post_event(conn, blog, post, EventKind.POST_PINNED, now)
        await blog_rows.touch(conn, blog.id, now)
    await nr.announce(blog.id, seq)
    return Published(post, created=True)


async def _unpin_current(conn: Any, blog: Blog, now: datetime) -> int | None:
    """Unpin the blog's pinned post, if any; returns the seq of its event."""
    current = await post_rows.pinned(conn, blog.id)
    if current is None:
        return None
    await post_rows.update_post(conn, current.id, {
        "pinned": False, "version": current.version + 1, "updated_at": now})
    unpinned = await post_or_404(conn, blog, current.id)
    return await record_post_event(conn, blog, unpinned, EventKind.POST_UNPINNED, now)


def _check_version(post: Post, blog: Blog, expected: int | None, *, required: bool) -> None:
    if expected is None:
        if required:
            raise PreconditionRequired(
                "Send If-Match with the version you edited (e.g. If-Match: \"3\") so that "
                "nobody's changes are overwritten.",
                field="If-Match",
            )
        return
    if expected != post.version:
        raise Conflict(
            f"Someone changed this post since you opened it (you had version {expected}, "
            f"it is now version {post.version}). Review their changes and try again.",
            current=post_json(post, blog),
            field="If-Match",
        )


async def edit(nr: Newsroom, actor: Actor, slug: str, post_id: int, raw: object,
               expected_version: int | None) -> Post:
    """Correct a published post; a stale version is refused, never overwritten."""
    body = _reject_unknown(raw, EDIT_FIELDS)
    if not body:
        raise ValidationError("Nothing to change: send headline, blocks, language or key_event.")
    headline = validate_headline(body["headline"]) if "headline" in body else None
    blocks = parse_blocks(body["blocks"], sanitize_html) if "blocks" in body else None
    language = validate_post_language(body["language"]) if "language" in body else None
    key_event = validate_flag(body["key_event"], "key_event") if "key_event" in body else None
    async with nr.db.transaction() as conn:
        blog = await blog_or_404(conn, slug)
        post = await post_or_404(conn, blog, post_id)
        _require_editable(actor, post)
        if key_event is not None and key_event != post.key_event:
            actor.require(Permission.KEY_EVENT)
        _check_version(post, blog, expected_version, required=True)
        changes = PostContent(
            headline=headline if "headline" in body else post.headline,
            blocks=blocks if blocks is not None else post.blocks,
            language=language if "language" in body else post.language,
        )
        check_size(changes)
        now = nr.now()
        values: dict[str, Any] = {
            "headline": changes.headline, "blocks": encode_blocks(changes.blocks),
            "language": changes.language, "version": post.version + 1, "updated_at": now,
        }
        if key_event is not None:
            values["key_event"] = key_event
        await post_rows.update_post(conn, post.id, values)
        updated = await post_or_404(conn, blog, post.id)
        seq = await record_post_event(conn, blog, updated, EventKind.POST_UPDATED, now)
        await blog_rows.touch(conn, blog.id, now)
    await nr.announce(blog.id, seq)
    return updated


def _require_editable(actor: Actor, post: Post) -> None:
    if post.status is not PostStatus.PUBLISHED:
        raise NotFound(f"Post {post.id} has been deleted.", field="post_id")
    if post.author_id != actor.id:
        actor.require(Permission.EDIT_ANY)
    else:
        actor.require(Permission.PUBLISH)


async def delete(nr: Newsroom, actor: Actor, slug: str, post_id: int,
                 expected_version: int | None) -> None:
    """Take a post down. The row stays (with its history) but readers never see it again."""
    actor.require(Permission.DELETE)
    async with nr.db.transaction() as conn:
        blog = await blog_or_404(conn, slug)
        post = await post_or_404(conn, blog, post_id)
        _require_editable(actor, post)
        _check_version(post, blog, expected_version, required=False)
        now = nr.now()
        await post_rows.update_post(conn, post.id, {
            "status": PostStatus.DELETED.value, "pinned": False, "key_event": False,
            "version": post.version + 1, "updated_at": now})
        seq = await record_post_event(conn, blog, post, EventKind.POST_DELETED, now)
        await blog_rows.touch(conn, blog.id, now)
    await nr.announce(blog.id, seq)


async def set_pinned(nr: Newsroom, actor: Actor, slug: str, post_id: int, pinned: bool,
                     expected_version: int | None = None) -> Post:
    """Pin a post on top (unpinning any other: one pinned post per blog), or unpin it."""
    actor.require(Permission.PIN)
    async with nr.db.transaction() as conn:
        blog = await blog_or_404(conn, slug)
        post = await post_or_404(conn, blog, post_id)
        _require_editable(actor, post)
        _check_version(post, blog, expected_version, required=False)
        if post.pinned == pinned:
            return post
        now = nr.now()
        if pinned:
            await _unpin_current(conn, blog, now)
        await post_rows.update_post(conn, post.id, {
            "pinned": pinned, "version": post.version + 1, "updated_at": now})
        updated = await post_or_404(conn, blog, post.id)
        kind = EventKind.POST_PINNED if pinned else EventKind.POST_UNPINNED
        seq = await record_post_event(conn, blog, updated, kind, now)
    await nr.announce(blog.id, seq)
    return updated


async def set_key_event(nr: Newsroom, actor: Actor, slug: str, post_id: int, key_event: bool,
                        expected_version: int | None = None) -> Post:
    """Mark a post as a key event (it joins the timeline of key moments), or unmark it."""
    actor.require(Permission.KEY_EVENT)
    async with nr.db.transaction() as conn:
        blog = await blog_or_404(conn, slug)
        post = await post_or_404(conn, blog, post_id)
        _require_editable(actor, post)
        _check_version(post, blog, expected_version, required=False)
        if post.key_event == key_event:
            return post
        now = nr.now()
        await post_rows.update_post(conn, post.id, {
            "key_event": key_event, "version": post.version + 1, "updated_at": now})
        updated = await post_or_404(conn, blog, post.id)
        seq = await record_post_event(conn, blog, updated, EventKind.POST_UPDATED, now)
    await nr.announce(blog.id, seq)
    return updated
