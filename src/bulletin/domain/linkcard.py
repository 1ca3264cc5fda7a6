"""What a web page says about itself in its head (OpenGraph, Twitter cards, <title>), read
into the fields of a link card.

Pure: bytes and addresses in, a `LinkCard` out. Pages are written by strangers, so every
value is decoded leniently, flattened to one line, stripped of control characters and cut to
the link block's limits; the picture is only ever an absolute https address.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from bulletin.domain.blocks import MAX_CAPTION, MAX_SHORT
from bulletin.domain.text import MAX_URL

TITLE_KEYS = ("og:title", "twitter:title")
DESCRIPTION_KEYS = ("og:description", "twitter:description", "description")
IMAGE_KEYS = ("og:image:secure_url", "og:image", "og:image:url", "twitter:image",
              "twitter:image:src")
#: Where a page's head is over: reading further cannot add anything to the card.
END_OF_HEAD = re.compile(rb"</head\b|<body\b", re.IGNORECASE)
#: The first bytes of a page hold a <meta charset> if it has one (HTML's prescan).
PRESCAN_BYTES = 1024
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})",
                           re.IGNORECASE)
_FEED = 16 * 1024  # characters handed to the parser at a time, until the head is over
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Labels browsers read as something else (the WHATWG Encoding Standard).
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
            "us-ascii": "cp1252", "ascii": "cp1252", "iso8859-1": "cp1252",
            "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8"}


@dataclass(frozen=True, slots=True)
class LinkCard:
    """A page's card as the page describes it; `image` is still the page's own address."""

    title: str = ""
    description: str = ""
    site: str = ""
    image: str = ""


def _codec(label: str) -> str | None:
    name = _ALIASES.get(label.strip().lower(), label.strip().lower())
    try:
        info = codecs.lookup(name)
        b"a".decode(info.name, "replace")  # refuses bytes-to-bytes codecs such as base64 or rot13
    except (LookupError, ValueError):
        return None
    return info.name


def charset(head: bytes, content_type: str = "") -> str:
    """The encoding to read a page with: its byte-order mark, then the HTTP header, then a
    <meta charset> near the top, else UTF-8."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and (found := _codec(value.strip("\"' "))):
            return found
    match = _META_CHARSET.search(head[:PRESCAN_BYTES])
    if match and (found := _codec(match[1].decode("ascii"))):
        return found
    return "utf-8"


def decode(body: bytes, content_type: str = "") -> str:
    """The page as text; bytes that do not fit its encoding (a page cut off mid-character,
    a wrong label) become U+FFFD instead of failing the card."""
    return body.decode(charset(body, content_type), errors="replace")


def one_line(value: str, limit: int) -> str:
    """Whitespace (line breaks included) collapsed, control characters dropped, and cut at a
    word boundary with an ellipsis when longer than `limit` characters."""
    text = _CONTROL.sub("", " ".join(value.split()))
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


def site_of(url: str) -> str:
    """The host a reader recognises: without `www.`."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


#: What sites put between a page's title and their own name: "Foo | BBC News", "Foo - Site".
_SEPARATORS = "|–—-·:»•/"
_RAW_ADDRESS = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)\S*$|^[\w-]+(?:\.[\w-]+)+/\S*$",
                          re.IGNORECASE)


def is_address(text: str) -> bool:
    """Whether a "title" is really a web address (what a card shows when a page has none)."""
    return bool(_RAW_ADDRESS.match(text.strip()))


def card_title(title: str, site: str, url: str) -> str:
    """The title a card shows: without the site's name stuck to either end of it ("Foo |
    BBC News" from BBC News is "Foo"), and "" when all that is left is the site's name or
    a web address, so the card names the site as the site instead."""
    title = title.strip()
    if is_address(title):
        return ""
    host = site_of(url)
    names = [n for n in (site.strip(), host) if n]
    for name in names:
        low, key = title.casefold(), name.casefold()
        if low.endswith(key) and len(title) > len(name):
            rest = title[: len(title) - len(name)].rstrip()
            if rest and rest[-1] in _SEPARATORS:
                title = rest[:-1].rstrip()
                break
        if low.startswith(key) and len(title) > len(name):
            rest = title[len(name):].lstrip()
            if rest and rest[0] in _SEPARATORS:
                title = rest[1:].lstrip()
                break
    if not title or is_address(title) or title.casefold() in (n.casefold() for n in names) \
            or title.strip("/") == url.strip().strip("/"):
        return ""
    return title


def picture_address(value: str, base: str) -> str:
    """`value` as an absolute https address (relative ones resolved against `base`), or ""
    when it is anything else: another scheme, credentials, spaces, too long."""
    value = value.strip()
    if not value or any(ch.isspace() for ch in value) or _CONTROL.search(value):
        return ""
    try:
        url = urljoin(base, value)
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return ""
    if (parts.scheme.lower() != "https" or not parts.hostname or parts.username
            or parts.password or len(url) > MAX_URL):
        return ""
    return url


class _HeadReader(HTMLParser):
    """Collects <meta property|name content>, the first <title> and <base href>, and stops
    listening at the end of the head."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title: list[str] = []
        self.base = ""
        self._in_title = False
        self._title_done = False
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or "").strip().lower()
            content = values.get("content", "").strip()
            if key and content and key not in self.meta:
                self.meta[key] = content
        elif tag == "title" and not self._title_done:
            self._in_title = True
        elif tag == "base" and not self.base:
            self.base = values.get("href", "").strip()
        elif tag == "body":
            self.done = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title, self._title_done = False, True
        elif tag == "head":
            self.done = True

    def handle_data(self, data: str) -> None:
        if self._in_title and not self.done:
            self.title.append(data)


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str:
    return next((meta[k] for k in keys if meta.get(k, "").strip()), "")


def parse_card(html: str, url: str) -> LinkCard:
    """The card a page at `url` describes: title (og:title, twitter:title, <title>),
    description, site name (og:site_name, else the host) and picture address."""
    reader = _HeadReader()
    for start in range(0, len(html), _FEED):
        reader.feed(html[start:start + _FEED])
        if reader.done:
            break
    reader.close()
    meta = reader.meta
    base = (picture_address(reader.base, url) if reader.base else "") or url
    image = ""
    for key in IMAGE_KEYS:
        if key in meta and (image := picture_address(meta[key], base)):
            break
    site = one_line(meta.get("og:site_name", "") or site_of(url), MAX_SHORT)
    title = one_line(_first(meta, TITLE_KEYS) or "".join(reader.title), MAX_SHORT)
    return LinkCard(
        title=card_title(title, site, url),
        description=one_line(_first(meta, DESCRIPTION_KEYS), MAX_CAPTION),
        site=site,
        image=image,
    )
