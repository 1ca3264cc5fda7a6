"""The reader page and the permalink page: server-rendered, complete without JavaScript."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from bulletin.domain.roles import Role
from tests.conftest import App

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    text: str = ""

    def walk(self) -> list[Node]:
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        return [n for n in self.walk()[1:] if (tag is None or n.tag == tag)
                and all(has_value(n, k.rstrip("_"), v) for k, v in attrs.items())]

    def find(self, tag: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, (tag, attrs)
        return found[0]

    @property
    def content(self) -> str:
        return " ".join((self.text + " " + " ".join(c.content for c in self.children)).split())


def has_value(node: Node, name: str, value: str) -> bool:
    if name == "class":
        return value in node.attrs.get("class", "").split()
    return node.attrs.get(name.replace("_", "-")) == value


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].text += data


def parse(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


async def page(api: App, url: str) -> Node:
    r = await api.client.get(url, headers={"Accept": "text/html"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    return parse(r.text)


def stream_ids(doc: Node) -> list[int]:
    stream = doc.find("div", id="stream")
    return [int(a.attrs["data-id"]) for a in stream.find_all("article")]


def stream_positions(doc: Node) -> list[int]:
    stream = doc.find("div", id="stream")
    return [int(a.attrs["data-position"]) for a in stream.find_all("article")]


def pager_label(doc: Node) -> str:
    return doc.find("span", class_="pager__label").content


async def open_blog(api: App, slug: str = "storm", **fields: Any) -> str:
    admin = await api.token(Role.ADMIN)
    r = await api.client.post("/api/v1/blogs", headers=api.auth(admin), json={
        "slug": slug, "title": "Storm night", "description": "Rolling coverage.", **fields})
    assert r.status_code == 201, r.text
    return await api.token(Role.EDITOR, None if "Erin Editor" in api.tokens else "Erin Editor")


async def publish(api: App, token: str, text: str, slug: str = "storm", **extra: Any
                  ) -> dict[str, Any]:
    r = await api.client.post(f"/api/v1/blogs/{slug}/posts", headers=api.auth(token),
                              json={"blocks": [{"kind": "text", "html": f"<p>{text}</p>"}],
                                    **extra})
    assert r.status_code == 201, r.text
    post: dict[str, Any] = r.json()
    return post


async def test_page_shows_title_standfirst_and_live_then_ended_badge(api: App) -> None:
    editor = await open_blog(api)
    doc = await page(api, "/blogs/storm")
    assert doc.find("title").content == "Storm night"
    assert doc.find("h1", class_="blog__title").content == "Storm night"
    assert doc.find("p", class_="blog__standfirst").content == "Rolling coverage."
    badges = doc.find_all("span", class_="badge")
    assert [b.content for b in badges] == ["Live"] and "badge--live" in badges[0].attrs["class"]
    assert "hidden" in doc.find(id="ended-banner").attrs
    r = await api.client.post("/api/v1/blogs/storm/end", headers=api.auth(editor))
    assert r.status_code == 200
    doc = await page(api, "/blogs/storm")
    badges = doc.find_all("span", class_="badge")
    assert [b.content for b in badges] == ["Ended"]
    assert "badge--ended" in badges[0].attrs["class"]
    assert "hidden" not in doc.find(id="ended-banner").attrs
    assert doc.find(id="live").attrs["data-status"] == "ended"


async def test_posts_are_newest_first_with_time_permalink_and_anchor(api: App) -> None:
    editor = await open_blog(api)
    posts = [await publish(api, editor, f"Update number {i}") for i in range(1, 4)]
    doc = await page(api, "/blogs/storm")
    assert stream_ids(doc) == [p["id"] for p in reversed(posts)]
    for post in posts:
        article = doc.find("article", id=f"post-{post['id']}")
        assert f"Update number {post['position']}" in article.content
        times = article.find_all("time")
        assert times and all(t.attrs.get("datetime") for t in times)
        stamp = datetime.fromisoformat(times[0].attrs["datetime"].replace("Z", "+00:00"))
        published = datetime.fromisoformat(post["published_at"])  # HTML keeps milliseconds
        assert stamp == published.replace(microsecond=published.microsecond // 1000 * 1000)
        links = {a.attrs["href"] for a in article.find_all("a")}
        assert f"/blogs/storm/posts/{post['id']}" in links
        assert "Erin Editor" in article.content


async def test_times_are_shown_in_the_blogs_time_zone(api: App) -> None:
    editor = await open_blog(api, timezone="Asia/Tokyo")
    post = await publish(api, editor, "Tokyo time")
    published = datetime.fromisoformat(post["published_at"])
    tokyo = published.astimezone(ZoneInfo("Asia/Tokyo"))
    assert tokyo.hour != published.hour  # +9 h: the zone visibly matters
    doc = await page(api, "/blogs/storm")
    time = doc.find("article", id=f"post-{post['id']}").find("time")
    assert time.content == f"{tokyo:%H:%M} JST"  # labelled: nobody reads it as their own
    assert time.attrs["title"] == f"{tokyo.day} {tokyo:%b %Y, %H:%M} JST"
    permalink = await page(api, f"/blogs/storm/posts/{post['id']}")
    assert permalink.find("article").find("time").content == \
        f"{tokyo:%A} {tokyo.day} {tokyo:%B %Y, %H:%M} JST"  # a full date on its own page


async def test_every_reader_time_names_the_blogs_zone(api: App) -> None:
    """Posts, edits, key events, the heading and a permalink's title: blog's zone, labelled."""
    editor = await open_blog(api, timezone="Europe/London")
    post = await publish(api, editor, "Winter time", key_event=True)
    r = await api.client.patch(f"/api/v1/blogs/storm/posts/{post['id']}",
                               headers={**api.auth(editor), "If-Match": '"1"'},
                               json={"headline": "Corrected"})
    assert r.status_code == 200, r.text
    edited = datetime.fromisoformat(r.json()["updated_at"]).astimezone(ZoneInfo("Europe/London"))
    zone = edited.tzname()
    assert zone in ("GMT", "BST")
    doc = await page(api, "/blogs/storm")
    article = doc.find("article", id=f"post-{post['id']}")
    assert article.find("span", class_="post__updated").find("time").content == \
        f"{edited:%H:%M} {zone}"
    key = doc.find("ol", id="key-events").find("time").content
    assert key.endswith(f" {zone}") and len(key) == 6 + len(zone)
    assert doc.find("span", class_="blog__updated").find("time").content.endswith(zone)
    r = await api.client.post("/api/v1/blogs/storm/posts", headers=api.auth(editor),
                              json={"blocks": [{"kind": "text", "html": "<p>No headline</p>"}]})
    untitled = await page(api, f"/blogs/storm/posts/{r.json()['id']}")
    assert untitled.find("title").content.startswith("Update at ")
    assert f" {zone} — Storm night" in untitled.find("title").content


async def test_pinned_post_sits_in_its_box_and_once_in_the_stream(api: App) -> None:
    editor = await open_blog(api)
    first = await publish(api, editor, "A quick recap: the storm made landfall at 9pm.")
    await publish(api, editor, "Later news")
    doc = await page(api, "/blogs/storm")
    assert "hidden" in doc.find("section", id="pinned").attrs
    r = await api.client.put(f"/api/v1/blogs/storm/posts/{first['id']}/pin",
                             headers=api.auth(editor))
    assert r.status_code == 200
    doc = await page(api, "/blogs/storm")
    box = doc.find("section", id="pinned")
    assert "hidden" not in box.attrs
    assert [int(a.attrs["data-id"]) for a in box.find_all("article")] == [first["id"]]
    assert "A quick recap" in box.content
    assert stream_ids(doc).count(first["id"]) == 1
    assert len(doc.find_all(id=f"post-{first['id']}")) == 1


async def test_paging_counts_from_the_oldest_and_older_pages_never_shift(api: App) -> None:
    editor = await open_blog(api)
    posts = [await publish(api, editor, f"Post {i}") for i in range(1, 46)]
    front = await page(api, "/blogs/storm")
    assert stream_positions(front) == list(range(45, 20, -1))
    assert pager_label(front) == "Page 2 of 2 · latest"
    older = await page(api, "/blogs/storm?page=1")
    assert stream_positions(older) == list(range(20, 0, -1))
    assert stream_ids(older) == [p["id"] for p in reversed(posts[:20])]
    assert pager_label(older) == "Page 1 of 2 · earliest"
    for i in range(46, 56):
        await publish(api, editor, f"Post {i}")
    again = await page(api, "/blogs/storm?page=1")
    assert stream_ids(again) == stream_ids(older)
    assert pager_label(again) == "Page 1 of 2 · earliest"
    front = await page(api, "/blogs/storm")
    assert stream_positions(front) == list(range(55, 20, -1))


async def test_every_pager_names_a_page_by_the_number_in_its_address(api: App) -> None:
    """`?page=K` reads "Page K of N" wherever it is shown, and "Newer" / "Older" lead to
    the page with the newer / older posts (defect 7: ?page=1 read "Page 2 of 2")."""
    editor = await open_blog(api)
    for i in range(1, 61):
        await publish(api, editor, f"Post {i}")
    for base in ("/blogs/storm", "/blogs/storm/embed"):
        seen: dict[int, list[int]] = {}
        for number in (1, 2, 3):
            doc = await page(api, f"{base}?page={number}")
            seen[number] = stream_positions(doc)
            labels = [s.content for s in doc.find_all("span", class_="pager__label")]
            ends = {1: " · earliest", 3: " · latest"}
            assert labels == [f"Page {number} of 3{ends.get(number, '')}"] * 2
            title = doc.find("title").content
            assert (f"page {number} of 3" in title) is (number != 3)
            newer = doc.find_all("a", class_="pager__newer")
            older = doc.find_all("a", class_="pager__older")
            assert len(newer) == (2 if number < 3 else 0)
            assert len(older) == (2 if number > 1 else 0)
            for a in newer:
                assert a.text.strip() == "Newer updates"
                assert a.attrs["href"] == base + ("" if number == 2 else f"?page={number + 1}")
            for a in older:
                assert a.text.strip() == "Older updates"
                assert a.attrs["href"] == f"{base}?page={number - 1}"
        assert max(seen[1]) < min(seen[2]) and max(seen[2]) < min(seen[3])  # older = earlier


async def test_unknown_page_is_a_404_html_page_for_browsers(api: App) -> None:
    editor = await open_blog(api)
    await publish(api, editor, "Only post")
    r = await api.client.get("/blogs/storm?page=99", headers={"Accept": "text/html"})
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    doc = parse(r.text)
    assert "404" in doc.find("title").content
    assert "no page 99" in doc.find("main").content
    assert any(a.attrs.get("href") == "/" for a in doc.find("main").find_all("a"))
    r = await api.client.get("/blogs/nowhere", headers={"Accept": "text/html"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")


async def test_permalink_page_shows_the_post_and_links_back_to_its_page(api: App) -> None:
    editor = await open_blog(api)
    posts = [await publish(api, editor, f"Post {i}", headline=f"Headline {i}")
             for i in range(1, 46)]
    old, new = posts[4], posts[-1]
    doc = await page(api, f"/blogs/storm/posts/{old['id']}")
    assert "Headline 5" in doc.find("title").content
    article = doc.find("article", id=f"post-{old['id']}")
    assert "Post 5" in article.content
    hrefs = [a.attrs["href"] for a in doc.find_all("a")]
    assert f"/blogs/storm?page=1#post-{old['id']}" in hrefs
    back = await page(api, f"/blogs/storm?page=1#post-{old['id']}")
    assert old["id"] in stream_ids(back)
    doc = await page(api, f"/blogs/storm/posts/{new['id']}")
    hrefs = [a.attrs["href"] for a in doc.find_all("a")]
    assert f"/blogs/storm#post-{new['id']}" in hrefs


async def test_page_embeds_the_blogs_last_seq(api: App) -> None:
    editor = await open_blog(api)
    post = await publish(api, editor, "One")
    await publish(api, editor, "Two")
    await api.client.put(f"/api/v1/blogs/storm/posts/{post['id']}/key-event",
                         headers=api.auth(editor))
    blog = (await api.client.get("/api/v1/blogs/storm")).json()
    assert blog["last_seq"] == 3
    doc = await page(api, "/blogs/storm")
    assert doc.find(id="live").attrs["data-last-seq"] == "3"


async def test_deleted_posts_never_render(api: App) -> None:
    editor = await open_blog(api)
    gone = await publish(api, editor, "Mistaken report", key_event=True)
    kept = await publish(api, editor, "Correct report")
    await api.client.put(f"/api/v1/blogs/storm/posts/{gone['id']}/pin",
                         headers=api.auth(editor))
    r = await api.client.delete(f"/api/v1/blogs/storm/posts/{gone['id']}",
                                headers=api.auth(editor))
    assert r.status_code == 204
    r = await api.client.get("/blogs/storm")
    assert "Mistaken report" not in r.text
    doc = parse(r.text)
    assert stream_ids(doc) == [kept["id"]]
    assert "hidden" in doc.find("section", id="pinned").attrs
    assert not doc.find_all(data_id=str(gone["id"]))
    r = await api.client.get(f"/blogs/storm/posts/{gone['id']}",
                             headers={"Accept": "text/html"})
    assert r.status_code == 404 and "Mistaken report" not in r.text


SHARE_PAGES = ("https://wa.me/?", "https://twitter.com/intent/tweet?",
               "https://www.facebook.com/sharer/sharer.php?", "mailto:?")


async def test_pages_work_without_javascript(api: App) -> None:
    """Every link is a plain href that leads somewhere; nothing needs a script to navigate."""
    editor = await open_blog(api)
    for i in range(1, 46):
        await publish(api, editor, f"Post {i}", key_event=i % 10 == 0)
    doc = await page(api, "/blogs/storm")
    for node in doc.walk():
        assert not any(name.startswith("on") for name in node.attrs), node
    older = [a for a in doc.find_all("a", class_="pager__older")]
    assert older and all(a.attrs["href"] == "/blogs/storm?page=1" for a in older)
    visited: set[str] = set()
    for a in doc.find_all("a"):
        href = a.attrs.get("href", "")
        assert href and not href.lower().startswith("javascript:"), a
        target = href.split("#")[0]
        if target.startswith("/") and target not in visited:
            visited.add(target)
            r = await api.client.get(target, headers={"Accept": "text/html"})
            if "/share/" in target:  # off to the network's own share page
                assert r.status_code == 303, (target, r.status_code)
                assert r.headers["location"].startswith(SHARE_PAGES), r.headers["location"]
                continue
            assert r.status_code == 200, (target, r.status_code)
    assert "/blogs/storm/posts/" in " ".join(visited)
    older_page = await page(api, "/blogs/storm?page=1")
    newer = older_page.find("a", class_="pager__newer")
    assert newer.attrs["href"] == "/blogs/storm"
    scripts = [s for s in doc.find_all("script") if s.attrs.get("type") != "application/ld+json"]
    assert [s.attrs.get("src") for s in scripts] == ["/static/reader.js"]
    assert all(not s.content for s in scripts)


async def test_index_lists_blogs_with_their_status(api: App) -> None:
    editor = await open_blog(api, "storm")
    await open_blog(api, "flood", title="Flood watch")
    await api.client.post("/api/v1/blogs/storm/end", headers=api.auth(editor))
    r: httpx.Response = await api.client.get("/")
    assert r.status_code == 200
    doc = parse(r.text)
    items = {li.find("a").attrs["href"]: li.find("span", class_="badge").content
             for li in doc.find_all("li", class_="blog-list__item")}
    assert items == {"/blogs/storm": "Ended", "/blogs/flood": "Live"}
