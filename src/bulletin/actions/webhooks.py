"""Registering and removing a blog's webhooks, and reading their delivery log."""

from __future__ import annotations

import base64
import secrets
from typing import Any

from bulletin.actions.newsroom import Newsroom, as_member, audit, blog_or_404
from bulletin.domain.errors import NotFound, ValidationError
from bulletin.domain.roles import Actor, Permission
from bulletin.domain.webhooks import validate_events, validate_url
from bulletin.store import webhooks as hook_rows


def public(hook: dict[str, Any], *, with_secret: bool = False) -> dict[str, Any]:
    out = {"id": hook["id"], "url": hook["url"], "events": list(hook["events"]),
           "active": hook["active"], "created_at": hook["created_at"].isoformat()}
    if with_secret:
        out["secret"] = hook["secret"]
    return out


async def register(nr: Newsroom, actor: Actor, slug: str, raw: object) -> dict[str, Any]:
    """Add an HTTPS endpoint; it receives events from now on. The signing secret is
    returned once."""
    if not isinstance(raw, dict) or set(raw) - {"url", "events"}:
        raise ValidationError("Send {\"url\": \"https://…\", \"events\": [\"post.*\"]}.")
    url = validate_url(raw.get("url"))
    events = validate_events(raw.get("events"))
    async with nr.db.transaction() as conn:
        blog = await blog_or_404(conn, slug)
        (await as_member(conn, actor, blog)).require(Permission.MANAGE_WEBHOOKS)
        now = nr.now()
        secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
        hook_id = await hook_rows.insert_webhook(conn, {
            "blog_id": blog.id, "url": url, "secret": secret, "events": ",".join(events),
            "active": True, "last_seq": blog.last_seq, "created_at": now})
        await audit(conn, actor, blog.id, "webhook.added", now, detail=url)
        hook = await hook_rows.get(conn, blog.id, hook_id)
    assert hook is not None
    return public(hook, with_secret=True)


async def _hook(nr: Newsroom, actor: Actor, slug: str, hook_id: int | None
                ) -> tuple[int, dict[str, Any] | None]:
    async with nr.db.read() as conn:
        blog = await blog_or_404(conn, slug)
        (await as_member(conn, actor, blog)).require(Permission.MANAGE_WEBHOOKS)
        if hook_id is None:
            return blog.id, None
        hook = await hook_rows.get(conn, blog.id, hook_id)
    if hook is None:
        raise NotFound(f"This blog has no webhook {hook_id}.", field="webhook_id")
    return blog.id, hook


async def listing(nr: Newsroom, actor: Actor, slug: str) -> list[dict[str, Any]]:
    blog_id, _ = await _hook(nr, actor, slug, None)
    async with nr.db.read() as conn:
        return [public(h) for h in await hook_rows.for_blog(conn, blog_id)]


async def remove(nr: Newsroom, actor: Actor, slug: str, hook_id: int) -> None:
    blog_id, hook = await _hook(nr, actor, slug, hook_id)
    assert hook is not None
    async with nr.db.transaction() as conn:
        await hook_rows.deactivate(conn, hook_id)
        await audit(conn, actor, blog_id, "webhook.removed", nr.now(), detail=hook["url"])


async def deliveries(nr: Newsroom, actor: Actor, slug: str, hook_id: int
                     ) -> list[dict[str, Any]]:
    await _hook(nr, actor, slug, hook_id)
    async with nr.db.read() as conn:
        return await hook_rows.log(conn, hook_id)
