"""Reading link cards from real HTTPS pages (a local server with a test CA): the card and its
stored, stripped picture; redirects checked hop by hop; private addresses, plain http,
non-pages, oversize and slow answers refused with a message a journalist can act on."""

from __future__ import annotations

import io
import re
import socket
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from PIL import Image

from bulletin.domain.blocks import LinkBlock
from bulletin.domain.errors import ValidationError
from bulletin.feed.linkcards import read_card
from bulletin.feed.outbound import PublicTransport, ssl_context
from bulletin.settings import Settings
from tests.feed.linksite import LIMIT, Site, running_site


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[Site]:
    async with running_site(tmp_path) as running:
        yield running


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


async def test_a_page_gives_its_card_and_its_picture_is_stored_stripped_at_card_size(
        site: Site, settings: Settings) -> None:
    card = await read_card(site.url("/article"), settings)
    assert isinstance(card, LinkBlock)
    assert (card.url, card.title, card.description, card.site) == (
        site.url("/article"), "River breaks its banks", "Hundreds evacuated overnight.",
        "The Daily Example")
    match = re.fullmatch(r"/media/uploads/([0-9a-f]{32})-640w\.jpg", card.image)
    assert match, card.image
    names = [p.name for p in stored(settings)]
    assert names == sorted(f"{match[1]}-{w}w.{ext}" for w in (320, 640, 1200)
                           for ext in ("jpg", "webp"))
    for path in stored(settings):
        data = path.read_bytes()
        assert b"PhoneMaker" not in data
        with Image.open(io.BytesIO(data)) as img:
            assert not img.getexif() and "exif" not in img.info
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
