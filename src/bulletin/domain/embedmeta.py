"""What a provider says about an embed, read into the plain-text fields of its facade.

Pure: a provider's oEmbed answer (parsed JSON) or a page's OpenGraph card in, `EmbedMeta` out.
Answers come from other servers, so every value is flattened to one line, stripped of control
characters and cut to the embed block's limits, and the thumbnail is only ever an absolute
https address (the server then copies it into our uploads). The oEmbed `html` is never used
as markup (players are built from ids, `domain/embeds`); X's and Bluesky's answers carry the
post's words only inside it, so its first paragraph is read as text, and nothing else of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from bulletin.domain.blocks import MAX_EXCERPT, MAX_HANDLE, MAX_SHORT
from bulletin.domain.embeds import Kind
from bulletin.domain.linkcard import LinkCard, one_line, picture_address

_HANDLE_IN_NAME = re.compile(r"^(?P<name>.*?)\s*\((?P<handle>@[^()\s]{1,100})\)$")
_HANDLE = re.compile(r"@?[\w.-]{1,64}(?:@[\w.-]{1,190})?", re.ASCII)
#: Titles some providers give every post, which say nothing ("New status by gargron").
_EMPTY_TITLE = re.compile(r"^(?:new status by|a post shared by)\b", re.IGNORECASE)
#: oEmbed `html` worth reading text from: a few KB of blockquote, not a page.
_HTML_LIMIT = 64 * 1024


@dataclass(frozen=True, slots=True)
class EmbedMeta:
    title: str = ""
    author: str = ""
    handle: str = ""
    excerpt: str = ""
    #: The provider's own picture address (https), before Bulletin stores a copy.
    picture: str = ""

    def filled(self, other: EmbedMeta) -> EmbedMeta:
        """These fields, with the blanks taken from `other`."""
        return replace(self, **{f.name: getattr(other, f.name) for f in fields(self)
                                if not getattr(self, f.name)})

    @property
    def complete(self) -> bool:
        """Nothing left that a page's OpenGraph tags could add."""
        return bool((self.title or self.author) and self.excerpt and self.picture)


def _text(data: dict[str, Any], key: str, limit: int = MAX_SHORT) -> str:
    value = data.get(key)
    return one_line(value, limit) if isinstance(value, str) else ""


def handle_of(author_url: str, author_name: str = "") -> str:
    """The author's handle from their profile address: /@name (YouTube, TikTok, Mastodon:
    with its server), bsky.app/profile/name, x.com/name."""
    try:
        parts = urlsplit(author_url.strip())
        host = (parts.hostname or "").lower().removeprefix("www.")
    except ValueError:
        return ""
    path = parts.path.strip("/")
    if host == "bsky.app" and path.startswith("profile/") and "did:" not in path:
        name = path.removeprefix("profile/")
    elif host in ("twitter.com", "x.com") and "/" not in path:
        name = path
    elif path.startswith("@") and "/" not in path:
        name = path[1:]
        if host not in ("youtube.com", "tiktok.com"):  # a Mastodon-like server
            name += "@" + host
    else:
        return ""
    handle = "@" + name
    if not name or not _HANDLE.fullmatch(handle) or handle.lower() in author_name.lower():
        return ""
    return one_line(handle, MAX_HANDLE)


class _FirstParagraph(HTMLParser):
    """The text of the first <p> (links' text included, line breaks as spaces), and the
    text after it (the byline: "— Name (@handle) date")."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.done = False
        self.parts: list[str] = []
        self.tail: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p" and not self.done:
            self.depth += 1
        elif tag == "br" and self.depth:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self.depth:
            self.depth -= 1
            self.done = self.depth == 0

    def handle_data(self, data: str) -> None:
        if self.depth and not self.done:
            self.parts.append(data)
        elif self.done:
            self.tail.append(data)


_BYLINE_HANDLE = re.compile(r"\(\s?(@[\w.-]{1,64}(?:@[\w.-]{1,190})?)\s?\)", re.ASCII)


def quoted_post(html: str) -> tuple[str, str]:
    """The post's words in an oEmbed `html` blockquote as plain text, and the author's
    handle from the byline after them ("" for what is not there)."""
    reader = _FirstParagraph()
    reader.feed(html[:_HTML_LIMIT])
    reader.close()
    text = one_line("".join(reader.parts), MAX_EXCERPT)
    # Bluesky stands "[image or embed]" in for what the post carries: not words.
    text = text.removesuffix("[image or embed]").strip()
    found = _BYLINE_HANDLE.search(" ".join("".join(reader.tail).split()))
    return text, found[1] if found else ""


def from_oembed(data: object, base: str) -> EmbedMeta:
    """The facade's fields from an oEmbed answer (https://oembed.com/#section2.3)."""
    if not isinstance(data, dict):
        return EmbedMeta()
    author = _text(data, "author_name")
    handle = ""
    if found := _HANDLE_IN_NAME.match(author):
        author, handle = found["name"], found["handle"]
    unique = _text(data, "author_unique_id", MAX_HANDLE)  # TikTok
    if not handle and unique and _HANDLE.fullmatch(unique):
        handle = "@" + unique.removeprefix("@")
    author_url = data.get("author_url")
    if not handle and isinstance(author_url, str):
        handle = handle_of(author_url, author)
    title = _text(data, "title")
    if _EMPTY_TITLE.match(title):
        title = ""
    excerpt = _text(data, "description", MAX_EXCERPT)
    html = data.get("html")
    if isinstance(html, str) and "<blockquote" in html[:_HTML_LIMIT]:
        words, signed = quoted_post(html)
        excerpt, handle = excerpt or words, handle or signed
    thumbnail = data.get("thumbnail_url")
    picture = picture_address(thumbnail, base) if isinstance(thumbnail, str) else ""
    return EmbedMeta(title=title, author=author, handle=one_line(handle, MAX_HANDLE),
                     excerpt=excerpt, picture=picture)


def from_card(card: LinkCard, kind: Kind) -> EmbedMeta:
    """The facade's fields from the page's OpenGraph card. A social post's page names its
    author in og:title ("Name (@handle@server)"); a video's or chart's page, its title."""
    if kind != "post":
        return EmbedMeta(title=card.title, excerpt=one_line(card.description, MAX_EXCERPT),
                         picture=card.image)
    author, handle = card.title, ""
    if found := _HANDLE_IN_NAME.match(author):
        author, handle = found["name"], found["handle"]
    return EmbedMeta(author=one_line(author, MAX_SHORT), handle=one_line(handle, MAX_HANDLE),
                     excerpt=one_line(card.description, MAX_EXCERPT), picture=card.image)
