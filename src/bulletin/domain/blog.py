"""A blog is one story's rolling coverage: live until an editor ends it."""

from __future__ import annotations

import enum
import re
import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bulletin.domain.errors import ValidationError
from bulletin.domain.text import clean_text

MAX_TITLE = 300
MAX_DESCRIPTION = 5_000
MAX_POLL_AFTER = 600
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
_LANG = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8}){0,3}$")
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"})


class BlogStatus(enum.StrEnum):
    LIVE = "live"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class Blog:
    id: int
    slug: str
    title: str
    description: str
    language: str
    timezone: str
    status: BlogStatus
    created_at: datetime
    updated_at: datetime
    ended_at: datetime | None
    last_seq: int
    last_position: int
    poll_after: int | None = None
    #: The post that closed the coverage: an ended blog's page leads with it.
    closing_post_id: int | None = None

    @property
    def is_live(self) -> bool:
        return self.status is BlogStatus.LIVE

    @property
    def direction(self) -> str:
        return "rtl" if self.language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"

    def to_json(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "title": self.title,
            "description": self.description,
            "language": self.language,
            "timezone": self.timezone,
            "status": self.status.value,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
            "poll_after": self.poll_after,
            "closing_post_id": self.closing_post_id,
        }


def validate_slug(value: object) -> str:
    if not isinstance(value, str) or not _SLUG.match(value):
        raise ValidationError(
            "The address name (slug) must be 1–80 lowercase letters, digits or hyphens, "
            "e.g. 'storm-night-live'.",
            field="slug",
        )
    return value


def validate_title(value: object) -> str:
    return clean_text(value, "title", label="Title", max_len=MAX_TITLE, required=True,
                      single_line=True)


def validate_description(value: object) -> str:
    return clean_text(value, "description", label="The standfirst (description)",
                      max_len=MAX_DESCRIPTION)


def validate_language(value: object, field: str = "language") -> str:
    if not isinstance(value, str) or not _LANG.match(value):
        raise ValidationError(
            "Language must be a language tag such as 'en', 'de' or 'pt-BR'.", field=field
        )
    return value


def validate_timezone(value: object) -> str:
    if not isinstance(value, str) or not value or len(value) > 64:
        raise ValidationError("Time zone must be a name such as 'Europe/Berlin'.",
                              field="timezone")
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            f"Unknown time zone {value[:64]!r}; use a name such as 'Europe/Berlin'.",
            field="timezone",
        ) from None
    return value


def validate_poll_after(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_POLL_AFTER:
        raise ValidationError(
            f"The poll interval (poll_after) must be a whole number of seconds from 1 to "
            f"{MAX_POLL_AFTER}, or null for the site's setting.",
            field="poll_after",
        )
    return value
