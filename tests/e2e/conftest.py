"""End-to-end fixtures: the real `bulletin serve` in a subprocess and headless Chromium.

The server runs exactly as an operator starts it (its own process, its own SQLite file and
data folder); the test talks to it only over HTTP — the API to publish, the browser to read.
Chromium is Debian's (/usr/bin/chromium); nothing is ever downloaded.
"""

from __future__ import annotations

import itertools
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.servers import bulletin_command, bulletin_serve

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@dataclass
class Newsroom:
    """A script of the newsroom: the JSON API of the server under test, as an admin."""

    base_url: str
    token: str
    client: httpx.Client = field(init=False)
    _slugs: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.client = httpx.Client(base_url=self.base_url, timeout=10,
                                   headers={"Authorization": f"Bearer {self.token}"})

    def _ok(self, response: httpx.Response, *codes: int) -> httpx.Response:
        assert response.status_code in (codes or (200, 201, 204)), response.text
        return response

    def new_blog(self, title: str = "Storm night", **extra: Any) -> str:
        slug = f"e2e-{os.getpid()}-{next(self._slugs)}"
        self._ok(self.client.post("/api/v1/blogs", json={"slug": slug, "title": title,
                                                         **extra}))
        return slug

    def publish(self, slug: str, text: str, **extra: Any) -> dict[str, Any]:
        body = {"blocks": [{"kind": "text", "html": f"<p>{text}</p>"}], **extra}
        r = self._ok(self.client.post(f"/api/v1/blogs/{slug}/posts", json=body), 201)
        return dict(r.json())

    def publish_many(self, slug: str, count: int) -> list[dict[str, Any]]:
        return [self.publish(slug, f"Update number {i + 1} from the coast road.")
                for i in range(count)]

    def edit(self, slug: str, post: dict[str, Any], text: str) -> dict[str, Any]:
        r = self._ok(self.client.patch(
            f"/api/v1/blogs/{slug}/posts/{post['id']}",
            json={"blocks": [{"kind": "text", "html": f"<p>{text}</p>"}]},
            headers={"If-Match": f'"{post["version"]}"'}))
        return dict(r.json())

    def delete(self, slug: str, post_id: int) -> None:
        self._ok(self.client.delete(f"/api/v1/blogs/{slug}/posts/{post_id}"), 204)

    def pin(self, slug: str, post_id: int, on: bool = True) -> None:
        url = f"/api/v1/blogs/{slug}/posts/{post_id}/pin"
        self._ok(self.client.put(url) if on else self.client.delete(url))

    def key_event(self, slug: str, post_id: int, on: bool = True) -> None:
        url = f"/api/v1/blogs/{slug}/posts/{post_id}/key-event"
        self._ok(self.client.put(url) if on else self.client.delete(url))

    def end(self, slug: str, closing: str | None = None) -> None:
        body = None if closing is None else {"closing_post": {
            "blocks": [{"kind": "text", "html": f"<p>{closing}</p>"}]}}
        self._ok(self.client.post(f"/api/v1/blogs/{slug}/end", json=body))

    def post_ids(self, slug: str) -> list[int]:
        r = self._ok(self.client.get(f"/api/v1/blogs/{slug}/posts", params={"limit": 100}))
        return [int(p["id"]) for p in r.json()["posts"]]


@pytest.fixture(scope="session")
def newsroom_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Newsroom]:
    """`python -m bulletin serve` on a free port with its own database and data folder."""
    home = tmp_path_factory.mktemp("e2e")
    db_url = f"sqlite:///{home / 'e2e.db'}"
    made = subprocess.run(bulletin_command("createuser", "Amira Haddad", "--role", "admin",
                                    "--database-url", db_url),
                          cwd=home, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().splitlines()[-1]
    with bulletin_serve(home, "--database-url", db_url, "--data-dir",
                        str(home / "data")) as base_url:
        newsroom = Newsroom(base_url, token)
        yield newsroom
        newsroom.client.close()


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """Module-scoped on purpose: while Playwright's sync API is active its event loop
    counts as running in this thread, which the async tests of the suite cannot share."""
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Headless Chromium with a fresh, throwaway profile (each context is a new one)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make test does).")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                         headless=True)
    yield browser
    browser.close()


def new_context(browser: Browser, nr: Newsroom) -> BrowserContext:
    return browser.new_context(base_url=nr.base_url, viewport={"width": 1366, "height": 900},
                               reduced_motion="reduce")


def watched_context(browser: Browser, nr: Newsroom) -> Iterator[BrowserContext]:
    """A person's browser whose pages may throw no uncaught script error: a spec fails on one
    even when what it looks at still happens to show."""
    ctx = new_context(browser, nr)
    errors: list[str] = []
    ctx.on("page", lambda p: p.on("pageerror", lambda e: errors.append(f"{p.url}: {e}")))
    yield ctx
    ctx.close()
    assert not errors, "uncaught script errors:\n" + "\n".join(errors)


@pytest.fixture
def context(browser: Browser, newsroom_server: Newsroom) -> Iterator[BrowserContext]:
    yield from watched_context(browser, newsroom_server)


@pytest.fixture
def second(browser: Browser, newsroom_server: Newsroom) -> Iterator[BrowserContext]:
    """Another person's browser: its own cookies and storage."""
    yield from watched_context(browser, newsroom_server)


@pytest.fixture
def third(browser: Browser, newsroom_server: Newsroom) -> Iterator[BrowserContext]:
    """A third person's browser."""
    yield from watched_context(browser, newsroom_server)


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
