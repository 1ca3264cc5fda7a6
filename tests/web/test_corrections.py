"""Visible corrections through the API and on every surface a reader or a machine reads:
the reader page, the permalink, the embed, /changes, JSON-LD and the feeds."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import feedparser

from bulletin.domain.roles import Role
from tests.conftest import App
from tests.render.test_seo import parse as parse_head
from tests.web.test_pages import Node, open_blog, page, publish

NOTE = "The suspect was 24, not 23."


async def correct(api: App, token: str, post: dict[str, Any], slug: str = "storm",
                  **body: Any) -> dict[str, Any]:
    r = await api.client.patch(f"/api/v1/blogs/{slug}/posts/{post['id']}",
                               headers={**api.auth(token), "If-Match": f'"{post["version"]}"'},
                               json=body)
    assert r.status_code == 200, r.text
    assert r.headers["etag"] == f'"{post["version"] + 1}"'
    corrected: dict[str, Any] = r.json()
    return corrected


def correction_of(article: Node) -> list[tuple[str, str, str]]:
    """(label, time shown, note) of each correction at the foot of a rendered post."""
    box = article.find("div", class_="post__corrections")
    return [(p.find("strong").content, p.find("time").content,
             p.find("span", class_="post__correction-note").content)
            for p in box.find_all("p", class_="post__correction")]


async def test_patch_with_a_note_is_a_visible_correction_in_the_api_and_feed(api: App) -> None:
    editor = await open_blog(api)
    post = await publish(api, editor, "The suspect, 23, was arrested.")
    assert post["corrections"] == []
    blocks = [{"kind": "text", "html": "<p>The suspect, 24, was arrested.</p>"}]
    fixed = await correct(api, editor, post, correction=NOTE, blocks=blocks)
    [entry] = fixed["corrections"]
    assert entry["note"] == NOTE and entry["at"] == fixed["updated_at"]
    got = (await api.client.get(f"/api/v1/blogs/storm/posts/{post['id']}")).json()
    assert got["corrections"] == fixed["corrections"]
    listed = (await api.client.get("/api/v1/blogs/storm/posts")).json()["posts"]
    assert listed[0]["corrections"] == fixed["corrections"]
    events = (await api.client.get("/blogs/storm/changes")).json()["events"]
    assert events[-1]["kind"] == "post.updated"
    assert events[-1]["data"]["corrections"] == fixed["corrections"]
    assert NOTE in events[-1]["data"]["html"]
    r = await api.client.get(f"/api/v1/blogs/storm/posts/{post['id']}/revisions",
                             headers=api.auth(editor))
    assert [(v["version"], v["correction"]) for v in r.json()["revisions"]] == [
        (2, NOTE), (1, None)]


async def test_a_silent_fix_is_in_history_without_a_note(api: App) -> None:
    editor = await open_blog(api)
    post = await publish(api, editor, "Pwoer is back.")
    fixed = await correct(api, editor, post,
                          blocks=[{"kind": "text", "html": "<p>Power is back.</p>"}])
    assert fixed["corrections"] == [] and "post__correction" not in fixed["html"]
    doc = await page(api, "/blogs/storm")
    assert not doc.find("article", id=f"post-{post['id']}").find_all(
        class_="post__corrections")
    r = await api.client.get(f"/api/v1/blogs/storm/posts/{post['id']}/revisions",
                             headers=api.auth(editor))
    assert [(v["version"], v["correction"]) for v in r.json()["revisions"]] == [
        (2, None), (1, None)]


async def test_the_correction_shows_at_the_foot_of_the_post_on_every_page(api: App) -> None:
    editor = await open_blog(api, timezone="Asia/Tokyo")
    post = await publish(api, editor, "The suspect, 23, was arrested.")
    fixed = await correct(api, editor, post, correction=NOTE)
    at = datetime.fromisoformat(fixed["corrections"][0]["at"]).astimezone(ZoneInfo("Asia/Tokyo"))
    expected = [("Correction", f"{at:%H:%M} JST", NOTE)]
    for url in ("/blogs/storm", f"/blogs/storm/posts/{post['id']}", "/blogs/storm/embed"):
        doc = await page(api, url)
        article = doc.find("article", id=f"post-{post['id']}")
        assert correction_of(article) == expected, url
        parts = [c.attrs.get("class", "") for c in article.children]
        # After the body, before the byline: the foot of the post.
        assert parts.index("post__corrections") == parts.index("post__body") + 1, url
        box = article.find("div", class_="post__corrections")
        assert box.attrs["role"] == "note" and box.attrs["aria-label"] == "Corrections"
        time = box.find("time")
        assert "data-local" in time.attrs  # keeps the blog's zone, which it names
        assert time.attrs["title"].endswith("JST")


async def test_a_german_blog_says_korrektur(api: App) -> None:
    editor = await open_blog(api, language="de")
    post = await publish(api, editor, "Der Verdächtige ist 23.")
    await correct(api, editor, post, correction="Der Verdächtige ist 24, nicht 23.")
    doc = await page(api, "/blogs/storm")
    [(label, _, note)] = correction_of(doc.find("article", id=f"post-{post['id']}"))
    assert (label, note) == ("Korrektur", "Der Verdächtige ist 24, nicht 23.")


async def test_the_note_is_text_never_markup(api: App) -> None:
    editor = await open_blog(api)
    post = await publish(api, editor, "Words.")
    note = '<img src=x onerror=alert(1)> & "quotes"'
    fixed = await correct(api, editor, post, correction=note)
    assert "<img" not in fixed["html"] and "&lt;img src=x onerror=alert(1)&gt;" in fixed["html"]
    doc = await page(api, f"/blogs/storm/posts/{post['id']}")
    assert correction_of(doc.find("article"))[0][2] == note
    assert not doc.find_all("img")


async def test_json_ld_carries_each_correction_as_a_correction_comment(api: App) -> None:
    editor = await open_blog(api)
    post = await publish(api, editor, "Two people died.")
    first = await correct(api, editor, post, correction="Two people died, not three.")
    second = await correct(api, editor, first, correction="The bridge is in Nantes.")
    expected = [{"@type": "CorrectionComment", "text": c["note"],
                 "datePublished": c["at"].replace("+00:00", "Z")}
                for c in second["corrections"]]
    live = json.loads(parse_head((await api.client.get("/blogs/storm")).text).jsonld[0])
    [update] = live["liveBlogUpdate"]
    assert update["correction"] == expected
    assert update["dateModified"] == second["updated_at"].replace("+00:00", "Z")
    one = json.loads(parse_head(
        (await api.client.get(f"/blogs/storm/posts/{post['id']}")).text).jsonld[0])
    assert one["correction"] == expected
    assert one["dateModified"] == expected[-1]["datePublished"]
    other = await publish(api, editor, "Nothing to correct.")
    live = json.loads(parse_head((await api.client.get("/blogs/storm")).text).jsonld[0])
    assert "correction" not in next(u for u in live["liveBlogUpdate"]
                                    if u["url"].endswith(f"/posts/{other['id']}"))


async def test_feeds_show_the_correction_and_its_time_as_the_update(api: App) -> None:
    editor = await open_blog(api)
    post = await publish(api, editor, "The suspect, 23, was arrested.")
    fixed = await correct(api, editor, post, correction=NOTE)
    at = fixed["corrections"][0]["at"].replace("+00:00", "Z")
    atom = feedparser.parse((await api.client.get("/blogs/storm/feed.atom")).text)
    assert not atom.bozo
    [entry] = atom.entries
    assert entry.updated == at and entry.published < entry.updated
    assert NOTE in entry.content[0].value and "Correction" in entry.content[0].value
    feed = (await api.client.get("/blogs/storm/feed.json")).json()
    [item] = feed["items"]
    assert item["date_modified"] == at
    assert item["content_html"].endswith(f"{NOTE}</p>")


async def test_a_contributor_cannot_add_a_correction(api: App) -> None:
    editor = await open_blog(api)
    post = await publish(api, editor, "Words.")
    contributor = await api.token(Role.CONTRIBUTOR)
    r = await api.client.patch(f"/api/v1/blogs/storm/posts/{post['id']}",
                               headers={**api.auth(contributor), "If-Match": '"1"'},
                               json={"correction": NOTE})
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    got = (await api.client.get(f"/api/v1/blogs/storm/posts/{post['id']}")).json()
    assert got["corrections"] == [] and got["version"] == 1
