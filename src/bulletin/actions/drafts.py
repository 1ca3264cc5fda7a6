"""The way to publication: drafts (autosaved), a contributor's submission, the editor's
approval or return with a note, and scheduling. Unpublished posts only ever reach the
newsroom's own feed; they join the public stream through `posts.go_live`."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bulletin.actions.newsroom import (
    Newsroom,
    as_member,
    audit,
    blog_or_404,
    newsroom_event,
    post_or_404,
)
from bulletin.actions.posts import check_version, go_live, open_for_posts, reject_unknown, summary
from bulletin.domain.blog import Blog
from bulletin.domain.errors import NotFound, ValidationError
from bulletin.domain.post import (
    MAX_REVIEW_NOTE,
    Post,
    PostStatus,
    parse_draft,
    parse_publish_at,
    require_complete,
    validate_flag,
)
from bulletin.domain.roles import Actor, Permission
from bulletin.domain.text import clean_text
from bulletin.render.payload import post_json
from bulletin.render.sanitize import sanitize_html
from bulletin.store import blogs as blog_rows
from bulletin.store import posts as post_rows
from bulletin.store import users as user_rows
from bulletin.store.posts import encode_blocks

log = logging.getLogger("bulletin.actions")
DRAFT_FIELDS = frozenset({"headline", "blocks", "language", "key_event"})
UNPUBLISHED = (PostStatus.DRAFT, PostStatus.SUBMITTED, PostStatus.SCHEDULED)


def _unpublished(post: Post) -> None:
    if post.status not in UNPUBLISHED:
        raise NotFound(f"Post {post.id} is not a draft (it is {post.status.value}).",
                       field="post_id")


def _may_touch(actor: Actor, post: Post) -> None:
    """Authors keep their drafts; editors may work on anyone's."""
    if post.author_id == actor.id:
        actor.require(Permission.WRITE_DRAFTS)
    else:
        actor.require(Permission.EDIT_ANY)


async def _load(conn: AsyncConnection, actor: Actor, slug: str, post_id: int
                ) -> tuple[Blog, Post, Actor]:
    blog = await blog_or_404(conn, slug)
    await post_rows.lock(conn, post_id)
    post = await post_or_404(conn, blog, post_id)
    actor = await as_member(conn, actor, blog)
    actor.require(Permission.SEE_NEWSROOM)
    _unpublished(post)
    return blog, post, actor


async def _tell(conn: AsyncConnection, blog: Blog, post: Post, kind: str, nr: Newsroom,
                extra: dict[str, Any] | None = None) -> None:
    await newsroom_event(conn, blog.id, kind, post.id,
                         {**post_json(post, blog), **(extra or {})}, nr.now())


async def save_draft(nr: Newsroom, actor: Actor, slug: str, raw: object, *,
                     post_id: int | None = None, expected_version: int | None = None) -> Post:
    """Create a draft, or save a new version of one (autosave). Nothing reaches readers."""
    body = reject_unknown(raw, DRAFT_FIELDS)
    content = parse_draft(body, sanitize_html, mastodon_hosts=nr.mastodon_hosts)
    key_event = validate_flag(body.get("key_event", False), "key_event")
    async with nr.db.transaction() as conn:
        now = nr.now()
        if post_id is None:
            blog = await blog_or_404(conn, slug)
            actor = await as_member(conn, actor, blog)
            actor.require(Permission.WRITE_DRAFTS)
            new_id = await post_rows.insert_post(conn, {
                "blog_id": blog.id, "status": PostStatus.DRAFT.value,
                "headline": content.headline, "blocks": encode_blocks(content.blocks),
                "author_id": actor.id, "language": content.language, "created_at": now,
                "updated_at": now, "version": 1, "key_event": key_event})
            post = await post_or_404(conn, blog, new_id)
            await audit(conn, actor, blog.id, "draft.created", now, post_id=new_id,
                        detail=summary(post))
        else:
            blog, old, actor = await _load(conn, actor, slug, post_id)
            _may_touch(actor, old)
            check_version(old, blog, expected_version, required=False)
            await post_rows.update_post(conn, old.id, {
                "headline": content.headline, "blocks": encode_blocks(content.blocks),
                "language": content.language, "key_event": key_event,
                "version": old.version + 1, "updated_at": now})
            post = await post_or_404(conn, blog, old.id)
        await _tell(conn, blog, post, "draft.saved", nr)
    return post


