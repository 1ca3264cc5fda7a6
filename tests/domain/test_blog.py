"""Blogs: slugs, time zones, languages and the polling interval."""

from __future__ import annotations

import pytest

from bulletin.domain.blog import (
    validate_language,
    validate_poll_after,
    validate_slug,
    validate_timezone,
)
from bulletin.domain.errors import ValidationError


@pytest.mark.parametrize("slug", ["storm", "election-night-2026", "a", "x" * 80])
def test_good_slugs(slug: str) -> None:
    assert validate_slug(slug) == slug


@pytest.mark.parametrize("slug", ["", "Storm", "-storm", "storm-", "a b", "x" * 81, "ü", 5])
def test_bad_slugs(slug: object) -> None:
    with pytest.raises(ValidationError, match="lowercase letters"):
        validate_slug(slug)


def test_time_zones_are_iana_names() -> None:
    assert validate_timezone("Europe/Berlin") == "Europe/Berlin"
    with pytest.raises(ValidationError, match="Unknown time zone"):
        validate_timezone("Mars/Olympus")
    with pytest.raises(ValidationError):
        validate_timezone("../../etc/passwd")


def test_languages_are_tags() -> None:
    assert validate_language("pt-BR") == "pt-BR"
    with pytest.raises(ValidationError):
        validate_language("english please")


def test_poll_after_is_bounded_seconds() -> None:
    assert validate_poll_after(30) == 30
    assert validate_poll_after(None) is None
    for bad in (0, 601, True, "5", 2.5):
        with pytest.raises(ValidationError):
            validate_poll_after(bad)
