"""A journalist's whole shift at the desk, in Chromium, on a laptop and on a 390 px phone:
open a blog, invite a contributor, publish every kind of block, mark key events, pin a recap,
post thirty quick updates, correct a post visibly, approve a colleague's post, schedule one,
and end the coverage — while a reader's page follows along. Screenshots of each stage are kept
for a person to look at (BULLETIN_SHOTS, default /tmp/bulletin-shots)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.newsroom_support import LIVE_WAIT, PASSWORD, POLL_WAIT, Site, own_site, sign_in
from tests.e2e.phone_support import halves, shot

pytestmark = pytest.mark.e2e

DEVICES: dict[str, dict[str, Any]] = {
    "laptop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
              "is_mobile": True, "has_touch": True},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with own_site(tmp_path_factory.mktemp("walk")) as running:
        yield running


def publish(page: Page, text: str) -> None:
    page.locator("#compose-editor .blk__text").first.click()
    page.keyboard.type(text)
    page.keyboard.press("Control+Enter")


@pytest.mark.parametrize("device", ["laptop", "phone"])
def test_a_shift_at_the_desk(browser: Browser, site: Site, tmp_path: Path,
                             device: str) -> None:
    errors: list[str] = []
    ctx = browser.new_context(base_url=site.base_url, reduced_motion="reduce", **DEVICES[device])
    ctx.on("page", lambda p: p.on("pageerror", lambda e: errors.append(str(e))))
    page = ctx.new_page()
    slug = f"bridge-{device}"

    # Open the blog.
    sign_in(page, site.admin)
    page.get_by_label("Title").fill(f"Bridge collapse ({device})")
    page.get_by_label("Address").fill(slug)
    page.get_by_label("Time zone").fill("Europe/London")
    page.get_by_role("button", name="Open blog").click()
    page.wait_for_url(f"**/blogs/{slug}/edit")
    expect(page.locator("#link-state")).to_have_text("· connected", timeout=LIVE_WAIT)

    # A reader follows along.
    reader = ctx.new_page()
    reader.goto(f"/blogs/{slug}")

    # Invite a contributor; she sets her password from the link.
    page.goto(f"/blogs/{slug}/team")
    page.get_by_label("Name", exact=True).fill(f"Rosa Field {device}")
    page.get_by_role("button", name="Invite").click()
    link = page.locator("#invite-url")
    expect(link).to_have_value(re.compile(r"/invite/"), timeout=LIVE_WAIT)
    expect(page.locator("#members")).to_contain_text(f"Rosa Field {device}")
    joined = httpx.post(link.input_value(), data={"password": PASSWORD},
                        follow_redirects=False, timeout=30)
    assert joined.status_code == 303, joined.text
    shot(page, f"walk-{device}-team")

    # Publish: headline (Enter goes to the text), text, a quote, a photo, an embed.
    page.goto(f"/blogs/{slug}/edit")
    expect(page.locator("#link-state")).to_have_text("· connected", timeout=LIVE_WAIT)
    page.get_by_label("Headline").fill("The bridge has fallen")
    page.get_by_label("Headline").press("Enter")
    page.keyboard.type("Part of the old bridge fell into the river at dawn.")
    page.locator("#compose-editor [data-add=quote]").click()
    page.get_by_label("The quote").fill("Everyone on it got off in time.")
    page.get_by_label("Who said it").fill("Fire chief")
    page.get_by_label("Who said it").press("Enter")  # never publishes
    photo = tmp_path / "bridge.jpg"
    photo.write_bytes(halves(1600, 1000))
    page.locator("#compose-editor [data-add=image]").click()
    block = page.locator("#compose-editor .blk--image")
    block.locator("input[type=file]").set_input_files(str(photo))
    block.get_by_role("button", name="Upload as it is").click()
    expect(block.locator(".blk__status")).to_contain_text("Uploaded", timeout=4 * LIVE_WAIT)
    block.get_by_label("Caption").fill("The gap where the middle span stood")
    block.get_by_label("Credit").fill("Reuters")
    block.get_by_label("Alt text").fill("A bridge with its middle span missing")
    page.locator("#compose-editor [data-add=embed]").click()
    page.get_by_label("Address of the video").fill("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    page.locator("#flag-key").focus()
    page.keyboard.press("Space")
    expect(page.locator("#flag-key")).to_be_checked()
    shot(page, f"walk-{device}-composer")
    expect(page.locator("#compose-editor .blk--embed .blk__status")).not_to_contain_text(
        "Reading", timeout=4 * LIVE_WAIT)  # the provider was asked (and cannot be reached here)
    page.locator("#publish").click()
    expect(page.locator("#compose-editor .field-error")).to_have_count(0)
    expect(page.locator("#state")).to_have_text("Live ✓", timeout=4 * LIVE_WAIT)
    first = reader.locator("#stream article.post").first
    expect(first).to_contain_text("The bridge has fallen", timeout=LIVE_WAIT)
    expect(first).to_contain_text("Photograph: Reuters")

    # A pinned recap, then thirty quick updates in a burst.
    page.get_by_label("Headline").fill("What we know")
    page.get_by_label("Headline").press("Enter")
    page.keyboard.type("The bridge fell at 06:10; nobody was hurt.")
    page.locator("#flag-pin").focus()
    page.keyboard.press("Space")
    expect(page.locator("#flag-pin")).to_be_checked()
    page.keyboard.press("Control+Enter")
    expect(page.locator("#state")).to_have_text("Live ✓", timeout=LIVE_WAIT)
    expect(reader.locator("#pinned")).to_contain_text("What we know", timeout=LIVE_WAIT)
    for i in range(1, 31):
        publish(page, f"Quick update {i}.")
    expect(page.locator("#state")).to_have_text("Live ✓", timeout=12 * LIVE_WAIT)
    expect(page.locator("#outbox li[data-state=refused]")).to_have_count(0)
    expect(reader.locator("#stream article.post")).to_have_count(32, timeout=LIVE_WAIT)
    reader.reload()
    expect(reader.locator("#stream article.post").first).to_contain_text("Quick update 30.")
    shot(page, f"walk-{device}-stream")

    # Correct an older post visibly, from the desk's search.
    page.get_by_label("Find a post to correct").fill("Quick update 3.")
    page.get_by_label("Find a post to correct").press("Enter")
    hit = page.locator("#stream .ed-post").first
    expect(hit).to_contain_text("Quick update 3.", timeout=LIVE_WAIT)
    hit.get_by_role("button", name="Edit").click()
    body = hit.locator(".inline-editor .blk__text").first
    body.click()
    page.keyboard.press("End")
    page.keyboard.type(" Two lanes remain closed.")
    hit.get_by_label("Visible correction").check()
    hit.get_by_label("Correction note readers will see").fill("Two lanes, not one.")
    hit.get_by_role("button", name="Save changes").click()
    expect(hit.locator(".post__correction-note")).to_have_text("Two lanes, not one.",
                                                              timeout=LIVE_WAIT)
    shot(page, f"walk-{device}-correction")

    # The contributor submits; the editor approves from the queue.
    rosa = browser.new_context(base_url=site.base_url, **DEVICES[device])
    rosa_page = rosa.new_page()
    rosa_page.goto("/login")
    rosa_page.get_by_label("Name").fill(f"Rosa Field {device}")
    rosa_page.get_by_label("Password").fill(PASSWORD)
    rosa_page.get_by_role("button", name="Sign in").click()
    rosa_page.wait_for_url("**/newsroom")
    rosa_page.goto(f"/blogs/{slug}/edit")
    publish(rosa_page, "Divers have found the lorry that fell with the span.")
    expect(rosa_page.locator("#state")).to_have_text("Sent for approval ✓", timeout=LIVE_WAIT)
    page.goto(f"/blogs/{slug}/edit")
    card = page.locator("#queue-list .qcard").filter(has_text="Divers have found")
    card.get_by_role("button", name="Approve").click(timeout=POLL_WAIT)
    expect(rosa_page.get_by_text("Your post is live")).to_be_visible(timeout=POLL_WAIT)
    rosa.close()

    # Schedule one for tomorrow morning (in the blog's zone).
    page.get_by_label("Headline").fill("Morning briefing")
    page.get_by_label("Headline").press("Enter")
    page.keyboard.type("What happens to traffic tomorrow.")
    page.get_by_role("button", name="Schedule…").click()
    when = (datetime.now() + timedelta(days=1)).replace(hour=7, minute=0)
    page.locator("#publish-at").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Schedule post").click()
    expect(page.locator("#state")).to_contain_text("Scheduled ✓", timeout=LIVE_WAIT)

    # End the coverage with a closing post.
    page.get_by_role("button", name="End coverage…").click()
    dialog = page.get_by_role("dialog", name="End coverage")
    dialog.get_by_label("Closing words (optional)").fill("That is all from us tonight.")
    dialog.get_by_label("Unpin the recap").check()
    shot(page, f"walk-{device}-end")
    dialog.get_by_role("button", name="End coverage").click()
    expect(page.locator("#blog-badge")).to_have_text("Ended", timeout=LIVE_WAIT)

    reader.goto(f"/blogs/{slug}")
    expect(reader.locator("#closing")).to_contain_text("That is all from us tonight.")
    shot(reader, f"walk-{device}-reader-ended")
    published = httpx.get(f"{site.base_url}/api/v1/blogs/{slug}/posts",
                          params={"limit": 100}, timeout=30).json()["posts"]
    assert len(published) == 1 + 1 + 30 + 1 + 1  # first, recap, burst, approved, closing
    ctx.close()
    assert not errors, errors
