"""Embed blocks through the API: only a known provider's address with an id is accepted, every
other one is a 422 naming the field and what to do instead, and nothing is stored. Accepted
ones render as a facade: a card and a button, no frame and no third-party request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bulletin.domain.embeds import NAMES
from tests.conftest import App, running_app
from tests.web.test_pages import open_blog, parse, publish

REFUSED: dict[str, tuple[str, tuple[str, ...]]] = {
    # url: (what the message must say)
    "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ":
        ("look-alike", ("youtube.com.evil.example", "link card")),
    "https://evilyoutube.com/watch?v=dQw4w9WgXcQ": ("look-alike", ("evilyoutube.com",)),
    "javascript:alert(1)": ("script", ("Embed address", "https://")),
    "data:text/html,<script>alert(1)</script>": ("data", ("Embed address", "https://")),
    "https://news.example/report": ("unknown provider", ("news.example", "link card", *NAMES)),
    "https://www.youtube.com/about": ("no id", ("YouTube", "youtube.com/watch?v=")),
    "https://vm.tiktok.com/ZMabc123/": ("short link", ("TikTok", "full address")),
    "https://chaos.social/@reporter/113456789012345678":
        ("other Mastodon server", ("BULLETIN_EMBED_MASTODON_HOSTS", "chaos.social")),
}


async def stored(api: App, editor: str, slug: str = "storm") -> tuple[int, int, int]:
    """The blog's change-feed seq, its published posts and its drafts."""
    blog = (await api.client.get(f"/api/v1/blogs/{slug}")).json()
    posts = (await api.client.get(f"/api/v1/blogs/{slug}/posts")).json()["posts"]
    drafts = await api.client.get(f"/api/v1/blogs/{slug}/drafts", headers=api.auth(editor))
    assert drafts.status_code == 200, drafts.text
    return blog["last_seq"], len(posts), len(drafts.json()["posts"])


def assert_refused(r: Any, words: tuple[str, ...], field: str = "blocks.1.url") -> None:
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["field"] == field
    for word in words:
        assert word in error["message"], (word, error["message"])


def embed_post(url: str) -> dict[str, Any]:
    return {"blocks": [{"kind": "text", "html": "<p>Watch this.</p>"},
                       {"kind": "embed", "url": url}]}


@pytest.mark.parametrize("url", list(REFUSED))
async def test_an_embed_that_cannot_be_shown_is_refused_and_nothing_is_stored(
        api: App, url: str) -> None:
    editor = await open_blog(api)
    before = await stored(api, editor)

    r = await api.client.post("/api/v1/blogs/storm/posts", headers=api.auth(editor),
                              json=embed_post(url))
    assert_refused(r, REFUSED[url][1])

    draft = await api.client.post("/api/v1/blogs/storm/drafts", headers=api.auth(editor),
                                  json=embed_post(url))
    assert_refused(draft, REFUSED[url][1])
    assert await stored(api, editor) == before


async def test_an_edit_to_an_unknown_embed_is_refused_and_the_post_stays(api: App) -> None:
    editor = await open_blog(api)
    post = await publish(api, editor, "The bridge is closed.")
    before = await stored(api, editor)

    r = await api.client.patch(f"/api/v1/blogs/storm/posts/{post['id']}",
                               headers={**api.auth(editor), "If-Match": f'"{post["version"]}"'},
                               json={"blocks": [{"kind": "embed",
                                                 "url": "https://x.com.evil.example/a/status/1"}]})
    assert_refused(r, ("x.com.evil.example",), field="blocks.0.url")
    assert await stored(api, editor) == before
    again = (await api.client.get(f"/api/v1/blogs/storm/posts/{post['id']}")).json()
    assert again["version"] == post["version"] and again["blocks"] == post["blocks"]


async def test_the_preview_refuses_what_publishing_would(api: App) -> None:
    editor = await open_blog(api)
    r = await api.client.post("/api/v1/blogs/storm/preview", headers=api.auth(editor),
                              json=embed_post("https://news.example/report"))
    assert_refused(r, ("news.example",))


