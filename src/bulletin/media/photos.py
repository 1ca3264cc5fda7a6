"""Taking in a photo: check and process it off the event loop, store every variant (all or
none), and say where it lives. The upload API, link cards and the demo all come through here."""

from __future__ import annotations

import asyncio
import os
import secrets
import threading
from dataclasses import dataclass
from typing import Any

from bulletin.media import images
from bulletin.media.storage import Storage, save_all, storage_for
from bulletin.settings import Settings

#: The JPEG width a photo's plain `url` points at (what srcset-blind clients get).
MAIN_WIDTH = 1280
#: A 12-megapixel photo takes ~230 MB while its variants are made: a few at a time, whatever
#: the thread pool's size, so a burst of uploads cannot exhaust the server's memory.
_PROCESSING = threading.BoundedSemaphore(max(1, min(4, os.cpu_count() or 1)))


@dataclass(frozen=True, slots=True)
class StoredPhoto:
    id: str
    width: int
    height: int
    urls: dict[str, str]  # variant suffix ("640w.webp") -> address

    @property
    def url(self) -> str:
        return self.jpeg_at_most(MAIN_WIDTH)

    def jpeg_at_most(self, width: int) -> str:
        """The widest JPEG no wider than `width` (or the narrowest there is)."""
        widths = sorted(int(s.removesuffix("w.jpg")) for s in self.urls if s.endswith(".jpg"))
        chosen = max((w for w in widths if w <= width), default=widths[0])
        return self.urls[f"{chosen}w.jpg"]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "url": self.url, "width": self.width, "height": self.height,
            "srcset": {mime: ", ".join(f"{self.urls[s]} {s.partition('w')[0]}w"
                                       for s in self.urls if s.endswith(ext))
                       for mime, ext in (("image/webp", ".webp"), ("image/jpeg", ".jpg"))},
        }


def _process(data: bytes, settings: Settings, square: int | None) -> images.Processed:
    with _PROCESSING:
        return images.process(data, max_bytes=settings.media_max_bytes,
                              max_pixels=settings.media_max_pixels, square=square)


async def store_photo(settings: Settings, data: bytes, media_id: str | None = None,
                      storage: Storage | None = None, *, square: int | None = None
                      ) -> StoredPhoto:
    """Refuse a bad file with a ValidationError, or store its variants under a new id
    (with `square`: only the centre square, at most that many pixels a side)."""
    done = await asyncio.to_thread(_process, data, settings, square)
    media_id = media_id or secrets.token_hex(16)
    where = storage or storage_for(settings)
    files = {f"{media_id}-{v.suffix}": v.data for v in done.variants}
    await save_all(where, files)
    return StoredPhoto(media_id, done.width, done.height,
                       {v.suffix: where.url(f"{media_id}-{v.suffix}") for v in done.variants})
