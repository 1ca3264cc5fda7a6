"""Finding a post by its words: what counts as a post's text, and what a search may ask.

A post's searchable text is its headline and the words a reader sees in its blocks (text
without the markup, quotes and who said them, photo captions, credits and alt text, link
cards' titles, descriptions and site names), normalised (NFKC) and case-folded once when
the post is written, so a plain substring match is case-insensitive for every script on
SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from html import unescape
from html.parser import HTMLParser

from bulletin.domain.blocks import Block, ImageBlock, LinkBlock, QuoteBlock, TextBlock
from bulletin.domain.errors import ValidationError

MAX_QUERY = 200
RESULTS_PER_PAGE = 20
_BREAKS = frozenset({"p", "br", "li", "ul", "ol", "blockquote", "div", "h2", "h3", "h4"})


class _Words(HTMLParser):
    """The text of sanitised block HTML; paragraphs and list items end in a space, so the
    last word of one never runs into the first of the next (bold or a link does not split
    a phrase: "at the <strong>bridge</strong>" reads "at the bridge")."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in _BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_words(html: str) -> str:
    parser = _Words()
    parser.feed(html)
    parser.close()
    return unescape("".join(parser.parts))


def fold(text: str) -> str:
    """The form both the stored text and the query take: NFKC, case-folded, one space."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _block_words(block: Block) -> Iterable[str]:
    if isinstance(block, TextBlock):
        yield html_words(block.html)
    elif isinstance(block, QuoteBlock):
        yield from (block.text, block.speaker, block.context)
    elif isinstance(block, ImageBlock):
        yield from (block.caption, block.credit, block.alt)
    elif isinstance(block, LinkBlock):
        yield from (block.title, block.description, block.site)


def searchable_text(headline: str | None, blocks: Iterable[Block]) -> str:
    """What a search looks through; parts are separated by a line break, which no folded
    query contains, so a match never straddles a headline and a caption."""
    parts = [headline or ""] + [w for b in blocks for w in _block_words(b)]
    return "\n".join(f for f in (fold(p) for p in parts) if f)


def parse_query(raw: object) -> str:
    """The folded query, or "" for no search. Refuses what no post could contain, with a
    message, rather than letting a database choke on it (a NUL byte, a lone surrogate)."""
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise ValidationError("Search for some words.", field="q")
    if len(raw) > MAX_QUERY * 4:
        raise ValidationError(f"Search for at most {MAX_QUERY} characters.", field="q")
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError("The search contains a broken character; type it again.",
                              field="q") from None
    if any(unicodedata.category(ch) == "Cc" for ch in raw if ch not in "\t\n\r"):
        raise ValidationError("The search contains invisible control characters; type the "
                              "words again.", field="q")
    query = fold(raw)
    if len(query) > MAX_QUERY:
        raise ValidationError(f"Search for at most {MAX_QUERY} characters; this is "
                              f"{len(query):,}.", field="q")
    return query


def like_pattern(query: str) -> str:
    """`%query%` for LIKE … ESCAPE '\\', with the query's own % _ and \\ matched literally."""
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def result_pages(matches: int, size: int = RESULTS_PER_PAGE) -> int:
    """Search results are numbered from the most recent match: page 1 holds the newest."""
    return max(1, -(-matches // size))
