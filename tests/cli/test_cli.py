"""The `bulletin` command: migrate, createuser, and serve with a demo that is visibly live."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.servers import bulletin_serve


def bulletin(*args: str, cwd: Path, env: dict[str, str] | None = None
             ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bulletin", *args], cwd=cwd, env=env,
                          stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120, check=False)


def test_migrate_creates_the_sqlite_database_in_data_and_is_safe_to_rerun(tmp_path: Path
                                                                          ) -> None:
    first = bulletin("migrate", cwd=tmp_path)
    second = bulletin("migrate", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert (tmp_path / "data" / "bulletin.db").exists()
    import sqlite3

    with sqlite3.connect(tmp_path / "data" / "bulletin.db") as conn:
        (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert mode == "wal"
    assert {"blogs", "posts", "events", "users", "tokens", "alembic_version"} <= tables


def test_createuser_prints_a_256_bit_token_that_is_stored_hashed(tmp_path: Path) -> None:
    result = bulletin("createuser", "Sam Reporter", "--role", "editor", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert len(token) >= 43 and "\n" not in token
    assert "Sam Reporter" in result.stderr
    import sqlite3

    with sqlite3.connect(tmp_path / "data" / "bulletin.db") as conn:
        stored = [r[0] for r in conn.execute("SELECT token_hash FROM tokens")]
    assert token not in stored and len(stored[0]) == 64


def test_createuser_refuses_an_unknown_role(tmp_path: Path) -> None:
    result = bulletin("createuser", "x", "--role", "king", cwd=tmp_path)
    assert result.returncode != 0
    assert "invalid choice" in result.stderr


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[str]:
    with bulletin_serve(tmp_path, "--demo", demo_interval="0.3",
                        feed_poll_interval="0.2") as base:
        yield base


def failed_sign_ins(base: str, forwarded_for: str, times: int) -> list[int]:
    """Wrong passwords through the real /login form, from behind a proxy."""
    with httpx.Client(base_url=base, headers={"X-Forwarded-For": forwarded_for}) as client:
        client.get("/login")
        token = client.cookies["bulletin_login_csrf"]
        return [client.post("/login", data={"name": "Ada Admin", "password": "wrong guess!",
                                            "csrf_token": token}).status_code
                for _ in range(times)]


@pytest.mark.parametrize("trusted", [True, False])
def test_sign_in_throttling_counts_the_client_a_trusted_proxy_names(
        tmp_path: Path, trusted: bool) -> None:
    db = f"sqlite:///{tmp_path / 'site.db'}"
    assert bulletin("createuser", "Ada Admin", "--role", "admin", "--database-url", db,
                    cwd=tmp_path).returncode == 0
    proxies = "127.0.0.1" if trusted else "192.0.2.1"  # the test talks from 127.0.0.1
    with bulletin_serve(tmp_path, "--database-url", db, forwarded_allow_ips=proxies) as base:
        assert failed_sign_ins(base, "203.0.113.7", 6) == [401] * 5 + [429]
        # Someone else behind the same proxy is not locked out, unless the proxy's header
        # cannot be trusted: then everyone behind it is one address.
        assert failed_sign_ins(base, "198.51.100.23", 1) == [401 if trusted else 429]


def test_serve_demo_is_live_while_someone_watches(demo_server: str) -> None:
    index = httpx.get(demo_server + "/")
    assert "Live" in index.text
    page = httpx.get(demo_server + "/blogs/storm-halvard")
    assert page.status_code == 200
    assert page.text.count('class="post') >= 12
    kinds = {"block--text", "block--quote", "block--image", "block--embed", "block--link"}
    assert all(kind in page.text for kind in kinds)
    seen: list[str] = []
    with httpx.stream("GET", demo_server + "/blogs/storm-halvard/live", timeout=10) as stream:
        for line in stream.iter_lines():
            if line.startswith("event: post.published"):
                seen.append(line)
                break
    assert seen, "no demo post arrived while the page was open"
    # the painted photos went through the upload pipeline: variants, srcset, reserved size
    assert 'srcset="/media/uploads/' in page.text and 'width="1280" height="853"' in page.text
    photo = httpx.get(demo_server + "/media/uploads/" + page.text.split("/media/uploads/")[1]
                      .split('"')[0].split(" ")[0])
    assert photo.status_code == 200
    assert photo.headers["content-type"] in ("image/jpeg", "image/webp")
