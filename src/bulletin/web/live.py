"""The live channel: SSE (`/live`) and JSON polling (`/changes`), both fed by the events table.

The SSE endpoint is a plain ASGI callable rather than a framework response: per reader it
keeps the server's task for the request and one small SSEWriter that the hub writes frames
to directly — nothing else — so a node holds many thousands of readers, and a new event
reaches all of them without waking a task per reader.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Coroutine, Generator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from bulletin.actions.newsroom import Newsroom, blog_or_404
from bulletin.domain.blog import Blog
from bulletin.domain.errors import BulletinError, ValidationError
from bulletin.feed.hub import Connection, LiveHub, encode
from bulletin.settings import Settings
from bulletin.store import events as event_rows
from bulletin.web.errors import error_body

log = logging.getLogger("bulletin.live")
router = APIRouter()
CHANGES_LIMIT = 200
REPLAY_BATCH = 500


def _reset_frame(blog: Blog, reason: str) -> bytes:
    data = json.dumps({"reason": reason, "last_seq": blog.last_seq})
    return f"event: reset\ndata: {data}\n\n".encode()


def parse_last_event_id(value: str | None) -> int | None:
    if value is None or value.strip() == "":
        return None
    text = value.strip()
    if not text.isdigit() or len(text) > 15:
        raise ValidationError("Last-Event-ID must be the number of the last event you got.",
                              field="last_event_id")
    return int(text)


async def _out_of_history(nr: Newsroom, blog: Blog, after: int) -> str | None:
    """Why `after` cannot be replayed (the client must reload), or None if it can."""
    if after > blog.last_seq:
        return "ahead"
    async with nr.db.read() as conn:
        first = await event_rows.first_kept_seq(conn, blog.id)
    if after < blog.last_seq and (first is None or after < first - 1):
        return "expired"
    return None


class LiveStream:
    """ASGI endpoint for `GET /blogs/{slug}/live`.

    Per reader it keeps the server's own task for the request, parked in `receive()` to
    notice the reader leaving, and one SSEWriter that the hub writes each frame to."""

    def __init__(self) -> None:
        # slug -> id of the blogs read on this node. Slugs never change and blogs are never
        # deleted (only ended), so a reader joining a blog that already has readers here
        # needs no database at all: the hub's channel knows the blog and where it stands.
        self.blog_ids: dict[str, int] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        writer = await self._open(scope, send)
        if writer is None:
            return
        try:
            while not writer.ended:
                message = await receive()
                if message["type"] == "http.disconnect":
                    writer.gone = True
                    break
        finally:
            writer.close()
            writer.cancel()

    async def _open(self, scope: Scope, send: Send) -> SSEWriter | None:
        """Check the request, attach to the hub, send the head and the replay, then hand the
        stream over to the hub. None if an error response was sent instead."""
        app = scope["app"]
        nr: Newsroom = app.state.newsroom
        hub: LiveHub = app.state.hub
        slug: str = scope["path_params"]["slug"]
        request = Request(scope)
        blog: Blog | None = None
        try:
            after = parse_last_event_id(request.headers.get("last-event-id")
                                        or request.query_params.get("last_event_id"))
            blog_id = self.blog_ids.get(slug, 0)  # blog ids start at 1
            channel = hub.channels.get(blog_id)
            if channel is None or (after is not None and after != channel.last_seq):
                async with nr.db.read() as conn:
                    blog = await blog_or_404(conn, slug)
                blog_id = self.blog_ids[slug] = blog.id
        except BulletinError as exc:
            body = json.dumps(error_body(exc.code, exc.message, exc.field)).encode()
            await send({"type": "http.response.start", "status": exc.status,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": body})
            return None
        writer = SSEWriter(send, hub.buffer_limit, nr, blog_id)
        await hub.attach(blog_id, writer)  # from here on the hub queues what it gets for us
        try:
            await _start(writer, nr, app.state.settings, slug, blog, after)
        except BaseException:
            writer.gone = True
            writer.close()
            raise
        return writer


async def _start(writer: SSEWriter, nr: Newsroom, settings: Settings, slug: str,
                 blog: Blog | None, after: int | None) -> None:
    """Send the response head, `retry:`, and the replay (or a reset) for `after`."""
    if blog is None:  # the reader is where the hub stands (no Last-Event-ID, or the last one)
        channel = writer.channel  # None only if the hub has already let go of this reader
        writer.cursor = channel.last_seq if channel is not None else 0
    else:
        writer.cursor = blog.last_seq
    await writer.send({"type": "http.response.start", "status": 200, "headers": [
        (b"content-type", b"text/event-stream; charset=utf-8"),
        (b"cache-control", b"no-cache, no-transform"),
        (b"x-accel-buffering", b"no"),
    ]})
    head = [b"retry: %d\n: %s\n\n" % (settings.sse_retry_ms, slug.encode())]
    if blog is not None and after is not None:
        reason = await _out_of_history(nr, blog, after)
        if reason:
            head.append(_reset_frame(blog, reason))
        else:
            replay, writer.cursor = await _read_frames(nr, blog.id, after, None)
            head.extend(replay)
    await writer.send({"type": "http.response.body", "body": b"".join(head),
                       "more_body": True})
    del head
    await writer.catch_up()


END: Message = {"type": "http.response.body", "body": b"", "more_body": False}


class SSEWriter(Connection):
    """A reader's response, written to by the hub as each frame comes.

    When the reader is caught up (`busy` is off), `push` starts the ASGI `send` right away
    in the hub's loop: on a socket with room it completes without ever suspending, so a
    frame reaches ten thousand readers without waking ten thousand tasks. While the head and
    the replay go out, while a gap is filled from the store, or while a slow socket makes a
    send wait, frames queue in the base Connection (bounded: a reader that stops reading is
    cut off and resumes by id), and one task writes them out in order.
    """

    __slots__ = ("blog_id", "busy", "cursor", "ended", "gone", "nr", "send", "task")

    def __init__(self, send: Send, limit: int, nr: Newsroom, blog_id: int) -> None:
        super().__init__(limit)
        self.send = send
        self.nr = nr
        self.blog_id = blog_id
        self.cursor = 0  # the last event seq written (or replayed)
        self.busy = True  # until `catch_up` has written the head, the replay and the queue
        self.ended = False  # the response's last message was sent
        self.gone = False  # the reader went away
        self.task: asyncio.Task[None] | None = None

    def push(self, seq: int, frame: bytes) -> None:
        if self.busy or self.closed:
            super().push(seq, frame)
        elif seq == 0:
            self._write({"type": "http.response.body", "body": frame, "more_body": True})
        elif seq == self.cursor + 1:
            self.cursor = seq
            self._write({"type": "http.response.body", "body": frame, "more_body": True})
        elif seq > self.cursor:  # a gap: fill it from the store first
            super().push(seq, frame)
            self._continue(None, None)
        # else: already written by the replay

    def close(self) -> None:
        if self.closed:
            return
        super().close()
        self.frames, self.size = [], 0  # nobody will write these any more
        if not self.busy and not self.gone:
            self.ended = True  # the server cuts the stream: end the response cleanly
            self._write(END)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _write(self, message: Message) -> None:
        """Start sending `message` now; if the send has to wait, finish it in a task."""
        sending: Coroutine[Any, Any, None] = self.send(message)  # type: ignore[assignment]
        try:
            waiting = sending.send(None)
        except StopIteration:
            return
        except Exception:
            log.warning("writing to a live reader failed", exc_info=True)
            self.gone = True
            self.close()
            return
        self._continue(sending, waiting)

    def _continue(self, sending: Coroutine[Any, Any, None] | None, waiting: Any) -> None:
        self.busy = True
        self.task = asyncio.get_running_loop().create_task(self._finish(sending, waiting))

    async def _finish(self, sending: Coroutine[Any, Any, None] | None, waiting: Any) -> None:
        try:
            if sending is not None:
                await _Resume(sending, waiting)
            await self.catch_up()
        except Exception:
            log.warning("writing to a live reader failed", exc_info=True)
            self.gone = True
            self.close()
        finally:
            self.task = None

    async def catch_up(self) -> None:
        """Write what queued up meanwhile, filling gaps from the store; when nothing is left,
        hand the stream back to the hub. If the stream was closed, end the response."""
        while not self.closed:
            frames = self.take()
            if not frames:
                self.busy = False
                return
            out: list[bytes] = []
            for seq, frame in frames:
                if seq == 0:
                    out.append(frame)
                    continue
                if seq <= self.cursor:
                    continue  # already replayed from the store
                if seq > self.cursor + 1:  # a gap: fill it from the store, never skip
                    missing, self.cursor = await _read_frames(
                        self.nr, self.blog_id, self.cursor, seq - 1)
                    out.extend(missing)
                out.append(frame)
                self.cursor = seq
            if out:
                await self.send({"type": "http.response.body", "body": b"".join(out),
                                 "more_body": True})
        if not self.gone and not self.ended:
            self.ended = True
            await self.send(END)


class _Resume:
    """Awaitable that finishes a coroutine started by hand (`coro.send(None)`) which is
    now suspended on `waiting`: the awaiting task waits on it, then runs the rest."""

    __slots__ = ("coro", "waiting")

    def __init__(self, coro: Coroutine[Any, Any, None], waiting: Any) -> None:
        self.coro = coro
        self.waiting = waiting

    def __await__(self) -> Generator[Any, None, None]:
        try:
            yield self.waiting
        except BaseException:
            self.coro.close()
            raise
        yield from self.coro.__await__()


async def _read_frames(nr: Newsroom, blog_id: int, after: int, upto: int | None
                       ) -> tuple[list[bytes], int]:
    frames: list[bytes] = []
    while True:
        async with nr.db.read() as conn:
            batch = await event_rows.since(conn, blog_id, after, REPLAY_BATCH)
        for event in batch:
            if upto is not None and event.seq > upto:
                return frames, after
            frames.append(encode(event))
            after = event.seq
        if len(batch) < REPLAY_BATCH:
            return frames, after


@router.get("/blogs/{slug}/changes", summary="Changes since a seq, for polling clients and CDNs")
async def changes(
    request: Request, slug: str,
    since: Annotated[int, Query(ge=0, le=2**31 - 1, description="last seq you have")] = 0,
) -> Response:
    nr: Newsroom = request.app.state.newsroom
    settings: Settings = request.app.state.settings
    async with nr.db.read() as conn:
        blog = await blog_or_404(conn, slug)
        batch = await event_rows.since(conn, blog.id, since, CHANGES_LIMIT)
    poll_after = blog.poll_after or settings.poll_after
    etag = f'W/"{blog.id}-{since}-{blog.last_seq}-{blog.status.value}-{poll_after}"'
    headers = {
        "ETag": etag,
        "Cache-Control": f"public, max-age={poll_after}, "
                         f"stale-while-revalidate={poll_after * 5}",
    }
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    reset = await _out_of_history(nr, blog, since) if since else None
    last = batch[-1].seq if batch and not reset else (blog.last_seq if reset else since)
    more = len(batch) == CHANGES_LIMIT and not reset
    items = [] if reset else [
        f'{{"seq":{e.seq},"kind":"{e.kind.value}","data":{e.data}}}' for e in batch]
    tail: dict[str, Any] = {"last_seq": last, "poll_after": 0 if more else poll_after,
                            "ended": not blog.is_live, "more": more, "reset": reset}
    body = '{"events":[' + ",".join(items) + "]," + json.dumps(tail)[1:]
    return Response(body, media_type="application/json", headers=headers)
