"""The way to publication: drafts and autosave, submission, sending back, approval,
scheduling and the scheduler — on SQLite and PostgreSQL. Unpublished work only ever reaches
the newsroom's own feed; readers see a post once it is approved or due."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bulletin.actions import accounts, drafts
from bulletin.actions import blogs as blog_actions
from bulletin.actions import posts as post_actions
from bulletin.actions import users as user_actions
from bulletin.actions.newsroom import Newsroom
from bulletin.domain.blog import Blog
from bulletin.domain.errors import BlogEnded, Conflict, NotFound, PermissionDenied, ValidationError
from bulletin.domain.post import Post, PostStatus
from bulletin.domain.roles import Actor, Role
from bulletin.feed.broker import InProcessBroker
from bulletin.store import events as event_rows
from bulletin.store import history
from bulletin.store import posts as post_rows
from bulletin.store.database import Database
from tests.actions.conftest import Clock, Feed, text

Attempt = Callable[[], Awaitable[object]]


@pytest.fixture
async def stringer(newsroom: Newsroom) -> Actor:
    """A second contributor, whose drafts Cory must not see or touch."""
    return await user_actions.create_user(newsroom, "Sam Stringer", Role.CONTRIBUTOR)


class NewsroomFeed:
    """The newsroom-only feed from a remembered point: `await nf.new()` gives the (kind,
    post id) of each entry since the last call; `last` holds their data."""

    def __init__(self, newsroom: Newsroom, blog: Blog) -> None:
        self.newsroom, self.blog, self.seen = newsroom, blog, 0
        self.last: list[dict[str, Any]] = []

    async def new(self) -> list[tuple[str, int | None]]:
        async with self.newsroom.db.read() as conn:
            rows = await event_rows.newsroom_since(conn, self.blog.id, self.seen)
        assert [s for s, *_ in rows] == list(range(self.seen + 1, self.seen + 1 + len(rows)))
        if rows:
            self.seen = rows[-1][0]
        self.last = [json.loads(d) for *_, d in rows]
        return [(k, p) for _, k, p, _ in rows]


@pytest.fixture
def desk(newsroom: Newsroom, blog: Blog) -> NewsroomFeed:
    return NewsroomFeed(newsroom, blog)


async def stored(newsroom: Newsroom, blog: Blog, post_id: int) -> Post:
    async with newsroom.db.read() as conn:
        post = await post_rows.get(conn, blog.id, post_id)
    assert post is not None
    return post


async def audit_trail(newsroom: Newsroom, blog: Blog) -> list[tuple[str, str | None, str]]:
    """(action, who, via) of the blog's audit log, oldest first."""
    async with newsroom.db.read() as conn:
        entries = await history.audit_log(conn, blog.id, limit=1000)
    return [(e["action"], e["who"], e["via"]) for e in reversed(entries)]


async def submitted(newsroom: Newsroom, author: Actor, blog: Blog, words: str = "Bridge shut"
                    ) -> Post:
    draft = await drafts.save_draft(newsroom, author, blog.slug, text(words))
    return await drafts.submit(newsroom, author, blog.slug, draft.id)


# --- drafts and autosave -----------------------------------------------------------------

async def test_autosave_makes_new_versions_that_only_the_newsroom_sees(
        newsroom: Newsroom, contributor: Actor, blog: Blog, feed: Feed,
        desk: NewsroomFeed) -> None:
    draft = await drafts.save_draft(newsroom, contributor, blog.slug,
                                    {"headline": "Bridge", **text("First words")})
    assert (draft.status, draft.version, draft.position) == (PostStatus.DRAFT, 1, None)
    again = await drafts.save_draft(newsroom, contributor, blog.slug, text("More words"),
                                    post_id=draft.id)
    third = await drafts.save_draft(newsroom, contributor, blog.slug, text("Even more"),
                                    post_id=draft.id, expected_version=2)
    assert (again.version, third.version) == (2, 3)
    assert third.headline is None and "Even more" in third.blocks[0].html  # type: ignore
    assert await feed.new() == []
    assert await feed.last_seq() == 0
    assert await desk.new() == [("draft.saved", draft.id)] * 3
    assert [d["version"] for d in desk.last] == [1, 2, 3]
    async with newsroom.db.read() as conn:
        assert await post_rows.count_published(conn, blog.id) == 0


async def test_a_draft_may_start_empty(newsroom: Newsroom, contributor: Actor,
                                       blog: Blog) -> None:
    draft = await drafts.save_draft(newsroom, contributor, blog.slug, {})
    assert draft.blocks == () and draft.status is PostStatus.DRAFT


