"""The embed page `/blogs/{slug}/embed`: a compact reader other sites may frame."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from bulletin.domain.paging import PAGE_SIZE
from bulletin.settings import Settings
from bulletin.web.embed import frame_ancestors
from tests.conftest import App
from tests.web.test_pages import Node, open_blog, parse, publish, stream_ids


def csp_directive(r: httpx.Response, name: str) -> str:
    """One directive of the response's Content-Security-Policy (web/csp.py builds it)."""
    found = [d.strip().removeprefix(name).strip()
             for d in r.headers["content-security-policy"].split(";")
             if d.strip().split(" ")[0] == name]
    assert len(found) == 1, r.headers["content-security-policy"]
    return found[0]


async def embed(api: App, url: str) -> tuple[httpx.Response, Node]:
    r = await api.client.get(url, headers={"Accept": "text/html"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    return r, parse(r.text)


async def test_the_embed_page_may_be_framed_by_any_site(api: App) -> None:
    await open_blog(api)

    r, _ = await embed(api, "/blogs/storm/embed")

    assert csp_directive(r, "frame-ancestors") == "*"
    assert "x-frame-options" not in r.headers


async def test_the_newsroom_pages_still_refuse_to_be_framed(api: App) -> None:
    r = await api.client.get("/login", headers={"Accept": "text/html"})

    assert r.headers.get("x-frame-options") == "DENY"


async def test_it_shows_the_posts_with_the_hooks_the_live_script_needs(api: App) -> None:
    token = await open_blog(api)
    first = await publish(api, token, "Winds are picking up.")
    second = await publish(api, token, "Ferries are suspended.", headline="Ferries stop")

    _, doc = await embed(api, "/blogs/storm/embed")

    assert stream_ids(doc) == [second["id"], first["id"]]
    live = doc.find("div", id="live")
    assert live.attrs["data-slug"] == "storm"
    assert live.attrs["data-front"] == "true"
    assert int(live.attrs["data-last-seq"]) >= 2
    for hook in ("stream", "pinned", "new-pill", "controls", "pause", "live-state",
                 "ended-banner"):
        doc.find(id=hook)
    scripts = [s.attrs["src"] for s in doc.find_all("script")]
    assert scripts == ["/static/reader.js", "/static/embed-frame.js"]
    assert doc.find("h1").content == "Storm night"
    assert not doc.find_all("header", class_="site"), "no site chrome inside the widget"


async def test_permalinks_open_a_new_tab_and_the_frame_keeps_the_widget(api: App) -> None:
    token = await open_blog(api)
    post = await publish(api, token, "The bridge is closed.")

    _, doc = await embed(api, "/blogs/storm/embed")

    article = doc.find("article", id=f"post-{post['id']}")
    permalinks = [a for a in article.find_all("a")
                  if a.attrs.get("href") == f"/blogs/storm/posts/{post['id']}"]
    assert len(permalinks) == 2
    for a in permalinks:
        assert a.attrs.get("target") == "_blank"
        assert "noopener" in a.attrs.get("rel", "").split()
    # Links the script adds later (and links inside post bodies) open a new tab too.
    assert doc.find("base").attrs["target"] == "_blank"


async def test_pager_links_stay_inside_the_embed(api: App) -> None:
    token = await open_blog(api)
    for i in range(2 * PAGE_SIZE):
        await publish(api, token, f"Update {i + 1}.")

    _, front = await embed(api, "/blogs/storm/embed")
    older = front.find("a", class_="pager__older")
    assert older.attrs["href"] == "/blogs/storm/embed?page=1"
    assert older.attrs["target"] == "_self"

    _, back = await embed(api, older.attrs["href"])
    assert back.find("div", id="live").attrs["data-front"] == "false"
    newer = back.find("a", class_="pager__newer")
    assert newer.attrs["href"] == "/blogs/storm/embed"
    assert newer.attrs["target"] == "_self"
    assert len(stream_ids(back)) == PAGE_SIZE
    assert not set(stream_ids(back)) & set(stream_ids(front))


async def test_an_unknown_blog_is_a_404_that_still_may_be_framed(api: App) -> None:
    r = await api.client.get("/blogs/no-such-blog/embed", headers={"Accept": "text/html"})

    assert r.status_code == 404
    assert csp_directive(r, "frame-ancestors") == "*"
    assert "x-frame-options" not in r.headers


async def test_a_page_past_the_end_is_a_404(api: App) -> None:
    await open_blog(api)

    r = await api.client.get("/blogs/storm/embed?page=7", headers={"Accept": "text/html"})

    assert r.status_code == 404
    assert "no page 7" in r.text


def test_frame_ancestors_default_to_everyone_and_take_a_list(tmp_path: Path) -> None:
    settings = Settings(database_url="sqlite://", data_dir=tmp_path)
    assert frame_ancestors(settings) == "*"

    class Listed:
        embed_frame_ancestors = "https://news.example, https://*.news.example;x"

    listed = frame_ancestors(Listed())  # type: ignore[arg-type]
    assert listed == "https://news.example"
    assert not re.search(r"[;,]", listed)


async def test_operators_choose_who_may_frame_the_widget(sqlite_url: str, tmp_path: Path
                                                        ) -> None:
    from bulletin.domain.roles import Role
    from tests.conftest import running_app

    async for app in running_app(sqlite_url, tmp_path,
                                 embed_frame_ancestors="https://news.example"):
        token = await app.token(Role.ADMIN)
        await app.client.post("/api/v1/blogs", headers=app.auth(token),
                              json={"slug": "quake", "title": "Quake"})
        r = await app.client.get("/blogs/quake/embed")
        assert csp_directive(r, "frame-ancestors") == "https://news.example"
