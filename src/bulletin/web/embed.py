"""The embeddable reader: `/blogs/{slug}/embed`, a compact live page meant for an iframe.

Other sites frame it (directly, or through `/static/embed.js`), so its responses say who may
frame them — `frame-ancestors …` in the page's Content-Security-Policy (web/csp.py), from the
`embed_frame_ancestors` setting, default `*` — and never send `X-Frame-Options`. Pages of
older updates stay inside the frame (`/blogs/{slug}/embed?page=K`); permalinks and
everything else open in a new tab.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from bulletin.actions.newsroom import Newsroom, blog_or_404
from bulletin.domain.errors import NotFound
from bulletin.domain.paging import PAGE_SIZE, page_count, page_for
from bulletin.render.templating import environment
from bulletin.settings import Settings
from bulletin.store import posts as post_rows
from bulletin.web.csp import reader_policy
from bulletin.web.pages import closing_first

router = APIRouter(include_in_schema=False)

DEFAULT_FRAME_ANCESTORS = "*"
# The permalink anchors of `_post.html`: given a new tab, so a click never replaces the
# widget (a `<base target="_blank">` covers links inside post bodies and live additions).
_PERMALINK = re.compile(r'<a class="(post__time|post__share)" href=')


def frame_ancestors(settings: Settings) -> str:
    """Who may frame the embed: the `embed_frame_ancestors` setting (space- or
    comma-separated sources), `*` when it is not set."""
    raw = settings.embed_frame_ancestors or DEFAULT_FRAME_ANCESTORS
    sources = [s for s in re.split(r"[\s,]+", raw) if s and ";" not in s]
    return " ".join(sources) or DEFAULT_FRAME_ANCESTORS


def frame_headers(settings: Settings, cache: str) -> dict[str, str]:
    """The reader's policy (web/csp.py) plus who may frame the widget."""
    return {"Content-Security-Policy": reader_policy(settings, frame_ancestors(settings)),
            "Cache-Control": cache}


def new_tab(html: str) -> Markup:
    """Rendered `_post.html` with its permalinks opening in a new tab."""
    return Markup(_PERMALINK.sub(r'<a class="\1" target="_blank" rel="noopener" href=',
                                 str(html)))


@router.get("/blogs/{slug}/embed", response_class=HTMLResponse)
async def embed_page(request: Request, slug: str,
                     page: Annotated[int | None, Query(ge=1, le=10**9)] = None
                     ) -> HTMLResponse:
    nr: Newsroom = request.app.state.newsroom
    settings: Settings = request.app.state.settings
    env = environment()
    try:
        async with nr.db.read() as conn:
            blog = await blog_or_404(conn, slug)
            current = page_for(blog.last_position, page, PAGE_SIZE)
            if current is None:
                raise NotFound(f"This blog has no page {page}; it has "
                               f"{page_count(blog.last_position, PAGE_SIZE)} pages.",
                               field="page")
            posts = await post_rows.in_positions(conn, blog.id, current.first_position,
                                                 current.last_position)
            pinned = await post_rows.pinned(conn, blog.id)
            key_events = await post_rows.key_events(conn, blog.id)
    except NotFound as exc:
        # The error page is framable too: the host page shows the message, not a refusal.
        html = env.get_template("error.html").render(status=404, message=exc.message)
        return HTMLResponse(html, status_code=404,
                            headers=frame_headers(settings, "no-store"))
    closing, stream = closing_first(blog, posts, current.is_front)
    html = env.get_template("embed.html").render(
        blog=blog, page=current, posts=stream, pinned=pinned, key_events=key_events,
        closing=closing,
        page_size=PAGE_SIZE, poll_after=blog.poll_after or settings.poll_after,
        new_tab=new_tab)
    max_age = 5 if current.is_front else 60
    return HTMLResponse(html, headers=frame_headers(settings, f"public, max-age={max_age}"))
