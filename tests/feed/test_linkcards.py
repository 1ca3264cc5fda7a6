"""Reading link cards from real HTTPS pages (a local server with a test CA): the card and its
stored, stripped picture; redirects checked hop by hop; private addresses, plain http,
non-pages, oversize and slow answers refused with a message a journalist can act on."""

from __future__ import annotations

import asyncio
import gzip
import io
import re
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme
import uvicorn
from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from bulletin.domain.blocks import LinkBlock
from bulletin.domain.errors import ValidationError
from bulletin.feed.linkcards import PublicTransport, read_card, ssl_context
from bulletin.settings import Settings

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


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[Site]:
    """A real HTTPS site on 127.0.0.1 with a certificate from a local test CA."""
    ca = trustme.CA()
    cert = ca.issue_cert("localhost", "127.0.0.1")
    ca_file, cert_file = tmp_path / "ca.pem", tmp_path / "cert.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    cert.private_key_and_cert_chain_pem.write_to_path(str(cert_file))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    state = Site(port=sock.getsockname()[1], ca_file=str(ca_file))
    inner = Starlette(routes=_routes(state))

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = dict(scope["headers"])
            state.seen.append((headers.get(b"host", b"").decode(), scope["path"]))
        await inner(scope, receive, send)

    server = uvicorn.Server(uvicorn.Config(app, log_level="warning",
                                           ssl_certfile=str(cert_file)))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    yield state
    state.release.set()
    server.should_exit = True
    await task
    sock.close()


@pytest.fixture
def settings(tmp_path: Path, site: Site) -> Settings:
    return Settings(data_dir=tmp_path / "data", link_allow_hosts="localhost",
                    link_ca_file=site.ca_file, link_timeout=5.0, link_max_bytes=LIMIT)


def stored(settings: Settings) -> list[Path]:
    root = settings.data_dir / "media" / "uploads"
    return sorted(root.iterdir()) if root.exists() else []


async def refused(url: str, settings: Settings) -> str:
    """The message of the refusal, which stored nothing."""
    before = stored(settings)
    with pytest.raises(ValidationError) as caught:
        await read_card(url, settings)
    assert caught.value.field == "url"
    assert stored(settings) == before
    return caught.value.message


async def test_a_page_gives_its_card_and_its_picture_is_stored_small_and_stripped(
        site: Site, settings: Settings) -> None:
    card = await read_card(site.url("/article"), settings)
    assert isinstance(card, LinkBlock)
    assert (card.url, card.title, card.description, card.site) == (
        site.url("/article"), "River breaks its banks", "Hundreds evacuated overnight.",
        "The Daily Example")
    match = re.fullmatch(r"/media/uploads/([0-9a-f]{32})-640w\.jpg", card.image)
    assert match, card.image
    names = [p.name for p in stored(settings)]
    assert names == sorted(f"{match[1]}-{w}w.{ext}" for w in (320, 640)
                           for ext in ("jpg", "webp"))
    for path in stored(settings):
        data = path.read_bytes()
        assert b"PhoneMaker" not in data
        with Image.open(io.BytesIO(data)) as img:
            assert img.width <= 640 and not img.getexif()
    assert ("localhost:" + str(site.port), "/picture.jpg") in site.seen


async def test_a_small_relative_picture_is_kept_at_its_own_size(site: Site,
                                                                settings: Settings) -> None:
    card = await read_card(site.url("/relative-picture"), settings)
    assert card.image.endswith("-200w.jpg")
    assert len(stored(settings)) == 2


async def test_redirects_are_followed_up_to_five(site: Site, settings: Settings) -> None:
    card = await read_card(site.url("/hop/5"), settings)
    assert card.title == "River breaks its banks"
    assert card.url == site.url("/hop/5")  # the address the journalist chose
    message = await refused(site.url("/hop/6"), settings)
    assert "too many redirects" in message


@pytest.mark.parametrize("target", [
    "https://127.0.0.1:{port}/article",
    "https://169.254.169.254/latest/meta-data/",
    "https://10.0.0.1/admin",
    "https://[::1]:{port}/article",
])
async def test_a_redirect_into_a_private_network_is_refused(site: Site, settings: Settings,
                                                            target: str) -> None:
    target = target.format(port=site.port)
    message = await refused(site.url(f"/redirect?to={target}"), settings)
    assert "private network" in message
    assert all(host.startswith("localhost") for host, _ in site.seen)