async def test_a_stale_autosave_is_refused_with_the_saved_version(
        newsroom: Newsroom, contributor: Actor, editor: Actor, blog: Blog) -> None:
    draft = await drafts.save_draft(newsroom, contributor, blog.slug, text("Mine"))
    await drafts.save_draft(newsroom, editor, blog.slug, text("Editor's fix"),
                            post_id=draft.id, expected_version=1)
    with pytest.raises(Conflict) as refused:
        await drafts.save_draft(newsroom, contributor, blog.slug, text("Overwrite"),
                                post_id=draft.id, expected_version=1)
    assert refused.value.current["version"] == 2
    assert "Editor's fix" in refused.value.current["html"]
    assert (await stored(newsroom, blog, draft.id)).version == 2


async def test_two_autosaves_of_one_version_at_once_never_overwrite_silently(
        newsroom: Newsroom, db_url: str, editor: Actor, contributor: Actor,
        blog: Blog) -> None:
    """Two people (on two nodes) save version 1 at the same moment: one wins, the other
    is told of the conflict — on PostgreSQL too, where their transactions really overlap."""
    draft = await drafts.save_draft(newsroom, contributor, blog.slug, text("Start"))
    nodes = [Newsroom(db=Database(db_url), broker=InProcessBroker()) for _ in range(2)]
    try:
        results = await asyncio.gather(*(
            drafts.save_draft(node, who, blog.slug, text(f"By {who.name}"), post_id=draft.id,
                              expected_version=1)
            for node, who in zip(nodes, (contributor, editor), strict=True)),
            return_exceptions=True)
    finally:
        for node in nodes:
            await node.db.close()
    saved = [r for r in results if isinstance(r, Post)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(saved) == len(refused) == 1, results
    assert refused[0].current["version"] == 2
    assert await stored(newsroom, blog, draft.id) == saved[0]


async def test_bad_draft_content_is_refused_and_writes_nothing(
        newsroom: Newsroom, contributor: Actor, blog: Blog, desk: NewsroomFeed) -> None:
    for body in ({"blocks": [{"kind": "video"}]}, {"pinned": True}, ["not", "an", "object"],
                 {"headline": "x" * 301}):
        with pytest.raises(ValidationError):
            await drafts.save_draft(newsroom, contributor, blog.slug, body)
    assert await desk.new() == []
    async with newsroom.db.read() as conn:
        assert await post_rows.count_all(conn) == 0


async def test_contributors_keep_their_drafts_to_themselves(
        newsroom: Newsroom, contributor: Actor, stringer: Actor, blog: Blog) -> None:
    draft = await drafts.save_draft(newsroom, stringer, blog.slug, text("Sam's"))
    attempts: list[Attempt] = [
        lambda: drafts.save_draft(newsroom, contributor, blog.slug, text("Cory's"),
                                  post_id=draft.id),
        lambda: drafts.submit(newsroom, contributor, blog.slug, draft.id),
        lambda: drafts.discard(newsroom, contributor, blog.slug, draft.id),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied, match="a contributor cannot edit other"):
            await attempt()
    assert await stored(newsroom, blog, draft.id) == draft


async def test_a_published_post_is_not_a_draft(newsroom: Newsroom, editor: Actor,
                                               blog: Blog) -> None:
    published = await post_actions.publish(newsroom, editor, blog.slug, text("Live"))
    with pytest.raises(NotFound, match="not a draft"):
        await drafts.save_draft(newsroom, editor, blog.slug, text("Sneaky"),
                                post_id=published.post.id)
    with pytest.raises(NotFound):
        await drafts.submit(newsroom, editor, blog.slug, published.post.id)


async def test_discarding_a_draft_takes_it_out_of_the_newsroom(
        newsroom: Newsroom, contributor: Actor, blog: Blog, desk: NewsroomFeed) -> None:
    draft = await drafts.save_draft(newsroom, contributor, blog.slug, text("Scrap"))
    await drafts.discard(newsroom, contributor, blog.slug, draft.id)
    assert (await stored(newsroom, blog, draft.id)).status is PostStatus.DELETED
    _, visible = await drafts.newsroom_posts(newsroom, contributor, blog.slug)
    assert visible == []
    assert await desk.new() == [("draft.saved", draft.id), ("draft.discarded", draft.id)]


# --- submission, sending back, approval --------------------------------------------------

async def test_the_queue_shows_editors_everything_and_contributors_their_own(
        newsroom: Newsroom, editor: Actor, contributor: Actor, stringer: Actor,
        blog: Blog) -> None:
    mine = await submitted(newsroom, contributor, blog, "Cory's")
    theirs = await drafts.save_draft(newsroom, stringer, blog.slug, text("Sam's"))
    _, queue = await drafts.newsroom_posts(newsroom, editor, blog.slug)
    assert {p.id for p in queue} == {mine.id, theirs.id}
    _, own = await drafts.newsroom_posts(newsroom, contributor, blog.slug)
    assert [(p.id, p.status) for p in own] == [(mine.id, PostStatus.SUBMITTED)]


async def test_sent_back_resubmitted_and_approved_a_post_reaches_readers(
        newsroom: Newsroom, editor: Actor, contributor: Actor, blog: Blog, feed: Feed,
        desk: NewsroomFeed) -> None:
    post = await submitted(newsroom, contributor, blog)
    assert post.status is PostStatus.SUBMITTED
    returned = await drafts.send_back(newsroom, editor, blog.slug, post.id,
                                      "Which bridge? Add the source.")
    assert returned.status is PostStatus.DRAFT
    assert returned.review_note == "Which bridge? Add the source."
    await drafts.save_draft(newsroom, contributor, blog.slug,
                            text("The Elbe bridge is shut, police say."), post_id=post.id)
    again = await drafts.submit(newsroom, contributor, blog.slug, post.id)
    assert again.status is PostStatus.SUBMITTED and again.review_note is None
    assert await feed.new() == []

    published = await drafts.approve(newsroom, editor, blog.slug, post.id)
    assert published.status is PostStatus.PUBLISHED
    assert published.position == 1 and published.published_at is not None
    assert published.author_name == contributor.name  # the byline stays the writer's
    assert await feed.new() == [("post.published", post.id)]
    assert await desk.new() == [
        ("draft.saved", post.id), ("post.submitted", post.id), ("post.returned", post.id),
        ("draft.saved", post.id), ("post.submitted", post.id), ("post.approved", post.id)]
    assert desk.last[2]["by"] == editor.name and desk.last[-1]["by"] == editor.name
    async with newsroom.db.read() as conn:
        revisions = await history.list_revisions(conn, post.id)
    assert [(r["version"], r["editor"]) for r in revisions] == [
        (published.version, editor.name)]
    _, queue = await drafts.newsroom_posts(newsroom, editor, blog.slug)
    assert queue == []


async def test_every_step_is_audited_with_who_and_from_where(
        newsroom: Newsroom, editor: Actor, contributor: Actor, blog: Blog) -> None:
    cory = replace(contributor, via="session 7")
    erin = replace(editor, via="token 3")
    post = await submitted(newsroom, cory, blog)
    await drafts.send_back(newsroom, erin, blog.slug, post.id, "Shorter, please.")
    await drafts.submit(newsroom, cory, blog.slug, post.id)
    await drafts.approve(newsroom, erin, blog.slug, post.id)
    trail = await audit_trail(newsroom, blog)
    assert trail[1:] == [
        ("draft.created", cory.name, "session 7"), ("post.submitted", cory.name, "session 7"),
        ("post.returned", erin.name, "token 3"), ("post.submitted", cory.name, "session 7"),
        ("post.published", erin.name, "token 3")]


async def test_an_empty_draft_cannot_be_submitted_scheduled_or_approved(
        newsroom: Newsroom, editor: Actor, contributor: Actor, blog: Blog,
        desk: NewsroomFeed, clock: Clock) -> None:
    empty = await drafts.save_draft(newsroom, contributor, blog.slug, {"headline": "Soon"})
    await desk.new()
    later = (clock() + timedelta(hours=1)).isoformat()
    attempts: list[Attempt] = [
        lambda: drafts.submit(newsroom, contributor, blog.slug, empty.id),
        lambda: drafts.approve(newsroom, editor, blog.slug, empty.id),
        lambda: drafts.schedule(newsroom, editor, blog.slug, empty.id, later)]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="no content yet") as refused:
            await attempt()
        assert refused.value.field == "blocks" and refused.value.status == 422
    assert await stored(newsroom, blog, empty.id) == empty
    assert await desk.new() == []


