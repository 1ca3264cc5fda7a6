"""A person's byline: the name, a display role ("Political correspondent") and a photo.

Bylines are read when a post is shown, joined from the author's account, never copied
into the post: a new photo or title shows on every post at the next page load, with no
post re-rendered or rewritten. (Live payloads already sent keep what they said.)
"""

from __future__ import annotations

from dataclasses import dataclass

from bulletin.domain.text import clean_text

MAX_TITLE = 80
#: The avatar is shown at most ~48 CSS px wide; this is enough for a 3x screen.
AVATAR_SIZE = 160


@dataclass(frozen=True, slots=True)
class Profile:
    id: int
    name: str
    title: str
    photo_url: str | None

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "title": self.title,
                "photo_url": self.photo_url}


def validate_title(value: object) -> str:
    """One line of plain text: it is escaped wherever it is shown, never parsed as HTML."""
    return clean_text(value, "title", label="Your role in the byline", max_len=MAX_TITLE,
                      single_line=True)
