"""The kinds of block a post is made of, and how raw input becomes one.

Input arrives as plain dicts (JSON from the API, the editor, the CLI, the demo); every door
goes through `parse_blocks`, so every door gives the same messages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

from bulletin.domain import embeds
from bulletin.domain.errors import ValidationError
from bulletin.domain.text import clean_text, clean_url

MAX_BLOCKS = 50
MAX_TEXT_HTML = 100_000
MAX_CAPTION = 1_000
MAX_SHORT = 300
#: An embed's excerpt: a few lines on the facade, not the whole post.
MAX_EXCERPT = 500
MAX_HANDLE = 100
MAX_PIXELS = 50_000
UPLOAD_PREFIX = "/media/uploads/"
UPLOAD = re.compile(r"^/media/uploads/[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")

Sanitizer = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class TextBlock:
    kind: ClassVar[str] = "text"
    html: str


@dataclass(frozen=True, slots=True)
class QuoteBlock:
    kind: ClassVar[str] = "quote"
    text: str
    speaker: str = ""
    context: str = ""


@dataclass(frozen=True, slots=True)
class ImageBlock:
    kind: ClassVar[str] = "image"
    url: str
    alt: str
    caption: str = ""
    credit: str = ""
    #: Pixel size of the original, so the page reserves the space before it loads.
    width: int = 0
    height: int = 0
    #: Marked as decoration by the journalist: empty alt text, skipped by screen readers.
    decorative: bool = False


@dataclass(frozen=True, slots=True)
class EmbedBlock:
    """A provider's video, post, chart or map. Besides the address, what the provider says
    about it (read by the server when the journalist adds it, editable, all plain text), so
    the facade readers see before any click shows something: title, author, an excerpt and
    a thumbnail Bulletin stored itself. All optional: the facade works without them."""

    kind: ClassVar[str] = "embed"
    url: str
    title: str = ""
    #: The author's name ("Kettleby Council") and handle ("@KettlebyCouncil").
    author: str = ""
    handle: str = ""
    excerpt: str = ""
    #: The thumbnail: a copy in our uploads (like a link card's picture), and its size.
    image: str = ""
    image_width: int = 0
    image_height: int = 0


@dataclass(frozen=True, slots=True)
class LinkBlock:
    kind: ClassVar[str] = "link"
    url: str
    title: str = ""
    description: str = ""
    #: The site's own name (og:site_name), shown above the title.
    site: str = ""
    #: The page's picture, copied into our own uploads so readers never call the site.
    image: str = ""


Block = TextBlock | QuoteBlock | ImageBlock | EmbedBlock | LinkBlock
KINDS: dict[str, type[Block]] = {
    cls.kind: cls for cls in (TextBlock, QuoteBlock, ImageBlock, EmbedBlock, LinkBlock)
}
_KEYS: dict[str, frozenset[str]] = {
    "text": frozenset({"kind", "html"}),
    "quote": frozenset({"kind", "text", "speaker", "context"}),
    "image": frozenset({"kind", "url", "alt", "caption", "credit", "width", "height",
                        "decorative"}),
    "embed": frozenset({"kind", "url", "title", "author", "handle", "excerpt", "image",
                        "image_width", "image_height"}),
    "link": frozenset({"kind", "url", "title", "description", "site", "image"}),
}


def block_to_dict(block: Block) -> dict[str, Any]:
    return {"kind": block.kind, **asdict(block)}


def parse_blocks(raw: object, sanitize: Sanitizer, *,
                 mastodon_hosts: Collection[str] = embeds.DEFAULT_MASTODON_HOSTS
                 ) -> tuple[Block, ...]:
    """`mastodon_hosts`: the servers whose posts may be embedded (the site's setting)."""
    if not isinstance(raw, list):
        raise ValidationError("blocks must be a list of content blocks.", field="blocks")
    if not raw:
        raise ValidationError("A post needs at least one block of content.", field="blocks")
    if len(raw) > MAX_BLOCKS:
        raise ValidationError(
            f"A post can hold up to {MAX_BLOCKS} blocks; this one has {len(raw)}.",
            field="blocks",
        )
    return tuple(parse_block(item, f"blocks.{i}", sanitize, mastodon_hosts=mastodon_hosts)
                 for i, item in enumerate(raw))


def parse_block(raw: object, field: str, sanitize: Sanitizer, *,
                mastodon_hosts: Collection[str] = embeds.DEFAULT_MASTODON_HOSTS) -> Block:
    if not isinstance(raw, dict):
        raise ValidationError("Each block must be an object with a kind.", field=field)
    kind = raw.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        known = ", ".join(KINDS)
        raise ValidationError(
            f"Unknown block kind {kind!r}; use one of: {known}.", field=f"{field}.kind"
        )
    unknown = set(raw) - _KEYS[kind]
    if unknown:
        name = sorted(unknown)[0]
        raise ValidationError(f"A {kind} block has no field {name!r}; it has: "
                              f"{', '.join(sorted(_KEYS[kind] - {'kind'}))}.",
                              field=f"{field}.{name}")
    if kind == "text":
        html = clean_text(
            raw.get("html"), f"{field}.html", label="Text", max_len=MAX_TEXT_HTML, required=True
        )
        cleaned = sanitize(html).strip()
        if not cleaned:
            raise ValidationError("Text is empty once unsafe markup is removed.", field=field)
        return TextBlock(html=cleaned)
    if kind == "quote":
        return QuoteBlock(
            text=clean_text(
                raw.get("text"), f"{field}.text", label="Quote", max_len=MAX_CAPTION * 5,
                required=True,
            ),
            speaker=_short(raw, field, "speaker", "Speaker"),
            context=_short(raw, field, "context", "Quote context", MAX_CAPTION),
        )
    if kind == "image":
        return _image(raw, field)
    if kind == "embed":
        # Only addresses of a known provider with a recognisable id: readers get a facade
        # that loads exactly that provider's player, and anything else is a link card.
        url = clean_url(raw.get("url"), f"{field}.url", label="Embed address")
        embeds.check(url, f"{field}.url", mastodon_hosts)
        return _embed(raw, field, url)
    return LinkBlock(
        url=clean_url(raw.get("url"), f"{field}.url", label="Link address"),
        title=_short(raw, field, "title", "Link title"),
        description=_short(raw, field, "description", "Link description", MAX_CAPTION),
        site=_short(raw, field, "site", "Site name"),
        image=_upload(raw.get("image"), f"{field}.image"),
    )


def _embed(raw: dict[str, Any], field: str, url: str) -> EmbedBlock:
    image = _upload(raw.get("image"), f"{field}.image", "An embed's thumbnail")
    width = _pixels(raw, field, "image_width")
    height = _pixels(raw, field, "image_height")
    if (bool(width) != bool(height)) or (width and not image):
        raise ValidationError("Give the thumbnail's width and height together, and only with "
                              "the thumbnail.", field=f"{field}.image_width")
    return EmbedBlock(
        url=url,
        title=_short(raw, field, "title", "Embed title"),
        author=_short(raw, field, "author", "Embed author"),
        handle=_short(raw, field, "handle", "Embed author's handle", MAX_HANDLE),
        excerpt=_short(raw, field, "excerpt", "Embed excerpt", MAX_EXCERPT),
        image=image, image_width=width, image_height=height,
    )


def _image(raw: dict[str, Any], field: str) -> ImageBlock:
    decorative = raw.get("decorative", False)
    if not isinstance(decorative, bool):
        raise ValidationError("decorative must be true or false.", field=f"{field}.decorative")
    alt = clean_text(raw.get("alt"), f"{field}.alt", label="Alt text (describe the photo)",
                     max_len=MAX_CAPTION, required=not decorative)
    if decorative and alt:
        raise ValidationError("A decorative photo has no alt text: clear the alt text, or "
                              "untick \"decorative\" if the photo shows something readers "
                              "need to know.", field=f"{field}.alt")
    width = _pixels(raw, field, "width")
    height = _pixels(raw, field, "height")
    if bool(width) != bool(height):
        raise ValidationError("Give both width and height of the photo, or neither.",
                              field=f"{field}.{'height' if width else 'width'}")
    return ImageBlock(
        url=clean_url(raw.get("url"), f"{field}.url", label="Image address",
                      allow_relative=True),
        alt=alt,
        caption=_short(raw, field, "caption", "Caption", MAX_CAPTION),
        credit=_short(raw, field, "credit", "Photo credit"),
        width=width, height=height, decorative=decorative,
    )


def _pixels(raw: dict[str, Any], field: str, key: str) -> int:
    value = raw.get(key, 0)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PIXELS:
        what = "thumbnail's " + key.removeprefix("image_") if key.startswith("image_") \
            else f"photo's {key}"
        raise ValidationError(f"The {what} must be a whole number of pixels "
                              f"(0 to {MAX_PIXELS:,}).", field=f"{field}.{key}")
    return value


def _upload(value: object, field: str, what: str = "A link card's picture") -> str:
    """A picture Bulletin stores itself: cards never make readers call another site."""
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or not UPLOAD.match(value):
        raise ValidationError(f"{what} must be one stored by Bulletin ({UPLOAD_PREFIX}…); "
                              "Bulletin copies the other site's picture when it reads the "
                              "address.", field=field)
    return value


def _short(raw: dict[str, Any], field: str, key: str, label: str, limit: int = MAX_SHORT) -> str:
    return clean_text(raw.get(key), f"{field}.{key}", label=label, max_len=limit,
                      single_line=limit == MAX_SHORT)
