"""The change feed's vocabulary: what happened to a blog, numbered by a per-blog seq."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class EventKind(enum.StrEnum):
    POST_PUBLISHED = "post.published"
    POST_UPDATED = "post.updated"
    POST_DELETED = "post.deleted"
    POST_PINNED = "post.pinned"
    POST_UNPINNED = "post.unpinned"
    BLOG_UPDATED = "blog.updated"
    BLOG_ENDED = "blog.ended"
    BLOG_REOPENED = "blog.reopened"


@dataclass(frozen=True, slots=True)
class Event:
    """One committed change. `data` is the JSON payload, encoded once when written."""

    blog_id: int
    seq: int
    kind: EventKind
    post_id: int | None
    data: str
