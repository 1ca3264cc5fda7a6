"""Desk alerts, in Chromium: an editor whose composer tab is in the background learns from
the tab title (and, if switched on, a short tone) that a contributor sent something for
approval; a contributor sees "Your post is live" when an editor approves it."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import Newsroom
from tests.e2e.newsroom_support import (
    POLL_WAIT,
    colleague,
    open_composer,
    sign_in,
    write_text,
)
from tests.e2e.test_accessibility import assert_accessible

pytestmark = pytest.mark.e2e

# Headless Chromium shows every tab, so the editor's tab is sent to the background the way
# the browser tells a page: document.visibilityState turns 'hidden', then 'visibilitychange'.
HIDE = """(state) => {
    Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => state});
    Object.defineProperty(document, 'hidden', {configurable: true, get: () => state === 'hidden'});
    document.dispatchEvent(new Event('visibilitychange'));
}"""
# Count the tones the page starts (WebAudio oscillators), without changing what they do.
COUNT_TONES = """(() => {
    window.__tones = 0;
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (...args) {
        window.__tones += 1;
        return start.apply(this, args);
    };
})();"""


def submit(page: Page, text: str) -> None:
    write_text(page, text)
    page.locator("#publish").click()
    expect(page.locator("#state")).to_have_text("Sent for approval ✓", timeout=POLL_WAIT)


def test_a_hidden_editor_tab_counts_submissions_and_the_contributor_hears_it_went_live(
        page: Page, second: BrowserContext, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Council vote")
    editor, writer = colleague(nr, slug, "editor"), colleague(nr, slug, "contributor")
    sign_in(page, editor)
    open_composer(page, slug)
    title = page.title()
    contributor = second.new_page()
    sign_in(contributor, writer)
    open_composer(contributor, slug)
    contributor_title = contributor.title()

    page.evaluate(HIDE, "hidden")
    submit(contributor, "The motion passed 31 to 12.")
    expect(page).to_have_title(f"(1) Approval queue · {title}", timeout=POLL_WAIT)
    submit(contributor, "The mayor will speak at six.")
    expect(page).to_have_title(f"(2) Approval queue · {title}", timeout=POLL_WAIT)
    expect(page.locator("#queue-count")).to_have_text("2")
    assert_accessible(page, "the editor's desk with new submissions and the sound switch")

    page.evaluate(HIDE, "visible")  # the editor comes back: the count has done its job
    expect(page).to_have_title(title)
    card = page.locator(".qcard", has_text="The motion passed 31 to 12.")
    card.get_by_role("button", name="Approve").click()

    status = contributor.get_by_role("status").filter(has_text="Your post is live")
    expect(status).to_be_visible(timeout=POLL_WAIT)
    expect(status).to_contain_text("The motion passed 31 to 12.")
    expect(status).to_contain_text(f"approved by {editor.name}")
    expect(contributor).to_have_title(f"Your post is live · {contributor_title}")
    assert_accessible(contributor, "the contributor's desk saying the post is live")
    live = nr.client.get(f"/api/v1/blogs/{slug}/posts").json()["posts"]
    assert len(live) == 1
    assert status.get_by_role("link").get_attribute("href") == (
        f"/blogs/{slug}/posts/{live[0]['id']}")
    status.get_by_role("button", name="Dismiss").click()
    expect(contributor.locator(".desk-alert")).to_be_empty()


def test_the_sound_on_new_submissions_is_remembered_and_plays_a_tone(
        page: Page, second: BrowserContext, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Storm warning")
    editor, writer = colleague(nr, slug, "editor"), colleague(nr, slug, "contributor")
    page.context.add_init_script(COUNT_TONES)
    sign_in(page, editor)
    open_composer(page, slug)
    toggle = page.get_by_label("Sound on new submissions")
    expect(toggle).not_to_be_checked()
    contributor = second.new_page()
    sign_in(contributor, writer)
    open_composer(contributor, slug)

    submit(contributor, "Trees down on the coast road.")
    expect(page.locator(".qcard")).to_have_count(1, timeout=POLL_WAIT)
    assert page.evaluate("window.__tones") == 0  # off: silent

    page.locator(".queue__sound").click()
    expect(toggle).to_be_checked()
    assert page.evaluate("window.__tones") == 1  # a sample, so the editor knows the sound
    open_composer(page, slug)  # reloaded: still on
    expect(page.get_by_label("Sound on new submissions")).to_be_checked()
    page.locator("#compose-editor .blk__text").click()  # any gesture lets the page play sound
    submit(contributor, "The ferry is cancelled.")
    expect(page.locator(".qcard")).to_have_count(2, timeout=POLL_WAIT)
    page.wait_for_function("window.__tones === 1")
    expect(page.get_by_role("status").filter(has_text="New in the queue")).to_contain_text(
        "The ferry is cancelled.")
