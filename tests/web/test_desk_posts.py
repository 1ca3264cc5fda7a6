"""Every post can be found and corrected from the desk (defect 5): the desk's stream pages
like the reader page (`?page=K`) and searches (`?q=`), server-rendered with the editor's
actions on every post; the JSON API offers the same pages and the same search. Odd input
gets a clear 4xx or an empty result, never a 500."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest

from bulletin.domain.roles import Role
from tests.conftest import App
from tests.web.test_pages import Node, open_blog, parse, publish
from tests.web.test_sessions import Browser, signed_in, user
from tests.web.test_valid_html import describe, nu_errors

DESK = "/blogs/storm/edit"
API = "/api/v1/blogs/storm/posts"


async def desk_with_posts(api: App, count: int = 60) -> tuple[Browser, list[dict[str, Any]]]:
    token = await open_blog(api)
    posts = [await publish(api, token, f"Update number {i + 1} from the coast road.")
             for i in range(count)]
    await user(api, "Dana Desk", Role.EDITOR)
    return await signed_in(api, "Dana Desk"), posts


async def desk(browser: Browser, url: str) -> Node:
    r = await browser.client.get(url, headers={"Accept": "text/html"})
    assert r.status_code == 200, r.text
    return parse(r.text)


def section(doc: Node) -> Node:
    return doc.find("section", id="desk-stream")


def positions(doc: Node) -> list[int]:
    return [int(a.attrs["data-position"]) for a in doc.find("div", id="stream")
            .find_all("article")]


def acts(doc: Node, post_id: int) -> list[str]:
    wrapper = doc.find("div", id=f"ed-{post_id}")
    return [b.attrs["data-act"] for b in wrapper.find_all("button") if "data-act" in b.attrs]


def labels(doc: Node) -> list[str]:
    return [s.content for s in doc.find_all("span", class_="pager__label")]


async def test_the_desk_pages_through_every_post_with_the_editors_actions(api: App) -> None:
    browser, posts = await desk_with_posts(api)
    async with browser:
        front = await desk(browser, DESK)
        assert positions(front) == list(range(60, 40, -1))
        assert {k: section(front).attrs[k] for k in ("data-view", "data-page", "data-front")
                } == {"data-view": "stream", "data-page": "3", "data-front": "true"}
        assert labels(front) == ["Page 3 of 3 · latest"] * 2
        older = front.find_all("a", class_="pager__older")
        assert [(a.attrs["href"], a.text.strip()) for a in older] == [
            (f"{DESK}?page=2#desk-stream", "Older posts")] * 2
        assert not front.find_all("a", class_="pager__newer")
        assert "reader page" not in front.find("section", id="desk-stream").content

        oldest = await desk(browser, f"{DESK}?page=1")
        assert positions(oldest) == list(range(20, 0, -1))
        assert section(oldest).attrs["data-front"] == "false"
        assert section(oldest).attrs["data-page"] == "1"
        assert labels(oldest) == ["Page 1 of 3 · earliest"] * 2
        assert acts(oldest, posts[2]["id"]) == ["edit", "pin", "key", "history", "delete"]
        newer = oldest.find_all("a", class_="pager__newer")
        assert [(a.attrs["href"], a.text.strip()) for a in newer] == [
            (f"{DESK}?page=2#desk-stream", "Newer posts")] * 2
        middle = await desk(browser, f"{DESK}?page=2")
        assert labels(middle) == ["Page 2 of 3"] * 2
        assert [a.attrs["href"] for a in middle.find_all("a", class_="pager__newer")] == [
            f"{DESK}#desk-stream"] * 2

        r = await browser.client.get(f"{DESK}?page=4", headers={"Accept": "text/html"})
        assert r.status_code == 404 and "has 3" in r.text


async def test_the_desk_finds_a_post_by_its_words(api: App) -> None:
    browser, posts = await desk_with_posts(api, 45)
    async with browser:
        doc = await desk(browser, f"{DESK}?q={quote('NUMBER 3 from')}")
        assert section(doc).attrs["data-view"] == "search"
        assert section(doc).attrs["data-front"] == "false"
        assert [int(a.attrs["data-id"]) for a in doc.find("div", id="stream")
                .find_all("article")] == [posts[2]["id"]]
        assert acts(doc, posts[2]["id"]) == ["edit", "pin", "key", "history", "delete"]
        assert doc.find("input", id="stream-q").attrs["value"] == "NUMBER 3 from"
        hint = doc.find("p", id="stream-q-hint")
        assert "1 post matches “NUMBER 3 from”" in hint.content
        assert doc.find("a", id="clear-search").attrs["href"] == DESK
        assert doc.find("p", id="empty").attrs.get("hidden") is not None

        many = await desk(browser, f"{DESK}?q=coast+road")
        assert len(many.find("div", id="stream").find_all("article")) == 20
        assert labels(many) == ["Matches 1–20 of 45"] * 2
        older = many.find("a", class_="pager__older")
        assert older.attrs["href"] == f"{DESK}?q=coast%20road&page=2#desk-stream"
        last = await desk(browser, f"{DESK}?q=coast+road&page=3")
        assert labels(last) == ["Matches 41–45 of 45"] * 2
        assert [int(a.attrs["data-position"]) for a in last.find("div", id="stream")
                .find_all("article")] == [5, 4, 3, 2, 1]

        none = await desk(browser, f"{DESK}?q=zebra")
        assert none.find("p", id="empty").content == \
            "No posts match “zebra”. Try fewer or different words."
        assert none.find("p", id="empty").attrs.get("hidden") is None


@pytest.mark.parametrize("query", [
    "%00", "x" * 10_000, "%ED%A0%80", "%", "_", "%5C", "%25%25", "%E2%80%AE", "a%0Ab",
])
async def test_odd_searches_on_the_desk_never_fail(api: App, query: str) -> None:
    browser, _ = await desk_with_posts(api, 3)
    async with browser:
        r = await browser.client.get(f"{DESK}?q={query}", headers={"Accept": "text/html"})
        assert r.status_code == 200, r.text
        doc = parse(r.text)
        error = doc.find_all("p", id="search-error")
        found = doc.find("div", id="stream").find_all("article")
        assert error or not found  # a message, or a correct empty result
        if error:
            assert error[0].attrs["role"] == "alert"


async def test_the_api_pages_like_the_reader_page(api: App) -> None:
    token = await open_blog(api)
    for i in range(45):
        await publish(api, token, f"Post {i + 1}")
    r = await api.client.get(API, params={"page": 1})
    assert r.status_code == 200, r.text
    body = r.json()
    assert [p["position"] for p in body["posts"]] == list(range(20, 0, -1))
    assert body["page"] == {"number": 1, "total": 2, "newer": 2, "older": None}
    front = (await api.client.get(API, params={"page": 2})).json()
    assert len(front["posts"]) == 25 and front["page"]["older"] == 1
    for params, status in (({"page": 3}, 404), ({"page": 0}, 422),
                           ({"page": 1, "before": 5}, 422), ({"page": 1, "limit": 5}, 422)):
        r = await api.client.get(API, params=params)
        assert r.status_code == status, params
        assert r.json()["error"]["message"]


async def test_the_api_searches_for_newsroom_members_only(api: App) -> None:
    token = await open_blog(api)
    made = [await publish(api, token, words) for words in (
        "Turnout is 100% in the north.", "Turnout is 1000 in the south.", "Rain later.")]
    r = await api.client.get(API, params={"q": "100%"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"
    r = await api.client.get(API, params={"q": "turnout"}, headers=api.auth(token))
    assert r.status_code == 200, r.text
    body = r.json()
    assert [p["id"] for p in body["posts"]] == [made[1]["id"], made[0]["id"]]
    assert body["search"] == {"query": "turnout", "matches": 2}
    assert body["page"] == {"number": 1, "total": 1, "newer": None, "older": None}
    assert "<article" in body["posts"][0]["html"]
    r = await api.client.get(API, params={"q": "100%"}, headers=api.auth(token))
    assert [p["id"] for p in r.json()["posts"]] == [made[0]["id"]]
    r = await api.client.get(API, params={"q": "zebra"}, headers=api.auth(token))
    assert (r.status_code, r.json()["posts"], r.json()["search"]["matches"]) == (200, [], 0)
    r = await api.client.get(API, params={"q": "rain", "page": 2}, headers=api.auth(token))
    assert r.status_code == 404 and r.json()["error"]["field"] == "page"


@pytest.mark.parametrize(("raw", "status"), [
    ("%00", 422), ("x" * 10_000, 422), ("%07", 422), ("%ED%A0%80", 200), ("_", 200),
    ("%5C", 200), ("%25", 200), ("%FF%FE", 200),
])
async def test_odd_searches_on_the_api_get_a_clear_answer(api: App, raw: str, status: int
                                                           ) -> None:
    token = await open_blog(api)
    await publish(api, token, "Quiet night on the coast.")
    r = await api.client.get(f"{API}?q={raw}", headers=api.auth(token))
    assert r.status_code == status, r.text
    body = r.json()
    if status == 200:
        assert body["posts"] == [] and body["search"]["matches"] == 0
    else:
        assert body["error"]["field"] == "q" and body["error"]["message"]


async def test_scheduling_reads_the_typed_time_in_the_blogs_zone(api: App) -> None:
    token = await open_blog(api, timezone="Europe/London")
    await user(api, "Dana Desk", Role.EDITOR)
    async with await signed_in(api, "Dana Desk") as browser:
        doc = await desk(browser, DESK)
        label = doc.find("div", id="schedule").find("span", class_="field__label")
        assert label.content == "Publish at (Europe/London time)"
    r = await api.client.post("/api/v1/blogs/storm/drafts", headers=api.auth(token),
                              json={"blocks": [{"kind": "text", "html": "<p>Later</p>"}]})
    assert r.status_code == 201, r.text
    draft = r.json()
    london = ZoneInfo("Europe/London")
    wall = (datetime.now(london) + timedelta(days=3)).replace(hour=21, minute=40, second=0,
                                                              microsecond=0)
    r = await api.client.put(f"/api/v1/blogs/storm/drafts/{draft['id']}/schedule",
                             headers=api.auth(token),
                             json={"publish_at": wall.strftime("%Y-%m-%dT%H:%M"),
                                   "timezone": "Europe/London"})
    assert r.status_code == 200, r.text
    assert datetime.fromisoformat(r.json()["publish_at"]) == wall
    r = await api.client.put(f"/api/v1/blogs/storm/drafts/{draft['id']}/schedule",
                             headers=api.auth(token),
                             json={"publish_at": "2030-01-01T09:00", "zone": "UTC"})
    assert r.status_code in (400, 422) and r.json()["error"]["message"]


async def test_the_desks_pages_and_search_views_are_valid_html(api: App, tmp_path: Path
                                                                ) -> None:
    browser, _ = await desk_with_posts(api, 45)
    files = []
    async with browser:
        for name, url in (("front", DESK), ("oldest", f"{DESK}?page=1"),
                          ("search", f"{DESK}?q=coast+road&page=2"),
                          ("none", f"{DESK}?q=zebra"), ("refused", f"{DESK}?q=%00")):
            r = await browser.client.get(url, headers={"Accept": "text/html"})
            assert r.status_code == 200, (url, r.text)
            file = tmp_path / f"desk-{name}.html"
            file.write_text(r.text, encoding="utf-8")
            files.append(file)
    errors = nu_errors(files)
    assert not errors, f"the Nu HTML Checker found errors:\n{describe(errors)}"
