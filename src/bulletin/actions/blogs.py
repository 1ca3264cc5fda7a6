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
from bulletin.actions.posts import publish, reject_unknown
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
from bulletin.domain.errors import Conflict, ValidationError
from bulletin.domain.events import EventKind
from bulletin.domain.roles import Actor, Permission
from bulletin.store import blogs as blog_rows

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


async def end(nr: Newsroom, actor: Actor, slug: str, closing_post: object = None) -> Blog:
    """End the coverage, after publishing the closing post if one is given. The blog stays
    readable; it stops accepting posts until reopened."""
    async with nr.db.read() as conn:
        blog = await blog_or_404(conn, slug)
        (await as_member(conn, actor, blog)).require(Permission.END_BLOG)
    if closing_post is not None:
        await publish(nr, actor, slug, closing_post)
    if not blog.is_live:
        return blog
    return await _change(nr, actor, Permission.END_BLOG, slug,
                         {"status": BlogStatus.ENDED.value, "ended_at": nr.now()},
                         EventKind.BLOG_ENDED, only_from=BlogStatus.LIVE)


async def reopen(nr: Newsroom, actor: Actor, slug: str) -> Blog:
    async with nr.db.read() as conn:
        blog = await blog_or_404(conn, slug)
        (await as_member(conn, actor, blog)).require(Permission.END_BLOG)
    if blog.is_live:
        return blog
    return await _change(nr, actor, Permission.END_BLOG, slug,
                         {"status": BlogStatus.LIVE.value, "ended_at": None},
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
