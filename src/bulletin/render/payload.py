"""Posts as HTML fragments and as the JSON that the live channel and the API carry."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from bulletin.domain.blog import Blog
from bulletin.domain.post import Post
from bulletin.render.templating import environment


def post_html(post: Post, blog: Blog) -> str:
    if post.published_at is None:  # a draft or a submitted post: show when it was last saved
        post = replace(post, published_at=post.updated_at)
    return environment().get_template("_post.html").render(post=post, blog=blog)


def post_json(post: Post, blog: Blog) -> dict[str, Any]:
    return {**post.to_json(), "html": post_html(post, blog)}


def dumps(value: Any) -> str:
    """Compact one-line JSON: safe as an SSE `data:` line (newlines are always escaped)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
