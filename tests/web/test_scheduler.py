"""Scheduled posts: a clear refusal for a bad time, and a post that publishes itself when
its time comes — even when the server was down meanwhile, and exactly once when several
app processes run the scheduler on one PostgreSQL database."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from bulletin.actions.newsroom import utcnow
from bulletin.domain.roles import Role
from bulletin.store import posts as post_rows
from bulletin.store.database import Database
from tests.conftest import App, running_app
from tests.web.test_sessions import assert_error, snapshot

BLOG = "/api/v1/blogs/storm"
TEXT = {"blocks": [{"kind": "text", "html": "<p>The minister speaks at 2pm.</p>"}]}
BERLIN = timezone(timedelta(hours=1))
app_running = asynccontextmanager(running_app)


async def wait_for(check: Callable[[], Awaitable[bool]], timeout: float = 10.0) -> None:
    """A functional wait: poll until `check()` holds, failing after a generous timeout."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "timed out waiting"
        await asyncio.sleep(0.05)


async def open_blog(app: App) -> dict[str, str]:
    """The storm blog, opened by an admin; returns that admin's auth header."""
    auth = app.auth(await app.token(Role.ADMIN, "Ada"))
    r = await app.client.post("/api/v1/blogs", headers=auth,
                              json={"slug": "storm", "title": "Storm"})
    assert r.status_code == 201, r.text
    return auth


async def draft(app: App, auth: dict[str, str], words: str = "Timed") -> dict[str, Any]:
    r = await app.client.post(f"{BLOG}/drafts", headers=auth, json={
        "blocks": [{"kind": "text", "html": f"<p>{words}</p>"}]})
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


async def schedule(app: App, auth: dict[str, str], post_id: int, when: datetime
                   ) -> dict[str, Any]:
    r = await app.client.put(f"{BLOG}/drafts/{post_id}/schedule", headers=auth,
                             json={"publish_at": when.isoformat()})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def published_events(app: App) -> list[int]:
    r = await app.client.get("/blogs/storm/changes")
    return [e["data"]["id"] for e in r.json()["events"] if e["kind"] == "post.published"]


async def status_in_store(url: str, post_id: int) -> str:
    """Read the post straight from the database (no app running)."""
    db = Database(url)
    try:
        async with db.read() as conn:
            post = await post_rows.get(conn, 1, post_id)
    finally:
        await db.close()
    assert post is not None
    return post.status.value


# --- refusing bad times ------------------------------------------------------------------

def _in(**delta: float) -> str:
    return (utcnow() + timedelta(**delta)).astimezone(BERLIN).isoformat()


BAD_TIMES: dict[str, Callable[[], object]] = {
    "no offset": lambda: (utcnow() + timedelta(hours=1)).replace(tzinfo=None).isoformat(),
    "in the past": lambda: _in(minutes=-5),
    "garbage": lambda: "half past the storm",
    "more than a year away": lambda: _in(days=400),
    "a number": lambda: 1_900_000_000,
    "empty": lambda: "",
    "missing": lambda: None,
    "too long": lambda: "2030-01-01T10:00:00+01:00" + " " * 40,
}


@pytest.mark.parametrize("case", list(BAD_TIMES))
async def test_a_bad_publish_time_gets_422_naming_publish_at(api: App, case: str) -> None:
    auth = await open_blog(api)
    post = await draft(api, auth)
    before = await snapshot(api)
    value = BAD_TIMES[case]()
    body = {} if value is None else {"publish_at": value}
    r = await api.client.put(f"{BLOG}/drafts/{post['id']}/schedule", headers=auth, json=body)
    error = assert_error(r, 422, "invalid")
    assert error["field"] == "publish_at" and "publish_at" in error["message"]
    assert await snapshot(api) == before


async def test_a_scheduled_post_waits_in_the_queue_and_can_be_taken_back(api: App) -> None:
    auth = await open_blog(api)
    post = await draft(api, auth)
    when = utcnow().replace(microsecond=0) + timedelta(hours=3)
    scheduled = await schedule(api, auth, post["id"], when.astimezone(BERLIN))
    assert scheduled["status"] == "scheduled"
    assert datetime.fromisoformat(scheduled["publish_at"]) == when
    queue = (await api.client.get(f"{BLOG}/drafts", headers=auth)).json()["posts"]
    assert [(p["id"], p["status"]) for p in queue] == [(post["id"], "scheduled")]
    r = await api.client.delete(f"{BLOG}/drafts/{post['id']}/schedule", headers=auth)
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["publish_at"]) == ("draft", None)
    assert await published_events(api) == []


