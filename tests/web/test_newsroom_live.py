"""The newsroom feed as a stream: open composers hear of drafts, submissions and who is
editing without asking, contributors only of their own drafts, and a dropped stream resumes
where it stopped."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bulletin.domain.roles import Role
from tests.conftest import LiveServer, serve_in_process

DRAFT = {"blocks": [{"kind": "text", "html": "<p>Tip from the harbour master</p>"}]}


@pytest.fixture
async def desk(sqlite_url: str, tmp_path: Path) -> AsyncIterator[LiveServer]:
    async for live in serve_in_process(sqlite_url, tmp_path, sse_heartbeat=0.4):
        yield live


async def events(client: httpx.AsyncClient, url: str, token: str, count: int,
                 headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The first `count` events of the stream (ids checked against the payload)."""
    got: list[dict[str, Any]] = []
    async with asyncio.timeout(10), client.stream(
            "GET", url, headers={"Authorization": f"Bearer {token}", **(headers or {})}) as r:
        assert r.status_code == 200, await r.aread()
        assert r.headers["content-type"].startswith("text/event-stream")
        frame: dict[str, str] = {}
        async for line in r.aiter_lines():
            if line.startswith(("id: ", "data: ")):
                key, _, value = line.partition(": ")
                frame[key] = value
            elif not line and "data" in frame:
                event = json.loads(frame["data"])
                assert int(frame["id"]) == event["seq"]
                got.append(event)
                frame = {}
                if len(got) == count:
                    return got
    return got


async def open_desk(desk: LiveServer) -> dict[str, str]:
    admin = await desk.token(Role.ADMIN, name="Chief")
    r = await desk.client.post("/api/v1/blogs", headers=desk.auth(admin),
                               json={"slug": "harbour", "title": "Harbour"})
    assert r.status_code == 201, r.text
    people = {"Chief": admin}
    for name in ("Ana", "Ben"):
        people[name] = await desk.token(Role.CONTRIBUTOR, name=name)
    return people


async def test_an_editor_hears_of_a_submission_as_it_happens(desk: LiveServer) -> None:
    people = await open_desk(desk)
    url = f"{desk.base_url}/api/v1/blogs/harbour/newsroom/live"
    async with httpx.AsyncClient() as client:
        listening = asyncio.create_task(events(client, url, people["Chief"], 2))
        await asyncio.sleep(0.3)  # the stream is open before anything is written
        draft = await desk.client.post("/api/v1/blogs/harbour/drafts",
                                       headers=desk.auth(people["Ana"]), json=DRAFT)
        assert draft.status_code == 201, draft.text
        post_id = draft.json()["id"]
        r = await desk.client.post(f"/api/v1/blogs/harbour/drafts/{post_id}/submit",
                                   headers=desk.auth(people["Ana"]))
        assert r.status_code == 200, r.text
        saved, submitted = await listening
    assert (saved["kind"], submitted["kind"]) == ("draft.saved", "post.submitted")
    assert submitted["data"]["id"] == post_id and submitted["data"]["status"] == "submitted"


async def test_contributors_hear_only_of_their_own_drafts(desk: LiveServer) -> None:
    people = await open_desk(desk)
    for name in ("Ben", "Ana"):
        r = await desk.client.post("/api/v1/blogs/harbour/drafts",
                                   headers=desk.auth(people[name]),
                                   json={**DRAFT, "headline": f"{name}'s lead"})
        assert r.status_code == 201, r.text
    url = f"{desk.base_url}/api/v1/blogs/harbour/newsroom/live"
    async with httpx.AsyncClient() as client:
        (mine,) = await events(client, url, people["Ana"], 1)
    assert mine["data"]["headline"] == "Ana's lead" and mine["seq"] == 2


async def test_a_dropped_stream_resumes_after_its_last_event_id(desk: LiveServer) -> None:
    people = await open_desk(desk)
    for n in range(4):
        r = await desk.client.post("/api/v1/blogs/harbour/drafts",
                                   headers=desk.auth(people["Ana"]),
                                   json={**DRAFT, "headline": f"Lead {n}"})
        assert r.status_code == 201, r.text
    url = f"{desk.base_url}/api/v1/blogs/harbour/newsroom/live"
    async with httpx.AsyncClient() as client:
        first = await events(client, url, people["Chief"], 2)
        rest = await events(client, url, people["Chief"], 2,
                            headers={"Last-Event-ID": str(first[-1]["seq"])})
    assert [e["data"]["headline"] for e in first + rest] == [f"Lead {n}" for n in range(4)]


async def test_the_stream_ends_when_the_token_is_revoked(desk: LiveServer) -> None:
    people = await open_desk(desk)
    url = f"{desk.base_url}/api/v1/blogs/harbour/newsroom/live"
    async with httpx.AsyncClient() as client:
        anonymous = await client.get(url)
        assert anonymous.status_code == 401
        assert anonymous.json()["error"]["message"].startswith("Sign in first")
        listening = asyncio.create_task(events(client, url, people["Ana"], 1))
        await asyncio.sleep(0.3)
        tokens = await desk.client.get("/api/v1/tokens", headers=desk.auth(people["Ana"]))
        (token,) = tokens.json()["tokens"]
        r = await desk.client.delete(f"/api/v1/tokens/{token['id']}",
                                     headers=desk.auth(people["Ana"]))
        assert r.status_code in (200, 204), r.text
        assert await listening == []  # ended by the server at its next check, no event
