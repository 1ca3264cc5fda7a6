"""JSON Schemas of request bodies, for the API documentation only: validation itself lives
in the domain, so the API, the CLI and the demo give the same answers."""

from __future__ import annotations

from typing import Any

from bulletin.domain.blocks import (
    MAX_BLOCKS,
    MAX_CAPTION,
    MAX_EXCERPT,
    MAX_HANDLE,
    MAX_SHORT,
    MAX_TEXT_HTML,
)
from bulletin.domain.blog import MAX_POLL_AFTER, MAX_TITLE
from bulletin.domain.post import MAX_CORRECTION, MAX_HEADLINE

_URL = {"type": "string", "format": "uri", "maxLength": 2048}
_SHORT = {"type": "string", "maxLength": MAX_SHORT}
BLOCK_SCHEMA: dict[str, Any] = {
    "oneOf": [
        {"type": "object", "title": "text", "required": ["kind", "html"], "properties": {
            "kind": {"const": "text"},
            "html": {"type": "string", "maxLength": MAX_TEXT_HTML,
                     "description": "HTML subset: p, a[href], strong, em, ul, ol, li, "
                                    "blockquote, br. Anything else is removed."}}},
        {"type": "object", "title": "quote", "required": ["kind", "text"], "properties": {
            "kind": {"const": "quote"}, "text": {"type": "string"}, "speaker": _SHORT,
            "context": {"type": "string", "maxLength": MAX_CAPTION}}},
        {"type": "object", "title": "image", "required": ["kind", "url", "alt"], "properties": {
            "kind": {"const": "image"}, "url": _URL,
            "alt": {"type": "string", "description": "Required unless decorative is true."},
            "caption": {"type": "string", "maxLength": MAX_CAPTION}, "credit": _SHORT,
            "width": {"type": "integer", "minimum": 0}, "height": {"type": "integer", "minimum": 0},
            "decorative": {"type": "boolean"}}},
        {"type": "object", "title": "embed", "required": ["kind", "url"],
         "description": "Send the address alone and Bulletin asks the provider for the rest "
                        "(at most 3 seconds); send the fields (as POST /api/v1/link-preview "
                        "returns them, edited or empty) and they are kept as they are.",
         "properties": {
             "kind": {"const": "embed"}, "url": _URL, "title": _SHORT, "author": _SHORT,
             "handle": {"type": "string", "maxLength": MAX_HANDLE},
             "excerpt": {"type": "string", "maxLength": MAX_EXCERPT},
             "image": {"type": "string", "description": "The thumbnail, stored by Bulletin "
                       "(/media/uploads/…), as POST /api/v1/link-preview returns it."},
             "image_width": {"type": "integer", "minimum": 0},
             "image_height": {"type": "integer", "minimum": 0}}},
        {"type": "object", "title": "link", "required": ["kind", "url"], "properties": {
            "kind": {"const": "link"}, "url": _URL, "title": _SHORT,
            "description": {"type": "string", "maxLength": MAX_CAPTION}, "site": _SHORT,
            "image": {"type": "string", "description": "A picture stored by Bulletin "
                      "(/media/uploads/…), as POST /api/v1/link-preview returns it."}}},
    ]
}
POST_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["blocks"], "additionalProperties": False,
    "properties": {
        "headline": {"type": ["string", "null"], "maxLength": MAX_HEADLINE},
        "blocks": {"type": "array", "minItems": 1, "maxItems": MAX_BLOCKS,
                   "items": BLOCK_SCHEMA},
        "language": {"type": ["string", "null"], "example": "en"},
        "key_event": {"type": "boolean"},
        "pinned": {"type": "boolean"},
    },
}
POST_EDIT_SCHEMA: dict[str, Any] = {
    **POST_SCHEMA, "required": [],
    "properties": {
        **{k: v for k, v in POST_SCHEMA["properties"].items() if k != "pinned"},
        "correction": {
            "type": ["string", "null"], "maxLength": MAX_CORRECTION,
            "description": "Makes this edit a visible correction: one line of plain text that "
                           "readers see at the foot of the post with its time, e.g. \"The "
                           "suspect was 24, not 23.\" Leave it out for a silent fix (a typo).",
        },
    },
}
BLOG_SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["slug", "title"],
    "properties": {
        "slug": {"type": "string", "pattern": "^[a-z0-9-]{1,80}$"},
        "title": {"type": "string", "maxLength": MAX_TITLE},
        "description": {"type": "string"},
        "language": {"type": "string", "example": "en"},
        "timezone": {"type": "string", "example": "Europe/Berlin"},
        "poll_after": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_POLL_AFTER},
    },
}
END_SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "properties": {
        "closing_post": {**POST_SCHEMA, "description": "Published first; the ended blog's "
                         "page leads with it."},
        "title": {"type": "string", "maxLength": MAX_TITLE,
                  "description": "A new title, e.g. \"Storm Halvard — as it happened\"."},
        "unpin": {"type": "boolean", "description": "Unpin the pinned post (the recap)."},
    },
}


def body(schema: dict[str, Any], *, required: bool = True) -> dict[str, Any]:
    return {"requestBody": {"required": required,
                            "content": {"application/json": {"schema": schema}}}}
