"""Publishing and correcting posts: publish, edit, delete, pin, key event, restore."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from bulletin.actions.newsroom import (
    Newsroom,
    as_member,
    audit,
    blog_or_404,
    post_or_404,
    record_post_event,
)
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
    Correction,
    Post,
    PostContent,
    PostStatus,
    check_size,
    parse_content,
    validate_correction,
    validate_flag,
    validate_headline,
    validate_idempotency_key,
    validate_post_language,
)
from bulletin.domain.roles import Actor, Permission
from bulletin.domain.search import RESULTS_PER_PAGE, parse_query, result_pages
from bulletin.render.payload import post_json
from bulletin.render.sanitize import sanitize_html
from bulletin.store import blogs as blog_rows
from bulletin.store import history
from bulletin.store import posts as post_rows
from bulletin.store.posts import decode_blocks, encode_blocks, encode_corrections

PUBLISH_FIELDS = frozenset({"headline", "blocks", "language", "key_event", "pinned"})
EDIT_FIELDS = frozenset({"headline", "blocks", "language", "key_event", "correction"})


@dataclass(frozen=True, slots=True)
class Published:
    post: Post
    created: bool  # False when an Idempotency-Key matched an earlier publish


@dataclass(frozen=True, slots=True)
class Found:
    """One page of search results: `page` of `pages`, numbered from the most recent match."""

    query: str
    posts: list[Post]
    page: int
    pages: int
    matches: int

    @property
    def newer(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def older(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None


async def search(nr: Newsroom, actor: Actor, slug: str, raw_query: object, page: int = 1
                 ) -> tuple[Blog, Found]:
    """Published posts whose headline or blocks contain the words, most recent first: how
    the desk finds an old post to correct. Newsroom members only — it reads every post."""
    query = parse_query(raw_query)
    if not query:
        raise ValidationError("Type some words to search for.", field="q")
    async with nr.db.read() as conn:
        blog = await blog_or_404(conn, slug)
        member = await as_member(conn, actor, blog)
        member.require(Permission.SEE_NEWSROOM)
        matches = await post_rows.count_matching(conn, blog.id, query)
        pages = result_pages(matches)
        if not 1 <= page <= pages:
            raise NotFound(f"The search has {pages} page{'s' if pages != 1 else ''} of "
                           f"results; there is no page {page}.", field="page")
        found = await post_rows.search(conn, blog.id, query, (page - 1) * RESULTS_PER_PAGE,
                                       RESULTS_PER_PAGE)
    return blog, Found(query, found, page, pages, matches)


def reject_unknown(raw: object, allowed: frozenset[str], what: str = "a post"
                   ) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ValidationError("The request body must be a JSON object.")
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ValidationError(
            f"Unknown field {unknown[0]!r}; {what} has: {', '.join(sorted(allowed))}.",
            field=unknown[0],
        )
    return raw


def open_for_posts(blog: Blog) -> None:
    if not blog.is_live:
        raise BlogEnded(
            f"The coverage '{blog.title}' has ended; reopen it before publishing.",
            field="slug",
        )


def summary(post: Post) -> str:
    """A line for the audit log."""
    if post.headline:
        return post.headline[:120]
    return f"post {post.id}"


async def publish(nr: Newsroom, actor: Actor, slug: str, raw: object, *,
                  idempotency_key: str | None = None) -> Published:
    """Publish a new post on top of the stream (and pin it, if asked)."""
    content, key_event, pin = parse_publish(raw, nr)
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
        actor = await as_member(conn, actor, blog)
        may_publish(actor, pin=pin, key_event=key_event)
        if key is not None:
            earlier = await post_rows.by_idempotency_key(conn, blog.id, actor.id, key)
            if earlier is not None:
                return Published(earlier, created=False)
        post, seq = await publish_in(conn, actor, blog, content, key_event=key_event, pin=pin,
                                     key=key, now=nr.now())
    await nr.announce(blog.id, seq)
    return Published(post, created=True)


def may_publish(actor: Actor, *, pin: bool, key_event: bool) -> None:
    actor.require(Permission.PUBLISH)
    if pin:
        actor.require(Permission.PIN)
    if key_event:
        actor.require(Permission.KEY_EVENT)


def parse_publish(raw: object, nr: Newsroom, what: str = "a post"
                  ) -> tuple[PostContent, bool, bool]:
    """A new post's body: its content, key event and pin flags."""
    body = reject_unknown(raw, PUBLISH_FIELDS, what)
    content = parse_content(body, sanitize_html, mastodon_hosts=nr.mastodon_hosts)
    return (content, validate_flag(body.get("key_event", False), "key_event"),
            validate_flag(body.get("pinned", False), "pinned"))


