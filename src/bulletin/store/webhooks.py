"""Webhook endpoints and their delivery log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bulletin.store.tables import webhook_deliveries, webhooks


def _hook(row: Any) -> dict[str, Any]:
    return {"id": row.id, "blog_id": row.blog_id, "url": row.url, "secret": row.secret,
            "events": tuple(row.events.split(",")), "active": bool(row.active),
            "last_seq": row.last_seq, "created_at": row.created_at}


async def insert_webhook(conn: AsyncConnection, values: dict[str, Any]) -> int:
    result = await conn.execute(insert(webhooks).values(**values).returning(webhooks.c.id))
    return int(result.scalar_one())


async def for_blog(conn: AsyncConnection, blog_id: int) -> list[dict[str, Any]]:
    rows = await conn.execute(select(webhooks).where(webhooks.c.blog_id == blog_id)
                              .order_by(webhooks.c.id))
    return [_hook(r) for r in rows]


async def get(conn: AsyncConnection, blog_id: int, webhook_id: int) -> dict[str, Any] | None:
    row = (await conn.execute(select(webhooks).where(
        webhooks.c.blog_id == blog_id, webhooks.c.id == webhook_id))).first()
    return _hook(row) if row else None


async def active(conn: AsyncConnection) -> list[dict[str, Any]]:
    rows = await conn.execute(select(webhooks).where(webhooks.c.active.is_(True)))
    return [_hook(r) for r in rows]


async def deactivate(conn: AsyncConnection, webhook_id: int) -> None:
    await conn.execute(update(webhooks).where(webhooks.c.id == webhook_id).values(active=False))


async def advance(conn: AsyncConnection, webhook_id: int, seen: int, upto: int) -> bool:
    """Move the cursor from `seen` to `upto`; False if another node already did."""
    result = await conn.execute(update(webhooks).where(
        webhooks.c.id == webhook_id, webhooks.c.last_seq == seen).values(last_seq=upto))
    return bool(result.rowcount)


async def add_delivery(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(webhook_deliveries).values(**values))


async def due(conn: AsyncConnection, now: datetime, limit: int = 20) -> list[dict[str, Any]]:
    query = (
        select(webhook_deliveries, webhooks.c.url, webhooks.c.secret)
        .join(webhooks, webhooks.c.id == webhook_deliveries.c.webhook_id)
        .where(webhook_deliveries.c.status == "pending",
               webhook_deliveries.c.next_attempt_at <= now, webhooks.c.active.is_(True))
        .order_by(webhook_deliveries.c.next_attempt_at).limit(limit)
    )
    return [dict(r._mapping) for r in await conn.execute(query)]


async def claim(conn: AsyncConnection, delivery_id: int, expected: datetime,
                lease_until: datetime) -> bool:
    """Take a delivery for one attempt; another node that read it too gets False."""
    result = await conn.execute(update(webhook_deliveries).where(
        webhook_deliveries.c.id == delivery_id, webhook_deliveries.c.status == "pending",
        webhook_deliveries.c.next_attempt_at == expected,
    ).values(next_attempt_at=lease_until))
    return bool(result.rowcount)


async def finish(conn: AsyncConnection, delivery_id: int, values: dict[str, Any]) -> None:
    await conn.execute(update(webhook_deliveries)
                       .where(webhook_deliveries.c.id == delivery_id).values(**values))


async def log(conn: AsyncConnection, webhook_id: int, limit: int = 100) -> list[dict[str, Any]]:
    query = (select(webhook_deliveries).where(webhook_deliveries.c.webhook_id == webhook_id)
             .order_by(webhook_deliveries.c.id.desc()).limit(limit))
    return [
        {"id": r.id, "seq": r.seq, "kind": r.kind, "status": r.status, "attempts": r.attempts,
         "last_status": r.last_status, "last_error": r.last_error,
         "created_at": r.created_at.isoformat(),
         "next_attempt_at": r.next_attempt_at.isoformat() if r.next_attempt_at else None,
         "delivered_at": r.delivered_at.isoformat() if r.delivered_at else None}
        for r in await conn.execute(query)
    ]
