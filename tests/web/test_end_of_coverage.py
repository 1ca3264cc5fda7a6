"""Ending coverage through the API (closing post, new title, recap unpinned, in one go),
and the ended blog's page: the closing post first under the ended banner, then the recap,
then the rest."""

from __future__ import annotations

from typing import Any

from bulletin.domain.roles import Role
from tests.conftest import App
from tests.web.test_pages import Node, open_blog, page, publish, stream_ids

CLOSING = {"blocks": [{"kind": "text", "html": "<p>This concludes our live coverage.</p>"}]}


async def end(api: App, token: str, body: Any = None, slug: str = "storm") -> dict[str, Any]:
    r = await api.client.post(f"/api/v1/blogs/{slug}/end", headers=api.auth(token),
                              json=body)
    assert r.status_code == 200, r.text
    ended: dict[str, Any] = r.json()
    return ended


def lead(doc: Node) -> list[str]:
    """The top of the blog, in document order: what a reader meets first."""
    live = doc.find("div", id="live")
    out = []
    for child in live.children:
        if child.tag == "header":
            banner = child.find("p", id="ended-banner")
            out.append("banner" if "hidden" not in banner.attrs else "head")
        elif child.attrs.get("id") in ("closing", "pinned", "stream") \
                and "hidden" not in child.attrs:
            out.append(child.attrs["id"])
    return out


def ids_in(doc: Node, section: str) -> list[int]:
    return [int(a.attrs["data-id"]) for a in doc.find(id=section).find_all("article")]


async def test_an_ended_blog_leads_with_the_closing_post_then_the_recap(api: App) -> None:
    editor = await open_blog(api)
    recap = await publish(api, editor, "Recap: the river peaked at 6.1 m.", pinned=True)
    later = await publish(api, editor, "The water is falling.")
    ended = await end(api, editor, {"closing_post": CLOSING})
    closing = ended["closing_post_id"]
    assert ended["status"] == "ended" and closing > later["id"]
    for url in ("/blogs/storm", "/blogs/storm/embed"):
        doc = await page(api, url)
        assert lead(doc) == ["banner", "closing", "pinned", "stream"], url
        assert ids_in(doc, "closing") == [closing]
        assert ids_in(doc, "pinned") == [recap["id"]]
        assert stream_ids(doc) == [later["id"], recap["id"]], url  # the rest, closing not again
        assert len(doc.find_all(id=f"post-{closing}")) == 1
        assert "This concludes our live coverage." in doc.find(id="closing").content
        assert doc.find(id="closing").attrs["aria-label"] == "Closing post"


async def test_retitled_and_unpinned_in_one_request(api: App) -> None:
    editor = await open_blog(api)
    recap = await publish(api, editor, "Recap.", pinned=True)
    before = (await api.client.get("/blogs/storm/changes")).json()["last_seq"]
    ended = await end(api, editor, {"closing_post": CLOSING, "unpin": True,
                                    "title": "Storm night — as it happened"})
    assert ended["title"] == "Storm night — as it happened"
    events = (await api.client.get(f"/blogs/storm/changes?since={before}")).json()["events"]
    assert [(e["kind"], e["data"].get("id")) for e in events] == [
        ("post.unpinned", recap["id"]), ("post.published", ended["closing_post_id"]),
        ("blog.ended", None)]
    assert events[-1]["data"]["title"] == "Storm night — as it happened"
    assert events[-1]["data"]["closing_post_id"] == ended["closing_post_id"]
    doc = await page(api, "/blogs/storm")
    assert doc.find("h1", class_="blog__title").content == "Storm night — as it happened"
    assert doc.find("title").content == "Storm night — as it happened"
    assert lead(doc) == ["banner", "closing", "stream"]
    audit = await api.client.get("/api/v1/blogs/storm/audit", headers=api.auth(editor))
    entry = audit.json()["entries"][0]
    assert entry["action"] == "blog.ended"
    assert f"unpinned post {recap['id']}" in entry["detail"]
    assert "retitled 'Storm night — as it happened'" in entry["detail"]


async def test_without_a_closing_post_the_banner_and_recap_lead(api: App) -> None:
    editor = await open_blog(api)
    await publish(api, editor, "Recap.", pinned=True)
    await end(api, editor)
    doc = await page(api, "/blogs/storm")
    assert lead(doc) == ["banner", "pinned", "stream"]
    assert "hidden" in doc.find(id="closing").attrs


async def test_older_pages_keep_their_posts_and_reopening_puts_it_back(api: App) -> None:
    editor = await open_blog(api)
    for i in range(40):
        await publish(api, editor, f"Update {i}")
    ended = await end(api, editor, {"closing_post": CLOSING})
    older = await page(api, "/blogs/storm?page=1")
    assert "hidden" in older.find(id="closing").attrs
    assert ended["closing_post_id"] not in stream_ids(older)
    r = await api.client.post("/api/v1/blogs/storm/reopen", headers=api.auth(editor))
    assert r.status_code == 200 and r.json()["closing_post_id"] is None
    doc = await page(api, "/blogs/storm")
    assert lead(doc) == ["head", "stream"]
    assert stream_ids(doc)[0] == ended["closing_post_id"]


async def test_the_closing_post_alone_does_not_say_no_updates(api: App) -> None:
    editor = await open_blog(api)
    await end(api, editor, {"closing_post": CLOSING})
    doc = await page(api, "/blogs/storm")
    assert lead(doc) == ["banner", "closing", "stream"]
    assert not doc.find_all(id="empty")


async def test_only_editors_end_and_a_bad_body_ends_nothing(api: App) -> None:
    editor = await open_blog(api)
    recap = await publish(api, editor, "Recap.", pinned=True)
    contributor = await api.token(Role.CONTRIBUTOR)
    r = await api.client.post("/api/v1/blogs/storm/end", headers=api.auth(contributor),
                              json={"closing_post": CLOSING, "unpin": True})
    assert r.status_code == 403
    r = await api.client.post("/api/v1/blogs/storm/end", json={"unpin": True})
    assert r.status_code == 401
    r = await api.client.post("/api/v1/blogs/storm/end", headers=api.auth(editor),
                              json={"closing_post": CLOSING, "unpin": "please"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "unpin"
    blog = (await api.client.get("/api/v1/blogs/storm")).json()
    assert blog["status"] == "live" and blog["closing_post_id"] is None
    posts = (await api.client.get("/api/v1/blogs/storm/posts")).json()["posts"]
    assert [(p["id"], p["pinned"]) for p in posts] == [(recap["id"], True)]