async def publish_in(conn: AsyncConnection, actor: Actor, blog: Blog, content: PostContent, *,
                     key_event: bool, pin: bool, key: str | None, now: datetime
                     ) -> tuple[Post, int]:
    """Inside a write: check the actor may, store the post and put it on top of the stream.
    `actor` has its role on `blog` already. Returns the post and the last seq."""
    may_publish(actor, pin=pin, key_event=key_event)
    open_for_posts(blog)
    post_id = await post_rows.insert_post(conn, {
        "blog_id": blog.id, "position": None, "status": PostStatus.DRAFT.value,
        "headline": content.headline, "blocks": encode_blocks(content.blocks),
        "author_id": actor.id, "language": content.language, "created_at": now,
        "updated_at": now, "version": 0, "key_event": key_event, "idempotency_key": key,
    })
    return await go_live(conn, actor, blog, post_id, pin=pin, now=now)


async def go_live(conn: AsyncConnection, actor: Actor, blog: Blog, post_id: int, *, pin: bool,
                  now: datetime) -> tuple[Post, int]:
    """Put a stored post on top of the stream: its position, its revision, its events.
    Publishing, approving and the scheduler all end here. Returns the post and last seq."""
    if pin:
        await unpin_current(conn, blog, now)
    seq, position = await blog_rows.next_seq(conn, blog.id, new_position=True)
    before = await post_or_404(conn, blog, post_id)
    await post_rows.update_post(conn, post_id, {
        "status": PostStatus.PUBLISHED.value, "position": position, "published_at": now,
        "updated_at": now, "version": before.version + 1, "pinned": pin, "publish_at": None,
        "review_note": None,
    })
    post = await post_or_404(conn, blog, post_id)
    await _revision(conn, post, actor, now)
    await record_post_event(conn, blog, post, EventKind.POST_PUBLISHED, now, seq=seq)
    if pin:
        seq = await record_post_event(conn, blog, post, EventKind.POST_PINNED, now)
    await blog_rows.touch(conn, blog.id, now)
    await audit(conn, actor, blog.id, "post.published", now, post_id=post.id,
                detail=summary(post))
    return post, seq


async def _revision(conn: AsyncConnection, post: Post, actor: Actor, now: datetime,
                    correction: str | None = None) -> None:
    await history.add_revision(conn, post.id, post.version, post.headline,
                               encode_blocks(post.blocks), post.language, actor.id, now,
                               correction)


async def unpin_current(conn: AsyncConnection, blog: Blog, now: datetime) -> int | None:
    """Unpin the blog's pinned post, if any; returns the seq of its event. Pinning and key
    events bump the version but not `updated_at`: readers see "Updated" only for edits."""
    await blog_rows.lock_pinning(conn, blog.id)  # before looking: pins take turns
    current = await post_rows.pinned(conn, blog.id)
    if current is None:
        return None
    await post_rows.update_post(conn, current.id, {
        "pinned": False, "version": current.version + 1})
    unpinned = await post_or_404(conn, blog, current.id)
    return await record_post_event(conn, blog, unpinned, EventKind.POST_UNPINNED, now)


def check_version(post: Post, blog: Blog, expected: int | None, *, required: bool) -> None:
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


def _require_editable(actor: Actor, post: Post) -> None:
    if post.status is not PostStatus.PUBLISHED:
        raise NotFound(f"Post {post.id} is not published (it was deleted, or is a draft).",
                       field="post_id")
    if post.author_id != actor.id:
        actor.require(Permission.EDIT_ANY)
    else:
        actor.require(Permission.PUBLISH)


async def _load(conn: AsyncConnection, actor: Actor, slug: str, post_id: int
                ) -> tuple[Blog, Post, Actor]:
    blog = await blog_or_404(conn, slug)
    await post_rows.lock(conn, post_id)  # concurrent writers of one post take turns
    post = await post_or_404(conn, blog, post_id)
    return blog, post, await as_member(conn, actor, blog)


async def edit(nr: Newsroom, actor: Actor, slug: str, post_id: int, raw: object,
               expected_version: int | None) -> Post:
    """Correct a published post; a stale version is refused, never overwritten. With a
    `correction` note it is a visible correction readers see on the post; without, a silent
    fix. Both are kept in the post's history."""
    body = reject_unknown(raw, EDIT_FIELDS)
    correction = validate_correction(body.get("correction"))
    if not body.keys() - {"correction"} and correction is None:
        raise ValidationError("Nothing to change: send headline, blocks, language, key_event "
                              "or a correction note.")
    headline = validate_headline(body["headline"]) if "headline" in body else None
    blocks = (parse_blocks(body["blocks"], sanitize_html, mastodon_hosts=nr.mastodon_hosts)
              if "blocks" in body else None)
    language = validate_post_language(body["language"]) if "language" in body else None
    key_event = validate_flag(body["key_event"], "key_event") if "key_event" in body else None
    async with nr.db.transaction() as conn:
        blog, post, actor = await _load(conn, actor, slug, post_id)
        _require_editable(actor, post)
        if key_event is not None and key_event != post.key_event:
            actor.require(Permission.KEY_EVENT)
        check_version(post, blog, expected_version, required=True)
        changes = PostContent(
            headline=headline if "headline" in body else post.headline,
            blocks=blocks if blocks is not None else post.blocks,
            language=language if "language" in body else post.language,
        )
        check_size(changes)
        updated, seq = await _save_published(conn, actor, blog, post, changes, key_event,
                                             nr.now(), "post.corrected" if correction
                                             else "post.edited", correction=correction)
    await nr.announce(blog.id, seq)
    return updated


