"""Housekeeping for uploads: photos a journalist uploaded but never used (a draft thrown
away, a link card not published) are removed once they are old enough that no open composer
can still be about to use them. Run by an operator (`bulletin prune-media`), never silently."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from bulletin.actions.newsroom import Newsroom
from bulletin.media.storage import Storage, StoredFile
from bulletin.store.media import UPLOAD_ID, referenced_uploads

#: Uploads younger than this are kept whatever happens: a composer may not have saved yet.
GRACE = timedelta(days=2)


@dataclass(frozen=True, slots=True)
class Pruned:
    photos: int  # media ids removed (or that would be, on a dry run)
    files: int
    bytes: int
    kept: int  # media ids still in use or too young


async def prune_unused(nr: Newsroom, storage: Storage, *, older_than: timedelta = GRACE,
                       dry_run: bool = False) -> Pruned:
    files: dict[str, list[StoredFile]] = defaultdict(list)
    for stored in await storage.listing():
        match = UPLOAD_ID.match(f"/media/uploads/{stored.name}")
        if match:
            files[match[1]].append(stored)
    # Read what is used after listing: a photo uploaded and used meanwhile is young anyway.
    async with nr.db.read() as conn:
        used = await referenced_uploads(conn)
    cutoff = nr.now() - older_than
    unused = {media_id: group for media_id, group in files.items()
              if media_id not in used and max(f.modified for f in group) < cutoff}
    doomed = [f for group in unused.values() for f in group]
    if not dry_run:
        for stored in doomed:
            await storage.delete(stored.name)
    return Pruned(photos=len(unused), files=len(doomed), bytes=sum(f.size for f in doomed),
                  kept=len(files) - len(unused))
