"""The SSE live channel over real sockets, on SQLite and PostgreSQL: replay by
Last-Event-ID with no gap and no duplicate, resets instead of errors, one JSON line per
event, public events only, and slow readers cut off without slowing anyone else."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from bulletin.domain.roles import Role
from bulletin.feed.hub import LiveHub
from bulletin.store import blogs as blog_rows
from bulletin.store import events as event_rows
from tests.conftest import LiveServer, serve_in_process
from tests.feed.sse import Frame, SSEClient, stalled_socket

POST_KINDS = {"post.published", "post.updated", "post.deleted", "post.pinned",
              "post.unpinned"}
BLOG_KINDS = {"blog.updated", "blog.ended", "blog.reopened"}


class Desk:
    """A newsroom script driving the JSON API of a running server with an admin token."""

    def __init__(self, server: LiveServer, token: str, slug: str) -> None:
        self.client = server.client
        self.headers = server.auth(token)
        self.slug = slug

    async def publish(self, words: str = "Update", **extra: Any) -> dict[str, Any]:
        body = {"blocks": [{"kind": "text", "html": f"<p>{words}</p>"}], **extra}
        r = await self.call("POST", "/posts", json=body)
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]

    async def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        r = await self.client.request(method, f"/api/v1/blogs/{self.slug}{path}",
                                      headers=headers, **kwargs)
        assert r.status_code < 300, r.text
        return r


async def open_desk(server: LiveServer, slug: str = "storm") -> Desk:
    token = await server.token(Role.ADMIN)
    r = await server.client.post("/api/v1/blogs", json={"slug": slug, "title": "Storm"},
                                 headers=server.auth(token))
    assert r.status_code == 201, r.text
    return Desk(server, token, slug)


@pytest.fixture
async def desk(server_any: LiveServer) -> Desk:
    return await open_desk(server_any)


def ids(frames: list[Frame]) -> list[int | None]:
    return [f.id for f in frames]


async def live(server: LiveServer, last: int | str | None = None, *, slug: str = "storm",
               header: bool = True) -> SSEClient:
    """Open the blog's stream, sending the last id as the header or as ?last_event_id."""
    path, headers = f"/blogs/{slug}/live", {}
    if last is not None and header:
        headers["Last-Event-ID"] = str(last)
    elif last is not None:
        path += f"?last_event_id={last}"
    return await SSEClient.open(server.base_url, path, headers)


async def wait_for_readers(server: LiveServer, count: int, timeout: float = 10.0) -> None:
    hub: LiveHub = server.app.state.hub
    async with asyncio.timeout(timeout):
        while hub.connection_count() < count:
            await asyncio.sleep(0.01)


async def test_stream_opens_with_retry_and_carries_new_events(
        server_any: LiveServer, desk: Desk) -> None:
    reader = await live(server_any)
    try:
        assert reader.status == 200
        assert reader.headers["content-type"].startswith("text/event-stream")
        first = await reader.next_frame()
        assert first is not None and first.retry == server_any.app.state.settings.sse_retry_ms
        post = await desk.publish("Winds reach 120 km/h")
        [event] = await reader.events(1)
        assert (event.id, event.event) == (1, "post.published")
        assert event.json["id"] == post["id"]
        assert "Winds reach 120 km/h" in event.json["html"]
    finally:
        await reader.close()


@pytest.mark.parametrize("header", [True, False], ids=["Last-Event-ID", "last_event_id"])
async def test_reconnect_after_event_5_gets_exactly_6_to_10(
        server_any: LiveServer, desk: Desk, header: bool) -> None:
    """The reader drops after event 5 while 5 more are being published, and comes back
    (mid-burst) with its last id: replay and live events meet with no gap, no duplicate."""
    reader = await live(server_any, 0, header=header)
    for n in range(1, 6):
        await desk.publish(f"Update {n}")
    assert ids(await reader.events(5)) == [1, 2, 3, 4, 5]
    await reader.close()

    async def publish_five() -> None:
        for n in range(6, 11):
            await desk.publish(f"Update {n}")

    publishing = asyncio.create_task(publish_five())
    async with asyncio.timeout(10):
        while (await server_any.client.get("/api/v1/blogs/storm")).json()["last_seq"] < 7:
            await asyncio.sleep(0.01)
    back = await live(server_any, 5, header=header)
    try:
        await publishing
        frames = await back.events(5)
        assert ids(frames) == [6, 7, 8, 9, 10]
        assert [f.json["blocks"][0]["html"] for f in frames] == [
            f"<p>Update {n}</p>" for n in range(6, 11)]
        # Nothing more is waiting: the next event is the next one published.
        await desk.publish("Update 11")
        assert ids(await back.events(1)) == [11]
    finally:
        await back.close()