async def _save_published(conn: AsyncConnection, actor: Actor, blog: Blog, post: Post,
                          changes: PostContent, key_event: bool | None, now: datetime,
                          action: str, *, correction: str | None = None
                          ) -> tuple[Post, int]:
    values: dict[str, Any] = {
        "headline": changes.headline, "blocks": encode_blocks(changes.blocks),
        "language": changes.language, "version": post.version + 1, "updated_at": now,
    }
    if key_event is not None:
        values["key_event"] = key_event
    if correction is not None:
        values["corrections"] = encode_corrections(
            (*post.corrections, Correction(at=now, note=correction)))
    await post_rows.update_post(conn, post.id, values)
    updated = await post_or_404(conn, blog, post.id)
    await _revision(conn, updated, actor, now, correction)
    seq = await record_post_event(conn, blog, updated, EventKind.POST_UPDATED, now)
    await blog_rows.touch(conn, blog.id, now)
    detail = summary(updated) + (f" — correction: {correction}" if correction else "")
    await audit(conn, actor, blog.id, action, now, post_id=post.id, detail=detail)
    return updated, seq


async def restore(nr: Newsroom, actor: Actor, slug: str, post_id: int, version: int,
                  expected_version: int | None) -> Post:
    """Bring back an earlier revision's content as a new version (history is kept)."""
    async with nr.db.transaction() as conn:
        blog, post, actor = await _load(conn, actor, slug, post_id)
        _require_editable(actor, post)
        check_version(post, blog, expected_version, required=True)
        wanted = next((r for r in await history.list_revisions(conn, post.id)
                       if r["version"] == version), None)
        if wanted is None:
            raise NotFound(f"Post {post_id} has no version {version}.", field="version")
        changes = PostContent(headline=wanted["headline"], blocks=decode_blocks(wanted["blocks"]),
                              language=wanted["language"])
        updated, seq = await _save_published(conn, actor, blog, post, changes, None, nr.now(),
                                             f"post.restored v{version}")
    await nr.announce(blog.id, seq)
    return updated


async def delete(nr: Newsroom, actor: Actor, slug: str, post_id: int,
                 expected_version: int | None) -> None:
    """Take a post down. The row stays (with its history) but readers never see it again."""
    async with nr.db.transaction() as conn:
        blog, post, actor = await _load(conn, actor, slug, post_id)
        actor.require(Permission.DELETE)
        _require_editable(actor, post)
        check_version(post, blog, expected_version, required=False)
        now = nr.now()
        await post_rows.update_post(conn, post.id, {
            "status": PostStatus.DELETED.value, "pinned": False, "key_event": False,
            "version": post.version + 1, "updated_at": now})
        seq = await record_post_event(conn, blog, post, EventKind.POST_DELETED, now)
        await blog_rows.touch(conn, blog.id, now)
        await audit(conn, actor, blog.id, "post.deleted", now, post_id=post.id,
                    detail=summary(post))
    await nr.announce(blog.id, seq)


async def set_pinned(nr: Newsroom, actor: Actor, slug: str, post_id: int, pinned: bool,
                     expected_version: int | None = None) -> Post:
    """Pin a post on top (unpinning any other: one pinned post per blog), or unpin it."""
    async with nr.db.transaction() as conn:
        blog, post, actor = await _load(conn, actor, slug, post_id)
        actor.require(Permission.PIN)
        _require_editable(actor, post)
        check_version(post, blog, expected_version, required=False)
        if post.pinned == pinned:
            return post
        now = nr.now()
        if pinned:
            await unpin_current(conn, blog, now)
        await post_rows.update_post(conn, post.id, {
            "pinned": pinned, "version": post.version + 1})
        updated = await post_or_404(conn, blog, post.id)
        kind = EventKind.POST_PINNED if pinned else EventKind.POST_UNPINNED
        seq = await record_post_event(conn, blog, updated, kind, now)
        await audit(conn, actor, blog.id, kind.value, now, post_id=post.id,
                    detail=summary(post))
    await nr.announce(blog.id, seq)
    return updated


async def set_key_event(nr: Newsroom, actor: Actor, slug: str, post_id: int, key_event: bool,
                        expected_version: int | None = None) -> Post:
    """Mark a post as a key event (it joins the timeline of key moments), or unmark it."""
    async with nr.db.transaction() as conn:
        blog, post, actor = await _load(conn, actor, slug, post_id)
        actor.require(Permission.KEY_EVENT)
        _require_editable(actor, post)
        check_version(post, blog, expected_version, required=False)
        if post.key_event == key_event:
            return post
        now = nr.now()
        await post_rows.update_post(conn, post.id, {
            "key_event": key_event, "version": post.version + 1})
        updated = await post_or_404(conn, blog, post.id)
        seq = await record_post_event(conn, blog, updated, EventKind.POST_UPDATED, now)
        action = "post.key_event" if key_event else "post.key_event_removed"
        await audit(conn, actor, blog.id, action, now, post_id=post.id, detail=summary(post))
    await nr.announce(blog.id, seq)
    return updated
