"""Webhook deliveries, fed by the change feed like every live reader.

The dispatcher turns new public events into delivery rows (each webhook keeps a cursor on
the events table, moved in the same transaction that adds its deliveries, so an event is
queued once even with several nodes). The sender posts due deliveries, signed with the
Standard Webhooks headers, and schedules retries with backoff. Both are safe to run on
every node.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import timedelta
from typing import Any

import httpx

from bulletin.actions.newsroom import Newsroom
from bulletin.domain.errors import ValidationError
from bulletin.domain.webhooks import next_delay, signature, wants
from bulletin.feed.outbound import PublicTransport, allowed_hosts, check_destination, ssl_context
from bulletin.settings import Settings
from bulletin.store import blogs as blog_rows
from bulletin.store import events as event_rows
from bulletin.store import webhooks as hook_rows

log = logging.getLogger("bulletin.webhooks")
TIMEOUT = 10.0
LEASE = timedelta(seconds=60)


class WebhookWorker:
    def __init__(self, nr: Newsroom, settings: Settings) -> None:
        self.nr = nr
        self.allow = allowed_hosts(settings.webhook_allow_hosts)
        transport = PublicTransport(self.allow, ssl_context(settings.webhook_ca_file))
        self.client = httpx.AsyncClient(transport=transport, timeout=TIMEOUT,
                                        follow_redirects=False, trust_env=False,
                                        headers={"User-Agent": "Bulletin-Webhooks/1"})

    async def close(self) -> None:
        await self.client.aclose()

    async def run(self, interval: float) -> None:
        while True:
            try:
                await self.dispatch()
                await self.send_due()
            except Exception:
                log.exception("webhook worker failed; trying again")
            await asyncio.sleep(interval)

    async def dispatch(self) -> int:
        """Queue a delivery for every new event each active webhook wants."""
        queued = 0
        async with self.nr.db.read() as conn:
            hooks = await hook_rows.active(conn)
        for hook in hooks:
            async with self.nr.db.read() as conn:
                events = await event_rows.since(conn, hook["blog_id"], hook["last_seq"], 200)
                blog = await blog_rows.get_by_id(conn, hook["blog_id"])
            if not events or blog is None:
                continue
            now = self.nr.now()
            async with self.nr.db.transaction() as conn:
                if not await hook_rows.advance(conn, hook["id"], hook["last_seq"],
                                               events[-1].seq):
                    continue  # another node queued these
                for event in events:
                    if not wants(hook["events"], event.kind.value):
                        continue
                    body = ('{"type":' + json.dumps(event.kind.value)
                            + ',"blog":' + json.dumps(blog.slug)
                            + f',"seq":{event.seq},"timestamp":"{now.isoformat()}"'
                            + ',"data":' + event.data + "}")
                    await hook_rows.add_delivery(conn, {
                        "webhook_id": hook["id"], "seq": event.seq, "kind": event.kind.value,
                        "body": body, "status": "pending", "attempts": 0,
                        "next_attempt_at": now, "created_at": now})
                    queued += 1
        return queued

    async def send_due(self) -> int:
        now = self.nr.now()
        async with self.nr.db.read() as conn:
            due = await hook_rows.due(conn, now)
        sent = 0
        for delivery in due:
            async with self.nr.db.transaction() as conn:
                claimed = await hook_rows.claim(conn, delivery["id"],
                                                delivery["next_attempt_at"], now + LEASE)
            if claimed:
                sent += await self._attempt(delivery)
        return sent

    async def _attempt(self, delivery: dict[str, Any]) -> int:
        message_id = f"msg_{delivery['webhook_id']}_{delivery['seq']}"
        timestamp = int(time.time())
        body = delivery["body"].encode()
        status: int | None = None
        error: str | None = None
        try:
            await check_destination(delivery["url"], self.allow)
            response = await self.client.post(delivery["url"], content=body, headers={
                "Content-Type": "application/json",
                "webhook-id": message_id,
                "webhook-timestamp": str(timestamp),
                "webhook-signature": signature(delivery["secret"], message_id, timestamp, body),
            })
            status = response.status_code
            if not 200 <= status < 300:
                error = f"the endpoint answered {status}"
        except ValidationError as exc:
            error = exc.message
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        await self._record(delivery, status, error)
        return 1 if error is None else 0

    async def _record(self, delivery: dict[str, Any], status: int | None, error: str | None
                      ) -> None:
        attempts = delivery["attempts"] + 1
        now = self.nr.now()
        values: dict[str, Any] = {"attempts": attempts, "last_status": status,
                                  "last_error": error}
        if error is None:
            values.update(status="delivered", delivered_at=now, next_attempt_at=None)
        else:
            delay = next_delay(attempts)
            values.update(status="pending" if delay else "failed",
                          next_attempt_at=now + delay if delay else None)
            log.info("webhook delivery %s failed (%s)", delivery["id"], error)
        async with self.nr.db.transaction() as conn:
            await hook_rows.finish(conn, delivery["id"], values)


