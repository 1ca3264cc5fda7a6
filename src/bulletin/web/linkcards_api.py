"""`POST /api/v1/link-preview`: the composer's "paste a link" turned into a block to edit."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from bulletin.actions.newsroom import as_member, blog_or_404
from bulletin.actions.posts import reject_unknown
from bulletin.domain import embeds
from bulletin.domain.blocks import block_to_dict
from bulletin.domain.errors import ValidationError
from bulletin.domain.roles import Permission
from bulletin.domain.text import clean_url
from bulletin.feed.embedmeta import read_embed
from bulletin.feed.linkcards import read_card
from bulletin.settings import Settings
from bulletin.web.requests import actor, json_body, newsroom

router = APIRouter(prefix="/api/v1", tags=["link cards"])
FIELDS = frozenset({"blog", "url"})
#: The body, for the API documentation (the route reads it itself, to answer in our shape).
BODY = {"required": True, "content": {"application/json": {
    "schema": {"type": "object", "required": ["blog", "url"], "additionalProperties": False,
               "properties": {"blog": {"type": "string", "description": "the blog's slug"},
                              "url": {"type": "string", "format": "uri",
                                      "description": "the https address pasted"}}},
    "example": {"blog": "storm", "url": "https://news.example/flood-report"}}}}


@router.post("/link-preview", summary="Turn a pasted https address into a block to edit",
             openapi_extra={"requestBody": BODY})
async def link_preview(request: Request) -> dict[str, Any]:
    """Send `{"blog": slug, "url": "https://…"}` as a writer of that blog.

    An address Bulletin can embed (a video, a social post, a chart, a map) comes back as
    `{"block": {"kind": "embed", "url", "title", "author", "handle", "excerpt", "image",
    "image_width", "image_height"}}`: what the provider's oEmbed endpoint (or the post's
    own page) says about it, read by the server, with a copy of its thumbnail stored by
    Bulletin, for the card readers see before they load the player; fields the provider
    does not give (or all of them, when it cannot be reached) are empty. Any other
    page is read once by the server (its OpenGraph / Twitter-card / HTML head, over https
    only, never from private addresses) and comes back as `{"block": {"kind": "link",
    "url", "title", "description", "site", "image"}}`; `image` is a copy of the page's
    picture stored by Bulletin (empty when the page has none that works). Edit the fields
    as you like, then put the block in a post. A page that cannot be read answers 422 with
    a message saying why (cannot be reached, too slow, not a web page, private address…)
    on the field `url`.
    """
    who = await actor(request)
    raw = reject_unknown(await json_body(request), FIELDS, "a link preview")
    slug = raw.get("blog")
    if not isinstance(slug, str) or not slug.strip():
        raise ValidationError("Say which blog the link is for (field 'blog').", field="blog")
    nr = newsroom(request)
    async with nr.db.read() as conn:
        blog = await blog_or_404(conn, slug.strip())
        member = await as_member(conn, who, blog)
    member.require(Permission.WRITE_DRAFTS)
    settings: Settings = request.app.state.settings
    url = clean_url(raw.get("url"), "url", label="The link")
    if embeds.recognise(url, nr.mastodon_hosts):
        return {"block": block_to_dict(await read_embed(url, settings))}
    return {"block": block_to_dict(await read_card(url, settings))}
