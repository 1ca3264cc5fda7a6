"""Another newsroom's site for link-card specs: real HTTPS on 127.0.0.1 (a trustme test CA,
trusted through the `link_ca_file` setting), serving pages with OpenGraph heads, their
pictures, and every way a page can go wrong: redirects, stalls, wrong types, oversize heads,
compression bombs, broken pictures."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.tls import https_server

#: The `link_max_bytes` the specs run with: small, so oversize answers stay cheap.
LIMIT = 64 * 1024
GPS = 0x8825


def photo(width: int = 1200, height: int = 630, fmt: str = "JPEG") -> bytes:
    img = Image.new("RGB", (width, height), (30, 90, 160))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    out = io.BytesIO()
    img.save(out, fmt, exif=exif)
    return out.getvalue()


def page(title: str = "River breaks its banks", image: str = "/picture.jpg",
         extra: str = "") -> str:
    return ("<!doctype html><html><head><meta charset=utf-8>"
            f'<meta property="og:title" content="{title}">'
            '<meta property="og:description" content="Hundreds evacuated overnight.">'
            '<meta property="og:site_name" content="The Daily Example">'
            + (f'<meta property="og:image" content="{image}">' if image else "")
            + f"{extra}<title>ignored</title></head><body><p>Story</p></body></html>")


@dataclass
class Site:
    """The other newsroom's site: https://localhost:PORT, trusted through `ca_file`."""

    port: int
    ca_file: str
    seen: list[tuple[str, str]] = field(default_factory=list)  # (Host, path) per request
    release: asyncio.Event = field(default_factory=asyncio.Event)

    def url(self, path: str, host: str = "localhost") -> str:
        return f"https://{host}:{self.port}{path}"


def _routes(site: Site) -> list[Route]:
    def html(body: str | bytes, **headers: str) -> Response:
        return Response(body, media_type="text/html; charset=utf-8", headers=headers)

    async def hop(request: Request) -> Response:
        n = int(request.path_params["n"])
        return RedirectResponse("/article" if n <= 1 else f"/hop/{n - 1}", status_code=302)

    async def redirect(request: Request) -> Response:
        return RedirectResponse(request.query_params["to"], status_code=301)

    async def stall(request: Request) -> Response:
        await site.release.wait()
        return html(page())

    async def trickle(request: Request) -> Response:
        async def body() -> AsyncIterator[bytes]:
            yield b"<html><head><title>Never ending"
            while not site.release.is_set():
                yield b" ."
                await asyncio.sleep(0.02)
        return StreamingResponse(body(), media_type="text/html")

    pictures = {
        "/picture.jpg": (photo(), "image/jpeg"),
        "/small.png": (photo(200, 100, "PNG"), "image/png"),
        "/broken.jpg": (photo()[:600], "image/jpeg"),
        "/huge.jpg": (photo()[:200] + b"\0" * (LIMIT + 10), "image/jpeg"),
        "/not-a-picture.jpg": (page().encode(), "text/html"),
    }

    async def picture(request: Request) -> Response:
        data, kind = pictures[request.url.path]
        return Response(data, media_type=kind)

    pages: dict[str, Any] = {
        "/article": lambda: html(page()),
        "/relative-picture": lambda: html(page(image="small.png")),
        "/broken-picture": lambda: html(page(image="/broken.jpg")),
        "/huge-picture": lambda: html(page(image="/huge.jpg")),
        "/page-as-picture": lambda: html(page(image="/not-a-picture.jpg")),
        "/missing-picture": lambda: html(page(image="/nowhere.jpg")),
        "/no-picture": lambda: html(page(image="")),
        "/plain": lambda: Response("just text", media_type="text/plain"),
        "/pdf": lambda: Response(b"%PDF-1.7", media_type="application/pdf"),
        "/gone": lambda: Response("gone", status_code=410),
        "/broken-server": lambda: Response("oops", status_code=500),
        "/latin1": lambda: Response(page("Überschwemmung in Köln", image="").encode("latin-1"),
                                    media_type="text/html; charset=iso-8859-1"),
        "/gzip": lambda: html(gzip.compress(page(image="").encode()), **{
            "Content-Encoding": "gzip"}),
        "/bomb": lambda: html(gzip.compress(b"<html><head><script>" + b" " * 20_000_000),
                              **{"Content-Encoding": "gzip"}),
        # The head's metadata comes first, then far more than the cap before </head>.
        "/long-head": lambda: html(page(extra="<style>" + "a{}" * LIMIT + "</style>")),
        # Nothing useful inside the cap: the card cannot be read.
        "/long-nothing": lambda: html("<html><head><script>" + "x" * (2 * LIMIT)
                                      + "</script>" + page()),
    }

    async def serve(request: Request) -> Response:
        response: Response = pages[request.url.path]()
        return response

    return [Route("/hop/{n}", hop), Route("/redirect", redirect), Route("/stall", stall),
            Route("/trickle", trickle),
            *(Route(path, picture) for path in pictures),
            *(Route(path, serve) for path in pages)]


@contextlib.asynccontextmanager
async def running_site(tmp_path: Path) -> AsyncIterator[Site]:
    """A real HTTPS site on 127.0.0.1 with a certificate from a local test CA."""
    states: list[Site] = []
    inner: list[Starlette] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = dict(scope["headers"])
            states[0].seen.append((headers.get(b"host", b"").decode(), scope["path"]))
        await inner[0](scope, receive, send)

    async with https_server(tmp_path, app) as https:
        state = Site(port=https.port, ca_file=https.ca_file)
        states.append(state)
        inner.append(Starlette(routes=_routes(state)))
        try:
            yield state
        finally:
            state.release.set()
