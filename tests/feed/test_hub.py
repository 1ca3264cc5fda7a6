"""The node's LiveHub on its own, on SQLite and PostgreSQL: readers attach to a blog's
channel, every event is read once and encoded once, writes made by other processes arrive by
the hub's poll, a reader that stops reading is cut off alone, and idle streams get
heartbeats."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bulletin.actions import blogs as blog_actions
from bulletin.actions import posts as post_actions
from bulletin.actions.newsroom import Newsroom
from bulletin.domain.blog import Blog
from bulletin.domain.roles import Actor
from bulletin.feed.broker import InProcessBroker
from bulletin.feed.hub import HEARTBEAT, Connection, LiveHub
from bulletin.store.database import Database

Frame = tuple[int, bytes]
TEXT = {"blocks": [{"kind": "text", "html": "<p>The river is over its banks.</p>"}]}


class Hubs:
    """Starts LiveHubs over the test's database and stops them afterwards."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.started: list[LiveHub] = []

    async def start(self, **options: Any) -> LiveHub:
        options.setdefault("poll_interval", 0.5)
        hub = LiveHub(self.db, **options)
        await hub.start()
        self.started.append(hub)
        return hub


@pytest.fixture
async def hubs(newsroom: Newsroom) -> AsyncIterator[Hubs]:
    made = Hubs(newsroom.db)
    yield made
    for hub in made.started:
        await hub.stop()


@pytest.fixture
async def blog(newsroom: Newsroom, admin: Actor) -> Blog:
    return await blog_actions.create(newsroom, admin, {"slug": "flood", "title": "Flood"})


def wire(newsroom: Newsroom, hub: LiveHub) -> None:
    """What create_app does: the node's broker wakes the node's hub."""
    assert isinstance(newsroom.broker, InProcessBroker)
    newsroom.broker.listen(hub.wake)


async def receive(connection: Connection, upto_seq: int, timeout: float = 5.0) -> list[Frame]:
    """Event frames (heartbeats left out) until `upto_seq` has arrived."""
    got: list[Frame] = []
    async with asyncio.timeout(timeout):
        while not got or got[-1][0] < upto_seq:
            assert not connection.closed, f"connection closed after {[s for s, _ in got]}"
            await connection.wait()
            got.extend(f for f in connection.take() if f[0] != 0)
    return got


async def publish(newsroom: Newsroom, actor: Actor, blog: Blog, words: str = "Update") -> int:
    result = await post_actions.publish(
        newsroom, actor, blog.slug, {"blocks": [{"kind": "text", "html": f"<p>{words}</p>"}]})
    return result.post.id


async def test_attached_reader_gets_each_new_event_as_one_sse_frame(
        newsroom: Newsroom, hubs: Hubs, blog: Blog, editor: Actor) -> None:
    await publish(newsroom, editor, blog, "Before anyone watched")
    hub = await hubs.start()
    wire(newsroom, hub)
    reader = await hub.attach(blog.id)
    assert hub.connection_count(blog.id) == 1
    post_id = await publish(newsroom, editor, blog, "Levees hold")
    [(seq, frame)] = await receive(reader, 2)
    assert seq == 2  # only what happened after attaching
    head, data_line = frame.split(b"\ndata: ")
    assert head == b"id: 2\nevent: post.published"
    assert data_line.endswith(b"\n\n") and data_line.count(b"\n") == 2
    data = json.loads(data_line)
    assert data["id"] == post_id and "Levees hold" in data["html"]


async def test_every_reader_of_a_blog_gets_the_same_bytes_object(
        newsroom: Newsroom, hubs: Hubs, blog: Blog, editor: Actor, admin: Actor) -> None:
    """Encoded once per node, not once per reader."""
    hub = await hubs.start()
    wire(newsroom, hub)
    other = await blog_actions.create(newsroom, admin, {"slug": "other", "title": "Other"})
    readers = [await hub.attach(blog.id) for _ in range(5)]
    elsewhere = await hub.attach(other.id)
    for n in range(3):
        await publish(newsroom, editor, blog, f"Update {n}")
    received = [await receive(r, 3) for r in readers]
    assert [[seq for seq, _ in frames] for frames in received] == [[1, 2, 3]] * 5
    for n in range(3):
        first = received[0][n][1]
        assert all(frames[n][1] is first for frames in received)
    assert elsewhere.take() == []  # another blog's readers hear nothing


async def test_write_from_another_database_instance_arrives_by_polling(
        newsroom: Newsroom, hubs: Hubs, blog: Blog, editor: Actor, db_url: str) -> None:
    """No broker connects the writer to this hub (another worker, a CLI): the poll finds it."""
    hub = await hubs.start(poll_interval=0.5)
    reader = await hub.attach(blog.id)
    elsewhere = Database(db_url)
    try:
        writer = Newsroom(db=elsewhere, broker=InProcessBroker())
        post_id = await publish(writer, editor, blog, "Written elsewhere")
    finally:
        await elsewhere.close()
    [(seq, frame)] = await receive(reader, 1, timeout=3)
    assert seq == 1 and json.loads(frame.split(b"data: ")[1])["id"] == post_id