async def test_a_note_is_needed_to_send_a_post_back(newsroom: Newsroom, editor: Actor,
                                                    contributor: Actor, blog: Blog) -> None:
    post = await submitted(newsroom, contributor, blog)
    for note in ("", "   ", None, "x" * 2001):
        with pytest.raises(ValidationError) as refused:
            await drafts.send_back(newsroom, editor, blog.slug, post.id, note)
        assert refused.value.field == "note"
    assert (await stored(newsroom, blog, post.id)).status is PostStatus.SUBMITTED


async def test_only_a_submitted_post_can_be_sent_back(newsroom: Newsroom, editor: Actor,
                                                      contributor: Actor, blog: Blog) -> None:
    draft = await drafts.save_draft(newsroom, contributor, blog.slug, text("Not yet"))
    with pytest.raises(ValidationError, match="Only a submitted post"):
        await drafts.send_back(newsroom, editor, blog.slug, draft.id, "Too early")


async def test_contributors_cannot_approve_send_back_or_schedule(
        newsroom: Newsroom, contributor: Actor, stringer: Actor, blog: Blog, feed: Feed,
        desk: NewsroomFeed, clock: Clock) -> None:
    own = await submitted(newsroom, contributor, blog, "Mine")
    other = await submitted(newsroom, stringer, blog, "Sam's")
    await desk.new()
    later = (clock() + timedelta(hours=1)).isoformat()
    for post_id in (own.id, other.id):
        with pytest.raises(PermissionDenied, match="a contributor cannot publish posts"):
            await drafts.approve(newsroom, contributor, blog.slug, post_id)
        with pytest.raises(PermissionDenied, match="a contributor cannot approve"):
            await drafts.send_back(newsroom, contributor, blog.slug, post_id, "no")
        with pytest.raises(PermissionDenied, match="a contributor cannot schedule"):
            await drafts.schedule(newsroom, contributor, blog.slug, post_id, later)
    assert await feed.new() == [] and await desk.new() == []
    assert (await stored(newsroom, blog, own.id)) == own


