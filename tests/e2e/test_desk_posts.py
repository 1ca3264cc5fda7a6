"""Every post findable and correctable from the desk (defect 5), in Chromium against the real
server: 60 posts published through the API, then an editor finds post #3 by searching its
words and by paging, corrects it in place, pins it and deletes its neighbour — and readers
see exactly that. An older page or a search result never takes in new live posts. Times on
the desk follow the blog's zone, and "Publish at" is read in it whatever the browser's."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import Newsroom
from tests.e2e.newsroom_support import (
    LIVE_WAIT,
    colleague,
    open_composer,
    open_reader,
    posts,
    sign_in,
    write_text,
)

pytestmark = pytest.mark.e2e
SHOTS = Path(os.environ.get("BULLETIN_SHOTS") or tempfile.gettempdir()) / "bulletin-shots"


def shot(page: Page, name: str) -> None:
    """Kept for the closing note (a person looks at them); not compared."""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def stream_ids(page: Page) -> list[int]:
    return [int(i) for i in page.locator("#stream > .ed-post").evaluate_all(
        "els => els.map(e => e.dataset.id)")]


def prove_live_then_absent(page: Page, nr: Newsroom, slug: str, visible: dict[str, object],
                           ) -> int:
    """Publish a new post, then correct a post this view shows: once the correction has
    arrived live, the new post (published before it) has arrived too — and must not be
    here. Returns the new post's id."""
    fresh = nr.publish(slug, "Brand-new update that belongs on the latest page.")
    nr.edit(slug, visible, "A live correction that this view should show.")
    expect(page.locator(f"#ed-{visible['id']} article.post")).to_contain_text(
        "A live correction", timeout=LIVE_WAIT)
    expect(page.locator(f"#ed-{fresh['id']}")).to_have_count(0)
    expect(page.locator("#newer-note")).to_have_text(
        "1 new post since you opened this page: see the latest page")
    return int(fresh["id"])


def test_an_editor_finds_post_3_of_60_by_search_and_by_paging_and_corrects_it(
        page: Page, second: BrowserContext, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog(title="Coast storm — live", timezone="Europe/London")
    made = nr.publish_many(slug, 60)
    third, fourth, fifth = made[2], made[3], made[4]
    sign_in(page, colleague(nr, slug, "editor"))
    open_composer(page, slug)
    assert len(stream_ids(page)) == 20
    assert third["id"] not in stream_ids(page)
    expect(page.locator(".pager--bottom .pager__label")).to_have_text("Page 3 of 3 · latest")
    shot(page, "desk-latest-1366")

    # Search by its words: one result, with the editor's actions.
    page.get_by_label("Find a post to correct").fill("NUMBER 3 FROM the coast")
    page.get_by_label("Find a post to correct").press("Enter")
    page.wait_for_url(f"**/blogs/{slug}/edit?q=*")
    expect(page.locator("#desk-stream")).to_have_attribute("data-view", "search")
    assert stream_ids(page) == [third["id"]]
    expect(page.locator("#stream-q-hint")).to_contain_text(
        "1 post matches “NUMBER 3 FROM the coast”")
    hit = page.locator(f"#ed-{third['id']}")
    for action in ("Edit", "Pin", "Key event", "History", "Delete"):
        expect(hit.get_by_role("button", name=action, exact=True)).to_be_visible()
    shot(page, "desk-search-1366")
    page.goto(f"/blogs/{slug}/edit?q=coast+road")
    expect(page.locator("#link-state")).to_have_text("· connected", timeout=LIVE_WAIT)
    prove_live_then_absent(page, nr, slug, nr.client.get(
        f"/api/v1/blogs/{slug}/posts/{made[59]['id']}").json())

    # Nothing matches: the empty state says so and offers the way back.
    page.get_by_label("Find a post to correct").fill("zebra crossing")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("#empty")).to_have_text(
        "No posts match “zebra crossing”. Try fewer or different words.")
    page.get_by_role("link", name="Clear search and show the latest posts").click()
    page.wait_for_url(f"**/blogs/{slug}/edit")

    # Paging: the same numbering as the reader page, the pager saying where it leads.
    expect(page.locator("#link-state")).to_have_text("· connected", timeout=LIVE_WAIT)
    page.locator(".pager--bottom").get_by_role("link", name="Older posts").click()
    expect(page.locator(".pager--bottom .pager__label")).to_have_text("Page 2 of 3")
    page.locator(".pager--bottom").get_by_role("link", name="Older posts").click()
    page.wait_for_url(f"**/blogs/{slug}/edit?page=1#desk-stream")
    expect(page.locator(".pager--bottom .pager__label")).to_have_text("Page 1 of 3 · earliest")
    expect(page.locator("#link-state")).to_have_text("· connected", timeout=LIVE_WAIT)
    assert third["id"] in stream_ids(page) and len(stream_ids(page)) == 20
    fresh = prove_live_then_absent(page, nr, slug, nr.client.get(
        f"/api/v1/blogs/{slug}/posts/{fifth['id']}").json())

    # Correct it in place, pin it, delete its neighbour.
    post = page.locator(f"#ed-{third['id']}")
    post.get_by_role("button", name="Edit").click()
    text = post.locator(".blk__text")
    text.click()
    text.press("End")
    page.keyboard.type(" Correction: the road reopened at noon.")
    post.get_by_role("button", name="Save changes").click()
    expect(post.locator("article.post")).to_contain_text("the road reopened at noon",
                                                         timeout=LIVE_WAIT)
    post.get_by_role("button", name="Pin").click()
    expect(post.get_by_role("button", name="Unpin")).to_be_visible(timeout=LIVE_WAIT)
    expect(page.locator("#pinned")).to_be_hidden()  # the pinned box is the latest page's
    page.once("dialog", lambda d: d.accept())
    page.locator(f"#ed-{fourth['id']}").get_by_role("button", name="Delete").click()
    expect(page.locator(f"#ed-{fourth['id']}")).to_have_count(0, timeout=LIVE_WAIT)
    shot(page, "desk-oldest-page-1366")

    stored = {p["id"]: p for p in posts(nr, slug)}
    assert "the road reopened at noon" in stored[third["id"]]["blocks"][0]["html"]
    assert stored[third["id"]]["pinned"] is True and fourth["id"] not in stored

    # Readers: the oldest page shows the correction and not the deleted post; the front
    # page has it pinned, and the new post.
    reader = second.new_page()
    reader.goto(f"/blogs/{slug}?page=1")
    expect(reader.locator(f"#post-{third['id']}")).to_contain_text("the road reopened at noon")
    expect(reader.locator(f"#post-{fourth['id']}")).to_have_count(0)
    expect(reader.locator(".pager--bottom .pager__label")).to_have_text(
        "Page 1 of 3 · earliest")
    open_reader(reader, slug)
    expect(reader.locator(f"#pinned-{third['id']}")).to_contain_text(
        "the road reopened at noon")
    expect(reader.locator(f"#post-{fresh}")).to_be_visible()


