"""Brokers wake the live hubs of every node after a commit.

A broker carries only "(blog, seq)": each node then reads the rows itself, so a lost message
costs a short delay (the hub's poll catches up), never an event.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Protocol

log = logging.getLogger("bulletin.feed")
Listener = Callable[[int, int], None]


class Broker(Protocol):
    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def publish(self, blog_id: int, seq: int) -> None: ...
    def listen(self, listener: Listener) -> None: ...


class InProcessBroker:
    """The embedded default: one process, listeners called directly."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    def listen(self, listener: Listener) -> None:
        self._listeners.append(listener)

    async def publish(self, blog_id: int, seq: int) -> None:
        for listener in self._listeners:
            listener(blog_id, seq)


class RedisBroker:
    """Redis pub/sub between nodes. Publishing never fails a write that has committed."""

    CHANNEL = "bulletin:events"

    def __init__(self, url: str, channel: str | None = None) -> None:
        from redis import asyncio as aioredis

        self._redis = aioredis.from_url(url)
        self._channel = channel or self.CHANNEL
        self._listeners: list[Listener] = []
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    def listen(self, listener: Listener) -> None:
        self._listeners.append(listener)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="bulletin-redis-broker")
        await asyncio.wait_for(self._ready.wait(), timeout=10)

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self._redis.aclose()

    async def publish(self, blog_id: int, seq: int) -> None:
        try:
            await self._redis.publish(self._channel, f"{blog_id}:{seq}")
        except Exception:  # the poller will pick the event up; the write stands
            log.warning("Redis publish failed; live readers catch up by polling", exc_info=True)

    async def _run(self) -> None:
        while True:
            try:
                pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
                await pubsub.subscribe(self._channel)
                self._ready.set()
                async for message in pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    blog_id, _, seq = message["data"].decode().partition(":")
                    for listener in self._listeners:
                        listener(int(blog_id), int(seq))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("Redis subscription lost; retrying in 1 s", exc_info=True)
                self._ready.set()
                await asyncio.sleep(1)


def make_broker(url: str | None, channel: str | None = None) -> Broker:
    if url:
        return RedisBroker(url, channel)
    return InProcessBroker()
