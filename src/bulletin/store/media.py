"""Which uploads the site still uses: any photo or link-card picture named in a post (live,
draft, scheduled or deleted) or in one of its revisions, which History → Restore may need,
and every person's byline photo."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from bulletin.store.tables import posts, revisions, users

UPLOAD_ID = re.compile(r"/media/uploads/([a-f0-9]{32})-")


async def referenced_uploads(conn: AsyncConnection) -> set[str]:
    used: set[str] = set()
    for table in (posts, revisions):
        rows = await conn.stream(select(table.c.blocks).where(
            table.c.blocks.contains("/media/uploads/")))
        async for (blocks,) in rows:
            used.update(UPLOAD_ID.findall(blocks))
    photos = await conn.execute(select(users.c.photo_url).where(users.c.photo_url.is_not(None)))
    for (url,) in photos:
        used.update(UPLOAD_ID.findall(url))
    return used
