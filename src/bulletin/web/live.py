"""The live channel: SSE (`/live`) and JSON polling (`/changes`), both fed by the events table.

The SSE endpoint is a plain ASGI callable rather than a framework response: per reader it
keeps one coroutine, one tiny Connection and one disconnect watcher — nothing else — so a
node holds many thousands of readers.
"""

from __future__ import annotations

import asyncio
import json
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
    """ASGI endpoint for `GET /blogs/{slug}/live`."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = scope["app"]
        nr: Newsroom = app.state.newsroom
        hub: LiveHub = app.state.hub
        settings: Settings = app.state.settings
        request = Request(scope)
        try:
            after = parse_last_event_id(
                request.headers.get("last-event-id") or request.query_params.get("last_event_id"))
            async with nr.db.read() as conn:
                blog = await blog_or_404(conn, scope["path_params"]["slug"])
        except BulletinError as exc:
            body = json.dumps(error_body(exc.code, exc.message, exc.field)).encode()
            await send({"type": "http.response.start", "status": exc.status,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": body})
            return
        connection = await hub.attach(blog.id)
        watcher = asyncio.ensure_future(_watch_disconnect(receive, connection))
        try:
            await self._stream(nr, blog, after, connection, send, settings)
        finally:
            connection.close()
            watcher.cancel()

    async def _stream(self, nr: Newsroom, blog: Blog, after: int | None,
                      connection: Connection, send: Send, settings: Settings) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", b"text/event-stream; charset=utf-8"),
            (b"cache-control", b"no-cache, no-transform"),
            (b"x-accel-buffering", b"no"),
        ]})
        head = [b"retry: %d\n: %s\n\n" % (settings.sse_retry_ms, blog.slug.encode())]
        cursor = blog.last_seq
        if after is not None:
            reason = await _out_of_history(nr, blog, after)
            if reason:
                head.append(_reset_frame(blog, reason))
            else:
                cursor = after
                replay, cursor = await _read_frames(nr, blog.id, cursor, None)
                head.extend(replay)
        await send({"type": "http.response.body", "body": b"".join(head), "more_body": True})
        while True:
            await connection.wait()
            if connection.closed:
                break
            out: list[bytes] = []
            for seq, frame in connection.take():
                if seq == 0:
                    out.append(frame)
                    continue
                if seq <= cursor:
                    continue  # already replayed from the store
                if seq > cursor + 1:  # a gap: fill it from the store, never skip
                    missing, cursor = await _read_frames(nr, blog.id, cursor, seq - 1)
                    out.extend(missing)
                out.append(frame)
                cursor = seq
            if out:
                await send({"type": "http.response.body", "body": b"".join(out),
                            "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})


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


async def _watch_disconnect(receive: Receive, connection: Connection) -> None:
    message: Message = await receive()
    while message["type"] != "http.disconnect":
        message = await receive()
    connection.close()


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
