"""Post queries the pages and the API rely on, and all-or-nothing writes — on SQLite and
PostgreSQL."""

from __future__ import annotations

import pytest

from bulletin.domain.events import EventKind
from bulletin.domain.post import PostStatus
from bulletin.domain.roles import Actor
from bulletin.store import blogs as blog_rows
from bulletin.store import events as event_rows
from bulletin.store import posts as post_rows
from bulletin.store.database import Database
from tests.store.rows import T0, make_author, make_blog, publish_row


class Boom(Exception):
    pass


async def _stream(db: Database, author: Actor, blog: int, count: int,
                  deleted: frozenset[int] = frozenset(), key: frozenset[int] = frozenset()
                  ) -> dict[int, int]:
    """Publish `count` posts; returns {position: post id}. Positions in `deleted` are
    stored as deleted, positions in `key` as key events."""
    ids: dict[int, int] = {}
    for n in range(1, count + 1):
        status = PostStatus.DELETED if n in deleted else PostStatus.PUBLISHED
        post_id, position = await publish_row(db, blog, author, status=status,
                                              key_event=n in key)
        assert position == n
        ids[position] = post_id
    return ids


async def test_positions_count_per_blog_from_one(db: Database) -> None:
    author = await make_author(db)
    a, b = await make_blog(db, "alpha"), await make_blog(db, "beta")
    assert [(await publish_row(db, a, author))[1] for _ in range(3)] == [1, 2, 3]
    assert [(await publish_row(db, b, author))[1] for _ in range(2)] == [1, 2]
    async with db.read() as conn:
        blog = await blog_rows.get_by_id(conn, a)
    assert blog is not None
    assert (blog.last_position, blog.last_seq) == (3, 3)


async def test_in_positions_returns_one_page_of_published_posts_newest_first(
        db: Database) -> None:
    author = await make_author(db)
    blog = await make_blog(db, "paged")
    ids = await _stream(db, author, blog, 45, deleted=frozenset({5, 22}))
    async with db.read() as conn:
        page_one = await post_rows.in_positions(conn, blog, 1, 20)
        page_two = await post_rows.in_positions(conn, blog, 21, 40)
        front = await post_rows.in_positions(conn, blog, 21, None)
    assert [p.position for p in page_one] == [n for n in range(20, 0, -1) if n != 5]
    assert [p.id for p in page_two] == [ids[n] for n in range(40, 20, -1) if n != 22]
    assert [p.position for p in front] == [n for n in range(45, 20, -1) if n != 22]
    assert all(p.status is PostStatus.PUBLISHED for p in page_one + front)
    assert page_one[0].author_name == "Sam Store"


async def test_before_walks_back_by_cursor(db: Database) -> None:
    author = await make_author(db)
    blog = await make_blog(db, "cursor")
    ids = await _stream(db, author, blog, 12, deleted=frozenset({9}))
    async with db.read() as conn:
        newest = await post_rows.before(conn, blog, None, 5)
        older = await post_rows.before(conn, blog, newest[-1].position, 5)
        oldest = await post_rows.before(conn, blog, older[-1].position, 5)
    assert [p.position for p in newest] == [12, 11, 10, 8, 7]
    assert [p.position for p in older] == [6, 5, 4, 3, 2]
    assert [p.id for p in oldest] == [ids[1]]


async def test_pinned_and_key_events(db: Database) -> None:
    author = await make_author(db)
    blog = await make_blog(db, "flags")
    await _stream(db, author, blog, 3, key=frozenset({1, 3}))
    pinned_id, _ = await publish_row(db, blog, author, pinned=True, key_event=True)
    # A deleted post never counts, whatever flags its row still has.
    await publish_row(db, blog, author, status=PostStatus.DELETED, key_event=True)
    unpinned_blog = await make_blog(db, "no-pin")
    async with db.read() as conn:
        pinned = await post_rows.pinned(conn, blog)
        key = await post_rows.key_events(conn, blog)
        none_pinned = await post_rows.pinned(conn, unpinned_blog)
    assert pinned is not None and pinned.id == pinned_id and pinned.pinned
    assert [p.position for p in key] == [4, 3, 1]
    assert none_pinned is None


async def test_published_ids_and_counts(db: Database) -> None:
    author = await make_author(db)
    blog = await make_blog(db, "counted")
    ids = await _stream(db, author, blog, 6, deleted=frozenset({2}))
    async with db.read() as conn:
        assert await post_rows.published_ids(conn, blog) == [ids[n] for n in (6, 5, 4, 3, 1)]
        assert await post_rows.count_published(conn, blog) == 5
        assert await post_rows.count_all(conn) == 6


async def test_a_post_reads_back_as_written(db: Database) -> None:
    author = await make_author(db, "Rita Roundtrip")
    blog = await make_blog(db, "roundtrip")
    post_id, _ = await publish_row(db, blog, author, headline="Bridge closed")
    async with db.read() as conn:
        post = await post_rows.get(conn, blog, post_id)
        assert await post_rows.get(conn, blog + 1000, post_id) is None
    assert post is not None
    assert (post.headline, post.author_name, post.version, post.position) == (
        "Bridge closed", "Rita Roundtrip", 1, 1)
    assert post.published_at is not None and post.published_at.tzinfo is not None
    assert post.published_at > T0
    assert [b.kind for b in post.blocks] == ["text"]


async def test_nothing_half_written_when_a_transaction_fails(db: Database) -> None:
    """A write that fails after inserting the post and its event leaves neither, and the
    blog's counters are untouched: the next post takes the same seq and position."""
    author = await make_author(db)
    blog = await make_blog(db, "atomic")
    await publish_row(db, blog, author)
    with pytest.raises(Boom):
        async with db.transaction() as conn:
            seq, position = await blog_rows.next_seq(conn, blog, new_position=True)
            post_id = await post_rows.insert_post(conn, {
                "blog_id": blog, "position": position, "status": "published",
                "blocks": "[]", "author_id": author.id, "created_at": T0,
                "published_at": T0, "updated_at": T0, "version": 1})
            await event_rows.append(conn, blog, EventKind.POST_PUBLISHED, post_id, "{}", T0,
                                    seq=seq)
            assert await post_rows.get(conn, blog, post_id) is not None  # visible inside
            raise Boom
    async with db.read() as conn:
        assert await post_rows.count_all(conn) == 1
        assert [e.seq for e in await event_rows.since(conn, blog, 0)] == [1]
        row = await blog_rows.get_by_id(conn, blog)
    assert row is not None and (row.last_seq, row.last_position) == (1, 1)
    _, next_position = await publish_row(db, blog, author)
    assert next_position == 2
    async with db.read() as conn:
        assert [e.seq for e in await event_rows.since(conn, blog, 0)] == [1, 2]
