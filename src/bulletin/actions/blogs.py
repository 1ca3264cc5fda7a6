"""Opening, changing, ending and reopening a blog's coverage."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError

from bulletin.actions.newsroom import (
    Newsroom,
    as_member,
    audit,
    blog_or_404,
    record_blog_event,
)
from bulletin.actions.posts import parse_publish, publish_in, reject_unknown, unpin_current
from bulletin.domain.blog import (
    Blog,
    BlogStatus,
    validate_description,
    validate_language,
    validate_poll_after,
    validate_slug,
    validate_timezone,
    validate_title,
)
from bulletin.domain.errors import BlogEnded, Conflict, ValidationError
from bulletin.domain.events import EventKind
from bulletin.domain.post import validate_flag
from bulletin.domain.roles import Actor, Permission
from bulletin.store import blogs as blog_rows
from bulletin.store import posts as post_rows

CREATE_FIELDS = frozenset({"slug", "title", "description", "language", "timezone",
                           "poll_after"})
UPDATE_FIELDS = CREATE_FIELDS - {"slug"}
_VALIDATORS = {
    "title": validate_title,
    "description": validate_description,
    "language": validate_language,
    "timezone": validate_timezone,
    "poll_after": validate_poll_after,
}


def _fields(raw: object, allowed: frozenset[str]) -> dict[str, Any]:
    body = reject_unknown(raw, allowed, "a blog")
    return {key: _VALIDATORS[key](value) for key, value in body.items() if key != "slug"}


async def create(nr: Newsroom, actor: Actor, raw: object) -> Blog:
    actor.require(Permission.CREATE_BLOG)
    values = _fields(raw, CREATE_FIELDS)
    assert isinstance(raw, dict)
    slug = validate_slug(raw.get("slug"))
    if "title" not in values:
        raise ValidationError("Title is required.", field="title")
    now = nr.now()
    values = {"description": "", "language": "en", "timezone": "UTC", **values,
              "slug": slug, "status": BlogStatus.LIVE.value, "created_at": now,
              "updated_at": now}
    try:
        async with nr.db.transaction() as conn:
            blog_id = await blog_rows.insert_blog(conn, values)
            blog = await blog_rows.get_by_id(conn, blog_id)
            await audit(conn, actor, blog_id, "blog.created", now, detail=slug)
    except IntegrityError:
        raise Conflict(f"The address '{slug}' is taken; choose another slug.",
                       field="slug") from None
    assert blog is not None
    return blog


async def update(nr: Newsroom, actor: Actor, slug: str, raw: object) -> Blog:
    values = _fields(raw, UPDATE_FIELDS)
    if not values:
        raise ValidationError("Nothing to change: send title, description, language, "
                              "timezone or poll_after.")
    return await _change(nr, actor, Permission.UPDATE_BLOG, slug, values,
                         EventKind.BLOG_UPDATED)


END_FIELDS = frozenset({"closing_post", "title", "unpin"})


async def end(nr: Newsroom, actor: Actor, slug: str, closing_post: object = None, *,
              title: object = None, unpin: object = False) -> Blog:
    """End the coverage. In the same transaction, so readers see one ending and a failure
    changes nothing: publish the closing post (if given), retitle the blog ("… — as it
    happened", if given) and unpin the recap (if asked). The blog stays readable, its page
    led by the closing post; it takes no posts until reopened."""
    closing = None
    if closing_post is not None:
        closing = parse_publish(closing_post, nr, "the closing post")
    new_title = validate_title(title) if title is not None else None
    unpinning = validate_flag(unpin, "unpin")
    now = nr.now()
    async with nr.db.transaction() as conn:
        blog = await blog_or_404(conn, slug)
        actor = await as_member(conn, actor, blog)
        actor.require(Permission.END_BLOG)
        if new_title is not None:
            actor.require(Permission.UPDATE_BLOG)
        if unpinning:
            actor.require(Permission.PIN)
        blog = await blog_rows.lock(conn, blog.id)  # two editors ending at once end it once
        if not blog.is_live:
            if closing is None and new_title is None and not unpinning:
                return blog
            raise BlogEnded(f"The coverage '{blog.title}' has already ended; reopen it to "
                            "add a closing post, or change the title in its settings.",
                            field="slug")
        done: list[str] = []
        values: dict[str, Any] = {"status": BlogStatus.ENDED.value, "ended_at": now,
                                  "updated_at": now, "closing_post_id": None}
        if unpinning:
            pinned = await post_rows.pinned(conn, blog.id)
            if await unpin_current(conn, blog, now) is not None and pinned is not None:
                done.append(f"unpinned post {pinned.id}")
        if closing is not None:
            content, key_event, pin = closing
            post, _ = await publish_in(conn, actor, blog, content, key_event=key_event,
                                       pin=pin, key=None, now=now)
            values["closing_post_id"] = post.id
            done.append(f"closing post {post.id}")
        if new_title is not None and new_title != blog.title:
            values["title"] = new_title
            done.append(f"retitled {new_title!r}")
        await blog_rows.update_blog(conn, blog.id, values)
        seq = await record_blog_event(conn, blog.id, EventKind.BLOG_ENDED, now)
        await audit(conn, actor, blog.id, EventKind.BLOG_ENDED.value, now,
                    detail="; ".join(done) or "ended")
        ended = await blog_rows.get_by_id(conn, blog.id)
    await nr.announce(blog.id, seq)
    assert ended is not None
    return ended


async def reopen(nr: Newsroom, actor: Actor, slug: str) -> Blog:
    async with nr.db.read() as conn:
        blog = await blog_or_404(conn, slug)
        (await as_member(conn, actor, blog)).require(Permission.END_BLOG)
    if blog.is_live:
        return blog
    return await _change(nr, actor, Permission.END_BLOG, slug,
                         {"status": BlogStatus.LIVE.value, "ended_at": None,
                          "closing_post_id": None},
                         EventKind.BLOG_REOPENED, only_from=BlogStatus.ENDED)


async def _change(nr: Newsroom, actor: Actor, permission: Permission, slug: str,
                  values: dict[str, Any], kind: EventKind,
                  only_from: BlogStatus | None = None) -> Blog:
    """Change the blog and append its event; with `only_from`, only if the blog is (still)
    in that status once its row is held: two editors ending at once end it once."""
    async with nr.db.transaction() as conn:
        blog = await blog_or_404(conn, slug)
        actor = await as_member(conn, actor, blog)
        actor.require(permission)
        if only_from is not None:
            blog = await blog_rows.lock(conn, blog.id)
            if blog.status is not only_from:
                return blog
        await blog_rows.update_blog(conn, blog.id, {**values, "updated_at": nr.now()})
        seq = await record_blog_event(conn, blog.id, kind, nr.now())
        await audit(conn, actor, blog.id, kind.value, nr.now(),
                    detail=", ".join(sorted(values)))
        changed = await blog_rows.get_by_id(conn, blog.id)
    await nr.announce(blog.id, seq)
    assert changed is not None
    return changed
