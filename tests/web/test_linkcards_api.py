"""POST /api/v1/link-preview: a writer of a blog pastes an address and gets a block to edit
and publish — an embed for a known provider, else a link card read from the page with its
picture stored by Bulletin. Others are refused, bad input is a clear 4xx, and a refusal
leaves nothing in the uploads folder."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bulletin.actions import users as user_actions
from bulletin.domain.roles import Role
from tests.conftest import App, running_app
from tests.feed.linksite import LIMIT, Site, running_site
from tests.web.test_api import assert_error
from tests.web.test_sessions import by_name, signed_in, user
from tests.web.test_valid_html import describe, nu_errors

PREVIEW = "/api/v1/link-preview"


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[Site]:
    async with running_site(tmp_path) as running:
        yield running


@pytest.fixture
async def app(sqlite_url: str, tmp_path: Path, site: Site) -> AsyncIterator[App]:
    async for running in running_app(sqlite_url, tmp_path, link_allow_hosts="localhost",
                                     link_ca_file=site.ca_file, link_max_bytes=LIMIT):
        yield running


async def blog(app: App, slug: str = "storm") -> dict[str, str]:
    """The storm blog, made by an admin; the admin's headers."""
    headers = app.auth(await app.token(Role.ADMIN))
    r = await app.client.post("/api/v1/blogs", headers=headers,
                              json={"slug": slug, "title": "Storm night"})
    assert r.status_code == 201, r.text
    return headers


def uploads(app: App) -> list[Path]:
    root = Path(app.app.state.settings.data_dir) / "media" / "uploads"
    return sorted(root.iterdir()) if root.exists() else []


async def preview(app: App, headers: dict[str, str], url: Any, slug: Any = "storm"
                  ) -> httpx.Response:
    return await app.client.post(PREVIEW, headers=headers, json={"blog": slug, "url": url})


async def test_a_contributor_gets_a_card_that_publishes_and_renders_with_its_picture(
        app: App, site: Site, tmp_path: Path) -> None:
    admin = await blog(app)
    writer = app.auth(await app.token(Role.CONTRIBUTOR))
    r = await preview(app, writer, site.url("/article"))
    assert r.status_code == 200, r.text
    block = r.json()["block"]
    assert set(block) == {"kind", "url", "title", "description", "site", "image"}
    assert block["kind"] == "link" and block["url"] == site.url("/article")
    assert (block["title"], block["site"]) == ("River breaks its banks", "The Daily Example")
    assert re.fullmatch(r"/media/uploads/[0-9a-f]{32}-640w\.jpg", block["image"])
    assert len(uploads(app)) == 6  # 320, 640 and 1200 pixels wide, WebP and JPEG

    block["title"] = "Edited: the river breaks its banks"  # the journalist's own words
    r = await app.client.post("/api/v1/blogs/storm/posts", headers=admin,
                              json={"blocks": [block]})
    assert r.status_code == 201, r.text
    page = (await app.client.get("/blogs/storm")).text
    card = re.search(r'<a class="link-card link-card--picture".*?</a>', page, re.S)
    assert card, page
    assert f'href="{site.url("/article")}"' in card[0]
    assert 'rel="noopener noreferrer nofollow"' in card[0]
    assert f'<img src="{block["image"]}" alt="" loading="lazy"' in card[0]
    assert f'srcset="{block["image"][:-4]}.webp"' in card[0]
    assert "Edited: the river breaks its banks" in card[0] and "The Daily Example" in card[0]
    for address in (block["image"], block["image"][:-4] + ".webp"):
        served = await app.client.get(address)
        assert served.status_code == 200 and served.headers["content-type"].startswith("image/")

    file = tmp_path / "card.html"
    file.write_text(page, encoding="utf-8")
    errors = nu_errors([file])
    assert not errors, describe(errors)


@pytest.mark.parametrize("url", [
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://vimeo.com/76979871",
    "https://mastodon.social/@reporter/109876543210",
])
async def test_an_embeddable_address_comes_back_as_an_embed_even_if_its_provider_says_nothing(
        app: App, site: Site, url: str) -> None:
    """This app cannot reach the providers (see test_embed_meta.py for one that can): the
    block is the plain embed, never a link card, and the page itself is never read."""
    await blog(app)
    r = await preview(app, app.auth(await app.token(Role.CONTRIBUTOR)), url)
    assert r.status_code == 200, r.text
    assert r.json() == {"block": {"kind": "embed", "url": url, "title": "", "author": "",
                                  "handle": "", "excerpt": "", "image": "", "image_width": 0,
                                  "image_height": 0}}
    assert uploads(app) == [] and site.seen == []


async def test_a_picture_that_fails_still_gives_a_card(app: App, site: Site) -> None:
    await blog(app)
    r = await preview(app, app.auth(await app.token(Role.EDITOR)), site.url("/broken-picture"))
    assert r.status_code == 200, r.text
    assert r.json()["block"]["image"] == ""
    assert r.json()["block"]["title"] == "River breaks its banks"
    assert uploads(app) == []


async def test_without_a_valid_token_nobody_is_served(app: App, site: Site) -> None:
    await blog(app)
    assert_error(await preview(app, {}, site.url("/article")), 401, "unauthenticated")
    assert_error(await preview(app, {"Authorization": "Bearer not-a-token"},
                               site.url("/article")), 401, "unauthenticated")
    assert site.seen == [] and uploads(app) == []


