"""Reader pages carry a Content-Security-Policy: scripts from the site only, and frames only
from the embed providers' players (and the Mastodon servers the setting names)."""

from __future__ import annotations

from pathlib import Path

import httpx

from bulletin.domain.embeds import DEFAULT_MASTODON_HOSTS
from tests.conftest import App, running_app
from tests.web.test_pages import open_blog, publish

PLAYERS = {
    "https://www.youtube-nocookie.com", "https://player.vimeo.com",
    "https://platform.twitter.com", "https://www.instagram.com", "https://www.tiktok.com",
    "https://www.facebook.com", "https://embed.bsky.app", "https://www.threads.net",
    "https://www.threads.com", "https://datawrapper.dwcdn.net", "https://flo.uri.sh",
    "https://www.openstreetmap.org",
}


def directives(r: httpx.Response) -> dict[str, list[str]]:
    policy = r.headers["content-security-policy"]
    found: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *values = part.split()
        assert name not in found, f"{name} twice in {policy}"
        found[name] = values
    return found


async def reader_pages(api: App) -> list[httpx.Response]:
    editor = await open_blog(api)
    post = await publish(api, editor, "The river is rising.")
    return [await api.client.get(url) for url in (
        "/blogs/storm", "/blogs/storm?page=1", f"/blogs/storm/posts/{post['id']}",
        "/blogs/storm/embed")]


async def test_reader_pages_frame_exactly_the_providers_players(api: App) -> None:
    expected = PLAYERS | {f"https://{host}" for host in DEFAULT_MASTODON_HOSTS}
    for r in await reader_pages(api):
        assert r.status_code == 200, r.url
        found = directives(r)
        assert set(found["frame-src"]) == expected, r.url
        assert len(found["frame-src"]) == len(expected)


async def test_reader_pages_run_only_the_sites_own_scripts(api: App) -> None:
    for r in await reader_pages(api):
        found = directives(r)
        assert found["script-src"] == ["'self'"], r.url
        assert found["default-src"] == ["'self'"]
        assert found["object-src"] == ["'none'"]
        assert found["base-uri"] == ["'self'"]
        assert found["connect-src"] == ["'self'"]
        assert "https:" in found["img-src"], "photos may come from any web address"
        assert not any("unsafe" in v for v in found["script-src"] + found["default-src"])


async def test_the_page_markup_needs_nothing_the_policy_forbids(api: App) -> None:
    """No inline script runs (JSON-LD is data), no event handler attributes, and every
    script comes from /static/."""
    for r in await reader_pages(api):
        html = r.text
        for chunk in html.split("<script")[1:]:
            head = chunk.split(">", 1)[0]
            assert 'type="application/ld+json"' in head or 'src="/static/' in head, head
        assert " onload=" not in html and " onclick=" not in html and " onerror=" not in html


async def test_only_the_embed_widget_names_its_framers(api: App) -> None:
    pages = await reader_pages(api)
    *plain, widget = pages
    assert directives(widget)["frame-ancestors"] == ["*"]
    for r in plain:
        assert "frame-ancestors" not in directives(r), r.url


async def test_the_index_frames_nothing(api: App) -> None:
    await open_blog(api)
    found = directives(await api.client.get("/"))
    assert found["frame-src"] == ["'none'"]
    assert found["script-src"] == ["'self'"]


async def test_the_mastodon_setting_changes_frame_src(sqlite_url: str, tmp_path: Path) -> None:
    async for app in running_app(sqlite_url, tmp_path,
                                 embed_mastodon_hosts="chaos.social, Journa.Host",
                                 embed_frame_ancestors="https://news.example"):
        pages = await reader_pages(app)
        for r in pages:
            assert set(directives(r)["frame-src"]) == PLAYERS | {
                "https://chaos.social", "https://journa.host"}, r.url
        assert directives(pages[-1])["frame-ancestors"] == ["https://news.example"]


async def test_a_setting_cannot_smuggle_sources_into_the_policy(sqlite_url: str,
                                                                tmp_path: Path) -> None:
    async for app in running_app(sqlite_url, tmp_path,
                                 embed_mastodon_hosts="evil.example; script-src *, *, 'self'"):
        for r in await reader_pages(app):
            found = directives(r)
            assert set(found["frame-src"]) == PLAYERS, r.url
            assert found["script-src"] == ["'self'"]
