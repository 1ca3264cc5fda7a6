"""Migration 0007_search fills in the search text of posts written before it, on SQLite
and PostgreSQL, and the store keeps it current on every later write."""

from __future__ import annotations

from alembic import command
from sqlalchemy import column, insert, select, table
from sqlalchemy.engine import Connection

from bulletin.store import posts as post_rows
from bulletin.store.database import Database
from bulletin.store.migrate import alembic_config, upgrade
from bulletin.store.tables import posts
from tests.store.rows import T0, make_author, make_blog
from tests.store.test_migrations import empty_db  # noqa: F401  (the fixture)

BLOCKS = ('[{"kind":"text","html":"<p>Water at the <strong>Old Bridge</strong> &amp; '
          'quay.</p>"},{"kind":"quote","text":"Move now.","speaker":"Fire Chief"}]')


def _to_0003(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "0003")


async def test_posts_written_before_the_migration_become_searchable(
        empty_db: Database) -> None:  # noqa: F811
    async with empty_db.writer.begin() as conn:
        await conn.run_sync(_to_0003)
    blog_id = await make_blog(empty_db, "storm")
    author = await make_author(empty_db)
    async with empty_db.transaction() as conn:
        old_posts = table("posts", *(column(c.name, c.type) for c in posts.c
                                     if c.name not in ("id", "search_text")))
        await conn.execute(insert(old_posts).values(
            blog_id=blog_id, position=1, status="published", headline="Évacuation ORDERED",
            blocks=BLOCKS, author_id=author.id, created_at=T0, published_at=T0,
            updated_at=T0, version=1, pinned=False, key_event=False))
    await upgrade(empty_db)
    async with empty_db.read() as conn:
        text = (await conn.execute(select(posts.c.search_text))).scalar_one()
        assert text == "évacuation ordered\nwater at the old bridge & quay.\nmove now.\n" \
                       "fire chief"
        found = await post_rows.search(conn, blog_id, "old bridge & quay", 0, 20)
    assert [p.position for p in found] == [1]
