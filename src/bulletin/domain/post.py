"""A post: a timestamped update made of blocks, with its place in the blog's stream."""

from __future__ import annotations

import enum
import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bulletin.domain.blocks import Block, Sanitizer, block_to_dict, parse_blocks
from bulletin.domain.blog import validate_language, validate_timezone
from bulletin.domain.embeds import DEFAULT_MASTODON_HOSTS
from bulletin.domain.errors import ValidationError
from bulletin.domain.text import clean_text

MAX_HEADLINE = 300
MAX_POST_BYTES = 512 * 1024
MAX_IDEMPOTENCY_KEY = 200
MAX_CORRECTION = 300


class PostStatus(enum.StrEnum):
    DRAFT = "draft"  # being written; only the newsroom sees it
    SUBMITTED = "submitted"  # a contributor's post waiting in the approval queue
    SCHEDULED = "scheduled"  # publishes itself at `publish_at`
    PUBLISHED = "published"
    DELETED = "deleted"


@dataclass(frozen=True, slots=True)
class Correction:
    """A visible correction: readers see the note, with its time, at the foot of the post.
    A silent fix (a typo) leaves none."""

    at: datetime
    note: str

    def to_json(self) -> dict[str, str]:
        return {"at": self.at.isoformat(), "note": self.note}


@dataclass(frozen=True, slots=True)
class Post:
    id: int
    blog_id: int
    position: int | None
    status: PostStatus
    headline: str | None
    blocks: tuple[Block, ...]
    author_id: int
    author_name: str
    language: str | None
    created_at: datetime
    published_at: datetime | None
    updated_at: datetime
    version: int
    pinned: bool
    key_event: bool
    publish_at: datetime | None = None
    review_note: str | None = None
    corrections: tuple[Correction, ...] = ()
    #: The byline as the author's account has it now (domain/profile.py says why "now").
    author_title: str = ""
    author_photo: str | None = None

    @property
    def is_public(self) -> bool:
        return self.status is PostStatus.PUBLISHED

    @property
    def edited(self) -> bool:
        return self.published_at is not None and self.updated_at > self.published_at

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "position": self.position,
            "status": self.status.value,
            "headline": self.headline,
            "blocks": [block_to_dict(b) for b in self.blocks],
            "author": {"id": self.author_id, "name": self.author_name,
                       "title": self.author_title, "photo_url": self.author_photo},
            "language": self.language,
            "created_at": self.created_at.isoformat(),
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "updated_at": self.updated_at.isoformat(),
            "version": self.version,
            "pinned": self.pinned,
            "key_event": self.key_event,
            "publish_at": self.publish_at.isoformat() if self.publish_at else None,
            "review_note": self.review_note,
            "corrections": [c.to_json() for c in self.corrections],
        }


@dataclass(frozen=True, slots=True)
class PostContent:
    """Validated, sanitised content of a post, ready to store."""

    headline: str | None
    blocks: tuple[Block, ...]
    language: str | None


def validate_headline(value: object) -> str | None:
    headline = clean_text(value, "headline", label="Headline", max_len=MAX_HEADLINE,
                          single_line=True)
    return headline or None


def validate_correction(value: object) -> str | None:
    """The note of a visible correction ("The suspect was 24, not 23."): one line of plain
    text. None means a silent fix; an empty note is refused, since readers would see a
    correction that says nothing."""
    if value is None:
        return None
    note = clean_text(value, "correction", label="The correction note", max_len=MAX_CORRECTION,
                      single_line=True)
    if not note:
        raise ValidationError("A visible correction needs a note that tells readers what was "
                              "wrong, e.g. 'The suspect was 24, not 23.' For a typo, save "
                              "without a correction.", field="correction")
    return note


def validate_post_language(value: object) -> str | None:
    if value is None or value == "":
        return None
    return validate_language(value)


def parse_content(raw: dict[str, Any], sanitize: Sanitizer, *,
                  mastodon_hosts: Collection[str] = DEFAULT_MASTODON_HOSTS) -> PostContent:
    content = PostContent(
        headline=validate_headline(raw.get("headline")),
        blocks=parse_blocks(raw.get("blocks"), sanitize, mastodon_hosts=mastodon_hosts),
        language=validate_post_language(raw.get("language")),
    )
    check_size(content)
    return content