async def _move(conn: AsyncConnection, nr: Newsroom, actor: Actor, blog: Blog, post: Post,
                status: PostStatus, values: dict[str, Any], *, tell: str, action: str,
                detail: str = "", extra: dict[str, Any] | None = None) -> Post:
    """Move an unpublished post along the workflow: a new version, told to the newsroom's
    feed and written in the audit log, all in the caller's transaction."""
    now = nr.now()
    await post_rows.update_post(conn, post.id, {
        **values, "status": status.value, "updated_at": now, "version": post.version + 1})
    moved = await post_or_404(conn, blog, post.id)
    await _tell(conn, blog, moved, tell, nr, extra)
    await audit(conn, actor, blog.id, action, now, post_id=post.id, detail=detail)
    return moved


async def submit(nr: Newsroom, actor: Actor, slug: str, post_id: int) -> Post:
    """A contributor hands a finished draft to the editors' approval queue."""
    async with nr.db.transaction() as conn:
        blog, post, actor = await _load(conn, actor, slug, post_id)
        _may_touch(actor, post)
        require_complete(post)
        return await _move(conn, nr, actor, blog, post, PostStatus.SUBMITTED,
                           {"review_note": None}, tell="post.submitted",
                           action="post.submitted", detail=summary(post))


async def send_back(nr: Newsroom, actor: Actor, slug: str, post_id: int, note: object) -> Post:
    """An editor returns a submitted post to its author with a note saying what to change."""
    text = clean_text(note, "note", label="Note", max_len=MAX_REVIEW_NOTE, required=True)
    async with nr.db.transaction() as conn:
        blog, post, actor = await _load(conn, actor, slug, post_id)
        actor.require(Permission.APPROVE)
        if post.status is not PostStatus.SUBMITTED:
            raise ValidationError("Only a submitted post can be sent back.", field="post_id")
        return await _move(conn, nr, actor, blog, post, PostStatus.DRAFT,
                           {"review_note": text}, tell="post.returned",
                           action="post.returned", detail=text, extra={"by": actor.name})


async def approve(nr: Newsroom, actor: Actor, slug: str, post_id: int, *, pin: bool = False,
                  expected_version: int | None = None) -> Post:
    """Publish a draft or a submitted post now. Editors approve others' posts; anyone who
    may publish can publish their own draft."""
    async with nr.db.transaction() as conn:
        blog, post, actor = await _load(conn, actor, slug, post_id)
        actor.require(Permission.PUBLISH)
        if post.author_id != actor.id:
            actor.require(Permission.APPROVE)
        if pin:
            actor.require(Permission.PIN)
        if post.key_event:
            actor.require(Permission.KEY_EVENT)
        check_version(post, blog, expected_version, required=False)
        require_complete(post)
        open_for_posts(blog)
        published, seq = await go_live(conn, actor, blog, post.id, pin=pin, now=nr.now())
        await _tell(conn, blog, published, "post.approved", nr, {"by": actor.name})
    await nr.announce(blog.id, seq)
    return published


async def schedule(nr: Newsroom, actor: Actor, slug: str, post_id: int, when: object,
                   zone: object = None) -> Post:
    """Publish a post by itself at a set time — even if the server restarts meanwhile.
    `zone`: the time zone a wall-clock `when` is read in (the desk sends the blog's)."""
    async with nr.db.transaction() as conn:
        blog, post, actor = await _load(conn, actor, slug, post_id)
        actor.require(Permission.SCHEDULE)
        _may_touch(actor, post)
        require_complete(post)
        moment = parse_publish_at(when, nr.now(), zone)
        return await _move(conn, nr, actor, blog, post, PostStatus.SCHEDULED,
                           {"publish_at": moment}, tell="post.scheduled",
                           action="post.scheduled", detail=moment.isoformat())


async def unschedule(nr: Newsroom, actor: Actor, slug: str, post_id: int) -> Post:
    async with nr.db.transaction() as conn:
        blog, post, actor = await _load(conn, actor, slug, post_id)
        actor.require(Permission.SCHEDULE)
        return await _move(conn, nr, actor, blog, post, PostStatus.DRAFT, {"publish_at": None},
                           tell="draft.saved", action="post.unscheduled")


