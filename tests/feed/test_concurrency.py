"""Many writers at once: 20 concurrent publishers, each with its own engine (as separate
workers would have), get seqs and positions 1..N with no gap and no duplicate, and a client
polling `changes` while they write never skips a seq. PostgreSQL serialises the writers on
the blog's counter row; SQLite queues them on its write lock. Run on both."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bulletin.actions import blogs as blog_actions
from bulletin.actions import posts as post_actions
from bulletin.actions import users as user_actions
from bulletin.actions.newsroom import Newsroom
from bulletin.domain.roles import Actor, Role
from bulletin.store import events as event_rows
from bulletin.store import posts as post_rows
from bulletin.store.database import Database
from tests.conftest import App, running_app

PUBLISHERS = 20
ROUNDS = 5
TOTAL = PUBLISHERS * ROUNDS


class InFlight:
    """Counts publishes in progress at once, to show the writers really overlapped."""

    def __init__(self) -> None:
        self.now = 0
        self.most = 0

    def __enter__(self) -> None:
        self.now += 1
        self.most = max(self.most, self.now)

    def __exit__(self, *exc: object) -> None:
        self.now -= 1


async def _publisher(nr: Newsroom, actor: Actor, slug: str, go: asyncio.Event,
                     in_flight: InFlight) -> list[int]:
    await go.wait()
    ids = []
    for n in range(ROUNDS):
        body = {"blocks": [{"kind": "text", "html": f"<p>{actor.name}, update {n}</p>"}]}
        with in_flight:
            ids.append((await post_actions.publish(nr, actor, slug, body)).post.id)
    return ids


async def _poll(app: App, slug: str, writers: asyncio.Future[object]) -> list[int]:
    """A polling client: `since` is always the last seq it got. Every answer must continue
    exactly where the previous one stopped."""
    seen: list[int] = []
    since = 0
    polls = 0
    while True:
        finished = writers.done()
        response = await app.client.get(f"/blogs/{slug}/changes", params={"since": since})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["reset"] is None
        seqs = [e["seq"] for e in body["events"]]
        assert seqs == list(range(since + 1, since + 1 + len(seqs))), (
            f"after seq {since} the poll returned {seqs}: a seq was skipped")
        assert body["last_seq"] == (seqs[-1] if seqs else since)
        seen.extend(seqs)
        since = body["last_seq"]
        polls += 1
        if finished and not body["more"]:
            assert polls > 3, "the poller never ran while the writers were writing"
            return seen
        await asyncio.sleep(0.002)


async def test_concurrent_publishers_get_gapless_seqs_and_polling_never_skips(
        db_url: str, tmp_path: Path) -> None:
    async for app in running_app(db_url, tmp_path):
        nr = app.newsroom
        admin = await user_actions.create_user(nr, "Chief", Role.ADMIN)
        blog = await blog_actions.create(nr, admin, {"slug": "count", "title": "Count"})
        desks = [await user_actions.create_user(nr, f"Desk {i}", Role.EDITOR)
                 for i in range(PUBLISHERS)]
        engines = [Database(db_url) for _ in range(PUBLISHERS)]
        try:
            go, in_flight = asyncio.Event(), InFlight()
            writers = asyncio.gather(*[
                _publisher(Newsroom(db=engine, broker=nr.broker), desk, blog.slug, go,
                           in_flight)
                for engine, desk in zip(engines, desks, strict=True)])
            poller = asyncio.create_task(_poll(app, blog.slug, writers))
            go.set()
            published = await writers
            polled = await poller
        finally:
            for engine in engines:
                await engine.close()

        assert in_flight.most == PUBLISHERS
        assert polled == list(range(1, TOTAL + 1))
        async with nr.db.read() as conn:
            events = await event_rows.since(conn, blog.id, 0, 10_000)
            stored = {pid: await post_rows.get(conn, blog.id, pid)
                      for ids in published for pid in ids}
        assert [e.seq for e in events] == list(range(1, TOTAL + 1))
        assert {e.post_id for e in events} == set(stored)
        positions = {pid: post.position for pid, post in stored.items() if post}
        assert sorted(positions.values()) == list(range(1, TOTAL + 1))
        # Positions follow commit order, so they follow seq order too.
        assert [positions[e.post_id] for e in events if e.post_id] == list(
            range(1, TOTAL + 1))
        for ids in published:  # each desk's own posts keep their order
            mine = [positions[i] for i in ids]
            assert mine == sorted(mine)
