"""Reading a link card: fetch a page's head over https, read its card, and copy its picture
into our own uploads so readers never call the other site.

Every address is a stranger's, so every step is guarded: https only; each redirect hop is
checked against private networks (`check_destination`), and the address checked is the
address dialled, so a host name that resolves elsewhere a moment later (DNS rebinding)
cannot slip through; one deadline for everything; a byte cap on what is read (compressed
or not); pages must be HTML and pictures images. Any failure is a `ValidationError` on
the field "url" that tells the journalist what happened; a picture that fails only costs
the card its picture.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import zlib
from collections.abc import AsyncIterator
from urllib.parse import urljoin, urlsplit

import httpx

from bulletin.domain.blocks import LinkBlock
from bulletin.domain.errors import ValidationError
from bulletin.domain.linkcard import END_OF_HEAD, LinkCard, decode, parse_card, site_of
from bulletin.domain.text import clean_url
from bulletin.feed.outbound import (
    PublicTransport,
    allowed_hosts,
    check_destination,
    connect_routes,
    ssl_context,
)
from bulletin.media.photos import StoredPhoto, store_photo
from bulletin.settings import Settings

log = logging.getLogger("bulletin.linkcards")
USER_AGENT = "Bulletin-LinkCards/1"
MAX_REDIRECTS = 5
REDIRECTS = frozenset({301, 302, 303, 307, 308})
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
#: The widest stored copy of a card's picture: a card is at most one column wide.
CARD_WIDTH = 640


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, field="url")


def https_address(value: object) -> str:
    """The journalist's address, if Bulletin may read it: a full https address."""
    url = clean_url(value, "url", label="The link")
    if urlsplit(url).scheme.lower() != "https":
        raise _refuse("Bulletin reads link cards over https only: use the page's https:// "
                      "address (most sites have one).")
    return url


