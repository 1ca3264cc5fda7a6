"""Feed routes with conditional GET: a feed reader polling an unchanged blog gets a 304."""

from __future__ import annotations

from email.utils import format_datetime, parsedate_to_datetime

from fastapi import APIRouter, Request
from starlette.responses import Response

from bulletin.actions.newsroom import Newsroom, blog_or_404
from bulletin.domain.blog import Blog
from bulletin.render.feeds import FEED_SIZE, atom, json_feed
from bulletin.render.payload import dumps
from bulletin.settings import Settings
from bulletin.store import posts as post_rows

router = APIRouter(include_in_schema=False)


def _not_modified(request: Request, etag: str, blog: Blog) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        return etag in [tag.strip() for tag in if_none_match.split(",")]
    since = request.headers.get("if-modified-since")
    if since:
        try:
            return blog.updated_at.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


async def _feed(request: Request, slug: str, kind: str) -> Response:
    nr: Newsroom = request.app.state.newsroom
    settings: Settings = request.app.state.settings
    async with nr.db.read() as conn:
        blog = await blog_or_404(conn, slug)
        posts = await post_rows.before(conn, blog.id, None, FEED_SIZE)
    etag = f'W/"{kind}-{blog.id}-{blog.last_seq}-{blog.status.value}"'
    headers = {"ETag": etag, "Last-Modified": format_datetime(blog.updated_at, usegmt=True),
               "Cache-Control": "public, max-age=30"}
    if _not_modified(request, etag, blog):
        return Response(status_code=304, headers=headers)
    base = settings.base_url or str(request.base_url)
    if kind == "atom":
        return Response(atom(blog, posts, base), headers=headers,
                        media_type="application/atom+xml; charset=utf-8")
    return Response(dumps(json_feed(blog, posts, base)), headers=headers,
                    media_type="application/feed+json; charset=utf-8")


@router.get("/blogs/{slug}/feed.atom")
async def atom_feed(request: Request, slug: str) -> Response:
    return await _feed(request, slug, "atom")


@router.get("/blogs/{slug}/feed.json")
async def json_feed_route(request: Request, slug: str) -> Response:
    return await _feed(request, slug, "json")
