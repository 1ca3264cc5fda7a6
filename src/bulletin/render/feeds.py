"""Atom 1.0 and JSON Feed 1.1 for feed readers and apps: the newest posts of a blog."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin
from xml.sax.saxutils import escape, quoteattr

from bulletin.domain.blocks import ImageBlock
from bulletin.domain.blog import Blog
from bulletin.domain.post import Post
from bulletin.render.templating import dateline, environment, iso

FEED_SIZE = 50


def body_html(post: Post, blog: Blog) -> str:
    """The post's blocks as HTML (no page chrome), as feed readers want it, then its
    visible corrections with their times. A correction also moves the entry's `updated` /
    `date_modified` (it is an edit), so feed readers fetch the entry again."""
    template = environment().get_template("_block.html")
    body = "".join(template.render(block=block) for block in post.blocks)
    return body + "".join(
        f"<p><strong>Correction</strong> ({escape(dateline(c.at, blog.timezone))}): "
        f"{escape(c.note)}</p>" for c in post.corrections)


def absolute(base_url: str, path: str) -> str:
    return urljoin(base_url, path)


def _title(post: Post, blog: Blog) -> str:
    if post.headline:
        return post.headline
    assert post.published_at is not None
    return f"Update at {dateline(post.published_at, blog.timezone)}"


def atom(blog: Blog, posts: list[Post], base_url: str) -> str:
    page = absolute(base_url, f"/blogs/{blog.slug}")
    feed_url = absolute(base_url, f"/blogs/{blog.slug}/feed.atom")
    entries = []
    for post in posts:
        assert post.published_at is not None
        link = absolute(base_url, f"/blogs/{blog.slug}/posts/{post.id}")
        entries.append(
            "<entry>"
            f"<id>{escape(link)}</id>"
            f"<title>{escape(_title(post, blog))}</title>"
            f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(link)}/>"
            f"<published>{iso(post.published_at)}</published>"
            f"<updated>{iso(post.updated_at)}</updated>"
            f"<author><name>{escape(post.author_name)}</name></author>"
            + ("<category term=\"key-event\"/>" if post.key_event else "")
            + f"<content type=\"html\" xml:base={quoteattr(page)}>"
            f"{escape(body_html(post, blog))}</content>"
            "</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(blog.language)}>'
        f"<id>{escape(page)}</id>"
        f"<title>{escape(blog.title)}</title>"
        + (f"<subtitle>{escape(blog.description)}</subtitle>" if blog.description else "")
        + f"<updated>{iso(blog.updated_at)}</updated>"
        f"<link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(feed_url)}/>"
        f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(page)}/>"
        "<generator>Bulletin</generator>"
        + "".join(entries)
        + "</feed>\n"
    )


def json_feed(blog: Blog, posts: list[Post], base_url: str) -> dict[str, Any]:
    page = absolute(base_url, f"/blogs/{blog.slug}")
    items = []
    for post in posts:
        assert post.published_at is not None
        link = absolute(base_url, f"/blogs/{blog.slug}/posts/{post.id}")
        item: dict[str, Any] = {
            "id": str(post.id),
            "url": link,
            "title": _title(post, blog),
            "content_html": body_html(post, blog),
            "date_published": iso(post.published_at),
            "date_modified": iso(post.updated_at),
            "authors": [{"name": post.author_name}],
            "language": post.language or blog.language,
        }
        images = [b for b in post.blocks if isinstance(b, ImageBlock)]
        if images:
            item["image"] = absolute(base_url, images[0].url)
        if post.key_event:
            item["tags"] = ["key-event"]
        items.append(item)
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": blog.title,
        "home_page_url": page,
        "feed_url": absolute(base_url, f"/blogs/{blog.slug}/feed.json"),
        "description": blog.description,
        "language": blog.language,
        "expired": not blog.is_live,
        "items": items,
    }
