"""`bulletin serve` as an operator starts it: its own process, database and data folder, on a
free port, with settings as BULLETIN_* environment variables. The end-to-end and command-line
specs talk to it only over HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port

STARTUP_TIMEOUT = 30.0


def bulletin_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "bulletin", *args]


@contextmanager
def bulletin_serve(home: Path, *args: str, log_name: str = "server.log",
                   **settings: str) -> Iterator[str]:
    """Serve from `home` until the block ends; yields the base URL. The server's output goes
    to `home/log_name` and is shown if it fails to start."""
    port = free_port()
    env = {**os.environ, **{f"BULLETIN_{k.upper()}": v for k, v in settings.items()}}
    log_path = home / log_name
    with log_path.open("wb") as log:
        proc = subprocess.Popen(bulletin_command("serve", "--port", str(port), *args),
                                cwd=home, stdout=log, stderr=subprocess.STDOUT, env=env)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base_url, proc, log_path)
        yield base_url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_until_up(base_url: str, proc: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"bulletin serve exited ({proc.returncode}):\n{log_path.read_text()}")
        try:
            if httpx.get(base_url + "/", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"bulletin serve did not answer within {STARTUP_TIMEOUT}s:\n"
                f"{log_path.read_text()}")
