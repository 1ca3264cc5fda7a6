"""Webhook routes: admins register HTTPS endpoints per blog and read the delivery log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from bulletin.actions import webhooks
from bulletin.domain.roles import Actor
from bulletin.domain.webhooks import validate_url
from bulletin.feed.outbound import allowed_hosts, check_destination
from bulletin.settings import Settings
from bulletin.web.requests import actor, json_body, newsroom

router = APIRouter(prefix="/api/v1", tags=["webhooks"])
Who = Annotated[Actor, Depends(actor)]


@router.get("/blogs/{slug}/webhooks", summary="This blog's webhooks")
async def list_webhooks(request: Request, slug: str, who: Who) -> dict[str, Any]:
    return {"webhooks": await webhooks.listing(newsroom(request), who, slug)}


@router.post("/blogs/{slug}/webhooks", status_code=201,
             summary="Register an HTTPS endpoint for post.* / blog.* events (secret shown once)")
async def add_webhook(request: Request, slug: str, who: Who) -> dict[str, Any]:
    raw = await json_body(request)
    settings: Settings = request.app.state.settings
    if isinstance(raw, dict):  # refuse private destinations before anything is stored
        await check_destination(validate_url(raw.get("url")),
                                allowed_hosts(settings.webhook_allow_hosts))
    return await webhooks.register(newsroom(request), who, slug, raw)


@router.delete("/blogs/{slug}/webhooks/{webhook_id}", status_code=204,
               summary="Stop a webhook")
async def remove_webhook(request: Request, slug: str, webhook_id: int, who: Who) -> Response:
    await webhooks.remove(newsroom(request), who, slug, webhook_id)
    return Response(status_code=204)


@router.get("/blogs/{slug}/webhooks/{webhook_id}/deliveries", summary="The delivery log")
async def deliveries(request: Request, slug: str, webhook_id: int, who: Who
                     ) -> dict[str, Any]:
    return {"deliveries": await webhooks.deliveries(newsroom(request), who, slug, webhook_id)}
