"""A German blog stays German after the script takes over: live strings come from the page's
own catalogue (`data-strings`), and a right-to-left blog lays out from the right."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Newsroom

pytestmark = pytest.mark.e2e
LIVE_WAIT = 5_000  # ms: a functional wait for the change to show, not a speed target


def test_a_german_reader_scrolled_down_gets_a_german_pill_and_relative_times(
        page: Page, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Sturmnacht", language="de")
    nr.publish_many(slug, 25)
    page.goto(f"/blogs/{slug}")
    expect(page.locator("#controls")).to_be_visible()  # the script is running
    expect(page.locator("#stream .post__ago").first).to_have_text("gerade eben")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert page.evaluate("window.scrollY") > 1000

    post = nr.publish(slug, "Die Brücke ist gesperrt.")

    pill = page.locator("#new-pill")
    expect(pill).to_be_visible(timeout=LIVE_WAIT)
    expect(pill).to_have_text("1 neue Meldung ↑")
    nr.publish(slug, "Die Küstenwache ist unterwegs.")
    expect(pill).to_have_text("2 neue Meldungen ↑", timeout=LIVE_WAIT)
    pill.click()
    fresh = page.locator(f"#post-{post['id']}")
    expect(fresh).to_have_count(1)
    expect(page.locator("#pause")).to_have_text("Live-Updates anhalten")
    page.locator("#pause").click()
    expect(page.locator("#live-state")).to_have_text("Angehalten")


def test_an_arabic_blog_puts_the_key_event_marker_on_the_right(
        page: Page, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog("ليلة العاصفة", language="ar")
    nr.publish(slug, "الرياح تشتد على الساحل.", key_event=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/blogs/{slug}")
    expect(page.locator("#controls")).to_be_visible()
    assert page.evaluate("document.documentElement.dir") == "rtl"
    post = page.locator("#stream article.post").first
    box = post.bounding_box()
    assert box is not None
    marker_left = page.evaluate(
        "el => el.getBoundingClientRect().left"
        " + parseFloat(getComputedStyle(el, '::after').left)", post.element_handle())
    assert marker_left > box["x"] + box["width"] / 2, "the key-event marker is on the left"