async def test_an_editor_publishes_their_own_draft_and_may_pin_it(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed) -> None:
    draft = await drafts.save_draft(newsroom, editor, blog.slug, text("Summary so far"))
    published = await drafts.approve(newsroom, editor, blog.slug, draft.id, pin=True)
    assert published.pinned and published.position == 1
    assert await feed.new() == [("post.published", draft.id), ("post.pinned", draft.id)]


async def test_approving_a_stale_version_is_refused(newsroom: Newsroom, editor: Actor,
                                                    contributor: Actor, blog: Blog) -> None:
    post = await submitted(newsroom, contributor, blog)
    with pytest.raises(Conflict):
        await drafts.approve(newsroom, editor, blog.slug, post.id,
                             expected_version=post.version - 1)
    assert (await stored(newsroom, blog, post.id)).status is PostStatus.SUBMITTED


async def test_nothing_is_approved_into_ended_coverage(newsroom: Newsroom, editor: Actor,
                                                       contributor: Actor, blog: Blog,
                                                       feed: Feed) -> None:
    post = await submitted(newsroom, contributor, blog)
    await blog_actions.end(newsroom, editor, blog.slug)
    await feed.new()
    with pytest.raises(BlogEnded, match="has ended"):
        await drafts.approve(newsroom, editor, blog.slug, post.id)
    assert await feed.new() == []
    assert (await stored(newsroom, blog, post.id)).status is PostStatus.SUBMITTED


async def test_editing_presence_reaches_the_newsroom_and_never_readers(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed,
        desk: NewsroomFeed) -> None:
    published = await post_actions.publish(newsroom, editor, blog.slug, text("Live"))
    await feed.new()
    await drafts.editing(newsroom, editor, blog.slug, published.post.id, True)
    await drafts.editing(newsroom, editor, blog.slug, published.post.id, False)
    assert await desk.new() == [("presence.editing", published.post.id),
                                ("presence.left", published.post.id)]
    assert desk.last[0] == {"post_id": published.post.id, "user": editor.name,
                            "user_id": editor.id}
    assert await feed.new() == []


# --- scheduling --------------------------------------------------------------------------

@pytest.mark.parametrize("when, says", [
    ("2026-03-01T12:00:00", "time zone offset"),      # no offset
    ("2026-03-01T08:59:59+00:00", "in the past"),
    ("2026-03-01T09:00:00Z", "in the past"),          # now is not the future
    ("tomorrow at noon", "is not a date and time"),
    ("2027-03-03T09:00:00+00:00", "more than a year"),
    (1772355600, "such as"),
    ("", "is not a date and time"),
])
async def test_a_bad_publish_time_is_refused_naming_publish_at(
        newsroom: Newsroom, editor: Actor, blog: Blog, clock: Clock, when: object,
        says: str) -> None:
    draft = await drafts.save_draft(newsroom, editor, blog.slug, text("Later"))
    with pytest.raises(ValidationError, match=says) as refused:
        await drafts.schedule(newsroom, editor, blog.slug, draft.id, when)
    assert refused.value.field == "publish_at"
    assert await stored(newsroom, blog, draft.id) == draft


