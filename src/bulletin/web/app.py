"""The ASGI app factory: `create_app(settings)` wires store, broker, hub and routes."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from starlette.routing import Route
from starlette.staticfiles import StaticFiles

from bulletin.actions import accounts
from bulletin.actions.drafts import publish_due
from bulletin.actions.newsroom import Newsroom
from bulletin.domain.embeds import mastodon_hosts
from bulletin.feed.broker import make_broker
from bulletin.feed.hub import LiveHub
from bulletin.feed.outbound import connect_routes
from bulletin.feed.webhooks import WebhookWorker
from bulletin.settings import Settings
from bulletin.store import blogs as blog_rows
from bulletin.store import events as event_rows
from bulletin.store.database import Database
from bulletin.web import (
    api,
    editor,
    embed,
    errors,
    feeds,
    linkcards_api,
    live,
    media_api,
    newsroom_api,
    pages,
    webhooks_api,
)
from bulletin.web.compression import Compression

log = logging.getLogger("bulletin")
STATIC = Path(__file__).resolve().parent.parent / "static"
Startup = Callable[[FastAPI], Awaitable[None]]


async def _prune_loop(nr: Newsroom, keep: int) -> None:
    """Keep the change feed bounded (readers further behind than `keep` events reload) and
    forget expired sessions and stale failed sign-ins."""
    while True:
        try:
            await accounts.tidy(nr)
            async with nr.db.read() as conn:
                blogs = await blog_rows.list_blogs(conn, limit=10_000)
            for blog in blogs:
                if blog.last_seq > keep:
                    async with nr.db.transaction() as conn:
                        await event_rows.prune(conn, blog.id, keep)
        except Exception:
            log.exception("pruning old events failed")
        await asyncio.sleep(600)


async def _scheduler_loop(nr: Newsroom, interval: float) -> None:
    """Publish scheduled posts when their time comes. Each node runs one; they never
    double-publish, because each post is claimed in its own transaction."""
    while True:
        try:
            await publish_due(nr)
        except Exception:
            log.exception("the scheduler failed; trying again")
        await asyncio.sleep(interval)


def create_app(settings: Settings | None = None, *, on_startup: Sequence[Startup] = ()
               ) -> FastAPI:
    settings = settings or Settings.from_env()
    connect_routes(settings.link_connect_to)  # a typo in the setting stops the start here

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database(settings.database_url)
        broker = make_broker(settings.redis_url, settings.redis_channel)
        hub = LiveHub(db, poll_interval=settings.feed_poll_interval,
                      heartbeat=settings.sse_heartbeat, buffer_limit=settings.sse_buffer_bytes)
        broker.listen(hub.wake)
        await broker.start()
        await hub.start()
        app.state.newsroom = Newsroom(
            db=db, broker=broker, mastodon_hosts=mastodon_hosts(settings.embed_mastodon_hosts))
        app.state.hub = hub
        webhook_worker = WebhookWorker(app.state.newsroom, settings)
        background: list[asyncio.Task[None]] = [
            asyncio.create_task(_prune_loop(app.state.newsroom, settings.event_history)),
            asyncio.create_task(_scheduler_loop(app.state.newsroom,
                                                settings.scheduler_interval)),
            asyncio.create_task(webhook_worker.run(settings.scheduler_interval)),
        ]
        app.state.background = background  # startup hooks add their own tasks here
        for hook in on_startup:
            await hook(app)
        # Everything made so far lives as long as the process: keep it out of the
        # collector's full passes, which otherwise stall every reader at scale.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            for task in background:
                task.cancel()
            await asyncio.gather(*background, return_exceptions=True)
            await webhook_worker.close()
            await hub.stop()
            await broker.stop()
            await db.close()

    app = FastAPI(
        title="Bulletin",
        summary="Live blogs for newsrooms.",
        version="0.1.0",
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.add_middleware(Compression)
    errors.install(app)
    app.include_router(api.router)
    app.include_router(newsroom_api.router)
    app.include_router(webhooks_api.router)
    app.include_router(media_api.router)
    app.include_router(linkcards_api.router)
    app.include_router(editor.router)
    app.router.routes.append(Route("/blogs/{slug}/live", live.LiveStream(), methods=["GET"]))
    app.include_router(live.router)
    app.include_router(feeds.router)
    app.include_router(embed.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    media = settings.data_dir / "media"
    media.mkdir(parents=True, exist_ok=True)
    app.mount("/media", StaticFiles(directory=media), name="media")
    return app
