"""Keeps the demo blog visibly live: while someone has it open, a new post every few
seconds, published inside the server through the actions layer like any journalist's."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import logging
from typing import Any

from fastapi import FastAPI

from bulletin.actions import blogs as blog_actions
from bulletin.actions import posts as post_actions
from bulletin.actions import users as user_actions
from bulletin.actions.newsroom import Newsroom
from bulletin.demo.photos import HEIGHT, WIDTH, generate_photos
from bulletin.demo.script import DEMO_BLOG, DEMO_POSTS, MEDIA
from bulletin.domain.roles import Actor, Role
from bulletin.feed.hub import LiveHub
from bulletin.media.images import ENCODINGS, widths_for
from bulletin.media.photos import StoredPhoto, store_photo
from bulletin.media.storage import storage_for
from bulletin.settings import Settings
from bulletin.store import blogs as blog_rows
from bulletin.store import posts as post_rows

log = logging.getLogger("bulletin.demo")
DESK = "Newsdesk"
SEED_POSTS = 12


def _is_closing(post: dict[str, Any]) -> bool:
    return post is DEMO_POSTS[-1]


def _body(post: dict[str, Any], photos: dict[str, StoredPhoto]) -> dict[str, Any]:
    """A script entry as the publish action takes it, its photos pointing at their uploads."""
    blocks = [{**b, "url": photos[b["url"]].url, "width": photos[b["url"]].width,
               "height": photos[b["url"]].height}
              if b["kind"] == "image" and b["url"] in photos else b for b in post["blocks"]]
    return {"headline": post.get("headline"), "blocks": blocks,
            "key_event": bool(post.get("key_event")), "pinned": bool(post.get("pin"))}


async def demo_photos(settings: Settings) -> dict[str, StoredPhoto]:
    """The painted photos, taken in like any journalist's upload (so readers get srcsets),
    under ids derived from their names: once per data folder."""
    folder = settings.data_dir / "media" / "demo"
    storage = storage_for(settings)
    photos: dict[str, StoredPhoto] = {}
    for name in generate_photos(folder):
        media_id = hashlib.sha256(f"bulletin-demo/{name}".encode()).hexdigest()[:32]
        suffixes = [f"{w}w.{ext}" for w in widths_for(WIDTH) for ext in ENCODINGS]
        if all(storage.path(f"{media_id}-{s}").exists() for s in suffixes):
            photo = StoredPhoto(media_id, WIDTH, HEIGHT,
                                {s: storage.url(f"{media_id}-{s}") for s in suffixes})
        else:
            photo = await store_photo(settings, (folder / name).read_bytes(), media_id)
        photos[MEDIA + name] = photo
    return photos


async def prepare(nr: Newsroom, settings: Settings
                  ) -> tuple[Actor, str, int, dict[str, StoredPhoto]]:
    """Make the demo desk, its token, the blog and its first posts; idempotent."""
    photos = await demo_photos(settings)
    desk = await user_actions.ensure_user(nr, DESK, Role.ADMIN)
    token = await user_actions.issue_token(nr, desk, "demo")
    slug = DEMO_BLOG["slug"]
    async with nr.db.read() as conn:
        blog = await blog_rows.get_by_slug(conn, slug)
    if blog is None:
        blog = await blog_actions.create(nr, desk, dict(DEMO_BLOG))
    if not blog.is_live:
        blog = await blog_actions.reopen(nr, desk, slug)
    async with nr.db.read() as conn:
        published = await post_rows.count_published(conn, blog.id)
    for post in DEMO_POSTS[published:SEED_POSTS]:
        await post_actions.publish(nr, desk, slug, _body(post, photos))
    return desk, token, blog.id, photos


async def publish_while_watched(nr: Newsroom, hub: LiveHub, desk: Actor, blog_id: int,
                                interval: float, photos: dict[str, StoredPhoto]) -> None:
    slug = DEMO_BLOG["slug"]
    stream = [p for p in DEMO_POSTS if not _is_closing(p)]
    async with nr.db.read() as conn:
        start = await post_rows.count_published(conn, blog_id)
    for post in itertools.islice(itertools.cycle(stream), start % len(stream), None):
        while hub.connection_count(blog_id) == 0:
            await asyncio.sleep(1)
        await asyncio.sleep(interval)
        try:
            await post_actions.publish(nr, desk, slug, _body(post, photos))
        except Exception:
            log.exception("demo post failed")


async def start_demo(app: FastAPI) -> None:
    nr: Newsroom = app.state.newsroom
    settings: Settings = app.state.settings
    desk, token, blog_id, photos = await prepare(nr, settings)
    url = f"http://{settings.host}:{settings.port}/blogs/{DEMO_BLOG['slug']}"
    print(f"\n  Demo blog:        {url}\n  Editor API token: {token}\n"
          f"  Try: curl -X POST -H 'Authorization: Bearer {token}' -H 'Content-Type: "
          f"application/json' -d '{{\"blocks\":[{{\"kind\":\"text\",\"html\":\"<p>Hello</p>\"}}]}}'"
          f" http://{settings.host}:{settings.port}/api/v1/blogs/{DEMO_BLOG['slug']}/posts\n",
          flush=True)
    app.state.background.append(asyncio.create_task(
        publish_while_watched(nr, app.state.hub, desk, blog_id, settings.demo_interval,
                              photos),
        name="bulletin-demo"))
