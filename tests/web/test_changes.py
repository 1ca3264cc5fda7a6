"""`GET /blogs/{slug}/changes?since=SEQ`: the live channel for polling clients and CDNs, on
SQLite and PostgreSQL. Same events as the SSE stream, with ETag/304, shared-cache headers,
a server-chosen polling interval, and resets instead of errors."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from bulletin.domain.events import EventKind
from bulletin.domain.roles import Role
from bulletin.store import blogs as blog_rows
from bulletin.store import events as event_rows
from tests.conftest import App

KEYS = {"events", "last_seq", "poll_after", "ended", "more", "reset"}
CACHE = re.compile(r"^public, max-age=(\d+), stale-while-revalidate=(\d+)$")


class Newsdesk:
    def __init__(self, api: App, token: str) -> None:
        self.api = api
        self.headers = api.auth(token)

    async def publish(self, words: str = "Update") -> dict[str, Any]:
        r = await self.api.client.post(
            "/api/v1/blogs/storm/posts", headers=self.headers,
            json={"blocks": [{"kind": "text", "html": f"<p>{words}</p>"}]})
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]

    async def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        r = await self.api.client.request(method, f"/api/v1/blogs/storm{path}",
                                          headers=self.headers, **kwargs)
        assert r.status_code < 300, r.text
        return r


@pytest.fixture
async def desk(api_any: App) -> Newsdesk:
    token = await api_any.token(Role.ADMIN)
    r = await api_any.client.post("/api/v1/blogs", json={"slug": "storm", "title": "Storm"},
                                  headers=api_any.auth(token))
    assert r.status_code == 201, r.text
    return Newsdesk(api_any, token)


async def changes(api: App, since: int | str | None = None,
                  headers: dict[str, str] | None = None) -> httpx.Response:
    params = {} if since is None else {"since": since}
    return await api.client.get("/blogs/storm/changes", params=params, headers=headers)


async def test_changes_returns_the_events_after_since(api_any: App, desk: Newsdesk) -> None:
    posts = [await desk.publish(f"Update {n}") for n in range(3)]
    r = await changes(api_any)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert set(body) == KEYS
    assert [(e["seq"], e["kind"], e["data"]["id"]) for e in body["events"]] == [
        (n + 1, "post.published", p["id"]) for n, p in enumerate(posts)]
    assert "Update 2" in body["events"][2]["data"]["html"]
    assert (body["last_seq"], body["ended"], body["more"], body["reset"]) == (3, False, False,
                                                                              None)
    assert body["poll_after"] == api_any.app.state.settings.poll_after
    later = (await changes(api_any, 2)).json()
    assert [e["seq"] for e in later["events"]] == [3] and later["last_seq"] == 3
    caught_up = (await changes(api_any, 3)).json()
    assert caught_up["events"] == [] and caught_up["last_seq"] == 3


async def test_an_empty_blog_has_nothing_yet(api_any: App, desk: Newsdesk) -> None:
    body = (await changes(api_any, 0)).json()
    assert (body["events"], body["last_seq"], body["reset"]) == ([], 0, None)


async def test_etag_and_if_none_match_give_304(api_any: App, desk: Newsdesk) -> None:
    await desk.publish()
    first = await changes(api_any, 1)
    etag = first.headers["etag"]
    again = await changes(api_any, 1, {"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["cache-control"] == first.headers["cache-control"]
    await desk.publish()
    moved = await changes(api_any, 1, {"If-None-Match": etag})
    assert moved.status_code == 200 and moved.headers["etag"] != etag
    assert [e["seq"] for e in moved.json()["events"]] == [2]
    assert (await changes(api_any, 1, {"If-None-Match": '"something else"'})).status_code == 200


async def test_cache_headers_let_a_cdn_share_the_answer(api_any: App, desk: Newsdesk) -> None:
    r = await changes(api_any, 0)
    match = CACHE.match(r.headers["cache-control"])
    assert match, r.headers["cache-control"]
    max_age, swr = int(match[1]), int(match[2])
    assert max_age == r.json()["poll_after"] and swr >= max_age > 0


async def test_operator_slows_polling_mid_event(api_any: App, desk: Newsdesk) -> None:
    before = await changes(api_any, 0)
    await desk.call("PATCH", "", json={"poll_after": 30})
    after = await changes(api_any, 0)
    body = after.json()
    assert body["poll_after"] == 30
    assert CACHE.match(after.headers["cache-control"])[1] == "30"  # type: ignore[index]
    assert after.headers["etag"] != before.headers["etag"]
    assert [e["kind"] for e in body["events"]] == ["blog.updated"]
    assert body["events"][0]["data"]["poll_after"] == 30
    await desk.call("PATCH", "", json={"poll_after": None})  # back to the site default
    assert (await changes(api_any, 0)).json()["poll_after"] == (
        api_any.app.state.settings.poll_after)


async def test_ended_flips_when_coverage_ends_and_back_on_reopen(
        api_any: App, desk: Newsdesk) -> None:
    await desk.publish()
    assert (await changes(api_any, 1)).json()["ended"] is False
    await desk.call("POST", "/end")
    body = (await changes(api_any, 1)).json()
    assert body["ended"] is True
    assert [e["kind"] for e in body["events"]] == ["blog.ended"]
    await desk.call("POST", "/reopen")
    assert (await changes(api_any, 2)).json()["ended"] is False


async def test_since_beyond_the_blog_gets_a_reset(api_any: App, desk: Newsdesk) -> None:
    await desk.publish()
    r = await changes(api_any, 50)
    assert r.status_code == 200
    body = r.json()
    assert (body["events"], body["reset"], body["last_seq"], body["more"]) == (
        [], "ahead", 1, False)


async def test_since_older_than_kept_history_gets_a_reset(api_any: App,
                                                          desk: Newsdesk) -> None:
    for n in range(6):
        await desk.publish(f"Update {n}")
    async with api_any.newsroom.db.transaction() as conn:
        blog = await blog_rows.get_by_slug(conn, "storm")
        assert blog is not None
        await event_rows.prune(conn, blog.id, keep=2)
    expired = (await changes(api_any, 1)).json()
    assert (expired["events"], expired["reset"], expired["last_seq"]) == ([], "expired", 6)
    kept = (await changes(api_any, 4)).json()
    assert [e["seq"] for e in kept["events"]] == [5, 6] and kept["reset"] is None


async def test_long_histories_come_in_pages_with_more(api_any: App, desk: Newsdesk) -> None:
    """More events than one answer holds: `more` is set and `poll_after` is 0 (ask again
    now); following `last_seq` reads every event exactly once."""
    async with api_any.newsroom.db.transaction() as conn:  # a busy blog, written quickly
        blog = await blog_rows.get_by_slug(conn, "storm")
        assert blog is not None
        for _ in range(450):
            await event_rows.append(conn, blog.id, EventKind.BLOG_UPDATED, None, '{"n":1}',
                                    api_any.newsroom.now())
    seen: list[int] = []
    since, answers = 0, []
    while True:
        body = (await changes(api_any, since)).json()
        answers.append((len(body["events"]), body["more"], body["poll_after"]))
        seen.extend(e["seq"] for e in body["events"])
        since = body["last_seq"]
        if not body["more"]:
            break
    poll_after = api_any.app.state.settings.poll_after
    assert answers == [(200, True, 0), (200, True, 0), (50, False, poll_after)]
    assert seen == list(range(1, 451))


@pytest.mark.parametrize("since", ["-1", "abc", "1.5", str(2**40)])
async def test_bad_since_is_a_clear_4xx(api_any: App, desk: Newsdesk, since: str) -> None:
    r = await changes(api_any, since)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "invalid"


async def test_unknown_blog_is_404(api_any: App) -> None:
    r = await api_any.client.get("/blogs/nowhere/changes")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"
