"""Publishing and correcting posts through the actions layer, with real actors, on SQLite and
PostgreSQL: who may do what, versions, the single pinned post, and exactly which events each
write appends (and in which order)."""

from __future__ import annotations

import asyncio
import json
import random

import pytest
from sqlalchemy import select

from bulletin.actions import blogs as blog_actions
from bulletin.actions import posts as post_actions
from bulletin.actions import users as user_actions
from bulletin.actions.newsroom import Newsroom
from bulletin.domain.blog import Blog
from bulletin.domain.errors import (
    BlogEnded,
    Conflict,
    NotFound,
    PermissionDenied,
    PreconditionRequired,
    ValidationError,
)
from bulletin.domain.post import Post, PostStatus
from bulletin.domain.roles import Actor, Role
from bulletin.store import events as event_rows
from bulletin.store import posts as post_rows
from bulletin.store.tables import posts
from tests.actions.conftest import TEXT, Feed, text

PUBLISHED, UPDATED, DELETED = "post.published", "post.updated", "post.deleted"
PINNED, UNPINNED = "post.pinned", "post.unpinned"


async def _publish(nr: Newsroom, actor: Actor, blog: Blog, words: str = "Update",
                   **extra: object) -> Post:
    return (await post_actions.publish(nr, actor, blog.slug, {**text(words), **extra})).post


async def _stored(nr: Newsroom, blog: Blog, post_id: int) -> Post:
    async with nr.db.read() as conn:
        post = await post_rows.get(conn, blog.id, post_id)
    assert post is not None
    return post


async def _pinned_ids(nr: Newsroom, blog: Blog) -> list[int]:
    """Every row of the blog flagged as pinned, whatever its status."""
    query = select(posts.c.id).where(posts.c.blog_id == blog.id, posts.c.pinned.is_(True))
    async with nr.db.read() as conn:
        return sorted((await conn.execute(query)).scalars())


# --- publish ---------------------------------------------------------------------------

async def test_publish_appends_one_published_event_and_announces_it(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed,
        announced: list[tuple[int, int]]) -> None:
    result = await post_actions.publish(newsroom, editor, blog.slug, TEXT)
    post = result.post
    assert result.created
    assert (post.position, post.version, post.status, post.author_id) == (
        1, 1, PostStatus.PUBLISHED, editor.id)
    assert await feed.new() == [(PUBLISHED, post.id)]
    assert announced == [(blog.id, 1)]
    async with newsroom.db.read() as conn:
        [event] = await event_rows.since(conn, blog.id, 0)
    data = json.loads(event.data)
    assert data["id"] == post.id and data["version"] == 1
    assert "Water is rising" in data["html"]
    assert "\n" not in event.data  # one SSE data line


async def test_positions_and_seqs_follow_publish_order(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed) -> None:
    posts = [await _publish(newsroom, editor, blog, f"Update {n}") for n in range(5)]
    assert [p.position for p in posts] == [1, 2, 3, 4, 5]
    assert await feed.new() == [(PUBLISHED, p.id) for p in posts]


async def test_contributor_cannot_publish_and_nothing_is_written(
        newsroom: Newsroom, contributor: Actor, blog: Blog, feed: Feed,
        announced: list[tuple[int, int]]) -> None:
    with pytest.raises(PermissionDenied):
        await post_actions.publish(newsroom, contributor, blog.slug, TEXT)
    assert await feed.post_count() == 0
    assert await feed.new() == []
    assert await feed.last_seq() == 0
    assert announced == []


async def test_invalid_post_writes_nothing(newsroom: Newsroom, editor: Actor, blog: Blog,
                                           feed: Feed) -> None:
    with pytest.raises(ValidationError):
        await post_actions.publish(newsroom, editor, blog.slug,
                                   {"blocks": [{"kind": "hologram"}]})
    with pytest.raises(ValidationError):
        await post_actions.publish(newsroom, editor, blog.slug, {**TEXT, "colour": "red"})
    assert await feed.post_count() == 0
    assert await feed.new() == []


