"""Webhooks: signed HTTPS deliveries of post.* and blog.* events, retried with backoff,
visible in a delivery log; private destinations refused."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bulletin.domain.errors import ValidationError
from bulletin.domain.roles import Role
from bulletin.feed.webhooks import WebhookWorker
from tests.conftest import App, running_app
from tests.tls import https_server

TEXT = {"blocks": [{"kind": "text", "html": "<p>Road closed at the bridge.</p>"}]}


@dataclass
class Receiver:
    url: str
    ca_file: str
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    failures_left: int = 0

    async def wait_for(self, count: int, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count:
            assert time.monotonic() < deadline, f"only {len(self.requests)} deliveries"
            await asyncio.sleep(0.05)


@pytest.fixture
async def receiver(tmp_path: Path) -> AsyncIterator[Receiver]:
    """A real HTTPS endpoint on 127.0.0.1 with a certificate from a local test CA."""
    state: list[Receiver] = []  # filled once the port is known

    async def hook(request: Request) -> Response:
        receiver = state[0]
        receiver.requests.append((dict(request.headers), await request.body()))
        if receiver.failures_left:
            receiver.failures_left -= 1
            return Response("busy", status_code=503)
        return Response(status_code=204)

    app = Starlette(routes=[Route("/hook", hook, methods=["POST"])])
    async with https_server(tmp_path, app) as https:
        state.append(Receiver(url=f"https://localhost:{https.port}/hook", ca_file=https.ca_file))
        yield state[0]


@pytest.fixture
async def app(sqlite_url: str, tmp_path: Path, receiver: Receiver) -> AsyncIterator[App]:
    async for running in running_app(sqlite_url, tmp_path, scheduler_interval=0.1,
                                     webhook_allow_hosts="localhost",
                                     webhook_ca_file=receiver.ca_file):
        yield running


async def _setup(app: App, receiver: Receiver, events: list[str] | None = None
                 ) -> tuple[str, dict[str, Any]]:
    token = await app.token(Role.ADMIN)
    await app.client.post("/api/v1/blogs", headers=app.auth(token),
                          json={"slug": "floods", "title": "Floods"})
    body: dict[str, Any] = {"url": receiver.url}
    if events is not None:
        body["events"] = events
    r = await app.client.post("/api/v1/blogs/floods/webhooks", headers=app.auth(token),
                              json=body)
    assert r.status_code == 201, r.text
    return token, r.json()


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return headers["webhook-signature"] == f"v1,{expected}"


async def test_a_published_post_is_delivered_signed(app: App, receiver: Receiver) -> None:
    token, hook = await _setup(app, receiver)
    assert hook["secret"].startswith("whsec_") and hook["events"] == ["*"]
    r = await app.client.post("/api/v1/blogs/floods/posts", headers=app.auth(token), json=TEXT)
    await receiver.wait_for(1)
    headers, body = receiver.requests[0]
    assert verify(hook["secret"], headers, body)
    assert abs(int(headers["webhook-timestamp"]) - time.time()) < 60
    assert headers["webhook-id"] == f"msg_{hook['id']}_1"
    payload = json.loads(body)
    assert payload["type"] == "post.published"
    assert payload["blog"] == "floods" and payload["seq"] == 1
    assert payload["data"]["id"] == r.json()["id"]
    assert "Road closed" in payload["data"]["html"]
    assert not verify(hook["secret"], headers, body + b" ")


async def test_filters_send_only_the_wanted_events(app: App, receiver: Receiver) -> None:
    token, _ = await _setup(app, receiver, events=["blog.*"])
    await app.client.post("/api/v1/blogs/floods/posts", headers=app.auth(token), json=TEXT)
    await app.client.post("/api/v1/blogs/floods/end", headers=app.auth(token))
    await receiver.wait_for(1)
    await asyncio.sleep(0.5)
    assert [json.loads(b)["type"] for _, b in receiver.requests] == ["blog.ended"]


async def test_failures_are_retried_with_backoff_and_logged(app: App, receiver: Receiver
                                                            ) -> None:
    token, hook = await _setup(app, receiver)
    receiver.failures_left = 1
    await app.client.post("/api/v1/blogs/floods/posts", headers=app.auth(token), json=TEXT)
    await receiver.wait_for(1)
    log_url = f"/api/v1/blogs/floods/webhooks/{hook['id']}/deliveries"

    async def first_delivery() -> dict[str, Any]:
        entries = (await app.client.get(log_url, headers=app.auth(token))).json()["deliveries"]
        return dict(entries[0])

    await _until(first_delivery, lambda d: d["attempts"] == 1)
    failed = await first_delivery()
    assert failed["status"] == "pending" and failed["last_status"] == 503
    assert "503" in failed["last_error"]
    assert datetime.fromisoformat(failed["next_attempt_at"]) > datetime.now(UTC)
    # Let the clock pass the backoff: the next attempt succeeds, with the same message id.
    later = datetime.now(UTC) + timedelta(minutes=1)
    app.newsroom.now = lambda: later
    await receiver.wait_for(2)
    await _until(first_delivery, lambda d: d["status"] == "delivered")
    done = await first_delivery()
    assert done["attempts"] == 2 and done["last_status"] == 204
    assert receiver.requests[0][0]["webhook-id"] == receiver.requests[1][0]["webhook-id"]


async def _until(read: Callable[[], Any], check: Callable[[Any], bool],
                 timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not check(await read()):
        assert time.monotonic() < deadline
        await asyncio.sleep(0.05)


@pytest.mark.parametrize(("url", "words"), [
    ("http://localhost/hook", "https://"),
    ("https://127.0.0.1/hook", "private network"),
    ("https://169.254.169.254/latest/meta-data", "private network"),
    ("https://10.1.2.3/hook", "private network"),
    ("https://[::1]/hook", "private network"),
    ("javascript:alert(1)", "https://"),
])
async def test_unsafe_destinations_are_refused_and_nothing_is_stored(
        app: App, url: str, words: str) -> None:
    token = await app.token(Role.ADMIN)
    await app.client.post("/api/v1/blogs", headers=app.auth(token),
                          json={"slug": "floods", "title": "Floods"})
    r = await app.client.post("/api/v1/blogs/floods/webhooks", headers=app.auth(token),
                              json={"url": url})
    assert r.status_code == 422
    assert words in r.json()["error"]["message"]
    listed = await app.client.get("/api/v1/blogs/floods/webhooks", headers=app.auth(token))
    assert listed.json()["webhooks"] == []


async def test_deliveries_connect_only_to_the_address_that_was_checked(
        app: App, receiver: Receiver) -> None:
    """The worker's own connections refuse private addresses too: an endpoint whose name
    resolved to a public address when it was checked cannot be re-pointed at the internal
    network before the connection is made (DNS rebinding)."""
    settings = replace(app.app.state.settings, webhook_allow_hosts="")
    worker = WebhookWorker(app.app.state.newsroom, settings)
    try:
        with pytest.raises(ValidationError, match="private network"):
            await worker.client.post(receiver.url, content=b"{}")
    finally:
        await worker.close()
    assert receiver.requests == []


async def test_only_admins_manage_webhooks(app: App, receiver: Receiver) -> None:
    await _setup(app, receiver)
    editor = await app.token(Role.EDITOR)
    r = await app.client.post("/api/v1/blogs/floods/webhooks", headers=app.auth(editor),
                              json={"url": receiver.url})
    assert r.status_code == 403
    assert "cannot register webhooks" in r.json()["error"]["message"]
    r = await app.client.post("/api/v1/blogs/floods/webhooks", headers=app.auth(editor),
                              json={"url": receiver.url, "events": ["post.exploded"]})
    assert r.status_code in (403, 422)
