"""Migration 0006: an invitation link sent before invitations had their own table keeps
working (as an invitation for the person's first blog, valid for a week from the upgrade);
used links and API tokens are left as they were. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic import command
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from bulletin.actions.users import hash_token
from bulletin.store.database import Database
from bulletin.store.migrate import alembic_config, upgrade
from bulletin.store.tables import blogs, invitations, memberships, tokens, users
from tests.store.test_migrations import empty_db  # noqa: F401 (the fixture)

BEFORE = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _to_0003(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "0003")


async def test_unused_invitation_links_carry_over_as_invitations(
        empty_db: Database) -> None:  # noqa: F811
    async with empty_db.writer.begin() as conn:
        await conn.run_sync(_to_0003)
    async with empty_db.transaction() as conn:
        for name, password in (("Nia", None), ("Erin", "argon2-hash"), ("Lost", None)):
            await conn.execute(insert(users).values(name=name, password_hash=password,
                                                    created_at=BEFORE))
        ids = {r.name: r.id for r in await conn.execute(select(users.c.id, users.c.name))}
        for slug in ("storm", "flood"):
            await conn.execute(insert(blogs).values(
                slug=slug, title=slug.title(), language="en", timezone="UTC", status="live",
                created_at=BEFORE, updated_at=BEFORE))
        blog = {r.slug: r.id for r in await conn.execute(select(blogs.c.id, blogs.c.slug))}
        for who, slug, role in (("Nia", "flood", "editor"), ("Nia", "storm", "admin"),
                                ("Erin", "storm", "editor")):
            await conn.execute(insert(memberships).values(
                blog_id=blog[slug], user_id=ids[who], role=role, created_at=BEFORE))
        rows = [("Nia", "nia-link", "invite"), ("Erin", "erin-used-link", "invite"),
                ("Lost", "lost-link", "invite"), ("Erin", "erin-api", "phone")]
        for who, secret, label in rows:
            await conn.execute(insert(tokens).values(
                user_id=ids[who], token_hash=hash_token(secret), label=label,
                created_at=BEFORE))
    upgraded_at = datetime.now(UTC)
    await upgrade(empty_db)
    async with empty_db.read() as conn:
        carried = (await conn.execute(select(invitations))).mappings().all()
        spent = {r.token_hash: r.revoked_at for r in await conn.execute(
            select(tokens.c.token_hash, tokens.c.revoked_at))}
    assert len(carried) == 1  # Erin has a password; Lost is on no blog
    nia = carried[0]
    assert (nia["user_id"], nia["blog_id"], nia["role"]) == (ids["Nia"], blog["flood"],
                                                             "editor")
    assert nia["token_hash"] == hash_token("nia-link") and nia["inviter_id"] is None
    assert nia["accepted_at"] is None and nia["revoked_at"] is None
    assert nia["expires_at"] >= upgraded_at + timedelta(days=7) - timedelta(minutes=5)
    assert spent[hash_token("erin-api")] is None  # API tokens are untouched
    assert all(spent[hash_token(s)] is not None for s in ("nia-link", "erin-used-link",
                                                           "lost-link"))