async def test_publishing_into_a_missing_blog_is_not_found(newsroom: Newsroom,
                                                           editor: Actor) -> None:
    with pytest.raises(NotFound):
        await post_actions.publish(newsroom, editor, "nowhere", TEXT)


async def test_an_ended_blog_refuses_posts_until_reopened(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed) -> None:
    await blog_actions.end(newsroom, editor, blog.slug)
    assert await feed.new() == [("blog.ended", None)]
    with pytest.raises(BlogEnded):
        await post_actions.publish(newsroom, editor, blog.slug, TEXT)
    assert await feed.post_count() == 0
    assert await feed.new() == []
    await blog_actions.reopen(newsroom, editor, blog.slug)
    post = await _publish(newsroom, editor, blog)
    assert await feed.new() == [("blog.reopened", None), (PUBLISHED, post.id)]


# --- idempotency -----------------------------------------------------------------------

async def test_idempotency_key_returns_the_same_post_without_a_second_event(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed,
        announced: list[tuple[int, int]]) -> None:
    first = await post_actions.publish(newsroom, editor, blog.slug, TEXT,
                                       idempotency_key="phone-retry-1")
    again = await post_actions.publish(newsroom, editor, blog.slug, TEXT,
                                       idempotency_key="phone-retry-1")
    assert first.created and not again.created
    assert again.post.id == first.post.id
    assert await feed.new() == [(PUBLISHED, first.post.id)]
    assert await feed.post_count() == 1
    assert announced == [(blog.id, 1)]
    other = await post_actions.publish(newsroom, editor, blog.slug, TEXT,
                                       idempotency_key="phone-retry-2")
    assert other.created and other.post.id != first.post.id


async def test_idempotency_keys_belong_to_their_author(
        newsroom: Newsroom, editor: Actor, admin: Actor, blog: Blog) -> None:
    mine = await post_actions.publish(newsroom, editor, blog.slug, TEXT, idempotency_key="k")
    theirs = await post_actions.publish(newsroom, admin, blog.slug, TEXT, idempotency_key="k")
    assert theirs.created and theirs.post.id != mine.post.id