# --- the scheduler -----------------------------------------------------------------------

async def test_a_scheduled_post_publishes_itself_even_across_a_restart(
        sqlite_url: str, tmp_path: Path) -> None:
    async with app_running(sqlite_url, tmp_path, scheduler_interval=0.2) as first:
        auth = await open_blog(first)
        post = await draft(first, auth, "The minister speaks at 2pm.")
        when = utcnow() + timedelta(seconds=2)
        await schedule(first, auth, post["id"], when.astimezone(BERLIN))
    # The server is down before the time comes, and stays down until after it.
    assert utcnow() < when, "the first app outlived the scheduled time; nothing to prove"
    assert await status_in_store(sqlite_url, post["id"]) == "scheduled"
    await asyncio.sleep(max(0.0, (when - utcnow()).total_seconds()) + 0.3)
    assert await status_in_store(sqlite_url, post["id"]) == "scheduled"

    async with app_running(sqlite_url, tmp_path, scheduler_interval=0.2) as second:
        async def is_live() -> bool:
            r = await second.client.get(f"{BLOG}/posts/{post['id']}")
            return r.status_code == 200

        await wait_for(is_live)
        live = (await second.client.get(f"{BLOG}/posts/{post['id']}")).json()
        assert live["status"] == "published" and live["position"] == 1
        assert live["author"]["name"] == "Ada"
        assert datetime.fromisoformat(live["published_at"]) >= when
        assert await published_events(second) == [post["id"]]
        audit = (await second.client.get(f"{BLOG}/audit", headers=auth)).json()["entries"]
        assert (audit[0]["action"], audit[0]["via"]) == ("post.published", "scheduler")


async def test_two_apps_on_one_postgresql_database_publish_a_due_post_once(
        pg_url: str, tmp_path: Path) -> None:
    async with app_running(pg_url, tmp_path / "a", scheduler_interval=0.05) as one, \
            app_running(pg_url, tmp_path / "b", scheduler_interval=0.05) as two:
        auth = await open_blog(one)
        ids = [(await draft(one, auth, f"Timed {n}"))["id"] for n in range(3)]
        when = utcnow() + timedelta(seconds=1.5)
        for post_id in ids:
            await schedule(one, auth, post_id, when)

        async def all_live() -> bool:
            return set(await published_events(two)) >= set(ids)

        await wait_for(all_live)
        # Let both schedulers go round many more times: nothing may come out twice.
        await asyncio.sleep(0.5)
        assert sorted(await published_events(one)) == ids, "published more than once"
        posts = (await two.client.get(f"{BLOG}/posts")).json()["posts"]
        assert sorted(p["position"] for p in posts) == [1, 2, 3]
        assert sorted(p["id"] for p in posts) == ids


async def test_a_scheduled_post_on_ended_coverage_goes_back_to_draft_with_a_note(
        sqlite_url: str, tmp_path: Path) -> None:
    async with app_running(sqlite_url, tmp_path, scheduler_interval=0.1) as app:
        auth = await open_blog(app)
        post = await draft(app, auth)
        await schedule(app, auth, post["id"], utcnow() + timedelta(seconds=1))
        r = await app.client.post(f"{BLOG}/end", headers=auth)
        assert r.status_code == 200 and r.json()["status"] == "ended"

        async def held_back() -> bool:
            queue = (await app.client.get(f"{BLOG}/drafts", headers=auth)).json()["posts"]
            return bool(queue) and queue[0]["status"] == "draft"

        await wait_for(held_back)
        queue = (await app.client.get(f"{BLOG}/drafts", headers=auth)).json()["posts"]
        assert "the coverage had ended" in queue[0]["review_note"]
        assert queue[0]["publish_at"] is None
        assert await published_events(app) == []
        feed = (await app.client.get(f"{BLOG}/newsroom/changes", headers=auth)).json()
        assert feed["events"][-1]["kind"] == "post.returned"