async def discard(nr: Newsroom, actor: Actor, slug: str, post_id: int) -> None:
    async with nr.db.transaction() as conn:
        blog, post, actor = await _load(conn, actor, slug, post_id)
        _may_touch(actor, post)
        now = nr.now()
        await post_rows.update_post(conn, post.id, {
            "status": PostStatus.DELETED.value, "updated_at": now, "version": post.version + 1})
        await newsroom_event(conn, blog.id, "draft.discarded", post.id, {"id": post.id}, now)
        await audit(conn, actor, blog.id, "draft.discarded", now, post_id=post.id,
                    detail=summary(post))


async def newsroom_posts(nr: Newsroom, actor: Actor, slug: str) -> tuple[Blog, list[Post]]:
    """What this person may see of the unpublished: their own drafts; editors see all."""
    async with nr.db.read() as conn:
        blog = await blog_or_404(conn, slug)
        actor = await as_member(conn, actor, blog)
        actor.require(Permission.SEE_NEWSROOM)
        author = None if actor.can(Permission.APPROVE) else actor.id
        return blog, await post_rows.by_status(conn, blog.id, list(UNPUBLISHED), author)


async def editing(nr: Newsroom, actor: Actor, slug: str, post_id: int, active: bool) -> None:
    """Say that someone has a post open in the editor, so colleagues see it live."""
    async with nr.db.transaction() as conn:
        blog = await blog_or_404(conn, slug)
        actor = await as_member(conn, actor, blog)
        actor.require(Permission.SEE_NEWSROOM)
        await post_or_404(conn, blog, post_id)
        await newsroom_event(conn, blog.id, "presence.editing" if active else "presence.left",
                             post_id, {"post_id": post_id, "user": actor.name,
                                       "user_id": actor.id}, nr.now())


async def publish_due(nr: Newsroom) -> int:
    """The scheduler's one job: publish every scheduled post whose time has come. Safe to
    run on every node at once: a post is claimed inside its own transaction."""
    async with nr.db.read() as conn:
        due = await post_rows.due(conn, nr.now())
    published = 0
    for blog_id, post_id in due:
        try:
            seq = await _publish_scheduled(nr, blog_id, post_id)
        except Exception:
            log.exception("scheduled post %s could not be published", post_id)
            continue
        if seq is not None:
            published += 1
            await nr.announce(blog_id, seq)
    return published


async def _publish_scheduled(nr: Newsroom, blog_id: int, post_id: int) -> int | None:
    async with nr.db.transaction() as conn:
        blog = await blog_rows.get_by_id(conn, blog_id)
        assert blog is not None
        await post_rows.lock(conn, post_id)  # another node may be publishing it right now
        post = await post_or_404(conn, blog, post_id)
        if post.status is not PostStatus.SCHEDULED:
            return None  # another node got there first, or someone unscheduled it
        author = await user_rows.get_by_id(conn, post.author_id)
        assert author is not None
        author = await as_member(conn, author, blog)
        now = nr.now()
        if not blog.is_live or not author.can(Permission.PUBLISH) or not post.blocks:
            reason = ("the coverage had ended" if not blog.is_live
                      else f"{author.name} may no longer publish"
                      if not author.can(Permission.PUBLISH)
                      else "it has no content (add at least one block)")
            note = f"Not published at its scheduled time: {reason}."
            await post_rows.update_post(conn, post.id, {
                "status": PostStatus.DRAFT.value, "publish_at": None, "updated_at": now,
                "review_note": note, "version": post.version + 1})
            returned = await post_or_404(conn, blog, post.id)
            await _tell(conn, blog, returned, "post.returned", nr, {"by": "scheduler"})
            await audit(conn, replace(author, via="scheduler"), blog.id, "post.returned", now,
                        post_id=post.id, detail=note)
            return None
        author = Actor(author.id, author.name, author.role, via="scheduler")
        published, seq = await go_live(conn, author, blog, post.id, pin=False, now=now)
        await _tell(conn, blog, published, "post.approved", nr, {"by": "scheduler"})
        return seq
