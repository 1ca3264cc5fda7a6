"""One rule for time (defect 8): a reader anywhere sees the blog's time zone, labelled
("21:40 JST"), on posts already on the page and on posts that arrive live, with the full
date on hover; a permalink spells out the date. Relative times stay relative."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Newsroom

pytestmark = pytest.mark.e2e
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def new_york_page(browser: Browser, newsroom_server: Newsroom) -> Iterator[Page]:
    ctx = browser.new_context(base_url=newsroom_server.base_url, locale="en-US",
                              timezone_id="America/New_York")
    yield ctx.new_page()
    ctx.close()


def tokyo(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(TOKYO)


def test_a_reader_abroad_sees_the_blogs_zone_labelled_including_live_posts(
        new_york_page: Page, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog(title="Typhoon — live", timezone="Asia/Tokyo")
    first = nr.publish(slug, "Ferries suspended.")
    page = new_york_page
    page.goto(f"/blogs/{slug}")
    expect(page.locator("#controls")).to_be_visible()  # the reader script runs

    stamp = page.locator(f"#post-{first['id']} .post__time time")
    when = tokyo(first["published_at"])
    expect(stamp).to_have_text(f"{when:%H:%M} JST")
    assert stamp.get_attribute("title") == f"{when.day} {when:%b %Y, %H:%M} JST"
    expect(page.locator(f"#post-{first['id']} .post__ago")).to_have_text("just now")

    second = nr.publish(slug, "Airport closed.", key_event=True)
    live = page.locator(f"#post-{second['id']} .post__time time")
    expect(live).to_have_text(f"{tokyo(second['published_at']):%H:%M} JST", timeout=5000)
    key = page.locator(f"#key-events li[data-id='{second['id']}'] time")
    expect(key).to_have_text(f"{tokyo(second['published_at']):%H:%M} JST")
    updated = page.locator(".blog__updated time")  # its hover: the post's own words
    expect(updated).to_have_attribute("title", f"{tokyo(second['updated_at']).day} "
                                      f"{tokyo(second['updated_at']):%b %Y, %H:%M} JST")
    expect(updated).to_have_text("just now")

    page.goto(f"/blogs/{slug}/posts/{first['id']}")
    full = page.locator(f"#post-{first['id']} .post__time time")
    expect(full).to_have_text(f"{when:%A} {when.day} {when:%B %Y, %H:%M} JST")