EVERY_PROVIDER = [
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://vimeo.com/76979871",
    "https://x.com/KettlebyCouncil/status/1859012345678901234",
    "https://www.instagram.com/p/C1a2B3c4D5e/",
    "https://www.tiktok.com/@scout2015/video/6718335390845095173",
    "https://www.facebook.com/FacebookforDevelopers/posts/696408974555431",
    "https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3kkrqzuydho2v",
    "https://mastodon.social/@kettlebycoastguard/113456789012345678",
    "https://www.threads.net/@zuck/post/C8abcdEFGh1",
    "https://datawrapper.dwcdn.net/AbC12/3/",
    "https://public.flourish.studio/visualisation/1234567/",
    "https://www.openstreetmap.org/#map=15/52.52000/13.40500",
]


async def test_accepted_embeds_render_as_facades_without_third_party_requests(api: App
                                                                              ) -> None:
    editor = await open_blog(api)
    r = await api.client.post("/api/v1/blogs/storm/posts", headers=api.auth(editor), json={
        "blocks": [{"kind": "embed", "url": url} for url in EVERY_PROVIDER]})
    assert r.status_code == 201, r.text
    for html in (r.json()["html"], (await api.client.get("/blogs/storm")).text):
        doc = parse(html)
        cards = doc.find_all("div", class_="embed-card")
        assert len(cards) == len(EVERY_PROVIDER)
        assert not doc.find_all("iframe")
        for card, url in zip(cards, EVERY_PROVIDER, strict=True):
            assert card.attrs["data-player"].startswith("https://")
            assert card.find("a", class_="embed-card__link").attrs["href"] == url
            assert card.find("button", class_="embed-card__load").attrs["type"] == "button"
        # Only links point off the site before a click: no src, srcset or style anywhere.
        for node in doc.walk():
            for name in ("src", "srcset", "style"):
                value = node.attrs.get(name, "")
                assert not value or value.startswith("/"), (node.tag, name, value)


async def test_a_bluesky_handle_address_is_a_link_without_a_player(api: App) -> None:
    editor = await open_blog(api)
    url = "https://bsky.app/profile/kettleby-council.bsky.social/post/3lbxq2kz7ms2a"
    r = await api.client.post("/api/v1/blogs/storm/posts", headers=api.auth(editor),
                              json=embed_post(url))
    assert r.status_code == 201, r.text
    card = parse(r.json()["html"]).find("div", class_="embed-card")
    assert "data-player" not in card.attrs
    assert not card.find_all("button")
    assert card.find("a").attrs["href"] == url
    assert "Bluesky" in card.content


async def test_german_blogs_get_german_facades(api: App) -> None:
    editor = await open_blog(api, language="de")
    r = await api.client.post("/api/v1/blogs/storm/posts", headers=api.auth(editor),
                              json=embed_post(EVERY_PROVIDER[0]))
    card = parse(r.json()["html"]).find("div", class_="embed-card")
    assert card.attrs["data-title"] == "Video von YouTube"
    assert card.find("button").content == "Hier abspielen (lädt von YouTube)"
    assert "Video auf YouTube ansehen" in card.find("a").content


async def test_the_mastodon_setting_decides_which_servers_embed(sqlite_url: str,
                                                                tmp_path: Path) -> None:
    async for app in running_app(sqlite_url, tmp_path, embed_mastodon_hosts="chaos.social"):
        editor = await open_blog(app)
        ours = "https://chaos.social/@reporter/113456789012345678"
        r = await app.client.post("/api/v1/blogs/storm/posts", headers=app.auth(editor),
                                  json=embed_post(ours))
        assert r.status_code == 201, r.text
        card = parse(r.json()["html"]).find("div", class_="embed-card")
        assert card.attrs["data-player"] == f"{ours}/embed"

        default = "https://mastodon.social/@reporter/113456789012345678"
        refused = await app.client.post("/api/v1/blogs/storm/posts", headers=app.auth(editor),
                                        json=embed_post(default))
        assert_refused(refused, ("chaos.social",))