async def test_only_public_events_each_one_line_of_json(
        server_any: LiveServer, desk: Desk) -> None:
    """Drafts, submissions and the newsroom's own traffic never reach the public stream;
    what does is published posts and blog changes, each `data:` one line of JSON."""
    reader = await live(server_any, 0)
    try:
        a = await desk.publish("A")
        draft = (await desk.call("POST", "/drafts", json={
            "headline": "Embargoed", "blocks": [{"kind": "text", "html": "<p>Secret</p>"}]
        })).json()
        await desk.call("POST", f"/drafts/{draft['id']}/submit")
        b = await desk.publish("B\n\nevent: forged\ndata: {}\r\n", headline="B")
        await desk.call("PATCH", f"/posts/{a['id']}", headers={"If-Match": '"1"'},
                        json={"headline": "A, corrected"})
        await desk.call("PUT", f"/posts/{b['id']}/pin")
        await desk.call("PUT", f"/posts/{a['id']}/key-event")
        await desk.call("DELETE", f"/posts/{b['id']}")
        await desk.call("PATCH", "", json={"title": "Storm, day two"})
        await desk.call("POST", "/end")
        await desk.call("POST", "/reopen")
        last = (await server_any.client.get("/api/v1/blogs/storm")).json()["last_seq"]
        frames = await reader.events(last)
    finally:
        await reader.close()
    assert ids(frames) == list(range(1, last + 1))
    kinds = [f.event for f in frames]
    assert set(kinds) <= POST_KINDS | BLOG_KINDS
    assert {"post.published", "post.updated", "post.pinned", "post.deleted",
            "blog.updated", "blog.ended", "blog.reopened"} <= set(kinds)
    for frame in frames:
        assert len(frame.data) == 1 and frame.raw.count(b"\n") == 2, frame.raw
        data = frame.json
        if frame.event == "post.deleted":
            assert data == {"id": b["id"]}
        elif frame.event in POST_KINDS:
            assert data["status"] == "published" and data["id"] in {a["id"], b["id"]}
        else:
            assert data["slug"] == "storm"
    assert not any(b"Secret" in f.raw or b"Embargoed" in f.raw for f in frames)


async def test_last_event_id_ahead_of_the_blog_gets_a_reset(
        server_any: LiveServer, desk: Desk) -> None:
    for n in range(3):
        await desk.publish(f"Update {n}")
    reader = await live(server_any, 99)
    try:
        assert reader.status == 200
        [reset] = await reader.events(1)
        assert reset.event == "reset" and reset.id is None
        assert reset.json == {"reason": "ahead", "last_seq": 3}
        await desk.publish("After the reset")  # the stream goes on from the present
        assert ids(await reader.events(1)) == [4]
    finally:
        await reader.close()


async def test_last_event_id_older_than_kept_history_gets_a_reset(
        server_any: LiveServer, desk: Desk) -> None:
    for n in range(10):
        await desk.publish(f"Update {n}")
    async with server_any.newsroom.db.transaction() as conn:
        blog = await blog_rows.get_by_slug(conn, "storm")
        assert blog is not None and blog.last_seq == 10
        assert await event_rows.prune(conn, blog.id, keep=3) == 7
    expired = await live(server_any, 2)
    kept = await live(server_any, 7)
    try:
        [reset] = await expired.events(1)
        assert reset.event == "reset" and reset.json["reason"] == "expired"
        assert ids(await kept.events(3)) == [8, 9, 10]
    finally:
        await expired.close()
        await kept.close()


@pytest.mark.parametrize("value", ["abc", "-1", "1e3", "9" * 30])
async def test_bad_last_event_id_is_a_clear_4xx(server_any: LiveServer, desk: Desk,
                                                 value: str) -> None:
    path = f"/blogs/storm/live?last_event_id={value}"
    reader = await SSEClient.open(server_any.base_url, path)
    header = await live(server_any, value)
    try:
        assert header.status == 422
        assert header.error()["error"]["field"] == "last_event_id"
        assert reader.status == 422
        assert reader.error()["error"]["field"] == "last_event_id"
    finally:
        await reader.close()
        await header.close()


