"""Reader pages, server-rendered and complete without JavaScript."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urljoin

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from bulletin.actions.newsroom import Newsroom, blog_or_404, post_or_404
from bulletin.domain.blog import Blog
from bulletin.domain.errors import NotFound
from bulletin.domain.paging import PAGE_SIZE, page_count, page_for, page_of_position
from bulletin.domain.post import Post, PostStatus
from bulletin.render import seo
from bulletin.render.share import NETWORKS, share_url
from bulletin.render.templating import environment
from bulletin.settings import Settings
from bulletin.store import blogs as blog_rows
from bulletin.store import posts as post_rows
from bulletin.web.csp import plain_policy, reader_policy

router = APIRouter(include_in_schema=False)


def base_url(request: Request) -> str:
    """The site's public address: the configured one, else the one this request used."""
    settings: Settings = request.app.state.settings
    return settings.base_url or str(request.base_url)


def closing_first(blog: Blog, posts: list[Post], is_front: bool
                  ) -> tuple[Post | None, list[Post]]:
    """An ended blog's front page leads with its closing post: take it out of the stream
    (it is shown above the recap instead). Any other page, or a live blog, is unchanged."""
    if blog.is_live or blog.closing_post_id is None or not is_front:
        return None, posts
    closing = next((p for p in posts if p.id == blog.closing_post_id), None)
    return closing, [p for p in posts if p is not closing]


def render(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)


@router.get("/", response_class=HTMLResponse)
async def index(request: Request) -> HTMLResponse:
    nr: Newsroom = request.app.state.newsroom
    async with nr.db.read() as conn:
        blogs = await blog_rows.list_blogs(conn)
    return HTMLResponse(render("index.html", blogs=blogs),
                        headers={"Cache-Control": "public, max-age=10",
                                 "Content-Security-Policy": plain_policy()})


@router.get("/blogs/{slug}", response_class=HTMLResponse)
async def blog_page(request: Request, slug: str,
                    page: Annotated[int | None, Query(ge=1, le=10**9)] = None,
                    only: Annotated[Literal["key"] | None, Query(alias="filter")] = None
                    ) -> HTMLResponse:
    """The live page; `?filter=key` shows the key events only, all on one page, and stays
    live (reader.js keeps to the filter)."""
    nr: Newsroom = request.app.state.newsroom
    settings: Settings = request.app.state.settings
    key_only = only == "key"
    async with nr.db.read() as conn:
        blog = await blog_or_404(conn, slug)
        current = page_for(blog.last_position, None if key_only else page, PAGE_SIZE)
        if current is None:
            raise NotFound(f"This blog has no page {page}; it has "
                           f"{page_count(blog.last_position, PAGE_SIZE)} pages.", field="page")
        key_events = await post_rows.key_events(conn, blog.id)
        posts = key_events if key_only else await post_rows.in_positions(
            conn, blog.id, current.first_position, current.last_position)
        pinned = await post_rows.pinned(conn, blog.id)
    base = base_url(request)
    canonical = urljoin(base, f"/blogs/{blog.slug}" + (
        "" if current.is_front else f"?page={current.number}"))
    pictures = [url for post in ([pinned] if pinned else []) + posts
                for url in seo.images(post, base)]
    closing, stream = closing_first(blog, posts, current.is_front)
    html = render("blog.html", blog=blog, page=current, posts=stream, pinned=pinned,
                  closing=closing,
                  key_events=key_events, key_only=key_only, page_size=PAGE_SIZE,
                  poll_after=blog.poll_after or settings.poll_after, canonical=canonical,
                  jsonld=seo.live_blog(blog, posts, base, canonical),
                  social=seo.social_tags(
                      title=blog.title, description=blog.description, url=canonical,
                      image=pictures[0] if pictures else None))
    max_age = 5 if current.is_front else 60
    return HTMLResponse(html, headers={"Cache-Control": f"public, max-age={max_age}",
                                       "Content-Security-Policy": reader_policy(settings)})


@router.get("/blogs/{slug}/posts/{post_id}", response_class=HTMLResponse)
async def post_page(request: Request, slug: str,
                    post_id: Annotated[int, Path(ge=1, le=2**31 - 1)]) -> HTMLResponse:
    nr: Newsroom = request.app.state.newsroom
    async with nr.db.read() as conn:
        blog = await blog_or_404(conn, slug)
        post = await post_or_404(conn, blog, post_id)
    if post.status is not PostStatus.PUBLISHED or post.position is None:
        raise NotFound("This post has been removed.", field="post_id")
    page_number = page_of_position(post.position, blog.last_position, PAGE_SIZE)
    current = page_for(blog.last_position, page_number, PAGE_SIZE)
    assert current is not None
    base = base_url(request)
    canonical = urljoin(base, f"/blogs/{blog.slug}/posts/{post.id}")
    html = render("post.html", blog=blog, post=post, page=current, canonical=canonical,
                  jsonld=seo.blog_posting(blog, post, base, canonical),
                  social=seo.social_tags(
                      title=seo.headline(post), description=seo.plain_text(post.blocks)[:300],
                      url=canonical, image=next(iter(seo.images(post, base)), None)))
    return HTMLResponse(html, headers={
        "Cache-Control": "public, max-age=30",
        "Content-Security-Policy": reader_policy(request.app.state.settings)})


@router.get("/blogs/{slug}/posts/{post_id}/share/{network}")
async def share(request: Request, slug: str, post_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
                network: str) -> RedirectResponse:
    """A post's share link: off to the network's own share page with the permalink."""
    if network not in NETWORKS:
        raise NotFound(f"Bulletin cannot share to {network[:40]!r}; it shares to "
                       f"{', '.join(NETWORKS)}.", field="network")
    nr: Newsroom = request.app.state.newsroom
    async with nr.db.read() as conn:
        blog = await blog_or_404(conn, slug)
        post = await post_or_404(conn, blog, post_id)
    if post.status is not PostStatus.PUBLISHED:
        raise NotFound("This post has been removed.", field="post_id")
    url = urljoin(base_url(request), f"/blogs/{blog.slug}/posts/{post.id}")
    title = f"{seo.headline(post)} — {blog.title}"
    return RedirectResponse(share_url(network, url, title), status_code=303,
                            headers={"Cache-Control": "public, max-age=30",
                                     "X-Robots-Tag": "noindex, nofollow"})
