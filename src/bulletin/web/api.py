"""The JSON API (/api/v1). Handlers only translate HTTP to actions and back."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from bulletin.actions import blogs as blog_actions
from bulletin.actions import posts as post_actions
from bulletin.actions.newsroom import as_member, blog_or_404, post_or_404
from bulletin.domain.blog import Blog
from bulletin.domain.errors import NotFound, ValidationError
from bulletin.domain.paging import PAGE_SIZE, page_count, page_for
from bulletin.domain.post import Post, PostStatus, parse_version
from bulletin.domain.roles import Actor, Permission
from bulletin.feed.embedmeta import bare_embeds, fill_embeds
from bulletin.render.payload import post_json
from bulletin.store import blogs as blog_rows
from bulletin.store import posts as post_rows
from bulletin.web.requests import actor, json_body, newsroom
from bulletin.web.schemas import BLOG_SCHEMA, END_SCHEMA, POST_EDIT_SCHEMA, POST_SCHEMA, body

router = APIRouter(prefix="/api/v1")
Who = Annotated[Actor, Depends(actor)]
IfMatch = Annotated[str | None, Header(alias="If-Match")]
# Ids and positions are 32-bit integers in the store; a larger number is refused here (422)
# instead of overflowing the database driver (500).
MAX_ID = 2**31 - 1
#: An embed published without a preview (a script's `{"kind": "embed", "url"}`) is read for
#: its facade while the request waits, but never longer than this: the post goes out anyway.
PUBLISH_READ_SECONDS = 3.0
PostId = Annotated[int, Path(ge=1, le=MAX_ID)]


def blog_json(blog: Blog) -> dict[str, Any]:
    return {**blog.to_json(), "last_seq": blog.last_seq, "url": f"/blogs/{blog.slug}"}


def post_response(post: Post, blog: Blog, status: int = 200) -> JSONResponse:
    return JSONResponse(post_json(post, blog), status_code=status,
                        headers={"ETag": f'"{post.version}"'})


async def _blog(request: Request, slug: str) -> Blog:
    async with newsroom(request).db.read() as conn:
        return await blog_or_404(conn, slug)


@router.get("/blogs", summary="List blogs, live ones first")
async def list_blogs(request: Request) -> dict[str, Any]:
    from bulletin.store.blogs import list_blogs as rows

    async with newsroom(request).db.read() as conn:
        return {"blogs": [blog_json(b) for b in await rows(conn)]}


@router.post("/blogs", status_code=201, summary="Open a new blog", openapi_extra=body(BLOG_SCHEMA))
async def create_blog(request: Request, who: Who) -> JSONResponse:
    blog = await blog_actions.create(newsroom(request), who, await json_body(request))
    return JSONResponse(blog_json(blog), status_code=201,
                        headers={"Location": f"/api/v1/blogs/{blog.slug}"})


@router.get("/blogs/{slug}", summary="One blog")
async def get_blog(request: Request, slug: str) -> dict[str, Any]:
    return blog_json(await _blog(request, slug))


@router.patch("/blogs/{slug}", summary="Change a blog's title, description, language, "
              "time zone or polling interval", openapi_extra=body(BLOG_SCHEMA))
async def update_blog(request: Request, slug: str, who: Who) -> dict[str, Any]:
    blog = await blog_actions.update(newsroom(request), who, slug, await json_body(request))
    return blog_json(blog)


@router.post("/blogs/{slug}/end", summary="End the coverage: optionally with a closing post, "
             "a new title and the recap unpinned, all at once",
             openapi_extra=body(END_SCHEMA, required=False))
async def end_blog(request: Request, slug: str, who: Who) -> dict[str, Any]:
    raw = await json_body(request, optional=True)
    options = {} if raw is None else post_actions.reject_unknown(
        raw, blog_actions.END_FIELDS, "ending the coverage")
    return blog_json(await blog_actions.end(
        newsroom(request), who, slug, options.get("closing_post"),
        title=options.get("title"), unpin=options.get("unpin", False)))


@router.post("/blogs/{slug}/reopen", summary="Reopen ended coverage")
async def reopen_blog(request: Request, slug: str, who: Who) -> dict[str, Any]:
    return blog_json(await blog_actions.reopen(newsroom(request), who, slug))


@router.get("/blogs/{slug}/posts", summary="Published posts, newest first: page with "
            "?before=<position of the last post you have>, or ?page=K as the reader page "
            "numbers them (from the oldest); search with ?q=words (newsroom members)")
async def list_posts(
    request: Request, slug: str,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Annotated[int | None, Query(ge=1, le=100)] = None,
    page: Annotated[int | None, Query(ge=1, le=10**9)] = None,
    q: Annotated[str | None, Query()] = None,
) -> dict[str, Any]:
    searching = q is not None and q.strip() != ""
    if before is not None and (page is not None or searching):
        raise ValidationError("Use either ?before= or ?page=, not both.", field="before")
    if limit is not None and (page is not None or searching):
        raise ValidationError(f"Pages hold {PAGE_SIZE} posts; ?limit= goes with ?before=.",
                              field="limit")
    if searching:
        who = await actor(request)
        blog, found = await post_actions.search(newsroom(request), who, slug, q, page or 1)
        return {"posts": [post_json(p, blog) for p in found.posts],
                "search": {"query": found.query, "matches": found.matches},
                "page": {"number": found.page, "total": found.pages, "newer": found.newer,
                         "older": found.older},
                "last_seq": blog.last_seq}
    async with newsroom(request).db.read() as conn:
        blog = await blog_or_404(conn, slug)
        if page is not None:
            current = page_for(blog.last_position, page, PAGE_SIZE)
            if current is None:
                raise NotFound(f"This blog has no page {page}; it has "
                               f"{page_count(blog.last_position, PAGE_SIZE)}.", field="page")
            posts = await post_rows.in_positions(conn, blog.id, current.first_position,
                                                 current.last_position)
            return {"posts": [post_json(p, blog) for p in posts],
                    "page": {"number": current.number, "total": current.total,
                             "newer": current.newer, "older": current.older},
                    "last_seq": blog.last_seq}
        count = limit or 20
        posts = await post_rows.before(conn, blog.id, before, count)
    next_before = posts[-1].position if len(posts) == count else None
    return {"posts": [post_json(p, blog) for p in posts], "next_before": next_before,
            "last_seq": blog.last_seq}


async def _may_publish(request: Request, who: Actor, slug: str) -> bool:
    """Whether `who` may publish in `slug`: only then is anything read for the post (the
    action checks again, and answers in its own words if not)."""
    async with newsroom(request).db.read() as conn:
        blog = await blog_rows.get_by_slug(conn, slug)
        member = await as_member(conn, who, blog) if blog else None
    return bool(member and member.can(Permission.PUBLISH))


@router.post("/blogs/{slug}/posts", status_code=201, summary="Publish a post",
             openapi_extra=body(POST_SCHEMA))
async def publish_post(
    request: Request, slug: str, who: Who,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> JSONResponse:
    nr = newsroom(request)
    raw = await json_body(request)
    if bare_embeds(raw, nr.mastodon_hosts) and await _may_publish(request, who, slug):
        await fill_embeds(raw, request.app.state.settings, nr.mastodon_hosts,
                          timeout=PUBLISH_READ_SECONDS)
    result = await post_actions.publish(nr, who, slug, raw, idempotency_key=idempotency_key)
    blog = await _blog(request, slug)
    response = post_response(result.post, blog, 201 if result.created else 200)
    response.headers["Location"] = f"/api/v1/blogs/{slug}/posts/{result.post.id}"
    return response


@router.get("/blogs/{slug}/posts/{post_id}", summary="One published post")
async def get_post(request: Request, slug: str, post_id: PostId) -> JSONResponse:
    async with newsroom(request).db.read() as conn:
        blog = await blog_or_404(conn, slug)
        post = await post_or_404(conn, blog, post_id)
    if post.status is not PostStatus.PUBLISHED:
        raise NotFound(f"Post {post_id} has been deleted.", field="post_id")
    return post_response(post, blog)


@router.patch("/blogs/{slug}/posts/{post_id}", summary="Correct a post (needs If-Match)",
              openapi_extra=body(POST_EDIT_SCHEMA))
async def edit_post(request: Request, slug: str, post_id: PostId, who: Who,
                    if_match: IfMatch = None) -> JSONResponse:
    version = parse_version(if_match)
    post = await post_actions.edit(newsroom(request), who, slug, post_id,
                                   await json_body(request), version)
    return post_response(post, await _blog(request, slug))


@router.delete("/blogs/{slug}/posts/{post_id}", status_code=204, summary="Delete a post")
async def delete_post(request: Request, slug: str, post_id: PostId, who: Who,
                      if_match: IfMatch = None) -> Response:
    await post_actions.delete(newsroom(request), who, slug, post_id, parse_version(if_match))
    return Response(status_code=204)


async def _flag(request: Request, slug: str, post_id: int, who: Actor, if_match: str | None,
                *, pin: bool | None = None, key_event: bool | None = None) -> JSONResponse:
    nr = newsroom(request)
    version = parse_version(if_match)
    if pin is not None:
        post = await post_actions.set_pinned(nr, who, slug, post_id, pin, version)
    else:
        assert key_event is not None
        post = await post_actions.set_key_event(nr, who, slug, post_id, key_event, version)
    return post_response(post, await _blog(request, slug))


@router.put("/blogs/{slug}/posts/{post_id}/pin", summary="Pin a post on top")
async def pin(request: Request, slug: str, post_id: PostId, who: Who,
              if_match: IfMatch = None) -> JSONResponse:
    return await _flag(request, slug, post_id, who, if_match, pin=True)


@router.delete("/blogs/{slug}/posts/{post_id}/pin", summary="Unpin a post")
async def unpin(request: Request, slug: str, post_id: PostId, who: Who,
                if_match: IfMatch = None) -> JSONResponse:
    return await _flag(request, slug, post_id, who, if_match, pin=False)


@router.put("/blogs/{slug}/posts/{post_id}/key-event", summary="Mark as key event")
async def mark_key_event(request: Request, slug: str, post_id: PostId, who: Who,
                         if_match: IfMatch = None) -> JSONResponse:
    return await _flag(request, slug, post_id, who, if_match, key_event=True)


@router.delete("/blogs/{slug}/posts/{post_id}/key-event", summary="Unmark key event")
async def unmark_key_event(request: Request, slug: str, post_id: PostId, who: Who,
                           if_match: IfMatch = None) -> JSONResponse:
    return await _flag(request, slug, post_id, who, if_match, key_event=False)