class LinkReader:
    """One card's worth of fetching: a page, then perhaps its picture, under one deadline."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.allow = allowed_hosts(settings.link_allow_hosts)
        self.routes = connect_routes(settings.link_connect_to)
        self.limit = settings.link_max_bytes
        self.client = httpx.AsyncClient(
            transport=PublicTransport(self.allow, ssl_context(settings.link_ca_file),
                                      self.routes),
            follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(settings.link_timeout),
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"})

    async def __aenter__(self) -> LinkReader:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    async def card(self, address: object) -> LinkBlock:
        """The link block for an address, with its picture stored if it has a usable one."""
        url = https_address(address)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.link_timeout
        try:
            async with asyncio.timeout_at(deadline):
                page_url, content_type, body, cut = await self._page(url)
        except TimeoutError:
            raise _refuse(f"{site_of(url)} did not answer within "
                          f"{self.settings.link_timeout:g} seconds; try again in a moment, "
                          "or write the card yourself.") from None
        card = parse_card(decode(body, content_type), page_url)
        if cut and not (card.title or card.description):
            raise _refuse(f"The page is too big: its first {self.limit // 1024:,} KB hold no "
                          "title or description; write the card yourself.")
        image = await self._picture(card.image, deadline) if card.image else ""
        return LinkBlock(url=url, title=card.title, description=card.description,
                         site=card.site, image=image)

    async def _page(self, url: str) -> tuple[str, str, bytes, bool]:
        async with self._open(url, "text/html, application/xhtml+xml;q=0.9") as (final, r):
            if not 200 <= r.status_code < 300:
                raise _refuse(_status_message(final, r.status_code))
            content_type = r.headers.get("content-type", "")
            kind = content_type.split(";")[0].strip().lower()
            if kind not in PAGE_TYPES:
                raise _refuse(f"This address is not a web page (it is {kind or 'unlabelled'}"
                              "); link to the page that shows it instead.")
            body, cut = await self._read(r, head_only=True)
        return final, content_type, body, cut

    async def _picture(self, url: str, deadline: float) -> str:
        """The stored address of the page's picture at card size, or "" if it cannot be
        used (the card works without it)."""
        photo = await self.picture(url, deadline)
        return photo.jpeg_at_most(CARD_WIDTH) if photo else ""

    async def picture(self, url: str, deadline: float) -> StoredPhoto | None:
        """The picture at `url`, checked and stored in our uploads; None if it cannot be
        used (a card or a facade works without it)."""
        try:
            async with asyncio.timeout_at(deadline):
                data = await self._picture_bytes(url)
            return await store_photo(self.settings, data)
        except (ValidationError, TimeoutError) as exc:
            log.info("picture %s left out: %s", url, exc)
            return None

    async def page_card(self, url: str) -> tuple[str, LinkCard]:
        """What the page at `url` says about itself (and where it ended up), within the
        caller's deadline."""
        page_url, content_type, body, _ = await self._page(url)
        return page_url, parse_card(decode(body, content_type), page_url)

    async def json(self, url: str) -> object:
        """The JSON document at `url` (an oEmbed answer): up to `link_max_bytes`."""
        async with self._open(url, "application/json") as (final, r):
            if not 200 <= r.status_code < 300:
                raise _refuse(_status_message(final, r.status_code))
            kind = r.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind in PAGE_TYPES or kind.startswith("image/"):
                raise _refuse(f"{site_of(final)} answered with {kind}, not JSON.")
            body, cut = await self._read(r, head_only=False)
        if cut:
            raise _refuse(f"{site_of(final)} answered with more than {self.limit:,} bytes.")
        try:
            return json.loads(body)
        except ValueError:  # also UnicodeDecodeError
            raise _refuse(f"{site_of(final)} answered with something that is not JSON."
                          ) from None

    async def _picture_bytes(self, url: str) -> bytes:
        async with self._open(url, "image/webp, image/*;q=0.9") as (final, r):
            kind = r.headers.get("content-type", "").split(";")[0].strip().lower()
            declared = r.headers.get("content-length", "")
            if not 200 <= r.status_code < 300:
                raise _refuse(_status_message(final, r.status_code))
            if not kind.startswith("image/"):
                raise _refuse(f"the picture is {kind or 'unlabelled'}, not an image")
            if declared.isdigit() and int(declared) > self.limit:
                raise _refuse(f"the picture is over {self.limit:,} bytes")
            data, cut = await self._read(r, head_only=False)
        if cut:
            raise _refuse(f"the picture is over {self.limit:,} bytes")
        return data

    @contextlib.asynccontextmanager
    async def _open(self, url: str, accept: str
                    ) -> AsyncIterator[tuple[str, httpx.Response]]:
        """The response at the end of `url`'s redirects (and its address), closed after."""
        final, response = await self._follow(url, accept)
        try:
            yield final, response
        finally:
            await response.aclose()

    async def _follow(self, url: str, accept: str) -> tuple[str, httpx.Response]:
        """GET `url`, following up to MAX_REDIRECTS redirects, each hop checked first."""
        for _ in range(MAX_REDIRECTS + 1):
            await check_destination(url, self.allow, self.routes)
            try:
                request = self.client.build_request("GET", url, headers={"Accept": accept})
                response = await self.client.send(request, stream=True)
            except httpx.InvalidURL:
                raise _refuse(f"{url[:80]!r} is not an address Bulletin can read.") from None
            except httpx.HTTPError as exc:
                raise _refuse(_network_message(url, exc)) from None
            location = response.headers.get("location")
            if response.status_code not in REDIRECTS or not location:
                return url, response
            await response.aclose()
            url = _next_hop(url, location)
        raise _refuse(f"The page sends readers on more than {MAX_REDIRECTS} times (too many "
                      "redirects); paste the address it finally lands on.")

    async def _read(self, response: httpx.Response, *, head_only: bool
                    ) -> tuple[bytes, bool]:
        """Up to `link_max_bytes` of the body, decompressed; True if there was more. With
        `head_only`, stops as soon as the page's head is over."""
        coding = response.headers.get("content-encoding", "").strip().lower()
        inflate = None
        if coding in ("gzip", "x-gzip", "deflate"):
            inflate = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib framing
        elif coding not in ("", "identity"):
            raise _refuse(f"{site_of(str(response.url))} sent its answer compressed as "
                          f"{coding!r}, which Bulletin cannot read.")
        body = bytearray()
        try:
            async for raw in response.aiter_raw():
                # Never inflate more than can still be kept: a small "zip bomb" stays small.
                chunk = inflate.decompress(raw, self.limit + 1 - len(body)) if inflate else raw
                body += chunk
                if len(body) > self.limit:
                    return bytes(body[: self.limit]), True
                if head_only and END_OF_HEAD.search(body, max(0, len(body) - len(chunk) - 8)):
                    break
        except zlib.error:
            raise _refuse(f"{site_of(str(response.url))} sent a damaged compressed answer."
                          ) from None
        except httpx.HTTPError as exc:
            raise _refuse(_network_message(str(response.url), exc)) from None
        return bytes(body), False


def _next_hop(url: str, location: str) -> str:
    try:
        target = urljoin(url, location.strip())
        parts = urlsplit(target)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise _refuse("The page redirects to an address that is not valid.") from None
    if parts.scheme.lower() != "https":
        raise _refuse(f"The page redirects to an address that is not https "
                      f"({target[:80]}); Bulletin only follows https.")
    return target


def _status_message(url: str, status: int) -> str:
    site = site_of(url)
    if status in (404, 410):
        return f"There is no page at this address on {site} (it answered {status}); check " \
               "the link."
    if status in (401, 403, 451):
        return f"{site} does not let Bulletin read this page (it answered {status}); write " \
               "the card yourself."
    if status == 429:
        return f"{site} is turning away requests for now (429); try again in a minute."
    if status >= 500:
        return f"{site} has a problem of its own (it answered {status}); try again later, " \
               "or write the card yourself."
    return f"{site} answered {status} instead of the page; check the link."


def _network_message(url: str, exc: httpx.HTTPError) -> str:
    site = site_of(url)
    if isinstance(exc, httpx.TimeoutException):
        return f"{site} did not answer in time; try again in a moment, or write the card " \
               "yourself."
    if isinstance(exc, httpx.ConnectError) and "CERTIFICATE" in str(exc).upper():
        return f"{site}'s security certificate is not valid, so Bulletin will not read it."
    if isinstance(exc, httpx.ConnectError):
        return f"Bulletin cannot reach {site}: check the address, or try again later."
    return f"{site} sent an answer Bulletin cannot read ({type(exc).__name__})."


async def read_card(url: object, settings: Settings) -> LinkBlock:
    """The link card for a journalist's address, ready to put in a post."""
    async with LinkReader(settings) as reader:
        return await reader.card(url)
