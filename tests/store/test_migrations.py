"""Alembic owns the schema: an empty database migrates to head (and again, as a no-op), the
migrated schema is exactly what `bulletin.store.tables` describes, and downgrading to base
and upgrading again works — on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select
from sqlalchemy.engine import Connection

from bulletin.domain.roles import Role
from bulletin.store import users as user_rows
from bulletin.store.database import Database
from bulletin.store.migrate import alembic_config, upgrade
from bulletin.store.tables import metadata, users
from tests.conftest import drop_pg, fresh_pg

APP_TABLES = set(metadata.tables)  # every table the models describe


@pytest.fixture(params=["sqlite", "postgresql"])
async def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A database with no tables at all (not copied from the migrated templates)."""
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'empty.db'}")
        yield db
        await db.close()
        return
    name, url = await fresh_pg("template0")
    db = Database(url)
    try:
        yield db
    finally:
        await db.close()
        await drop_pg(name)


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


def _downgrade_to_base(connection: Connection) -> None:
    command.downgrade(alembic_config(connection), "base")


def _head() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


async def test_upgrade_from_empty_creates_every_table_at_head(empty_db: Database) -> None:
    async with empty_db.read() as conn:
        assert await conn.run_sync(_tables) == set()
    await upgrade(empty_db)
    async with empty_db.read() as conn:
        assert await conn.run_sync(_tables) == APP_TABLES | {"alembic_version"}
        assert await conn.run_sync(_revision) == _head()


async def test_upgrading_twice_is_a_no_op_that_keeps_the_data(empty_db: Database) -> None:
    await upgrade(empty_db)
    async with empty_db.transaction() as conn:
        await user_rows.insert_user(conn, "Kept Keeper", Role.EDITOR, datetime.now(UTC))
    await upgrade(empty_db)
    async with empty_db.read() as conn:
        assert await conn.run_sync(_revision) == _head()
        names = (await conn.execute(select(users.c.name))).scalars().all()
        assert names == ["Kept Keeper"]
        assert await conn.run_sync(_differences) == []


async def test_models_and_migrations_agree(empty_db: Database) -> None:
    """compare_metadata is what `alembic revision --autogenerate` would write: it must find
    nothing, or a model change has no migration (or a migration drifted from the model)."""
    await upgrade(empty_db)
    async with empty_db.read() as conn:
        differences = await conn.run_sync(_differences)
    assert differences == [], "tables.py and the migrations disagree:\n" + "\n".join(
        map(repr, differences))


async def test_downgrade_to_base_then_upgrade_again(empty_db: Database) -> None:
    await upgrade(empty_db)
    async with empty_db.transaction() as conn:
        await conn.run_sync(_downgrade_to_base)
    async with empty_db.read() as conn:
        assert await conn.run_sync(_tables) - {"alembic_version"} == set()
        assert await conn.run_sync(_revision) is None
    await upgrade(empty_db)
    async with empty_db.read() as conn:
        assert await conn.run_sync(_tables) == APP_TABLES | {"alembic_version"}
        assert await conn.run_sync(_differences) == []


async def test_the_test_templates_are_at_head(db_url: str) -> None:
    """Every other store test runs on copies of these; they must be the real schema."""
    db = Database(db_url)
    try:
        async with db.read() as conn:
            assert await conn.run_sync(_revision) == _head()
            assert await conn.run_sync(_differences) == []
    finally:
        await db.close()
