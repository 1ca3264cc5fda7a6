"""Checks shared by every free-text field: lengths, control characters, URLs."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bulletin.domain.errors import ValidationError

# C0 controls except tab/newline/carriage return, plus DEL and the C1 range.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029\x85]")
# Half of a UTF-16 pair, as JSON's "\ud800" can carry: no real text has one, and it cannot
# be stored or sent as UTF-8.
_SURROGATE = re.compile(r"[\ud800-\udfff]")

MAX_URL = 2048


def require_str(value: object, field: str, *, label: str) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"{label} must be text.", field=field)
    return value


def clean_text(
    value: object,
    field: str,
    *,
    label: str,
    max_len: int,
    required: bool = False,
    single_line: bool = False,
) -> str:
    """Return the trimmed text, or explain exactly what is wrong with it."""
    if value is None:
        value = ""
    text = require_str(value, field, label=label).strip()
    if "\x00" in text or _CONTROL.search(text):
        raise ValidationError(f"{label} contains invisible control characters.", field=field)
    if _SURROGATE.search(text):
        raise ValidationError(f"{label} contains a broken character (half of an emoji or "
                              "symbol); type or paste it again.", field=field)
    if single_line and _LINE_BREAK.search(text):
        raise ValidationError(f"{label} must be a single line.", field=field)
    if required and not text:
        raise ValidationError(f"{label} is required.", field=field)
    if len(text) > max_len:
        raise ValidationError(
            f"{label} is {len(text):,} characters long; the limit is {max_len:,}.", field=field
        )
    return text


def clean_url(value: object, field: str, *, label: str, allow_relative: bool = False) -> str:
    """Accept http(s) URLs (and site paths like /media/x.jpg where allowed)."""
    url = clean_text(value, field, label=label, max_len=MAX_URL, required=True, single_line=True)
    if any(ch.isspace() for ch in url):
        raise ValidationError(f"{label} must not contain spaces.", field=field)
    if allow_relative and url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValidationError(
            f"{label} must be a full web address starting with https:// (got {url[:60]!r}).",
            field=field,
        )
    if parts.username or parts.password:
        raise ValidationError(f"{label} must not contain a user name or password.", field=field)
    return url