async def test_someone_without_a_role_on_the_blog_is_refused_before_any_fetch(
        app: App, site: Site) -> None:
    admin = await blog(app)
    await blog(app, "flood")
    r = await app.client.post("/api/v1/blogs/flood/invites", headers=admin,
                              json={"name": "Olga", "role": "editor"})
    assert r.status_code == 201, r.text
    olga = app.auth(await user_actions.issue_token(app.newsroom, await by_name(app, "Olga")))
    error = assert_error(await preview(app, olga, site.url("/article")), 403, "forbidden")
    assert "write drafts" in error["message"]
    assert (await preview(app, olga, site.url("/no-picture"), "flood")).status_code == 200
    assert_error(await preview(app, olga, site.url("/article"), "no-such-blog"), 404)
    assert site.seen == [("localhost:" + str(site.port), "/no-picture")]
    assert uploads(app) == []


async def test_a_browser_session_needs_its_csrf_token(app: App, site: Site) -> None:
    await blog(app)
    await user(app, "Cory", Role.CONTRIBUTOR)
    browser = await signed_in(app, "Cory")
    async with browser:
        body = {"blog": "storm", "url": site.url("/no-picture")}
        r = await browser.client.post(PREVIEW, json=body)
        assert_error(r, 403, "csrf")
        assert site.seen == []
        r = await browser.write("POST", PREVIEW, json=body)
        assert r.status_code == 200, r.text
        assert r.json()["block"]["title"] == "River breaks its banks"


@pytest.mark.parametrize(("body", "status", "field", "words"), [
    ([], 422, None, "JSON object"),
    ({"url": "https://example.org/"}, 422, "blog", "which blog"),
    ({"blog": "storm"}, 422, "url", "required"),
    ({"blog": "storm", "url": 42}, 422, "url", "must be text"),
    ({"blog": "storm", "url": "https://example.org/", "title": "x"}, 422, "title",
     "a link preview has: blog, url"),
    ({"blog": "storm", "url": "ftp://example.org/"}, 422, "url", "https://"),
    ({"blog": "storm", "url": "http://localhost/article"}, 422, "url", "https only"),
    ({"blog": "storm", "url": "https://169.254.169.254/latest/meta-data/"}, 422, "url",
     "private network"),
    ({"blog": "storm", "url": "https://10.0.0.1/"}, 422, "url", "private network"),
])
async def test_bad_input_is_a_json_error_naming_the_field(
        app: App, site: Site, body: Any, status: int, field: str | None, words: str) -> None:
    await blog(app)
    r = await app.client.post(PREVIEW, headers=app.auth(await app.token(Role.CONTRIBUTOR)),
                              json=body)
    error = assert_error(r, status)
    assert error["field"] == field and words in error["message"], error
    assert site.seen == [] and uploads(app) == []


async def test_a_body_that_is_not_json_is_refused(app: App) -> None:
    await blog(app)
    r = await app.client.post(PREVIEW, headers=app.auth(await app.token(Role.CONTRIBUTOR)),
                              content=b"url=https://example.org/")
    assert_error(r, 415, "unsupported_media_type")


@pytest.mark.parametrize(("path", "words"), [
    ("/plain", "not a web page"),
    ("/gone", "no page at this address"),
    ("/hop/6", "too many redirects"),
    ("/long-nothing", "too big"),
])
async def test_a_page_that_cannot_be_read_is_a_422_that_stores_nothing(
        app: App, site: Site, path: str, words: str) -> None:
    await blog(app)
    r = await preview(app, app.auth(await app.token(Role.CONTRIBUTOR)), site.url(path))
    error = assert_error(r, 422, "invalid")
    assert error["field"] == "url" and words in error["message"], error
    assert uploads(app) == []


async def test_a_redirect_to_a_private_address_stores_nothing(app: App, site: Site) -> None:
    await blog(app)
    target = f"https://127.0.0.1:{site.port}/article"
    r = await preview(app, app.auth(await app.token(Role.CONTRIBUTOR)),
                      site.url(f"/redirect?to={target}"))
    assert "private network" in assert_error(r, 422)["message"]
    assert [host for host, _ in site.seen] == [f"localhost:{site.port}"]
    assert uploads(app) == []


@pytest.mark.parametrize("image", [
    "https://img.example/picture.jpg",
    "/media/uploads/../../etc/passwd",
    "/static/reader.css",
    "//img.example/x.jpg",
])
async def test_a_link_block_with_a_picture_not_stored_by_bulletin_is_refused(
        app: App, image: str) -> None:
    admin = await blog(app)
    r = await app.client.post("/api/v1/blogs/storm/posts", headers=admin, json={"blocks": [
        {"kind": "link", "url": "https://example.org/", "title": "Report", "image": image}]})
    error = assert_error(r, 422, "invalid")
    assert error["field"] == "blocks.0.image" and "stored by Bulletin" in error["message"]


async def test_the_endpoint_is_documented(app: App) -> None:
    spec = (await app.client.get("/api/openapi.json")).json()
    operation = spec["paths"][PREVIEW]["post"]
    assert operation["summary"]
    assert '"kind": "link"' in operation["description"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["blog", "url"]
