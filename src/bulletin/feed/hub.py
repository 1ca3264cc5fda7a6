"""The node's live hub: one subscription per blog, one encoded frame per event, written
to every connection of that blog.

Each blog with readers has a Channel that remembers the last seq it delivered. A wake-up
(from the broker, or from the poll that catches writes made by other processes) makes the
channel read the new rows by seq, encode each once, and push the bytes to its connections.
A connection is a few slots: a list of pending frames and a future its writer awaits.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Callable

from bulletin.domain.events import Event
from bulletin.store import blogs as blog_rows
from bulletin.store import events as event_rows
from bulletin.store.database import Database

log = logging.getLogger("bulletin.feed")
HEARTBEAT = b": keep-alive\n\n"


def encode(event: Event) -> bytes:
    """One SSE frame. `data` is one line of JSON, and the kind comes from our own enum, so
    nothing a person typed can start a new SSE line."""
    return b"id: %d\nevent: %s\ndata: %s\n\n" % (
        event.seq, event.kind.value.encode(), event.data.encode())


class Connection:
    """One reader's stream. `frames` holds (seq, bytes); seq 0 marks a heartbeat.

    The hub calls `push` for every frame of the reader's blog. This base class queues the
    frames for a consumer that calls `wait` and `take`; a subclass may write them out
    directly instead (see `bulletin.web.live.SSEWriter`) and queue only while it cannot.
    """

    __slots__ = ("channel", "closed", "frames", "limit", "overflowed", "size", "waiter")

    def __init__(self, limit: int) -> None:
        self.frames: list[tuple[int, bytes]] = []
        self.size = 0
        self.limit = limit
        self.waiter: asyncio.Future[None] | None = None
        self.closed = False
        self.overflowed = False
        self.channel: Channel | None = None

    def push(self, seq: int, frame: bytes) -> None:
        if self.closed:
            return
        self.frames.append((seq, frame))
        self.size += len(frame)
        if self.size > self.limit:
            # A reader that stopped reading: cut it off; it resumes by id and misses nothing.
            self.overflowed = True
            self.close()
            return
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def take(self) -> list[tuple[int, bytes]]:
        frames, self.frames, self.size = self.frames, [], 0
        return frames

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)
        channel, self.channel = self.channel, None
        if channel is not None:
            channel.remove(self)

    async def wait(self) -> None:
        if self.frames or self.closed:
            return
        self.waiter = asyncio.get_running_loop().create_future()
        try:
            await self.waiter
        finally:
            self.waiter = None


class Channel:
    __slots__ = ("blog_id", "connections", "last_push", "last_seq", "on_empty", "pending",
                 "task")

    def __init__(self, blog_id: int, last_seq: int,
                 on_empty: Callable[[Channel], None]) -> None:
        self.blog_id = blog_id
        self.last_seq = last_seq
        self.connections: set[Connection] = set()
        self.pending = False
        self.task: asyncio.Task[None] | None = None
        self.on_empty = on_empty
        self.last_push = time.monotonic()

    def remove(self, connection: Connection) -> None:
        self.connections.discard(connection)
        if not self.connections:
            self.on_empty(self)

    def push(self, seq: int, frame: bytes) -> None:
        """Hand one frame to every connection. A connection may close (and leave the set)
        while we go, so we walk a snapshot."""
        self.last_push = time.monotonic()
        for connection in tuple(self.connections):
            connection.push(seq, frame)


class Collector:
    """Keeps the garbage collector's full passes off the readers' backs.

    Every reader holds ~100 long-lived objects (socket, protocol, request, task...). Left
    alone, CPython re-scans all of them in a full pass each time the old generation grows
    by a quarter — at 10,000 readers a pass stalls every stream for most of a second. So
    after each burst of new readers we `gc.freeze()` what is alive: frozen objects are never
    scanned (freeing by reference count goes on as usual). The price is that reference
    *cycles* among frozen objects (a departed reader leaves a few) are not reclaimed; once
    as many readers have left as we had frozen, one full pass reclaims them.
    """

    STEP = 1000  # readers

    def __init__(self) -> None:
        self.readers_at_last_change = 0
        self.attached_since = 0

    def attached(self) -> None:
        self.attached_since += 1

    def check(self, readers: int) -> None:
        last = self.readers_at_last_change
        left = last + self.attached_since - readers
        if readers >= last + max(self.STEP, last // 4):
            gc.freeze()
        elif left >= max(self.STEP, last):
            gc.unfreeze()
            gc.collect()
            gc.freeze()
        else:
            return
        self.readers_at_last_change, self.attached_since = readers, 0


class LiveHub:
    def __init__(self, db: Database, *, poll_interval: float = 0.5, heartbeat: float = 15.0,
                 buffer_limit: int = 256 * 1024) -> None:
        self.db = db
        self.poll_interval = poll_interval
        self.heartbeat = heartbeat
        self.buffer_limit = buffer_limit
        self.channels: dict[int, Channel] = {}
        self.collector = Collector()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._poll_loop(), name="bulletin-hub-poll"),
            asyncio.create_task(self._heartbeat_loop(), name="bulletin-hub-heartbeat"),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for channel in list(self.channels.values()):
            if channel.task:
                channel.task.cancel()
            for conn in list(channel.connections):
                conn.close()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self.channels.clear()

    def connection_count(self, blog_id: int | None = None) -> int:
        if blog_id is not None:
            channel = self.channels.get(blog_id)
            return len(channel.connections) if channel else 0
        return sum(len(c.connections) for c in self.channels.values())

    async def attach(self, blog_id: int, connection: Connection | None = None) -> Connection:
        """Register a reader before it replays, so nothing committed meanwhile is missed.
        `connection` is a ready-made one (a subclass that writes frames out itself)."""
        channel = self.channels.get(blog_id)
        if channel is None:
            async with self.db.read() as conn:
                seqs = await blog_rows.last_seqs(conn, [blog_id])
            channel = self.channels.get(blog_id)  # another reader may have made it meanwhile
            if channel is None:
                channel = Channel(blog_id, seqs.get(blog_id, 0), self._forget)
                self.channels[blog_id] = channel
        if connection is None:
            connection = Connection(self.buffer_limit)
        if connection.closed:
            return connection
        channel.connections.add(connection)
        connection.channel = channel
        self.collector.attached()
        return connection

    def _forget(self, channel: Channel) -> None:
        """The last reader of a blog left."""
        if self.channels.get(channel.blog_id) is channel:
            del self.channels[channel.blog_id]
            if channel.task and not channel.task.done():
                channel.task.cancel()

    def wake(self, blog_id: int, seq: int) -> None:
        """A broker says blog `blog_id` has events up to `seq`."""
        channel = self.channels.get(blog_id)
        if channel is None or seq <= channel.last_seq:
            return
        channel.pending = True
        if channel.task is None or channel.task.done():
            channel.task = asyncio.create_task(self._fetch(channel))

    async def _fetch(self, channel: Channel) -> None:
        while channel.pending:
            channel.pending = False
            try:
                async with self.db.read() as conn:
                    batch = await event_rows.since(conn, channel.blog_id, channel.last_seq, 500)
            except Exception:
                log.exception("reading events for blog %s failed", channel.blog_id)
                await asyncio.sleep(self.poll_interval)
                channel.pending = True
                continue
            for event in batch:
                if event.seq != channel.last_seq + 1 and channel.last_seq:
                    log.debug("seq jump %s -> %s", channel.last_seq, event.seq)
                channel.last_seq = event.seq
                channel.push(event.seq, encode(event))
            if len(batch) == 500:
                channel.pending = True

    async def _poll_loop(self) -> None:
        """Catch writes from other processes (CLI, other workers) and lost wake-ups."""
        while True:
            await asyncio.sleep(self.poll_interval)
            self.collector.check(self.connection_count())
            if not self.channels:
                continue
            try:
                async with self.db.read() as conn:
                    seqs = await blog_rows.last_seqs(conn, list(self.channels))
            except Exception:
                log.exception("polling the change feed failed")
                continue
            for blog_id, seq in seqs.items():
                self.wake(blog_id, seq)

    async def _heartbeat_loop(self) -> None:
        """No stream stays silent for longer than `heartbeat`; a blog whose readers got an
        event lately needs no comment (at 10,000 readers each round costs ~0.2 s)."""
        tick = self.heartbeat / 3
        while True:
            await asyncio.sleep(tick)
            quiet_since = time.monotonic() - (self.heartbeat - tick)
            for channel in list(self.channels.values()):
                if channel.last_push <= quiet_since:
                    channel.push(0, HEARTBEAT)
