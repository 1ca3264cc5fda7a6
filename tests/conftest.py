"""Shared fixtures. Every run makes its own SQLite files and its own PostgreSQL databases
(created from a migrated template, dropped at the end), so runs never see each other's rows.
PostgreSQL must be reachable: if it is not, the run fails — it never skips."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from bulletin.actions import users as user_actions
from bulletin.actions.newsroom import Newsroom
from bulletin.domain.roles import Actor, Role
from bulletin.feed.broker import InProcessBroker
from bulletin.settings import Settings
from bulletin.store.database import Database
from bulletin.store.migrate import upgrade
from bulletin.web.app import create_app

PG_ADMIN_URL = os.environ.get("BULLETIN_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
RUN_ID = uuid.uuid4().hex[:8]


async def _pg_admin() -> asyncpg.Connection:
    try:
        return await asyncpg.connect(PG_ADMIN_URL, timeout=10)
    except (OSError, asyncpg.PostgresError) as exc:
        pytest.fail(f"PostgreSQL is required for the test run and is not reachable at "
                    f"{PG_ADMIN_URL}: {exc}", pytrace=False)


def _pg_url(name: str) -> str:
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}"


@pytest.fixture(scope="session")
async def pg_template() -> AsyncIterator[str]:
    """A migrated PostgreSQL database that per-test databases are copied from."""
    name = f"bulletin_{RUN_ID}_tpl"
    admin = await _pg_admin()
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        db = Database(_pg_url(name))
        await upgrade(db)
        await db.close()
        yield name
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture(scope="session")
async def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    db = Database(f"sqlite:///{path}")
    await upgrade(db)
    await db.close()
    return path


_counter = iter(range(1, 10**9))


async def fresh_pg(template: str) -> tuple[str, str]:
    name = f"bulletin_{RUN_ID}_{next(_counter)}"
    admin = await _pg_admin()
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    finally:
        await admin.close()
    return name, _pg_url(name)


async def drop_pg(name: str) -> None:
    admin = await _pg_admin()
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture
async def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "bulletin.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
async def pg_url(pg_template: str) -> AsyncIterator[str]:
    name, url = await fresh_pg(pg_template)
    yield url
    await drop_pg(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """Store and feed tests run on both databases."""
    fixture = "sqlite_url" if request.param == "sqlite" else "pg_url"
    url = request.getfixturevalue(fixture)
    assert isinstance(url, str)
    return url


@pytest.fixture
async def newsroom(db_url: str) -> AsyncIterator[Newsroom]:
    db = Database(db_url)
    yield Newsroom(db=db, broker=InProcessBroker())
    await db.close()


@pytest.fixture
async def editor(newsroom: Newsroom) -> Actor:
    return await user_actions.create_user(newsroom, "Erin Editor", Role.EDITOR)


@pytest.fixture
async def admin(newsroom: Newsroom) -> Actor:
    return await user_actions.create_user(newsroom, "Ada Admin", Role.ADMIN)


@pytest.fixture
async def contributor(newsroom: Newsroom) -> Actor:
    return await user_actions.create_user(newsroom, "Cory Contributor", Role.CONTRIBUTOR)


def make_settings(url: str, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"data_dir": tmp_path / "data", "feed_poll_interval": 0.2}
    return Settings(database_url=url, **{**values, **overrides})


class App:
    """A running app (lifespan entered) and helpers to call it in-process."""

    def __init__(self, app: FastAPI, client: httpx.AsyncClient) -> None:
        self.app = app
        self.client = client
        self.tokens: dict[str, str] = {}

    @property
    def newsroom(self) -> Newsroom:
        nr = self.app.state.newsroom
        assert isinstance(nr, Newsroom)
        return nr

    async def token(self, role: Role, name: str | None = None) -> str:
        name = name or f"{role.value}-{len(self.tokens)}"
        actor = await user_actions.create_user(self.newsroom, name, role)
        token = await user_actions.issue_token(self.newsroom, actor)
        self.tokens[name] = token
        return token

    def auth(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}


async def running_app(url: str, tmp_path: Path, **overrides: Any
                      ) -> AsyncIterator[App]:
    app = create_app(make_settings(url, tmp_path, **overrides))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bulletin.test") as c:
            yield App(app, c)


@pytest.fixture
async def api(sqlite_url: str, tmp_path: Path) -> AsyncIterator[App]:
    """The app on SQLite, called in-process through httpx."""
    async for app in running_app(sqlite_url, tmp_path):
        yield app


@pytest.fixture
async def api_any(db_url: str, tmp_path: Path) -> AsyncIterator[App]:
    """The app on SQLite and on PostgreSQL."""
    async for app in running_app(db_url, tmp_path):
        yield app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer(App):
    base_url: str


async def serve_in_process(url: str, tmp_path: Path, **overrides: Any
                           ) -> AsyncIterator[LiveServer]:
    """A real uvicorn server on a free port, in this event loop (SSE needs real sockets)."""
    app = create_app(make_settings(url, tmp_path, **overrides))
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on",
                            timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        live = LiveServer(app, client)
        live.base_url = base
        yield live
    server.should_exit = True
    await task
    sock.close()


@pytest.fixture
async def server(sqlite_url: str, tmp_path: Path) -> AsyncIterator[LiveServer]:
    async for live in serve_in_process(sqlite_url, tmp_path):
        yield live


@pytest.fixture
async def server_any(db_url: str, tmp_path: Path) -> AsyncIterator[LiveServer]:
    async for live in serve_in_process(db_url, tmp_path):
        yield live


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def repo_root() -> Iterator[Path]:
    yield Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the browser tests last: Playwright's sync API keeps its own event loop running
    in this thread while a browser is open, and asyncio fixtures cannot start inside it."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)
