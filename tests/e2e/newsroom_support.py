"""Helpers for the newsroom's end-to-end tests: colleagues invited through the API, signing
in through the real /login form, and the composer page's landmarks."""

from __future__ import annotations

import asyncio
import itertools
import os
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractAsyncContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Newsroom
from tests.servers import bulletin_command, bulletin_serve

LIVE_WAIT = 5_000  # ms: a functional wait for a change to show, not a speed target
POLL_WAIT = 10_000  # ms: for what the composer learns by polling the newsroom feed (every 2 s)
PASSWORD = "a long enough password"
_people = itertools.count(1)
T = TypeVar("T")


@dataclass(frozen=True)
class Colleague:
    name: str
    role: str
    password: str = PASSWORD


def invite(nr: Newsroom, slug: str, role: str) -> tuple[str, str]:
    """Invite a new colleague to `slug` with `role`; returns (name, invitation URL)."""
    name = f"{role.title()} {os.getpid()}-{next(_people)}"
    r = nr.client.post(f"/api/v1/blogs/{slug}/invites", json={"name": name, "role": role})
    assert r.status_code == 201, r.text
    return name, str(r.json()["invite_url"])


def colleague(nr: Newsroom, slug: str, role: str) -> Colleague:
    """A colleague with a password, set by posting the invitation form (no browser)."""
    name, url = invite(nr, slug, role)
    r = httpx.post(url, data={"password": PASSWORD}, follow_redirects=False, timeout=30)
    assert r.status_code == 303, r.text
    return Colleague(name, role)


def sign_in(page: Page, person: Colleague) -> None:
    """Through the sign-in form, as a person would."""
    page.goto("/login")
    page.get_by_label("Name").fill(person.name)
    page.get_by_label("Password").fill(person.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/newsroom")


def open_composer(page: Page, slug: str) -> None:
    page.goto(f"/blogs/{slug}/edit")
    expect(page.locator("#compose-editor .blk__text")).to_have_count(1)  # the script runs
    expect(page.locator("#link-state")).to_have_text("· connected", timeout=LIVE_WAIT)
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads


def open_reader(page: Page, slug: str) -> None:
    page.goto(f"/blogs/{slug}")
    expect(page.locator("#controls")).to_be_visible()  # the reader script runs
    page.evaluate("window.__sameDocument = true")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded"


def write_text(page: Page, text: str, index: int = 0) -> None:
    page.locator("#compose-editor .blk__text").nth(index).click()
    page.keyboard.type(text)


def api_fetch(page: Page, method: str, path: str, body: Any = None, *,
              csrf: bool = True) -> dict[str, Any]:
    """Call the JSON API from inside the signed-in page (its cookie; CSRF header if asked)."""
    result: dict[str, Any] = page.evaluate(
        """async ([method, path, body, csrf]) => {
            const headers = {'Content-Type': 'application/json'};
            const meta = document.querySelector('meta[name="csrf-token"]');
            if (csrf) headers['X-CSRF-Token'] = meta.content;
            const r = await fetch(path, {method, headers, credentials: 'same-origin',
                                         body: body === null ? undefined : JSON.stringify(body)});
            return {status: r.status, body: await r.json().catch(() => null)};
        }""", [method, path, body, csrf])
    return result


def posts(nr: Newsroom, slug: str) -> list[dict[str, Any]]:
    r = nr.client.get(f"/api/v1/blogs/{slug}/posts", params={"limit": 100})
    assert r.status_code == 200, r.text
    return list(r.json()["posts"])


@dataclass(frozen=True)
class Site:
    """A server of its own whose first admin was made with `bulletin createuser --role admin
    --password-stdin`, exactly as an operator starts a newsroom."""

    base_url: str
    admin: Colleague


@contextmanager
def own_site(home: Path, **settings: str) -> Iterator[Site]:
    """`settings` are passed as BULLETIN_<NAME> environment variables."""
    db_url = f"sqlite:///{home / 'site.db'}"
    admin = Colleague("Chief Editor", "admin")
    made = subprocess.run(bulletin_command("createuser", admin.name, "--role", "admin",
                                    "--password-stdin", "--database-url", db_url),
                          input=admin.password + "\n", cwd=home, capture_output=True,
                          text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    with bulletin_serve(home, "--database-url", db_url, "--data-dir", str(home / "data"),
                        log_name="site.log", **settings) as base_url:
        yield Site(base_url, admin)


def served_in_thread(start: Callable[[], AbstractAsyncContextManager[T]],
                     what: str) -> Iterator[T]:
    """Run an async server (`start()`, an async context manager) in a thread of its own for
    as long as the generator is open; yields what it yields."""
    ready: list[T] = []
    started, stop = threading.Event(), threading.Event()

    async def main() -> None:
        async with start() as running:
            ready.append(running)
            started.set()
            while not stop.is_set():
                await asyncio.sleep(0.05)

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    assert started.wait(30), f"{what} did not start"
    yield ready[0]
    stop.set()
    thread.join(30)