@pytest.fixture
def phone(browser: Browser, newsroom_server: Newsroom) -> Iterator[Page]:
    """A 390 px phone whose clock is in New York, for a blog kept in London time."""
    ctx = browser.new_context(base_url=newsroom_server.base_url,
                              viewport={"width": 390, "height": 844}, locale="en-US",
                              timezone_id="America/New_York", reduced_motion="reduce",
                              has_touch=True, is_mobile=True)
    yield ctx.new_page()
    ctx.close()


def test_on_a_phone_abroad_the_desk_searches_and_schedules_in_the_blogs_zone(
        phone: Page, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog(title="Coast storm — live", timezone="Europe/London")
    made = nr.publish_many(slug, 25)
    page = phone
    sign_in(page, colleague(nr, slug, "editor"))
    open_composer(page, slug)

    london = ZoneInfo("Europe/London")
    first = datetime.fromisoformat(made[0]["published_at"]).astimezone(london)
    page.goto(f"/blogs/{slug}/edit?q=number+1+from")
    expect(page.locator(f"#ed-{made[0]['id']} .post__time time")).to_have_text(
        f"{first:%H:%M} {first.tzname()}")  # the blog's clock, not the phone's
    search = page.get_by_label("Find a post to correct")
    box = search.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"/blogs/{slug}/edit")
    search.fill("number 1 from")
    search.press("Enter")
    page.wait_for_url(f"**/blogs/{slug}/edit?q=number+1+from#desk-stream")
    expect(page.get_by_label("Find a post to correct")).to_be_in_viewport()  # not below
    expect(page.locator(f"#ed-{made[0]['id']}")).to_be_in_viewport()  # the composer
    shot(page, "desk-search-390")

    open_composer(page, slug)
    expect(page.locator("#stream > .ed-post")).to_have_count(25)
    page.locator("#schedule-open").click()
    field = page.get_by_label("Publish at (Europe/London time)")
    expect(field).to_be_visible()
    wall = (datetime.now(london) + timedelta(days=2)).replace(hour=21, minute=40, second=0,
                                                              microsecond=0)
    write_text(page, "Tide tables for tomorrow night.")
    preview = page.locator("#preview .post__time time")  # as readers will see it: labelled
    expect(preview).to_have_text(re.compile(r"^\d\d:\d\d (GMT|BST)$"), timeout=LIVE_WAIT)
    shown = preview.text_content() or ""
    now = datetime.now(london)
    assert shown in {f"{m:%H:%M} {m.tzname()}" for m in (now, now - timedelta(minutes=1))}
    field.fill(wall.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Schedule post").click()
    card = page.locator("#queue-list .qcard__when")
    expect(card).to_contain_text("21:40", timeout=LIVE_WAIT)
    expect(card).to_contain_text("GMT")  # labelled in the blog's zone ("GMT", or "GMT+1")
    shot(page, "desk-scheduled-390")
    drafts = nr.client.get(f"/api/v1/blogs/{slug}/drafts").json()["posts"]
    (scheduled,) = [p for p in drafts if p["status"] == "scheduled"]
    assert datetime.fromisoformat(scheduled["publish_at"]) == wall.astimezone(UTC)
