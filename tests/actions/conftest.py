"""Actions run against a real store (SQLite and PostgreSQL) and the in-process broker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bulletin.actions import blogs as blog_actions
from bulletin.actions.newsroom import Newsroom
from bulletin.domain.blog import Blog
from bulletin.domain.roles import Actor
from bulletin.feed.broker import InProcessBroker
from bulletin.store import blogs as blog_rows
from bulletin.store import events as event_rows
from bulletin.store import posts as post_rows


class Clock:
    """A clock that only moves when the test says so."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, delta: timedelta) -> None:
        self.moment += delta


@pytest.fixture
def clock(newsroom: Newsroom) -> Clock:
    clock = Clock()
    newsroom.now = clock
    return clock


TEXT = {"blocks": [{"kind": "text", "html": "<p>Water is rising at the bridge.</p>"}]}


def text(words: str) -> dict[str, object]:
    return {"blocks": [{"kind": "text", "html": f"<p>{words}</p>"}]}


@pytest.fixture
async def blog(newsroom: Newsroom, admin: Actor) -> Blog:
    return await blog_actions.create(newsroom, admin, {"slug": "storm", "title": "Storm"})


@pytest.fixture
def announced(newsroom: Newsroom) -> list[tuple[int, int]]:
    """What the broker told the live hubs, in order: (blog id, seq) after each commit."""
    calls: list[tuple[int, int]] = []
    assert isinstance(newsroom.broker, InProcessBroker)
    newsroom.broker.listen(lambda blog_id, seq: calls.append((blog_id, seq)))
    return calls


class Feed:
    """Reads a blog's change feed from a remembered point: `await feed.new()` gives the
    (kind, post id) of each event written since the last call."""

    def __init__(self, newsroom: Newsroom, blog: Blog) -> None:
        self.newsroom = newsroom
        self.blog = blog
        self.seen = 0

    async def new(self) -> list[tuple[str, int | None]]:
        async with self.newsroom.db.read() as conn:
            batch = await event_rows.since(conn, self.blog.id, self.seen, 10_000)
        for expected, event in enumerate(batch, start=self.seen + 1):
            assert event.seq == expected, "the change feed has a gap"
        if batch:
            self.seen = batch[-1].seq
        return [(e.kind.value, e.post_id) for e in batch]

    async def last_seq(self) -> int:
        async with self.newsroom.db.read() as conn:
            row = await blog_rows.get_by_id(conn, self.blog.id)
        assert row is not None
        return row.last_seq

    async def post_count(self) -> int:
        async with self.newsroom.db.read() as conn:
            return await post_rows.count_all(conn)


@pytest.fixture
async def feed(newsroom: Newsroom, blog: Blog) -> Feed:
    return Feed(newsroom, blog)
