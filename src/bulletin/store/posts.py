"""Post rows and the queries the pages, the API and the actions need."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from bulletin.domain.blocks import KINDS, Block, block_to_dict
from bulletin.domain.post import Correction, Post, PostStatus
from bulletin.domain.search import like_pattern, searchable_text
from bulletin.store.tables import posts, users

_COLUMNS = (*(c for c in posts.c if c.name != "search_text"), users.c.name.label("author_name"),
            users.c.title.label("author_title"), users.c.photo_url.label("author_photo"))


def encode_blocks(blocks: tuple[Block, ...]) -> str:
    return json.dumps([block_to_dict(b) for b in blocks], ensure_ascii=False,
                      separators=(",", ":"))


def decode_blocks(text: str) -> tuple[Block, ...]:
    result: list[Block] = []
    for item in json.loads(text):
        fields = {k: v for k, v in item.items() if k != "kind"}
        result.append(KINDS[item["kind"]](**fields))
    return tuple(result)


def encode_corrections(corrections: tuple[Correction, ...]) -> str:
    return json.dumps([c.to_json() for c in corrections], ensure_ascii=False,
                      separators=(",", ":"))


def decode_corrections(text: str | None) -> tuple[Correction, ...]:
    return tuple(Correction(at=datetime.fromisoformat(item["at"]), note=item["note"])
                 for item in json.loads(text or "[]"))


def post_from_row(row: RowMapping) -> Post:
    return Post(
        id=row["id"],
        blog_id=row["blog_id"],
        position=row["position"],
        status=PostStatus(row["status"]),
        headline=row["headline"],
        blocks=decode_blocks(row["blocks"]),
        author_id=row["author_id"],
        author_name=row["author_name"],
        language=row["language"],
        created_at=row["created_at"],
        published_at=row["published_at"],
        updated_at=row["updated_at"],
        version=row["version"],
        pinned=bool(row["pinned"]),
        key_event=bool(row["key_event"]),
        publish_at=row["publish_at"],
        review_note=row["review_note"],
        corrections=decode_corrections(row["corrections"]),
        author_title=row["author_title"] or "",
        author_photo=row["author_photo"],
    )


def _select() -> Select[Any]:
    return select(*_COLUMNS).join(users, users.c.id == posts.c.author_id)


def _published(blog_id: int) -> Any:
    return and_(posts.c.blog_id == blog_id, posts.c.status == PostStatus.PUBLISHED.value)


async def _many(conn: AsyncConnection, query: Select[Any]) -> list[Post]:
    return [post_from_row(r) for r in (await conn.execute(query)).mappings()]


async def get(conn: AsyncConnection, blog_id: int, post_id: int) -> Post | None:
    query = _select().where(posts.c.blog_id == blog_id, posts.c.id == post_id)
    row = (await conn.execute(query)).mappings().first()
    return post_from_row(row) if row else None


async def lock(conn: AsyncConnection, post_id: int) -> None:
    """Inside a write: hold the post's row until commit (PostgreSQL; SQLite writers already
    take turns), so a concurrent writer of the same post waits and then reads the change
    instead of acting on the version it read before."""
    await conn.execute(select(posts.c.id).where(posts.c.id == post_id).with_for_update())


def _search_text(headline: str | None, blocks: str) -> str:
    return searchable_text(headline, decode_blocks(blocks))


async def insert_post(conn: AsyncConnection, values: dict[str, Any]) -> int:
    text = _search_text(values.get("headline"), values["blocks"])
    result = await conn.execute(insert(posts).values(**values, search_text=text)
                                .returning(posts.c.id))
    return int(result.scalar_one())


async def update_post(conn: AsyncConnection, post_id: int, values: dict[str, Any]) -> None:
    """Every change of words goes through here, so the search text never goes stale."""
    if "headline" in values or "blocks" in values:
        if "headline" in values and "blocks" in values:
            headline, blocks = values["headline"], values["blocks"]
        else:
            row = (await conn.execute(select(posts.c.headline, posts.c.blocks)
                                      .where(posts.c.id == post_id))).one()
            headline = values.get("headline", row.headline)
            blocks = values.get("blocks", row.blocks)
        values = {**values, "search_text": _search_text(headline, blocks)}
    await conn.execute(update(posts).where(posts.c.id == post_id).values(**values))


async def by_idempotency_key(conn: AsyncConnection, blog_id: int, author_id: int, key: str
                             ) -> Post | None:
    query = _select().where(posts.c.blog_id == blog_id, posts.c.author_id == author_id,
                            posts.c.idempotency_key == key)
    row = (await conn.execute(query)).mappings().first()
    return post_from_row(row) if row else None


async def in_positions(conn: AsyncConnection, blog_id: int, first: int, last: int | None
                       ) -> list[Post]:
    """Published posts of one page, newest first."""
    query = _select().where(_published(blog_id), posts.c.position >= first)
    if last is not None:
        query = query.where(posts.c.position <= last)
    return await _many(conn, query.order_by(posts.c.position.desc()))


async def before(conn: AsyncConnection, blog_id: int, before_position: int | None, limit: int
                 ) -> list[Post]:
    query = _select().where(_published(blog_id))
    if before_position is not None:
        query = query.where(posts.c.position < before_position)
    return await _many(conn, query.order_by(posts.c.position.desc()).limit(limit))


def _matching(blog_id: int, query: str) -> Any:
    return and_(_published(blog_id),
                posts.c.search_text.like(like_pattern(query), escape="\\"))


async def search(conn: AsyncConnection, blog_id: int, query: str, offset: int, limit: int
                 ) -> list[Post]:
    """Published posts whose words contain `query` (already folded: domain/search.py),
    most recent first."""
    found = _select().where(_matching(blog_id, query)).order_by(posts.c.position.desc())
    return await _many(conn, found.offset(offset).limit(limit))


async def count_matching(conn: AsyncConnection, blog_id: int, query: str) -> int:
    found = select(func.count()).select_from(posts).where(_matching(blog_id, query))
    return int((await conn.execute(found)).scalar_one())


async def pinned(conn: AsyncConnection, blog_id: int) -> Post | None:
    query = _select().where(_published(blog_id), posts.c.pinned.is_(True))
    row = (await conn.execute(query.limit(1))).mappings().first()
    return post_from_row(row) if row else None


async def key_events(conn: AsyncConnection, blog_id: int, limit: int = 200) -> list[Post]:
    query = _select().where(_published(blog_id), posts.c.key_event.is_(True))
    return await _many(conn, query.order_by(posts.c.position.desc()).limit(limit))


async def published_ids(conn: AsyncConnection, blog_id: int) -> list[int]:
    query = select(posts.c.id).where(_published(blog_id)).order_by(posts.c.position.desc())
    return [int(i) for i in (await conn.execute(query)).scalars()]


async def count_published(conn: AsyncConnection, blog_id: int) -> int:
    query = select(func.count()).select_from(posts).where(_published(blog_id))
    return int((await conn.execute(query)).scalar_one())


async def count_all(conn: AsyncConnection) -> int:
    return int((await conn.execute(select(func.count()).select_from(posts))).scalar_one())


async def by_status(conn: AsyncConnection, blog_id: int, statuses: list[PostStatus],
                    author_id: int | None = None) -> list[Post]:
    """The newsroom's unpublished posts, most recently touched first."""
    query = _select().where(posts.c.blog_id == blog_id,
                            posts.c.status.in_([s.value for s in statuses]))
    if author_id is not None:
        query = query.where(posts.c.author_id == author_id)
    return await _many(conn, query.order_by(posts.c.updated_at.desc()).limit(200))


async def due(conn: AsyncConnection, now: datetime, limit: int = 50) -> list[tuple[int, int]]:
    """(blog_id, post_id) of scheduled posts whose time has come, oldest first."""
    query = (select(posts.c.blog_id, posts.c.id)
             .where(posts.c.status == PostStatus.SCHEDULED.value, posts.c.publish_at <= now)
             .order_by(posts.c.publish_at).limit(limit))
    return [(int(b), int(p)) for b, p in (await conn.execute(query)).all()]
