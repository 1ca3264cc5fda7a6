"""Opening, changing, ending and reopening coverage through the actions layer, on SQLite and
PostgreSQL: roles, validation, and the blog events each change appends."""

from __future__ import annotations

import asyncio
import json

import pytest

from bulletin.actions import blogs as blog_actions
from bulletin.actions import posts as post_actions
from bulletin.actions.newsroom import Newsroom
from bulletin.domain.blog import Blog, BlogStatus
from bulletin.domain.errors import (
    BlogEnded,
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from bulletin.domain.roles import Actor
from bulletin.store import blogs as blog_rows
from bulletin.store import events as event_rows
from bulletin.store import history
from bulletin.store import posts as post_rows
from tests.actions.conftest import Feed, text


async def _blog_count(nr: Newsroom) -> int:
    async with nr.db.read() as conn:
        return await blog_rows.count(conn)


async def test_admin_opens_a_live_blog_without_events(newsroom: Newsroom, admin: Actor) -> None:
    blog = await blog_actions.create(newsroom, admin, {
        "slug": "election-night", "title": "Election night", "timezone": "Europe/Berlin",
        "language": "de", "description": "Results as they come in."})
    assert (blog.status, blog.last_seq, blog.last_position) == (BlogStatus.LIVE, 0, 0)
    assert (blog.timezone, blog.language) == ("Europe/Berlin", "de")
    async with newsroom.db.read() as conn:
        assert await event_rows.since(conn, blog.id, 0) == []


async def test_only_admins_open_blogs(newsroom: Newsroom, editor: Actor,
                                      contributor: Actor) -> None:
    for actor in (editor, contributor):
        with pytest.raises(PermissionDenied):
            await blog_actions.create(newsroom, actor, {"slug": "mine", "title": "Mine"})
    assert await _blog_count(newsroom) == 0


async def test_a_taken_or_bad_slug_is_refused(newsroom: Newsroom, admin: Actor,
                                              blog: Blog) -> None:
    with pytest.raises(Conflict):
        await blog_actions.create(newsroom, admin, {"slug": blog.slug, "title": "Again"})
    for bad in ({"slug": "Not A Slug", "title": "T"}, {"slug": "ok"},
                {"slug": "ok", "title": "T", "timezone": "Mars/Olympus"},
                {"slug": "ok", "title": "T", "owner": "me"}):
        with pytest.raises(ValidationError):
            await blog_actions.create(newsroom, admin, bad)
    assert await _blog_count(newsroom) == 1


async def test_update_appends_blog_updated_with_the_new_blog(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed) -> None:
    changed = await blog_actions.update(newsroom, editor, blog.slug,
                                        {"title": "Storm: day two", "poll_after": 30})
    assert (changed.title, changed.poll_after) == ("Storm: day two", 30)
    assert await feed.new() == [("blog.updated", None)]
    async with newsroom.db.read() as conn:
        [event] = await event_rows.since(conn, blog.id, 0)
    assert json.loads(event.data)["title"] == "Storm: day two"


async def test_contributor_cannot_change_end_or_reopen(
        newsroom: Newsroom, contributor: Actor, blog: Blog, feed: Feed) -> None:
    with pytest.raises(PermissionDenied):
        await blog_actions.update(newsroom, contributor, blog.slug, {"title": "Mine now"})
    with pytest.raises(PermissionDenied):
        await blog_actions.end(newsroom, contributor, blog.slug, text("Bye"))
    with pytest.raises(PermissionDenied):
        await blog_actions.reopen(newsroom, contributor, blog.slug)
    assert await feed.new() == []
    assert await feed.post_count() == 0


async def test_empty_or_invalid_update_writes_nothing(newsroom: Newsroom, editor: Actor,
                                                      blog: Blog, feed: Feed) -> None:
    for bad in ({}, {"slug": "renamed"}, {"poll_after": 0}, {"title": ""}):
        with pytest.raises(ValidationError):
            await blog_actions.update(newsroom, editor, blog.slug, bad)
    with pytest.raises(NotFound):
        await blog_actions.update(newsroom, editor, "nowhere", {"title": "T"})
    assert await feed.new() == []


async def test_end_then_reopen(newsroom: Newsroom, editor: Actor, blog: Blog,
                               feed: Feed) -> None:
    ended = await blog_actions.end(newsroom, editor, blog.slug)
    assert ended.status is BlogStatus.ENDED and ended.ended_at is not None
    assert await feed.new() == [("blog.ended", None)]
    again = await blog_actions.end(newsroom, editor, blog.slug)
    assert again.status is BlogStatus.ENDED
    assert await feed.new() == []  # ending an ended blog changes nothing
    reopened = await blog_actions.reopen(newsroom, editor, blog.slug)
    assert reopened.status is BlogStatus.LIVE and reopened.ended_at is None
    assert await feed.new() == [("blog.reopened", None)]
    await blog_actions.reopen(newsroom, editor, blog.slug)
    assert await feed.new() == []


async def test_end_with_a_closing_post_publishes_it_first(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed) -> None:
    await blog_actions.end(newsroom, editor, blog.slug, text("This concludes our coverage."))
    events = await feed.new()
    assert [kind for kind, _ in events] == ["post.published", "blog.ended"]
    assert await feed.post_count() == 1


async def test_a_bad_closing_post_does_not_end_the_blog(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed) -> None:
    with pytest.raises(ValidationError):
        await blog_actions.end(newsroom, editor, blog.slug, {"blocks": []})
    assert await feed.new() == []
    async with newsroom.db.read() as conn:
        current = await blog_rows.get_by_id(conn, blog.id)
    assert current is not None and current.is_live


async def test_ending_twice_at_once_ends_once(newsroom: Newsroom, editor: Actor, blog: Blog,
                                              feed: Feed) -> None:
    """Two editors press "End coverage" at the same moment: one blog.ended event (readers
    see one ending), and the same for reopening."""
    await asyncio.gather(*[blog_actions.end(newsroom, editor, blog.slug) for _ in range(3)])
    assert await feed.new() == [("blog.ended", None)]
    await asyncio.gather(*[blog_actions.reopen(newsroom, editor, blog.slug) for _ in range(3)])
    assert await feed.new() == [("blog.reopened", None)]


# --- the end of coverage: closing post, new title and the recap unpinned, at once ----------

async def _pinned_recap(newsroom: Newsroom, editor: Actor, blog: Blog) -> int:
    recap = await post_actions.publish(newsroom, editor, blog.slug,
                                       {**text("Recap: the river peaked at 6.1 m."),
                                        "pinned": True})
    return recap.post.id


async def test_end_with_closing_post_title_and_unpin_is_one_commit(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed,
        announced: list[tuple[int, int]]) -> None:
    recap = await _pinned_recap(newsroom, editor, blog)
    await feed.new()
    announced.clear()
    ended = await blog_actions.end(newsroom, editor, blog.slug,
                                   text("This concludes our coverage."),
                                   title="Storm — as it happened", unpin=True)
    events = await feed.new()
    closing = events[1][1]
    assert events == [("post.unpinned", recap), ("post.published", closing),
                      ("blog.ended", None)]
    assert announced == [(blog.id, await feed.last_seq())]  # one commit, announced once
    assert ended.status is BlogStatus.ENDED and ended.title == "Storm — as it happened"
    assert ended.closing_post_id == closing
    async with newsroom.db.read() as conn:
        assert await post_rows.pinned(conn, blog.id) is None
        last = (await event_rows.since(conn, blog.id, 0, 100))[-1]
        entries = await history.audit_log(conn, blog.id)
    assert json.loads(last.data)["title"] == "Storm — as it happened"
    assert json.loads(last.data)["closing_post_id"] == closing
    assert entries[0]["action"] == "blog.ended" and entries[0]["who"] == "Erin Editor"
    assert entries[0]["detail"] == (f"unpinned post {recap}; closing post {closing}; "
                                    "retitled 'Storm — as it happened'")


async def test_end_keeps_the_recap_pinned_unless_asked(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed) -> None:
    recap = await _pinned_recap(newsroom, editor, blog)
    ended = await blog_actions.end(newsroom, editor, blog.slug, text("That is all."))
    assert ended.title == "Storm"
    async with newsroom.db.read() as conn:
        pinned = await post_rows.pinned(conn, blog.id)
    assert pinned is not None and pinned.id == recap


@pytest.mark.parametrize("options, field", [
    ({"title": ""}, "title"), ({"title": "Two\nlines"}, "title"), ({"title": 7}, "title"),
    ({"title": "t" * 301}, "title"), ({"unpin": "yes"}, "unpin"), ({"unpin": None}, "unpin"),
])
async def test_bad_end_options_change_nothing(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed,
        options: dict[str, object], field: str) -> None:
    recap = await _pinned_recap(newsroom, editor, blog)
    await feed.new()
    with pytest.raises(ValidationError) as caught:
        await blog_actions.end(newsroom, editor, blog.slug, text("Closing words."), **options)
    assert caught.value.field == field
    assert await feed.new() == [] and await feed.post_count() == 1
    async with newsroom.db.read() as conn:
        current = await blog_rows.get_by_id(conn, blog.id)
        pinned = await post_rows.pinned(conn, blog.id)
    assert current is not None and current.is_live and current.title == "Storm"
    assert pinned is not None and pinned.id == recap


async def test_a_contributor_cannot_end_retitle_or_unpin(
        newsroom: Newsroom, editor: Actor, contributor: Actor, blog: Blog, feed: Feed) -> None:
    await _pinned_recap(newsroom, editor, blog)
    await feed.new()
    with pytest.raises(PermissionDenied):
        await blog_actions.end(newsroom, contributor, blog.slug, text("Bye"),
                               title="Storm — as it happened", unpin=True)
    assert await feed.new() == []


async def test_an_ended_blog_takes_no_closing_post_title_or_unpin(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed) -> None:
    await blog_actions.end(newsroom, editor, blog.slug)
    await feed.new()
    for options in ({"closing_post": text("Late")}, {"title": "Later title"}, {"unpin": True}):
        with pytest.raises(BlogEnded, match="already ended"):
            await blog_actions.end(newsroom, editor, blog.slug, **options)  # type: ignore[arg-type]
    assert await feed.new() == []


async def test_reopening_forgets_the_closing_post(
        newsroom: Newsroom, editor: Actor, blog: Blog) -> None:
    ended = await blog_actions.end(newsroom, editor, blog.slug, text("That is all."))
    assert ended.closing_post_id is not None
    reopened = await blog_actions.reopen(newsroom, editor, blog.slug)
    assert reopened.closing_post_id is None
    again = await blog_actions.end(newsroom, editor, blog.slug)
    assert again.closing_post_id is None  # ended without one: nothing leads the page
