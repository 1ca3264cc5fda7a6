"""gzip for what a reader's browser downloads: pages, scripts, styles, JSON, feeds.

The live stream is passed straight through: its frames are small, many and already shared
byte for byte between readers, and a wrapper around every send would cost each delivery."""

from __future__ import annotations

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

#: zlib's default level: most of level 9's saving at a fraction of its CPU.
LEVEL = 6
#: Below this a response fits in a packet or two anyway.
MINIMUM = 1024


class Compression:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=MINIMUM, compresslevel=LEVEL)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].endswith("/live"):
            await self.app(scope, receive, send)
            return
        await self.gzip(scope, receive, send)
