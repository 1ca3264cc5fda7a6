"""What search engines and social networks read: schema.org LiveBlogPosting JSON-LD and
OpenGraph / Twitter-card tags, with absolute URLs."""

from __future__ import annotations

import html
import json
from typing import Any
from urllib.parse import urljoin

import nh3
from markupsafe import Markup

from bulletin.domain.blocks import Block, EmbedBlock, ImageBlock, LinkBlock, QuoteBlock, TextBlock
from bulletin.domain.blog import Blog
from bulletin.domain.post import Post
from bulletin.render.templating import iso

HEADLINE_MAX = 110  # Google truncates longer headlines


def plain_text(blocks: tuple[Block, ...]) -> str:
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, TextBlock):
            spaced = block.html.replace("</p>", "</p> ").replace("<br>", " ")
            parts.append(html.unescape(nh3.clean(spaced, tags=set())).strip())
        elif isinstance(block, QuoteBlock):
            who = f" — {block.speaker}" if block.speaker else ""
            parts.append(f"“{block.text}”{who}")
        elif isinstance(block, ImageBlock) and block.caption:
            parts.append(block.caption)
        elif isinstance(block, LinkBlock | EmbedBlock) and block.title:
            parts.append(block.title)
    return " ".join(p for p in parts if p)


def headline(post: Post) -> str:
    text = post.headline or plain_text(post.blocks) or "Update"
    return text if len(text) <= HEADLINE_MAX else text[: HEADLINE_MAX - 1].rstrip() + "…"


def images(post: Post, base_url: str) -> list[str]:
    return [urljoin(base_url, b.url) for b in post.blocks if isinstance(b, ImageBlock)]


def corrections(post: Post) -> list[dict[str, str]]:
    """schema.org's `correction`: each visible correction as a CorrectionComment."""
    return [{"@type": "CorrectionComment", "text": c.note, "datePublished": iso(c.at)}
            for c in post.corrections]


def _script(data: dict[str, Any]) -> Markup:
    # No "<" at all inside the script element, so nothing can close or comment it early.
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return Markup(f'<script type="application/ld+json">{text}</script>')


def live_blog(blog: Blog, posts: list[Post], base_url: str, page_url: str) -> Markup:
    updates = []
    for post in posts:
        assert post.published_at is not None
        update: dict[str, Any] = {
            "@type": "BlogPosting",
            "headline": headline(post),
            "url": urljoin(base_url, f"/blogs/{blog.slug}/posts/{post.id}"),
            "datePublished": iso(post.published_at),
            "dateModified": iso(post.updated_at),
            "articleBody": plain_text(post.blocks),
            "author": {"@type": "Person", "name": post.author_name},
        }
        pictures = images(post, base_url)
        if pictures:
            update["image"] = pictures
        if post.corrections:
            update["correction"] = corrections(post)
        updates.append(update)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "@id": page_url,
        "url": page_url,
        "headline": blog.title[:HEADLINE_MAX],
        "description": blog.description,
        "inLanguage": blog.language,
        "datePublished": iso(blog.created_at),
        "dateModified": iso(blog.updated_at),
        "coverageStartTime": iso(blog.created_at),
        "liveBlogUpdate": updates,
    }
    if blog.ended_at is not None:
        data["coverageEndTime"] = iso(blog.ended_at)
    return _script(data)


def blog_posting(blog: Blog, post: Post, base_url: str, page_url: str) -> Markup:
    assert post.published_at is not None
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "BlogPosting", "@id": page_url,
        "url": page_url, "headline": headline(post), "inLanguage": post.language or blog.language,
        "datePublished": iso(post.published_at), "dateModified": iso(post.updated_at),
        "articleBody": plain_text(post.blocks),
        "author": {"@type": "Person", "name": post.author_name},
        "isPartOf": {"@type": "LiveBlogPosting", "headline": blog.title[:HEADLINE_MAX],
                     "url": urljoin(base_url, f"/blogs/{blog.slug}")},
    }
    pictures = images(post, base_url)
    if pictures:
        data["image"] = pictures
    if post.corrections:
        data["correction"] = corrections(post)
    return _script(data)


def social_tags(*, title: str, description: str, url: str, image: str | None) -> Markup:
    tags = [("property", "og:type", "article"), ("property", "og:title", title),
            ("property", "og:url", url), ("property", "og:site_name", "Bulletin"),
            ("name", "twitter:card", "summary_large_image" if image else "summary"),
            ("name", "twitter:title", title)]
    if description:
        tags += [("property", "og:description", description[:300]),
                 ("name", "twitter:description", description[:300])]
    if image:
        tags += [("property", "og:image", image), ("name", "twitter:image", image)]
    return Markup("\n".join(
        f'<meta {attr}="{html.escape(key)}" content="{html.escape(value)}">'
        for attr, key, value in tags))
