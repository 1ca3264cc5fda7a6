"""The change feed's rows: per-blog seqs from 1 without gaps, read back in order, pruned to
the newest N — on SQLite and PostgreSQL."""

from __future__ import annotations

from bulletin.domain.events import EventKind
from bulletin.store import blogs as blog_rows
from bulletin.store import events as event_rows
from bulletin.store.database import Database
from tests.store.rows import append_event, make_blog


async def _all(db: Database, blog_id: int, after: int = 0) -> list[int]:
    async with db.read() as conn:
        return [e.seq for e in await event_rows.since(conn, blog_id, after, 10_000)]


async def test_seqs_start_at_one_and_have_no_gaps(db: Database) -> None:
    blog = await make_blog(db, "gapless")
    seqs = [await append_event(db, blog) for _ in range(12)]
    assert seqs == list(range(1, 13))
    assert await _all(db, blog) == seqs
    async with db.read() as conn:
        assert (await blog_rows.last_seqs(conn, [blog])) == {blog: 12}


async def test_two_blogs_count_independently(db: Database) -> None:
    first, second = await make_blog(db, "first"), await make_blog(db, "second")
    got: dict[int, list[int]] = {first: [], second: []}
    for blog in (first, second, second, first, second, second, first):
        got[blog].append(await append_event(db, blog))
    assert got == {first: [1, 2, 3], second: [1, 2, 3, 4]}
    assert await _all(db, first) == [1, 2, 3]
    assert await _all(db, second) == [1, 2, 3, 4]


async def test_an_event_keeps_what_was_written(db: Database) -> None:
    blog = await make_blog(db, "payload")
    seq = await append_event(db, blog, EventKind.POST_DELETED, post_id=77)
    async with db.read() as conn:
        [event] = await event_rows.since(conn, blog, 0)
    assert (event.blog_id, event.seq, event.kind, event.post_id, event.data) == (
        blog, seq, EventKind.POST_DELETED, 77, '{"n":1}')


async def test_since_pages_through_the_feed_in_order(db: Database) -> None:
    blog = await make_blog(db, "paged")
    for _ in range(23):
        await append_event(db, blog)
    seen: list[int] = []
    after = 0
    pages = 0
    while True:
        async with db.read() as conn:
            batch = await event_rows.since(conn, blog, after, limit=5)
        if not batch:
            break
        pages += 1
        assert len(batch) <= 5
        seen.extend(e.seq for e in batch)
        after = batch[-1].seq
    assert pages == 5
    assert seen == list(range(1, 24))
    assert await _all(db, blog, after=20) == [21, 22, 23]
    assert await _all(db, blog, after=23) == []


async def test_prune_keeps_the_newest_n(db: Database) -> None:
    blog, other = await make_blog(db, "pruned"), await make_blog(db, "untouched")
    for _ in range(30):
        await append_event(db, blog)
    for _ in range(4):
        await append_event(db, other)
    async with db.transaction() as conn:
        removed = await event_rows.prune(conn, blog, keep=10)
    assert removed == 20
    assert await _all(db, blog) == list(range(21, 31))
    assert await _all(db, other) == [1, 2, 3, 4]
    async with db.read() as conn:
        assert await event_rows.first_kept_seq(conn, blog) == 21
    # Pruning again changes nothing; new events continue the same numbering.
    async with db.transaction() as conn:
        assert await event_rows.prune(conn, blog, keep=10) == 0
    assert await append_event(db, blog) == 31


async def test_prune_of_an_empty_feed_is_harmless(db: Database) -> None:
    blog = await make_blog(db, "quiet")
    async with db.transaction() as conn:
        assert await event_rows.prune(conn, blog, keep=5) == 0
        assert await event_rows.first_kept_seq(conn, blog) is None
    assert await append_event(db, blog) == 1