@pytest.mark.parametrize("when, zone, expected", [
    ("2026-03-02T15:00", "Asia/Tokyo", datetime(2026, 3, 2, 6, 0, tzinfo=UTC)),
    ("2026-04-01T21:40", "Europe/London", datetime(2026, 4, 1, 20, 40, tzinfo=UTC)),  # BST
    ("2026-03-01T21:40", "Europe/London", datetime(2026, 3, 1, 21, 40, tzinfo=UTC)),  # GMT
    ("2026-10-25T01:30", "Europe/London", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # twice
    ("2026-03-01T09:30:00", "America/New_York", datetime(2026, 3, 1, 14, 30, tzinfo=UTC)),
])
async def test_a_wall_clock_time_is_read_in_the_zone_sent_with_it(
        newsroom: Newsroom, editor: Actor, blog: Blog, clock: Clock, when: str, zone: str,
        expected: datetime) -> None:
    draft = await drafts.save_draft(newsroom, editor, blog.slug, text("Later"))
    scheduled = await drafts.schedule(newsroom, editor, blog.slug, draft.id, when, zone)
    assert scheduled.publish_at == expected


@pytest.mark.parametrize("when, zone, field, says", [
    ("2026-03-29T01:30", "Europe/London", "publish_at", "does not exist in Europe/London"),
    ("2026-03-02T15:00+01:00", "Europe/London", "timezone", "not both"),
    ("2026-03-02T15:00", "Mars/Olympus_Mons", "timezone", "Unknown time zone"),
    ("2026-03-02T15:00", 5, "timezone", "such as 'Europe/Berlin'"),
    ("2026-03-01T08:30", "Europe/London", "publish_at", "in the past"),
])
async def test_a_wall_clock_time_that_cannot_be_read_is_refused(
        newsroom: Newsroom, editor: Actor, blog: Blog, clock: Clock, when: str, zone: object,
        field: str, says: str) -> None:
    draft = await drafts.save_draft(newsroom, editor, blog.slug, text("Later"))
    with pytest.raises(ValidationError, match=says) as refused:
        await drafts.schedule(newsroom, editor, blog.slug, draft.id, when, zone)
    assert refused.value.field == field
    assert await stored(newsroom, blog, draft.id) == draft


async def test_a_scheduled_post_publishes_itself_when_its_time_comes(
        newsroom: Newsroom, editor: Actor, blog: Blog, clock: Clock, feed: Feed,
        desk: NewsroomFeed) -> None:
    draft = await drafts.save_draft(newsroom, replace(editor, via="session 4"), blog.slug,
                                    text("The minister speaks at 2pm."))
    scheduled = await drafts.schedule(newsroom, editor, blog.slug, draft.id,
                                      "2026-03-01T15:00:00+05:00")
    assert scheduled.status is PostStatus.SCHEDULED
    assert scheduled.publish_at == datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    clock.advance(timedelta(minutes=59))
    assert await drafts.publish_due(newsroom) == 0
    assert await feed.new() == []
    clock.advance(timedelta(minutes=1))
    assert await drafts.publish_due(newsroom) == 1
    post = await stored(newsroom, blog, draft.id)
    assert post.status is PostStatus.PUBLISHED and post.position == 1
    assert post.published_at == clock() and post.publish_at is None
    assert await feed.new() == [("post.published", draft.id)]
    kinds = await desk.new()
    assert kinds[-1] == ("post.approved", draft.id) and desk.last[-1]["by"] == "scheduler"
    assert (await audit_trail(newsroom, blog))[-1] == ("post.published", editor.name,
                                                      "scheduler")
    assert await drafts.publish_due(newsroom) == 0  # nothing twice
    assert await feed.new() == []


async def test_unscheduling_returns_the_post_to_the_drafts(
        newsroom: Newsroom, editor: Actor, blog: Blog, clock: Clock, feed: Feed) -> None:
    draft = await drafts.save_draft(newsroom, editor, blog.slug, text("Maybe later"))
    await drafts.schedule(newsroom, editor, blog.slug, draft.id,
                          (clock() + timedelta(minutes=5)).isoformat())
    back = await drafts.unschedule(newsroom, editor, blog.slug, draft.id)
    assert back.status is PostStatus.DRAFT and back.publish_at is None
    clock.advance(timedelta(minutes=10))
    assert await drafts.publish_due(newsroom) == 0
    assert await feed.new() == []


async def test_a_scheduled_post_on_ended_coverage_goes_back_to_draft_with_a_note(
        newsroom: Newsroom, editor: Actor, blog: Blog, clock: Clock, feed: Feed,
        desk: NewsroomFeed) -> None:
    draft = await drafts.save_draft(newsroom, editor, blog.slug, text("Tomorrow's plan"))
    await drafts.schedule(newsroom, editor, blog.slug, draft.id,
                          (clock() + timedelta(minutes=30)).isoformat())
    await blog_actions.end(newsroom, editor, blog.slug)
    await feed.new()
    clock.advance(timedelta(hours=1))
    assert await drafts.publish_due(newsroom) == 0
    post = await stored(newsroom, blog, draft.id)
    assert post.status is PostStatus.DRAFT and post.publish_at is None
    assert post.review_note is not None and "coverage had ended" in post.review_note
    assert await feed.new() == []
    assert (await desk.new())[-1] == ("post.returned", draft.id)  # the author sees it live
    assert desk.last[-1]["review_note"] == post.review_note
    assert (await audit_trail(newsroom, blog))[-1] == ("post.returned", editor.name,
                                                      "scheduler")


async def test_a_scheduled_post_whose_author_may_no_longer_publish_is_held_back(
        newsroom: Newsroom, admin: Actor, editor: Actor, blog: Blog, clock: Clock,
        feed: Feed) -> None:
    draft = await drafts.save_draft(newsroom, editor, blog.slug, text("Timed"))
    await drafts.schedule(newsroom, editor, blog.slug, draft.id,
                          (clock() + timedelta(minutes=30)).isoformat())
    await accounts.set_member_role(newsroom, admin, blog.slug, editor.name, "contributor")
    await feed.new()
    clock.advance(timedelta(hours=1))
    assert await drafts.publish_due(newsroom) == 0
    post = await stored(newsroom, blog, draft.id)
    assert post.status is PostStatus.DRAFT
    assert post.review_note is not None and "may no longer publish" in post.review_note
    assert await feed.new() == []


async def test_a_scheduled_post_emptied_by_an_autosave_is_held_back(
        newsroom: Newsroom, editor: Actor, blog: Blog, clock: Clock, feed: Feed) -> None:
    """Readers never get an empty post, whatever happened to it after it was scheduled."""
    draft = await drafts.save_draft(newsroom, editor, blog.slug, text("Timed"))
    await drafts.schedule(newsroom, editor, blog.slug, draft.id,
                          (clock() + timedelta(minutes=30)).isoformat())
    emptied = await drafts.save_draft(newsroom, editor, blog.slug, {"blocks": []},
                                      post_id=draft.id)
    assert emptied.status is PostStatus.SCHEDULED and emptied.blocks == ()
    clock.advance(timedelta(hours=1))
    assert await drafts.publish_due(newsroom) == 0
    post = await stored(newsroom, blog, draft.id)
    assert post.status is PostStatus.DRAFT
    assert post.review_note is not None and "no content" in post.review_note
    assert await feed.new() == []


async def test_two_nodes_running_the_scheduler_at_once_publish_each_post_once(
        newsroom: Newsroom, db_url: str, editor: Actor, blog: Blog, clock: Clock,
        feed: Feed) -> None:
    ids = []
    for n in range(4):
        draft = await drafts.save_draft(newsroom, editor, blog.slug, text(f"Timed {n}"))
        await drafts.schedule(newsroom, editor, blog.slug, draft.id,
                              (clock() + timedelta(minutes=5)).isoformat())
        ids.append(draft.id)
    clock.advance(timedelta(minutes=5))
    nodes = [Newsroom(db=Database(db_url), broker=InProcessBroker(), now=clock)
             for _ in range(3)]
    try:
        results = await asyncio.gather(*(drafts.publish_due(n) for n in nodes))
    finally:
        for node in nodes:
            await node.db.close()
    assert sum(results) == len(ids)
    events = await feed.new()
    assert sorted(p or 0 for kind, p in events if kind == "post.published") == ids
    assert len(events) == len(ids)
    async with newsroom.db.read() as conn:
        published = [await post_rows.get(conn, blog.id, i) for i in ids]
    assert sorted(p.position or 0 for p in published if p) == [1, 2, 3, 4]