async def test_unknown_blog_is_404_json(server_any: LiveServer) -> None:
    reader = await live(server_any, slug="no-such-blog")
    try:
        assert reader.status == 404
        assert reader.headers["content-type"].startswith("application/json")
        error = reader.error()["error"]
        assert error["code"] == "not_found" and "no-such-blog" in error["message"]
    finally:
        await reader.close()


async def test_idle_stream_gets_heartbeat_comments(db_url: str, tmp_path: Path) -> None:
    async for server in serve_in_process(db_url, tmp_path, sse_heartbeat=0.2):
        await open_desk(server)
        reader = await live(server)
        try:
            async with asyncio.timeout(10):
                while (frame := await reader.next_frame()) is not None:
                    if frame.comments == ["keep-alive"]:
                        break
            assert frame is not None and not frame.is_event
        finally:
            await reader.close()


async def test_a_big_post_reaches_a_reader_that_keeps_up(db_url: str,
                                                         tmp_path: Path) -> None:
    """A post near the 512 KB limit must not cut off readers who read promptly. Its frame
    carries the blocks and their rendered HTML (~600 KB here), more than the default
    256 KB `sse_buffer_bytes`: the buffer bounds what waits for a stalled reader, not the
    size of one event, or every reader of the blog would be dropped at once."""
    async for server in serve_in_process(db_url, tmp_path):
        desk = await open_desk(server)
        reader = await live(server)
        try:
            await wait_for_readers(server, 1)
            text = "flood " * 16_000  # 96 KB per block: under every documented limit
            body = {"blocks": [{"kind": "text", "html": f"<p>{text}</p>"}] * 3}
            r = await desk.call("POST", "/posts", json=body)
            assert r.status_code == 201
            await desk.publish("small one after")
            frames = await reader.events(2, timeout=20)
            assert ids(frames) == [1, 2]
        finally:
            await reader.close()


POST_TEXT = "storm " * 1400  # ~8 KB of text: each frame carries it twice (blocks + HTML)
FAN_OUT = 200  # events published while the slow socket sleeps


async def test_slow_reader_is_cut_off_without_delaying_others_and_resumes_by_id(
        db_url: str, tmp_path: Path) -> None:
    async for server in serve_in_process(db_url, tmp_path, sse_buffer_bytes=192 * 1024):
        desk = await open_desk(server)
        slow = stalled_socket(server.base_url, "/blogs/storm/live")
        readers = [await live(server) for _ in range(50)]
        await wait_for_readers(server, 51)

        async def read_all(client: SSEClient) -> list[int | None]:
            return ids(await client.events(FAN_OUT, timeout=180))

        reading = [asyncio.create_task(read_all(r)) for r in readers]
        started = time.monotonic()
        for first in range(1, FAN_OUT + 1, 3):  # a few publishes in flight at a time
            await asyncio.gather(*[desk.publish(f"Update {n} {POST_TEXT}")
                                   for n in range(first, min(first + 3, FAN_OUT + 1))])
        results = await asyncio.gather(*reading)
        elapsed = time.monotonic() - started
        # Everyone else got all 200 in order while the slow socket had not read a byte.
        assert all(r == list(range(1, FAN_OUT + 1)) for r in results)
        assert elapsed < 150, f"50 readers took {elapsed:.0f} s for 200 events"
        for r in readers:
            await r.close()

        resumed = await SSEClient.take_over(slow)
        got = ids([f for f in await resumed.until_end() if f.is_event])
        await resumed.close()
        assert resumed.status == 200 and resumed.ended
        assert got, "the slow reader got nothing at all before being cut off"
        last = got[-1]
        assert last is not None and last < FAN_OUT
        assert got == list(range(1, last + 1))  # a clean prefix, complete frames only
        back = await live(server, last)
        try:
            rest = ids(await back.events(FAN_OUT - last, timeout=60))
            assert rest == list(range(last + 1, FAN_OUT + 1))
            await desk.publish("One more")
            assert ids(await back.events(1)) == [FAN_OUT + 1]  # nothing extra was queued
        finally:
            await back.close()