@pytest.mark.parametrize("address", [
    "https://127.0.0.1:{port}/article",
    "https://169.254.169.254/latest/meta-data/",
    "https://10.0.0.1/",
    "https://[::1]:{port}/article",
    "https://0.0.0.0:{port}/article",
    "https://[::ffff:127.0.0.1]:{port}/article",
    "https://2130706433:{port}/article",  # 127.0.0.1 written as one number
])
async def test_private_addresses_are_refused_unless_allow_listed(
        site: Site, settings: Settings, address: str) -> None:
    message = await refused(address.format(port=site.port), settings)
    assert "private network" in message and "public addresses" in message
    assert site.seen == []


async def test_an_allow_listed_address_is_read(site: Site, settings: Settings) -> None:
    card = await read_card(site.url("/no-picture", "127.0.0.1"),
                           replace(settings, link_allow_hosts="127.0.0.1"))
    assert card.title == "River breaks its banks" and card.image == ""


async def test_the_connection_itself_refuses_private_addresses(site: Site) -> None:
    """Even a request that skipped the name check (a host name that resolved to a public
    address a moment ago) is stopped where the connection is made."""
    transport = PublicTransport(frozenset(), ssl_context(site.ca_file))
    async with httpx.AsyncClient(transport=transport) as client:
        with pytest.raises(ValidationError, match="private network"):
            await client.get(site.url("/article"))
    assert site.seen == []


@pytest.mark.parametrize("address", [
    "http://localhost:{port}/article",
    "HTTP://example.org/",
])
async def test_plain_http_is_refused(site: Site, settings: Settings, address: str) -> None:
    message = await refused(address.format(port=site.port), settings)
    assert "https only" in message
    assert site.seen == []


@pytest.mark.parametrize(("address", "words"), [
    ("ftp://example.org/file", "https://"),
    ("javascript:alert(1)", "https://"),
    ("https://user:secret@example.org/", "user name or password"),
    ("example.org/no-scheme", "https://"),
    ("", "required"),
])
async def test_other_addresses_are_refused_before_any_request(
        settings: Settings, address: str, words: str) -> None:
    assert words in await refused(address, settings)


async def test_a_redirect_to_plain_http_is_refused(site: Site, settings: Settings) -> None:
    message = await refused(site.url(f"/redirect?to=http://localhost:{site.port}/article"),
                            settings)
    assert "not https" in message


@pytest.mark.parametrize(("path", "words"), [
    ("/plain", "not a web page (it is text/plain)"),
    ("/pdf", "not a web page (it is application/pdf)"),
    ("/gone", "no page at this address"),
    ("/nothing-here", "answered 404"),
    ("/broken-server", "problem of its own"),
])
async def test_answers_that_are_not_pages_are_refused(site: Site, settings: Settings,
                                                      path: str, words: str) -> None:
    assert words in await refused(site.url(path), settings)


async def test_a_long_head_is_cut_off_and_read_as_far_as_it_goes(site: Site,
                                                                 settings: Settings) -> None:
    card = await read_card(site.url("/long-head"), settings)
    assert card.title == "River breaks its banks"


async def test_a_page_with_nothing_inside_the_size_limit_is_refused(
        site: Site, settings: Settings) -> None:
    assert "too big" in await refused(site.url("/long-nothing"), settings)


async def test_compressed_pages_are_read_and_a_compression_bomb_is_cut_off(
        site: Site, settings: Settings) -> None:
    card = await read_card(site.url("/gzip"), settings)
    assert card.title == "River breaks its banks"
    assert "too big" in await refused(site.url("/bomb"), settings)


async def test_the_pages_charset_is_honoured(site: Site, settings: Settings) -> None:
    card = await read_card(site.url("/latin1"), settings)
    assert card.title == "Überschwemmung in Köln"


@pytest.mark.parametrize("path", ["/stall", "/trickle"])
async def test_a_slow_site_times_out(site: Site, settings: Settings, path: str) -> None:
    message = await refused(site.url(path), replace(settings, link_timeout=0.3))
    assert "did not answer" in message


async def test_an_unreachable_site_is_reported(settings: Settings) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    assert "cannot reach" in await refused(f"https://localhost:{port}/", settings)


async def test_an_untrusted_certificate_is_refused(site: Site, settings: Settings) -> None:
    message = await refused(site.url("/article"), replace(settings, link_ca_file=""))
    assert "certificate is not valid" in message


@pytest.mark.parametrize("path", ["/broken-picture", "/huge-picture", "/page-as-picture",
                                  "/missing-picture"])
async def test_a_picture_that_fails_leaves_a_card_without_picture(
        site: Site, settings: Settings, path: str) -> None:
    card = await read_card(site.url(path), settings)
    assert card.title == "River breaks its banks"
    assert card.image == ""
    assert not stored(settings)
