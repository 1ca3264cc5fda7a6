"""Times are shown in the reader's own time zone and locale, with the full date on hover;
without JavaScript they stay in the blog's time zone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Newsroom

pytestmark = pytest.mark.e2e


@pytest.fixture
def new_york_page(browser: Browser, newsroom_server: Newsroom) -> Iterator[Page]:
    ctx = browser.new_context(base_url=newsroom_server.base_url, locale="en-US",
                              timezone_id="America/New_York")
    yield ctx.new_page()
    ctx.close()


def test_times_follow_the_readers_zone_including_live_posts(
        new_york_page: Page, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog(title="Typhoon — live", timezone="Asia/Tokyo")
    first = nr.publish(slug, "Ferries suspended.")
    page = new_york_page
    page.goto(f"/blogs/{slug}")

    def local(iso: str) -> str:
        moment = datetime.fromisoformat(iso).astimezone(ZoneInfo("America/New_York"))
        return moment.strftime("%I:%M %p")

    stamp = page.locator(f"#post-{first['id']} .post__time time")
    expect(stamp).to_have_text(local(first["published_at"]))
    year = str(datetime.fromisoformat(first["published_at"]).year)
    assert year in (stamp.get_attribute("title") or "")  # the full date on hover
    second = nr.publish(slug, "Airport closed.")
    live_stamp = page.locator(f"#post-{second['id']} .post__time time")
    expect(live_stamp).to_have_text(local(second["published_at"]), timeout=5000)
    tokyo = datetime.fromisoformat(first["published_at"]).astimezone(ZoneInfo("Asia/Tokyo"))
    html = page.request.get(f"/blogs/{slug}").text()
    assert f">{tokyo:%H:%M}</time>" in html  # the page itself: the blog's zone
