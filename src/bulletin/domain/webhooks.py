"""Webhooks: which events an endpoint wants, how deliveries are signed (the Standard
Webhooks scheme) and when a failed delivery is tried again."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import timedelta

from bulletin.domain.errors import ValidationError
from bulletin.domain.events import EventKind
from bulletin.domain.text import clean_url

# Waits before attempt 2, 3, …; after the last one the delivery is marked failed.
RETRY_DELAYS = (timedelta(seconds=5), timedelta(seconds=30), timedelta(minutes=2),
                timedelta(minutes=10), timedelta(minutes=30), timedelta(hours=2),
                timedelta(hours=6))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
PATTERNS = frozenset({"*", "post.*", "blog.*"} | {kind.value for kind in EventKind})


def validate_url(value: object) -> str:
    url = clean_url(value, "url", label="Webhook address")
    if not url.lower().startswith("https://"):
        raise ValidationError("A webhook address must use https://, so deliveries are "
                              "encrypted.", field="url")
    return url


def validate_events(value: object) -> tuple[str, ...]:
    if value is None:
        return ("*",)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ValidationError("events must be a list such as [\"post.*\", \"blog.ended\"].",
                              field="events")
    unknown = sorted(set(value) - PATTERNS)
    if unknown:
        raise ValidationError(f"Unknown event {unknown[0]!r}; use *, post.*, blog.* or one of: "
                              f"{', '.join(k.value for k in EventKind)}.", field="events")
    return tuple(sorted(set(value)))


def wants(patterns: tuple[str, ...], kind: str) -> bool:
    return any(p == "*" or p == kind or (p.endswith(".*") and kind.startswith(p[:-1]))
               for p in patterns)


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """`v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed with the secret after whsec_."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def next_delay(attempts: int) -> timedelta | None:
    """The wait after `attempts` failed attempts, or None when it is time to give up."""
    return RETRY_DELAYS[attempts - 1] if attempts <= len(RETRY_DELAYS) else None