def check_size(content: PostContent) -> None:
    size = len(json.dumps([block_to_dict(b) for b in content.blocks]).encode())
    size += len((content.headline or "").encode())
    if size > MAX_POST_BYTES:
        raise ValidationError(
            f"This post is {size // 1024:,} KB; a post can be up to {MAX_POST_BYTES // 1024} KB. "
            "Split it into several posts.",
            field="blocks",
        )


def validate_flag(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(f"{field} must be true or false.", field=field)
    return value


def validate_idempotency_key(value: str | None) -> str | None:
    if value is None:
        return None
    key = value.strip()
    if not key or len(key) > MAX_IDEMPOTENCY_KEY or not key.isprintable():
        raise ValidationError(
            f"Idempotency-Key must be 1–{MAX_IDEMPOTENCY_KEY} printable characters.",
            field="Idempotency-Key",
        )
    return key


def parse_version(value: str | None) -> int | None:
    """Read an If-Match header: `3`, `"3"` or `W/"3"`."""
    if value is None:
        return None
    text = value.strip().removeprefix("W/")
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        raise ValidationError(
            f"If-Match must be the post's version, such as \"3\" (got {value[:40]!r}).",
            field="If-Match",
        )
    return int(text)


MAX_SCHEDULE_DAYS = 366
MAX_REVIEW_NOTE = 2_000


def parse_publish_at(value: object, now: datetime, zone: object = None) -> datetime:
    """A scheduled time, in the future, within a year: ISO 8601 with its UTC offset, or a
    wall-clock time ('2026-11-25T14:00') together with the time zone it is read in (the
    desk sends the blog's), so the server, not the browser's clock, does the arithmetic."""
    if not isinstance(value, str) or len(value) > 40:
        raise ValidationError("publish_at must be a date and time such as "
                              "'2026-11-25T14:00:00+01:00'.", field="publish_at")
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(f"publish_at {value[:40]!r} is not a date and time such as "
                              "'2026-11-25T14:00:00+01:00'.", field="publish_at") from None
    if zone is not None:
        if moment.tzinfo is not None:
            raise ValidationError("Send publish_at either with an offset or with a timezone, "
                                  "not both.", field="timezone")
        moment = in_zone(moment, validate_timezone(zone))
    if moment.tzinfo is None:
        raise ValidationError("publish_at needs a time zone offset (e.g. +01:00 or Z), or a "
                              "timezone to read it in, so nobody's post goes out an hour "
                              "early.", field="publish_at")
    if moment <= now:
        raise ValidationError("publish_at is in the past; publish now instead, or pick a "
                              "later time.", field="publish_at")
    if (moment - now).days > MAX_SCHEDULE_DAYS:
        raise ValidationError("publish_at is more than a year away.", field="publish_at")
    return moment


def in_zone(wall: datetime, zone: str) -> datetime:
    """A wall-clock time read in `zone`. A time the clocks skip (spring forward) is refused;
    a time that happens twice (fall back) is the first of the two."""
    moment = wall.replace(tzinfo=ZoneInfo(zone), fold=0)
    if moment.astimezone(UTC).astimezone(moment.tzinfo).replace(tzinfo=None) != wall:
        raise ValidationError(f"{wall:%H:%M} on {wall.day} {wall:%B %Y} does not exist in "
                              f"{zone}: the clocks go forward then. Pick a later time.",
                              field="publish_at")
    return moment


def parse_draft(raw: dict[str, Any], sanitize: Sanitizer, *,
                mastodon_hosts: Collection[str] = DEFAULT_MASTODON_HOSTS) -> PostContent:
    """Like parse_content, but a draft may still be empty: it is checked in full when it is
    submitted, scheduled or published."""
    blocks = raw.get("blocks", [])
    content = PostContent(
        headline=validate_headline(raw.get("headline")),
        blocks=(parse_blocks(blocks, sanitize, mastodon_hosts=mastodon_hosts)
                if blocks != [] else ()),
        language=validate_post_language(raw.get("language")),
    )
    check_size(content)
    return content


def require_complete(post: Post) -> None:
    if not post.blocks:
        raise ValidationError("This post has no content yet: add at least one block.",
                              field="blocks")
