"""Real HTTPS on 127.0.0.1 for specs of what Bulletin calls out to (webhooks, link cards):
certificates from a throwaway local CA (trustme), which the app under test is told to trust
through a setting; production code never weakens its https rules for tests."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import trustme
import uvicorn
from starlette.types import ASGIApp


@dataclass(frozen=True)
class Https:
    port: int
    ca_file: str  # give this to the app under test (webhook_ca_file, link_ca_file)


@contextlib.asynccontextmanager
async def https_server(folder: Path, app: ASGIApp, *names: str) -> AsyncIterator[Https]:
    """Serve `app` at https://localhost:PORT (and 127.0.0.1) until the block ends. Its
    certificate also names `names` (other sites' hosts, for a server the app under test is
    told to connect to in their place: the `link_connect_to` setting)."""
    ca = trustme.CA()
    cert = ca.issue_cert("localhost", "127.0.0.1", *names)
    ca_file, cert_file = folder / "ca.pem", folder / "cert.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    cert.private_key_and_cert_chain_pem.write_to_path(str(cert_file))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning",
                                           ssl_certfile=str(cert_file)))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            await asyncio.sleep(0.01)
        yield Https(sock.getsockname()[1], str(ca_file))
    finally:
        server.should_exit = True
        await task
        sock.close()
