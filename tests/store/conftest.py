from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bulletin.store.database import Database


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    """The store on SQLite and on PostgreSQL (a fresh migrated copy per test)."""
    database = Database(db_url)
    yield database
    await database.close()
