"""Posts: headline, size limits, versions and idempotency keys."""

from __future__ import annotations

import pytest

from bulletin.domain.errors import ValidationError
from bulletin.domain.post import (
    MAX_POST_BYTES,
    parse_content,
    parse_version,
    validate_headline,
    validate_idempotency_key,
)
from bulletin.render.sanitize import sanitize_html


def test_headline_is_trimmed_and_optional() -> None:
    assert validate_headline("  Landfall  ") == "Landfall"
    assert validate_headline("") is None
    assert validate_headline(None) is None


@pytest.mark.parametrize("bad", ["x" * 301, "one\r\nevent: blog.ended", "a\u2028b", 7])
def test_bad_headlines_are_refused(bad: object) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_headline(bad)
    assert caught.value.field == "headline"


def test_a_post_over_512_kb_is_refused_with_its_size() -> None:
    text = "<p>" + "a" * 99_000 + "</p>"
    raw = {"blocks": [{"kind": "text", "html": text}] * 6}
    with pytest.raises(ValidationError, match="can be up to 512 KB"):
        parse_content(raw, sanitize_html)
    assert len(text) * 6 > MAX_POST_BYTES


def test_a_large_post_under_the_limit_is_accepted() -> None:
    raw = {"blocks": [{"kind": "text", "html": "<p>" + "a" * 99_000 + "</p>"}] * 5}
    assert len(parse_content(raw, sanitize_html).blocks) == 5


@pytest.mark.parametrize(("header", "version"),
                         [("3", 3), ('"3"', 3), ('W/"12"', 12), (" 4 ", 4), (None, None)])
def test_if_match_accepts_bare_and_quoted_versions(header: str | None, version: int | None
                                                   ) -> None:
    assert parse_version(header) == version


@pytest.mark.parametrize("header", ["abc", '"3', "-1", "3.0", "*", "9" * 20])
def test_if_match_garbage_is_refused(header: str) -> None:
    with pytest.raises(ValidationError, match="If-Match"):
        parse_version(header)


def test_idempotency_keys_are_printable_and_bounded() -> None:
    assert validate_idempotency_key(" abc-123 ") == "abc-123"
    for bad in ["", "x" * 201, "a\nb"]:
        with pytest.raises(ValidationError):
            validate_idempotency_key(bad)
