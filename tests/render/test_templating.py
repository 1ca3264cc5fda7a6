"""The template filters: times in the blog's zone, ISO stamps, embed providers, initials."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from markupsafe import Markup

from bulletin.render.templating import (
    clock,
    dateline,
    environment,
    host,
    initials,
    iso,
    provider,
    safe_html,
    stamp,
    zone_name,
)

WINTER = datetime(2024, 1, 15, 12, 5, 30, tzinfo=UTC)
SUMMER = datetime(2024, 7, 15, 12, 5, 30, tzinfo=UTC)


@pytest.mark.parametrize(("moment", "zone", "expected"), [
    (WINTER, "UTC", "12:05"),
    (WINTER, "Asia/Tokyo", "21:05"),
    (WINTER, "Europe/Berlin", "13:05"),
    (SUMMER, "Europe/Berlin", "14:05"),
    (WINTER, "America/New_York", "07:05"),
    (WINTER, "Asia/Kolkata", "17:35"),
    (datetime(2024, 1, 15, 23, 30, tzinfo=UTC), "Asia/Tokyo", "08:30"),
])
def test_clock_shows_hours_and_minutes_in_the_blogs_zone(moment: datetime, zone: str,
                                                         expected: str) -> None:
    assert clock(moment, zone) == expected


def test_clock_converts_from_any_aware_time() -> None:
    berlin_noon = datetime(2024, 1, 15, 12, 0, tzinfo=timezone(timedelta(hours=1)))
    assert clock(berlin_noon, "UTC") == "11:00"


@pytest.mark.parametrize(("moment", "zone", "expected"), [
    (WINTER, "Asia/Tokyo", "15 Jan 2024, 21:05 JST"),
    (SUMMER, "Europe/Berlin", "15 Jul 2024, 14:05 CEST"),
    (WINTER, "Europe/Berlin", "15 Jan 2024, 13:05 CET"),
    (datetime(2024, 3, 1, 2, 0, tzinfo=UTC), "America/Los_Angeles", "29 Feb 2024, 18:00 PST"),
])
def test_dateline_names_the_local_day_and_zone(moment: datetime, zone: str,
                                               expected: str) -> None:
    assert dateline(moment, zone) == expected


@pytest.mark.parametrize(("moment", "zone", "expected"), [
    (datetime(2026, 12, 5, 21, 40, tzinfo=UTC), "Europe/London", "21:40 GMT"),
    (datetime(2026, 7, 5, 20, 40, tzinfo=UTC), "Europe/London", "21:40 BST"),
    (WINTER, "Asia/Tokyo", "21:05 JST"),
    (WINTER, "UTC", "12:05 UTC"),
    (WINTER, "America/Sao_Paulo", "09:05 UTC-3"),  # the tz database has no abbreviation
    (WINTER, "Asia/Kathmandu", "17:50 UTC+5:45"),
    (WINTER, "Asia/Kolkata", "17:35 IST"),
])
def test_stamp_is_the_blogs_time_with_its_zone(moment: datetime, zone: str,
                                               expected: str) -> None:
    assert stamp(moment, zone) == expected


def test_zone_name_is_the_abbreviation_or_a_plain_offset() -> None:
    assert zone_name(WINTER.astimezone(ZoneInfo("America/St_Johns"))) == "NST"
    assert zone_name(datetime(2026, 1, 15, tzinfo=ZoneInfo("America/Caracas"))) == "UTC-4"


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Saturday 5 December 2026, 21:40 GMT"),
    ("en-GB", "Saturday 5 December 2026, 21:40 GMT"),
    ("de", "Samstag, 5. Dezember 2026, 21:40 GMT"),
    ("xx", "Saturday 5 December 2026, 21:40 GMT"),
])
def test_long_date_spells_out_the_day_in_the_blogs_language(language: str,
                                                            expected: str) -> None:
    template = environment().from_string("{{ t | long_date('Europe/London') }}")
    assert template.render(t=datetime(2026, 12, 5, 21, 40, tzinfo=UTC),
                           language=language) == expected


def test_iso_is_utc_with_a_z() -> None:
    assert iso(WINTER) == "2024-01-15T12:05:30Z"
    tokyo = WINTER.astimezone(timezone(timedelta(hours=9)))
    assert iso(tokyo) == "2024-01-15T12:05:30Z"
    assert iso(WINTER.replace(microsecond=250)) == "2024-01-15T12:05:30.000250Z"


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.youtube.com/watch?v=abc", "youtube.com"),
    ("https://m.facebook.com/story.php?id=1", "facebook.com"),
    ("HTTPS://News.Example:8443/a", "news.example"),
    ("https://user@www.example.org/", "example.org"),
    ("not a url", ""),
])
def test_host_is_the_lowercase_name_without_www(url: str, expected: str) -> None:
    assert host(url) == expected


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.youtube.com/watch?v=abc", "YouTube"),
    ("https://youtu.be/abc", "YouTube"),
    ("https://m.youtube.com/watch?v=abc", "YouTube"),
    ("https://music.youtube.com/watch?v=abc", "YouTube"),
    ("https://vimeo.com/1234", "Vimeo"),
    ("https://x.com/someone/status/1", "X"),
    ("https://twitter.com/someone/status/1", "X"),
    ("https://www.instagram.com/p/abc/", "Instagram"),
    ("https://bsky.app/profile/someone/post/1", "Bluesky"),
    ("https://mastodon.social/@someone/1234", "Mastodon"),
])
def test_provider_recognises_the_allow_listed_services(url: str, expected: str) -> None:
    assert provider(url) == expected


@pytest.mark.parametrize(("url", "expected"), [
    ("https://youtube.com.evil.example/watch?v=abc", "youtube.com.evil.example"),
    ("https://evilyoutube.com/watch?v=abc", "evilyoutube.com"),
    ("https://www.youtube.com@evil.example/watch", "evil.example"),
    ("https://notx.com/status/1", "notx.com"),
    ("https://x.com.evil.example/status/1", "x.com.evil.example"),
    ("https://news.example/report", "news.example"),
])
def test_look_alike_hosts_are_not_recognised(url: str, expected: str) -> None:
    """A look-alike is shown as its real host, never labelled as the service it imitates."""
    assert provider(url) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("Erin Editor", "EE"),
    ("ada lovelace byron", "AL"),
    ("Jean-Luc Picard", "JL"),
    ("cory_contributor", "CC"),
    ("Madonna", "M"),
    ("Émile Zola", "ÉZ"),
    ("", "?"),
    ("   ", "?"),
])
def test_initials_take_the_first_letters_of_two_words(name: str, expected: str) -> None:
    assert initials(name) == expected


def test_safe_html_keeps_the_subset_and_drops_the_rest() -> None:
    html = safe_html('<p onclick="x()">Hi <strong>there</strong><script>alert(1)</script></p>')
    assert isinstance(html, Markup)
    assert str(html) == "<p>Hi <strong>there</strong></p>"


def test_the_environment_escapes_by_default() -> None:
    env = environment()
    rendered = env.from_string("<h2>{{ headline }}</h2>").render(headline='<b onmouseover="x">')
    assert rendered == "<h2>&lt;b onmouseover=&#34;x&#34;&gt;</h2>"


def test_filters_are_registered_for_templates() -> None:
    env = environment()
    template = env.from_string("{{ t | clock('Asia/Tokyo') }} {{ t | iso }} {{ u | provider }}"
                               " {{ n | initials }}")
    assert template.render(t=WINTER, u="https://youtu.be/x", n="Erin Editor") == \
        "21:05 2024-01-15T12:05:30Z YouTube EE"
