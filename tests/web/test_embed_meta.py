"""What an embed shows before the click, end to end through the app: the composer's
link-preview reads the provider (local HTTPS servers answering like the providers' public
oEmbed endpoints, reached through the `link_connect_to` setting) and answers with the
block filled in and its thumbnail stored; a post published through the API without a
preview is filled in the same way; the facade renders it all as text with our own picture;
a provider that fails never stops the post."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bulletin.domain.roles import Role
from tests.conftest import App, running_app
from tests.feed.providersite import MASTODON, VIMEO, X_POST, YOUTUBE, Providers, running_providers
from tests.web.test_pages import Node, open_blog, parse
from tests.web.test_valid_html import describe, nu_errors

PREVIEW = "/api/v1/link-preview"


@pytest.fixture
async def providers(tmp_path: Path) -> AsyncIterator[Providers]:
    (tmp_path / "tls").mkdir()
    async with running_providers(tmp_path / "tls") as running:
        yield running


@pytest.fixture
async def api(sqlite_url: str, tmp_path: Path, providers: Providers) -> AsyncIterator[App]:
    async for running in running_app(sqlite_url, tmp_path, link_allow_hosts="localhost",
                                     link_ca_file=providers.ca_file,
                                     link_connect_to=providers.connect_to()):
        yield running


def uploads(api: App) -> list[Path]:
    root = Path(api.app.state.settings.data_dir) / "media" / "uploads"
    return sorted(root.iterdir()) if root.exists() else []


async def post(api: App, token: str, *blocks: dict[str, Any], slug: str = "storm") -> Any:
    r = await api.client.post(f"/api/v1/blogs/{slug}/posts", headers=api.auth(token),
                              json={"blocks": list(blocks)})
    assert r.status_code == 201, r.text
    return r.json()


async def facades(api: App, slug: str = "storm") -> list[Node]:
    r = await api.client.get(f"/blogs/{slug}")
    assert r.status_code == 200
    return parse(r.text).find_all("div", class_="embed-card")


async def test_the_composer_gets_the_embed_filled_in_and_readers_see_it_with_our_picture(
        api: App, providers: Providers, tmp_path: Path) -> None:
    editor = await open_blog(api)
    r = await api.client.post(PREVIEW, headers=api.auth(editor),
                              json={"blog": "storm", "url": YOUTUBE})
    assert r.status_code == 200, r.text
    block = r.json()["block"]
    assert block["kind"] == "embed" and block["url"] == YOUTUBE
    assert (block["title"], block["author"], block["handle"]) == (
        "Storm surge tops the harbour wall at Kettleby", "Kettleby Gazette", "@KettlebyGazette")
    assert re.fullmatch(r"/media/uploads/[0-9a-f]{32}-480w\.jpg", block["image"])
    assert (block["image_width"], block["image_height"]) == (480, 360)
    block["excerpt"] = "Filmed by a reader from the lifeboat station."  # the journalist's words
    await post(api, editor, {"kind": "text", "html": "<p>Watch.</p>"}, block)

    (card,) = await facades(api)
    assert "embed-card--rich" in card.attrs["class"] and "embed-card--thumb" in card.attrs["class"]
    assert card.attrs["data-title"] == ("Video from YouTube: Storm surge tops the harbour wall "
                                        "at Kettleby")
    assert card.find(class_="embed-card__title").content == block["title"]
    assert card.find(class_="embed-card__author").content == "Kettleby Gazette"
    assert card.find(class_="embed-card__handle").content == "@KettlebyGazette"
    assert card.find(class_="embed-card__excerpt").content == (
        "Filmed by a reader from the lifeboat station.")
    img = card.find("img")
    stem = block["image"][:-len("480w.jpg")]
    assert (img.attrs["src"], img.attrs["srcset"]) == (block["image"], f"{stem}320w.jpg 320w, "
                                                        f"{stem}480w.jpg 480w")
    assert card.find("source").attrs["srcset"] == f"{stem}320w.webp 320w, {stem}480w.webp 480w"
    assert (img.attrs["alt"], img.attrs["width"], img.attrs["height"]) == (
        "Still from the video", "480", "360")
    for address in (block["image"], f"{stem}320w.webp"):
        served = await api.client.get(address)
        assert served.status_code == 200 and served.headers["content-type"].startswith("image/")
    # Nothing on the card points a reader's browser at the provider but the link itself.
    page = (await api.client.get("/blogs/storm")).text
    assert "i.ytimg.com" not in page and "youtube.com/oembed" not in page

    file = tmp_path / "facade.html"
    file.write_text(page, encoding="utf-8")
    errors = nu_errors([file])
    assert not errors, describe(errors)


async def test_a_post_published_without_a_preview_is_filled_in(api: App,
                                                               providers: Providers) -> None:
    editor = await open_blog(api)
    published = await post(api, editor, {"kind": "embed", "url": X_POST},
                           {"kind": "embed", "url": MASTODON})
    x, mastodon = published["blocks"]
    assert (x["author"], x["handle"]) == ("Kettleby Council", "@KettlebyCouncil")
    assert x["excerpt"].startswith("The coast road is closed")
    assert mastodon["handle"] == "@kettlebycoastguard@mastodon.social"
    assert mastodon["image"].startswith("/media/uploads/")
    cards = await facades(api)
    assert [c.find(class_="embed-card__author").content for c in cards] == [
        "Kettleby Council", "Kettleby Coastguard"]
    assert "embed-card--thumb" in cards[1].attrs["class"]
    assert cards[1].find("img").attrs["alt"] == "Picture from the post"


async def test_a_previewed_embed_is_published_as_the_journalist_left_it(
        api: App, providers: Providers) -> None:
    editor = await open_blog(api)
    published = await post(api, editor, {"kind": "embed", "url": VIMEO, "title": "",
                                          "excerpt": "", "author": "", "handle": ""})
    assert published["blocks"][0]["title"] == ""  # cleared on purpose: not read again
    assert providers.seen == []
    (card,) = await facades(api)
    assert "embed-card--rich" not in card.attrs["class"]  # today's plain card
    assert card.find(class_="embed-card__url").content == "vimeo.com"


async def test_a_provider_that_fails_never_stops_the_post(api: App,
                                                          providers: Providers) -> None:
    editor = await open_blog(api)
    providers.stall.add("www.youtube.com")
    providers.down.add("vimeo.com")
    started = time.monotonic()
    published = await post(api, editor, {"kind": "embed", "url": YOUTUBE},
                           {"kind": "embed", "url": VIMEO})
    assert time.monotonic() - started < 6  # the publish budget (3 s), not the provider's
    assert [b["title"] for b in published["blocks"]] == ["", ""]
    assert uploads(api) == []
    cards = await facades(api)
    assert [c.find(class_="embed-card__provider").content for c in cards] == ["YouTube", "Vimeo"]
    assert all("embed-card--rich" not in c.attrs["class"] for c in cards)

    r = await api.client.post(PREVIEW, headers=api.auth(editor),
                              json={"blog": "storm", "url": VIMEO})
    assert r.status_code == 200 and r.json()["block"]["title"] == ""


async def test_nothing_is_read_for_someone_who_may_not_publish(api: App,
                                                               providers: Providers) -> None:
    await open_blog(api)
    contributor = await api.token(Role.CONTRIBUTOR)
    r = await api.client.post("/api/v1/blogs/storm/posts", headers=api.auth(contributor),
                              json={"blocks": [{"kind": "embed", "url": YOUTUBE}]})
    assert r.status_code == 403, r.text
    assert providers.seen == [] and uploads(api) == []


@pytest.mark.parametrize(("field", "value", "words"), [
    ("image", "https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg", ("thumbnail", "stored")),
    ("image_width", 480, ("thumbnail",)),
    ("title", "Two\nlines", ("single line",)),
    ("excerpt", "x" * 501, ("500",)),
])
async def test_embed_fields_that_would_not_be_safe_or_sane_are_refused(
        api: App, providers: Providers, field: str, value: Any, words: tuple[str, ...]) -> None:
    editor = await open_blog(api)
    r = await api.client.post("/api/v1/blogs/storm/posts", headers=api.auth(editor), json={
        "blocks": [{"kind": "embed", "url": YOUTUBE, field: value}]})
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["field"].startswith("blocks.0.")
    for word in words:
        assert word in error["message"], error["message"]
    assert providers.seen == []