async def test_concurrent_retries_with_one_key_make_one_post(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed) -> None:
    results = await asyncio.gather(*[
        post_actions.publish(newsroom, editor, blog.slug, TEXT, idempotency_key="flaky")
        for _ in range(6)])
    assert len({r.post.id for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert await feed.new() == [(PUBLISHED, results[0].post.id)]
    assert await feed.post_count() == 1


# --- edit ------------------------------------------------------------------------------

async def test_edit_with_the_current_version(newsroom: Newsroom, editor: Actor, admin: Actor,
                                             blog: Blog, feed: Feed) -> None:
    post = await _publish(newsroom, editor, blog, "Fisrt draft")
    await feed.new()
    edited = await post_actions.edit(newsroom, admin, blog.slug, post.id,
                                     {**text("First draft"), "headline": "Fixed"}, 1)
    assert (edited.version, edited.headline, edited.position) == (2, "Fixed", 1)
    assert await feed.new() == [(UPDATED, post.id)]
    stored = await _stored(newsroom, blog, post.id)
    assert stored.version == 2 and stored.edited


async def test_stale_edit_is_refused_with_the_current_post(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed) -> None:
    post = await _publish(newsroom, editor, blog)
    await post_actions.edit(newsroom, editor, blog.slug, post.id, {"headline": "Mine"}, 1)
    await feed.new()
    with pytest.raises(Conflict) as refused:
        await post_actions.edit(newsroom, editor, blog.slug, post.id, {"headline": "Old"}, 1)
    assert refused.value.current["version"] == 2
    assert refused.value.current["headline"] == "Mine"
    with pytest.raises(PreconditionRequired):
        await post_actions.edit(newsroom, editor, blog.slug, post.id, {"headline": "X"}, None)
    assert await feed.new() == []
    assert (await _stored(newsroom, blog, post.id)).headline == "Mine"


async def test_contributor_cannot_edit(newsroom: Newsroom, editor: Actor, contributor: Actor,
                                       blog: Blog, feed: Feed) -> None:
    post = await _publish(newsroom, editor, blog)
    await feed.new()
    with pytest.raises(PermissionDenied):
        await post_actions.edit(newsroom, contributor, blog.slug, post.id, {"headline": "H"}, 1)
    assert await feed.new() == []
    assert (await _stored(newsroom, blog, post.id)).version == 1


async def test_edit_can_mark_a_key_event(newsroom: Newsroom, editor: Actor, blog: Blog,
                                         feed: Feed) -> None:
    post = await _publish(newsroom, editor, blog)
    await feed.new()
    edited = await post_actions.edit(newsroom, editor, blog.slug, post.id,
                                     {"key_event": True}, 1)
    assert edited.key_event
    assert await feed.new() == [(UPDATED, post.id)]


# --- delete ----------------------------------------------------------------------------

async def test_delete_appends_a_deleted_event_carrying_only_the_id(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed) -> None:
    keep = await _publish(newsroom, editor, blog, "Keep")
    gone = await _publish(newsroom, editor, blog, "Gone", key_event=True)
    await feed.new()
    await post_actions.delete(newsroom, editor, blog.slug, gone.id, None)
    assert await feed.new() == [(DELETED, gone.id)]
    async with newsroom.db.read() as conn:
        [event] = await event_rows.since(conn, blog.id, 2)
        assert await post_rows.published_ids(conn, blog.id) == [keep.id]
        assert await post_rows.key_events(conn, blog.id) == []
    assert json.loads(event.data) == {"id": gone.id}
    assert (await _stored(newsroom, blog, gone.id)).status is PostStatus.DELETED


async def test_a_deleted_post_cannot_be_changed_again(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed) -> None:
    post = await _publish(newsroom, editor, blog)
    await post_actions.delete(newsroom, editor, blog.slug, post.id, 1)
    await feed.new()
    version = (await _stored(newsroom, blog, post.id)).version
    with pytest.raises(NotFound):
        await post_actions.edit(newsroom, editor, blog.slug, post.id, {"headline": "X"},
                                version)
    with pytest.raises(NotFound):
        await post_actions.delete(newsroom, editor, blog.slug, post.id, None)
    with pytest.raises(NotFound):
        await post_actions.set_pinned(newsroom, editor, blog.slug, post.id, True)
    with pytest.raises(NotFound):
        await post_actions.set_key_event(newsroom, editor, blog.slug, post.id, True)
    assert await feed.new() == []


async def test_stale_delete_is_refused(newsroom: Newsroom, editor: Actor, blog: Blog,
                                       feed: Feed) -> None:
    post = await _publish(newsroom, editor, blog)
    await post_actions.edit(newsroom, editor, blog.slug, post.id, {"headline": "New"}, 1)
    await feed.new()
    with pytest.raises(Conflict):
        await post_actions.delete(newsroom, editor, blog.slug, post.id, 1)
    assert await feed.new() == []
    assert (await _stored(newsroom, blog, post.id)).status is PostStatus.PUBLISHED


async def test_contributor_cannot_delete(newsroom: Newsroom, editor: Actor,
                                         contributor: Actor, blog: Blog, feed: Feed) -> None:
    post = await _publish(newsroom, editor, blog)
    await feed.new()
    with pytest.raises(PermissionDenied):
        await post_actions.delete(newsroom, contributor, blog.slug, post.id, None)
    assert await feed.new() == []


# --- pin -------------------------------------------------------------------------------

async def test_one_pinned_post_at_a_time_unpinned_event_first(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed) -> None:
    a = await _publish(newsroom, editor, blog, "A")
    b = await _publish(newsroom, editor, blog, "B")
    await feed.new()
    pinned_a = await post_actions.set_pinned(newsroom, editor, blog.slug, a.id, True)
    assert pinned_a.pinned and pinned_a.version == 2
    assert await feed.new() == [(PINNED, a.id)]
    await post_actions.set_pinned(newsroom, editor, blog.slug, b.id, True)
    # The reader sees A leave the pinned box before B enters it.
    assert await feed.new() == [(UNPINNED, a.id), (PINNED, b.id)]
    assert await _pinned_ids(newsroom, blog) == [b.id]
    unpinned_a = await _stored(newsroom, blog, a.id)
    assert not unpinned_a.pinned and unpinned_a.version == 3


async def test_publishing_pinned_replaces_the_pinned_post(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed) -> None:
    summary = await _publish(newsroom, editor, blog, "Summary", pinned=True)
    assert await feed.new() == [(PUBLISHED, summary.id), (PINNED, summary.id)]
    recap = await _publish(newsroom, editor, blog, "Recap", pinned=True)
    assert await feed.new() == [(UNPINNED, summary.id), (PUBLISHED, recap.id),
                                (PINNED, recap.id)]
    assert await _pinned_ids(newsroom, blog) == [recap.id]


async def test_pinning_twice_or_unpinning_an_unpinned_post_writes_nothing(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed) -> None:
    post = await _publish(newsroom, editor, blog)
    await post_actions.set_pinned(newsroom, editor, blog.slug, post.id, True)
    await feed.new()
    same = await post_actions.set_pinned(newsroom, editor, blog.slug, post.id, True)
    assert same.version == 2
    assert await feed.new() == []
    await post_actions.set_pinned(newsroom, editor, blog.slug, post.id, False)
    assert await feed.new() == [(UNPINNED, post.id)]
    await post_actions.set_pinned(newsroom, editor, blog.slug, post.id, False)
    assert await feed.new() == []
    assert await _pinned_ids(newsroom, blog) == []


async def test_stale_pin_is_refused(newsroom: Newsroom, editor: Actor, blog: Blog,
                                    feed: Feed) -> None:
    post = await _publish(newsroom, editor, blog)
    await post_actions.edit(newsroom, editor, blog.slug, post.id, {"headline": "H"}, 1)
    await feed.new()
    with pytest.raises(Conflict):
        await post_actions.set_pinned(newsroom, editor, blog.slug, post.id, True, 1)
    assert await feed.new() == []


async def test_contributor_cannot_pin_or_publish_pinned(
        newsroom: Newsroom, editor: Actor, contributor: Actor, blog: Blog,
        feed: Feed) -> None:
    post = await _publish(newsroom, editor, blog)
    await feed.new()
    with pytest.raises(PermissionDenied):
        await post_actions.set_pinned(newsroom, contributor, blog.slug, post.id, True)
    with pytest.raises(PermissionDenied):
        await post_actions.publish(newsroom, contributor, blog.slug, {**TEXT, "pinned": True})
    assert await feed.new() == []
    assert await _pinned_ids(newsroom, blog) == []


async def test_deleting_the_pinned_post_empties_the_pinned_box(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed) -> None:
    post = await _publish(newsroom, editor, blog, pinned=True)
    await feed.new()
    await post_actions.delete(newsroom, editor, blog.slug, post.id, None)
    assert await feed.new() == [(DELETED, post.id)]
    async with newsroom.db.read() as conn:
        assert await post_rows.pinned(conn, blog.id) is None


# --- key events ------------------------------------------------------------------------

async def test_key_event_flag_writes_updated_events_only_on_change(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed) -> None:
    post = await _publish(newsroom, editor, blog)
    await feed.new()
    marked = await post_actions.set_key_event(newsroom, editor, blog.slug, post.id, True)
    assert marked.key_event and marked.version == 2
    assert await feed.new() == [(UPDATED, post.id)]
    await post_actions.set_key_event(newsroom, editor, blog.slug, post.id, True)
    assert await feed.new() == []
    await post_actions.set_key_event(newsroom, editor, blog.slug, post.id, False)
    assert await feed.new() == [(UPDATED, post.id)]


async def test_contributor_cannot_mark_key_events(
        newsroom: Newsroom, editor: Actor, contributor: Actor, blog: Blog,
        feed: Feed) -> None:
    post = await _publish(newsroom, editor, blog)
    await feed.new()
    with pytest.raises(PermissionDenied):
        await post_actions.set_key_event(newsroom, contributor, blog.slug, post.id, True)
    assert await feed.new() == []


# --- a whole session -------------------------------------------------------------------

async def test_a_session_of_writes_leaves_exactly_its_events_in_order(
        newsroom: Newsroom, blog: Blog, feed: Feed,
        announced: list[tuple[int, int]]) -> None:
    ed = await user_actions.create_user(newsroom, "Night Desk", Role.EDITOR)
    a = await _publish(newsroom, ed, blog, "A")
    b = await _publish(newsroom, ed, blog, "B", key_event=True)
    await post_actions.edit(newsroom, ed, blog.slug, a.id, {"headline": "A!"}, 1)
    await post_actions.set_pinned(newsroom, ed, blog.slug, b.id, True)
    await post_actions.set_pinned(newsroom, ed, blog.slug, a.id, True)
    await post_actions.delete(newsroom, ed, blog.slug, b.id, None)
    await blog_actions.end(newsroom, ed, blog.slug, text("That is all."))
    events = await feed.new()
    closing = events[-2][1]
    assert events == [
        (PUBLISHED, a.id), (PUBLISHED, b.id), (UPDATED, a.id), (PINNED, b.id),
        (UNPINNED, b.id), (PINNED, a.id), (DELETED, b.id), (PUBLISHED, closing),
        ("blog.ended", None),
    ]
    # Each commit is announced once, with the newest seq it wrote: the closing post and the
    # ending are one commit.
    assert [seq for _, seq in announced] == [1, 2, 3, 4, 6, 7, 9]


async def test_concurrent_pins_leave_exactly_one_pinned_post(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed) -> None:
    """Editors pinning different posts at the same moment (and one publishing a pinned
    post) still leave one pinned post, and the feed's pin/unpin events tell the same story
    as the rows."""
    posts = [await _publish(newsroom, editor, blog, f"Candidate {n}") for n in range(4)]
    await feed.new()
    await asyncio.gather(
        *[post_actions.set_pinned(newsroom, editor, blog.slug, p.id, True) for p in posts],
        post_actions.publish(newsroom, editor, blog.slug, {**text("Pinned news"),
                                                           "pinned": True}))
    pinned_rows = await _pinned_ids(newsroom, blog)
    assert len(pinned_rows) == 1, f"{len(pinned_rows)} posts are pinned: {pinned_rows}"
    box: set[int] = set()  # the pinned box, as a reader applying the events sees it
    for kind, post_id in await feed.new():
        assert post_id is not None
        if kind == PINNED:
            box.add(post_id)
        elif kind == UNPINNED:
            box.discard(post_id)
    assert box == set(pinned_rows)


async def test_concurrent_writes_of_every_kind_neither_deadlock_nor_double_pin(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed) -> None:
    """Pins, edits, key events, deletes and pinned publishes racing on the same posts: each
    either succeeds or is refused with a newsroom error (a stale version, a deleted post) —
    never a database error such as a deadlock — and one post at most ends up pinned."""
    posts = [await _publish(newsroom, editor, blog, f"Post {n}") for n in range(5)]
    await feed.new()
    rng = random.Random(7)

    async def one(n: int) -> None:
        target = rng.choice(posts)
        kind = n % 5
        try:
            if kind == 0:
                await post_actions.set_pinned(newsroom, editor, blog.slug, target.id, True)
            elif kind == 1:
                current = await _stored(newsroom, blog, target.id)
                await post_actions.edit(newsroom, editor, blog.slug, target.id,
                                        {"headline": f"Edit {n}"}, current.version)
            elif kind == 2:
                await post_actions.set_key_event(newsroom, editor, blog.slug, target.id,
                                                 n % 2 == 0)
            elif kind == 3:
                await post_actions.publish(newsroom, editor, blog.slug,
                                           {**text(f"Pinned {n}"), "pinned": True})
            elif n == 29:
                await post_actions.delete(newsroom, editor, blog.slug, target.id, None)
        except (Conflict, NotFound):
            pass

    await asyncio.gather(*[one(n) for n in range(30)])
    pinned_rows = await _pinned_ids(newsroom, blog)
    assert len(pinned_rows) <= 1, pinned_rows
    box: set[int] = set()
    for kind, post_id in await feed.new():
        assert post_id is not None
        if kind == PINNED:
            box.add(post_id)
        elif kind in (UNPINNED, DELETED):
            box.discard(post_id)
    assert box == set(pinned_rows)
