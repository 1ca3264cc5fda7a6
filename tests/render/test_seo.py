"""Search engines and social networks: LiveBlogPosting JSON-LD and OpenGraph tags."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from bulletin.domain.roles import Role
from tests.conftest import App

PHOTO = {"kind": "image", "url": "/media/demo/pier.jpg", "alt": "Pier", "caption": "The pier"}


class Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.jsonld: list[str] = []
        self.meta: dict[str, str] = {}
        self.canonical = ""
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "script" and values.get("type") == "application/ld+json":
            self._in_ld = True
            self.jsonld.append("")
        if tag == "meta" and ("property" in values or "name" in values):
            self.meta[values.get("property") or values["name"]] = values.get("content", "")
        if tag == "link" and values.get("rel") == "canonical":
            self.canonical = values["href"]

    def handle_endtag(self, tag: str) -> None:
        self._in_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.jsonld[-1] += data


def parse(html: str) -> Head:
    head = Head()
    head.feed(html)
    return head


async def _coverage(api: App) -> str:
    token = await api.token(Role.ADMIN)
    await api.client.post("/api/v1/blogs", headers=api.auth(token), json={
        "slug": "vote", "title": "Count night </script><!-- live", "description": "Results."})
    await api.client.post("/api/v1/blogs/vote/posts", headers=api.auth(token), json={
        "headline": "First results", "key_event": True,
        "blocks": [{"kind": "text", "html": "<p>Turnout at <b>71%</b>.</p>"}, PHOTO]})
    await api.client.post("/api/v1/blogs/vote/posts", headers=api.auth(token), json={
        "blocks": [{"kind": "quote", "text": "A long night ahead.", "speaker": "Officer"}]})
    return token


async def test_reader_page_carries_live_blog_posting_with_google_fields(api: App) -> None:
    await _coverage(api)
    head = parse((await api.client.get("/blogs/vote")).text)
    assert len(head.jsonld) == 1
    data = json.loads(head.jsonld[0])
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "LiveBlogPosting"
    assert data["headline"] == "Count night </script><!-- live"
    assert "coverageStartTime" in data and "coverageEndTime" not in data
    updates = data["liveBlogUpdate"]
    assert [u["@type"] for u in updates] == ["BlogPosting", "BlogPosting"]
    newest, first = updates
    for update in updates:
        assert {"headline", "datePublished", "articleBody", "url"} <= set(update)
        assert re.match(r"\d{4}-\d\d-\d\dT", update["datePublished"])
        assert update["url"].startswith("http://bulletin.test/blogs/vote/posts/")
    assert first["headline"] == "First results"
    assert first["articleBody"].startswith("Turnout at 71%.")
    assert first["image"] == ["http://bulletin.test/media/demo/pier.jpg"]
    assert newest["headline"].startswith("“A long night ahead.”")


async def test_the_json_ld_cannot_close_its_script_element(api: App) -> None:
    await _coverage(api)
    html = (await api.client.get("/blogs/vote")).text
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block
    assert json.loads(block)["headline"].endswith("<!-- live")


async def test_ended_coverage_has_an_end_time(api: App) -> None:
    token = await _coverage(api)
    await api.client.post("/api/v1/blogs/vote/end", headers=api.auth(token))
    data = json.loads(parse((await api.client.get("/blogs/vote")).text).jsonld[0])
    assert data["coverageEndTime"] >= data["coverageStartTime"]


async def test_opengraph_twitter_and_canonical(api: App) -> None:
    await _coverage(api)
    head = parse((await api.client.get("/blogs/vote")).text)
    assert head.canonical == "http://bulletin.test/blogs/vote"
    assert head.meta["og:title"] == "Count night </script><!-- live"
    assert head.meta["og:url"] == head.canonical
    assert head.meta["og:description"] == "Results."
    assert head.meta["og:image"] == "http://bulletin.test/media/demo/pier.jpg"
    assert head.meta["twitter:card"] == "summary_large_image"


async def test_permalink_page_describes_its_post(api: App) -> None:
    await _coverage(api)
    head = parse((await api.client.get("/blogs/vote/posts/1")).text)
    data = json.loads(head.jsonld[0])
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "First results"
    assert data["isPartOf"]["@type"] == "LiveBlogPosting"
    assert head.canonical == "http://bulletin.test/blogs/vote/posts/1"
    assert head.meta["og:title"] == "First results"
