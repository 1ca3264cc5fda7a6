"""Feeds: Atom and JSON Feed 1.1 of the newest posts, with conditional GET."""

from __future__ import annotations

import json

import feedparser

from bulletin.domain.roles import Role
from tests.conftest import App

TEXT = {"kind": "text", "html": "<p>Gusts of <strong>90 mph</strong> at the pier.</p>"}
PHOTO = {"kind": "image", "url": "/media/demo/pier.jpg", "alt": "The pier",
         "caption": "Waves over the pier", "credit": "Jo Lens/Agency"}


async def _blog_with_posts(api: App) -> str:
    token = await api.token(Role.ADMIN)
    await api.client.post("/api/v1/blogs", headers=api.auth(token), json={
        "slug": "gale", "title": "Gale <live> & more", "description": "A night of wind.",
        "language": "en-GB", "timezone": "Europe/London"})
    for i in range(3):
        r = await api.client.post("/api/v1/blogs/gale/posts", headers=api.auth(token), json={
            "headline": f"Update {i}" if i != 1 else None, "blocks": [TEXT, PHOTO],
            "key_event": i == 2})
        assert r.status_code == 201
    return token


async def test_atom_feed_parses_with_newest_entry_first(api: App) -> None:
    await _blog_with_posts(api)
    r = await api.client.get("/blogs/gale/feed.atom")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(r.text)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Gale <live> & more"
    assert feed.entries[0].title == "Update 2"
    assert len(feed.entries) == 3
    entry = feed.entries[0]
    assert entry.link.endswith("/blogs/gale/posts/3")
    assert "<strong>90 mph</strong>" in entry.content[0].value
    assert entry.author == "admin-0"
    assert entry.published_parsed is not None
    assert feed.entries[1].title.startswith("Update at ")


async def test_json_feed_follows_version_1_1(api: App) -> None:
    await _blog_with_posts(api)
    r = await api.client.get("/blogs/gale/feed.json")
    assert r.headers["content-type"].startswith("application/feed+json")
    feed = json.loads(r.text)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Gale <live> & more"
    assert feed["home_page_url"].endswith("/blogs/gale")
    assert feed["feed_url"].endswith("/blogs/gale/feed.json")
    assert feed["expired"] is False
    required = {"id", "url", "content_html", "date_published"}
    for item in feed["items"]:
        assert required <= set(item)
        assert isinstance(item["id"], str)
        assert item["image"].startswith("http") and item["image"].endswith("/media/demo/pier.jpg")
    assert feed["items"][0]["tags"] == ["key-event"]


async def test_unchanged_feed_answers_304_and_changes_after_a_post(api: App) -> None:
    token = await _blog_with_posts(api)
    first = await api.client.get("/blogs/gale/feed.atom")
    etag = first.headers["etag"]
    again = await api.client.get("/blogs/gale/feed.atom", headers={"If-None-Match": etag})
    assert again.status_code == 304
    since = await api.client.get("/blogs/gale/feed.json",
                                 headers={"If-Modified-Since": first.headers["last-modified"]})
    assert since.status_code == 304
    await api.client.post("/api/v1/blogs/gale/posts", headers=api.auth(token),
                          json={"blocks": [TEXT]})
    changed = await api.client.get("/blogs/gale/feed.atom", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert len(feedparser.parse(changed.text).entries) == 4


async def test_deleted_posts_leave_the_feed_and_ended_blogs_are_expired(api: App) -> None:
    token = await _blog_with_posts(api)
    await api.client.delete("/api/v1/blogs/gale/posts/3", headers=api.auth(token))
    await api.client.post("/api/v1/blogs/gale/end", headers=api.auth(token))
    feed = json.loads((await api.client.get("/blogs/gale/feed.json")).text)
    assert [item["id"] for item in feed["items"]] == ["2", "1"]
    assert feed["expired"] is True


async def test_unknown_blog_feed_is_404(api: App) -> None:
    r = await api.client.get("/blogs/nope/feed.atom")
    assert r.status_code == 404
