"""Two app nodes on one PostgreSQL database, woken through Redis pub/sub: a reader on one
node sees what is published through the other. Each run uses its own Redis channel."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

from bulletin.domain.roles import Role
from bulletin.feed.broker import RedisBroker
from tests.conftest import LiveServer, free_port, serve_in_process
from tests.feed.sse import SSEClient

REDIS = "redis://127.0.0.1:6379/0"


async def start(stack: AsyncExitStack, url: str, folder: Path, **settings: Any) -> LiveServer:
    folder.mkdir()
    nodes: AsyncIterator[LiveServer] = serve_in_process(url, folder, **settings)
    node = await anext(nodes)
    stack.push_async_callback(anext, nodes, None)  # runs the server's shutdown
    return node


async def publish(node: LiveServer, token: str, words: str) -> dict[str, Any]:
    r = await node.client.post("/api/v1/blogs/storm/posts", headers=node.auth(token),
                               json={"blocks": [{"kind": "text", "html": f"<p>{words}</p>"}]})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_reader_on_node_b_sees_a_post_published_through_node_a(
        pg_url: str, tmp_path: Path) -> None:
    """Node B polls the database only once a minute here, so a prompt delivery can only
    come from node A's Redis message."""
    channel = f"bulletin:test:{uuid.uuid4().hex}"
    async with AsyncExitStack() as stack:
        a = await start(stack, pg_url, tmp_path / "a", redis_url=REDIS, redis_channel=channel,
                        feed_poll_interval=60)
        b = await start(stack, pg_url, tmp_path / "b", redis_url=REDIS, redis_channel=channel,
                        feed_poll_interval=60)
        assert isinstance(a.newsroom.broker, RedisBroker)
        token = await a.token(Role.ADMIN)
        r = await a.client.post("/api/v1/blogs", json={"slug": "storm", "title": "Storm"},
                                headers=a.auth(token))
        assert r.status_code == 201, r.text
        on_b = await SSEClient.open(b.base_url, "/blogs/storm/live")
        on_a = await SSEClient.open(a.base_url, "/blogs/storm/live")
        try:
            post = await publish(a, token, "Published on node A")
            [seen_on_b] = await on_b.events(1, timeout=10)
            assert (seen_on_b.id, seen_on_b.event) == (1, "post.published")
            assert seen_on_b.json["id"] == post["id"]
            # And the other way round, to readers of both nodes.
            again = await publish(b, token, "Published on node B")
            first_on_a, seen_on_a = await on_a.events(2, timeout=10)
            assert first_on_a.json["id"] == post["id"]
            [next_on_b] = await on_b.events(1, timeout=10)
            assert seen_on_a.json["id"] == next_on_b.json["id"] == again["id"]
            assert (seen_on_a.id, next_on_b.id) == (2, 2)
        finally:
            await on_a.close()
            await on_b.close()


async def test_a_node_without_redis_still_publishes_and_readers_catch_up_by_polling(
        pg_url: str, tmp_path: Path) -> None:
    """Redis is a wake-up call, not the truth: with it unreachable the write stands, and
    the node's readers get it from the change feed by polling."""
    dead = f"redis://127.0.0.1:{free_port()}/0"
    async with AsyncExitStack() as stack:
        node = await start(stack, pg_url, tmp_path / "n", redis_url=dead,
                           feed_poll_interval=0.2)
        token = await node.token(Role.ADMIN)
        r = await node.client.post("/api/v1/blogs", json={"slug": "storm", "title": "Storm"},
                                   headers=node.auth(token))
        assert r.status_code == 201, r.text
        reader = await SSEClient.open(node.base_url, "/blogs/storm/live")
        try:
            post = await publish(node, token, "Despite Redis")
            [event] = await reader.events(1, timeout=10)
            assert event.json["id"] == post["id"]
        finally:
            await reader.close()