SCRIPT = """
import asyncio, sys
from bulletin.actions import posts
from bulletin.actions.newsroom import Newsroom
from bulletin.feed.broker import InProcessBroker
from bulletin.store.database import Database
from bulletin.store.users import get_by_name

async def main(url, slug, name):
    db = Database(url)
    async with db.read() as conn:
        actor = await get_by_name(conn, name)
    body = {"blocks": [{"kind": "text", "html": "<p>From a script</p>"}]}
    result = await posts.publish(Newsroom(db=db, broker=InProcessBroker()), actor, slug, body)
    print(result.post.id)
    await db.close()

asyncio.run(main(*sys.argv[1:]))
"""


async def _run(*args: str) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable, *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, err.decode()
    return out.decode().strip()


async def test_write_from_another_process_reaches_attached_readers(
        newsroom: Newsroom, hubs: Hubs, blog: Blog, db_url: str, tmp_path: Path) -> None:
    """`bulletin createuser` and a script publishing through the actions layer, in real
    subprocesses, against the same database as this node's hub."""
    hub = await hubs.start(poll_interval=0.5)
    reader = await hub.attach(blog.id)
    token = await _run("-m", "bulletin", "createuser", "Script Desk", "--role", "editor",
                       "--database-url", db_url)
    assert len(token) >= 40
    post_id = int(await _run("-c", SCRIPT, db_url, blog.slug, "Script Desk"))
    [(seq, frame)] = await receive(reader, 1, timeout=3)
    data = json.loads(frame.split(b"data: ")[1])
    assert (seq, data["id"], data["author"]["name"]) == (1, post_id, "Script Desk")


async def test_a_reader_that_stops_reading_is_cut_off_alone(
        newsroom: Newsroom, hubs: Hubs, blog: Blog, editor: Actor) -> None:
    hub = await hubs.start(buffer_limit=6000)
    wire(newsroom, hub)
    stalled = await hub.attach(blog.id)
    reading = await hub.attach(blog.id)
    got: list[Frame] = []
    for n in range(1, 21):
        await publish(newsroom, editor, blog, f"Update {n} " + "x" * 500)
        got.extend(await receive(reading, n))
        if stalled.closed:
            break
    assert stalled.closed and stalled.overflowed
    assert not reading.closed and not reading.overflowed
    assert hub.connection_count(blog.id) == 1
    cut_at = got[-1][0]
    assert 1 < cut_at < 20  # the small buffer filled after a few frames
    # The one still reading keeps getting everything, in order.
    for n in range(3):
        await publish(newsroom, editor, blog, f"After {n}")
    got.extend(await receive(reading, cut_at + 3))
    assert [seq for seq, _ in got] == list(range(1, cut_at + 4))


async def test_idle_readers_get_heartbeats(hubs: Hubs, blog: Blog) -> None:
    hub = await hubs.start(heartbeat=0.1)
    reader = await hub.attach(blog.id)
    async with asyncio.timeout(5):
        await reader.wait()
    frames = reader.take()
    assert frames and all(f == (0, HEARTBEAT) for f in frames)
    assert HEARTBEAT.startswith(b":") and HEARTBEAT.endswith(b"\n\n")  # an SSE comment


async def test_last_reader_leaving_closes_the_channel(
        newsroom: Newsroom, hubs: Hubs, blog: Blog, editor: Actor) -> None:
    hub = await hubs.start()
    wire(newsroom, hub)
    first, second = await hub.attach(blog.id), await hub.attach(blog.id)
    first.close()
    assert hub.connection_count(blog.id) == 1 and blog.id in hub.channels
    second.close()
    assert hub.connection_count() == 0 and blog.id not in hub.channels
    await publish(newsroom, editor, blog)  # waking a blog nobody reads is harmless
    third = await hub.attach(blog.id)
    await publish(newsroom, editor, blog)
    assert [seq for seq, _ in await receive(third, 2)] == [2]


async def test_many_events_between_wakeups_arrive_in_order(
        newsroom: Newsroom, hubs: Hubs, blog: Blog, editor: Actor, db_url: str) -> None:
    """Wake-ups may be lost or merged; the channel reads every row after its last seq."""
    hub = await hubs.start(poll_interval=0.3)
    reader = await hub.attach(blog.id)
    elsewhere = Database(db_url)
    try:
        writer = Newsroom(db=elsewhere, broker=InProcessBroker())
        for n in range(30):
            await publish(writer, editor, blog, f"Burst {n}")
    finally:
        await elsewhere.close()
    frames = await receive(reader, 30)
    assert [seq for seq, _ in frames] == list(range(1, 31))
