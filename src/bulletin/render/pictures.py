"""Responsive sources for photos Bulletin stored itself: the browser picks the smallest
variant that fills the column at the reader's pixel density, WebP where it can."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bulletin.domain.blocks import UPLOAD_PREFIX, ImageBlock
from bulletin.media.images import widths_for

# An upload's variant address: /media/uploads/<id>-<width>w.<ext>
_VARIANT = re.compile(r"^/media/uploads/(?P<id>[a-f0-9]{32})-\d+w\.(?:jpg|webp)$")
#: The column is 40rem wide at most; below that a photo spans the screen.
SIZES = "(min-width: 42rem) 40rem, 100vw"
#: The width whose JPEG is the plain `src` for browsers that ignore srcset.
FALLBACK_WIDTH = 1280


@dataclass(frozen=True, slots=True)
class Sources:
    src: str
    jpeg: str
    webp: str
    sizes: str = SIZES


def upload_sources(block: ImageBlock) -> Sources | None:
    """The srcset of an uploaded photo, or None for a photo elsewhere (or of unknown size)."""
    return stored_sources(block.url, block.width)


def stored_sources(url: str, width: int) -> Sources | None:
    """The srcset of any picture Bulletin stored (a photo, an embed's thumbnail) whose
    original was `width` pixels wide, or None if it is not one of ours."""
    match = _VARIANT.match(url)
    if not match or not width:
        return None
    widths = widths_for(width)
    stem = f"{UPLOAD_PREFIX}{match['id']}-"
    fallback = max((w for w in widths if w <= FALLBACK_WIDTH), default=widths[0])
    return Sources(
        src=f"{stem}{fallback}w.jpg",
        jpeg=", ".join(f"{stem}{w}w.jpg {w}w" for w in widths),
        webp=", ".join(f"{stem}{w}w.webp {w}w" for w in widths),
    )
