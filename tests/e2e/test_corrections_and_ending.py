"""Corrections and the end of coverage in Chromium, as a desk does them on deadline: a
published post fixed silently and then corrected visibly from the stream's in-place editor,
with an open reader page following live; and "End coverage…" through its dialog (closing
post, "as it happened" title, recap unpinned), readers seeing the ended page live."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.e2e.conftest import Newsroom
from tests.e2e.newsroom_support import (
    LIVE_WAIT,
    assert_not_reloaded,
    colleague,
    open_composer,
    open_reader,
    posts,
    sign_in,
    write_text,
)
from tests.e2e.test_accessibility import assert_accessible

pytestmark = pytest.mark.e2e

NOTE = "The suspect is 24, not 23."


def edit_in_place(page: Page, post_id: int, text: str) -> Locator:
    """Open the stream's in-place editor of a published post and replace its text."""
    item = page.locator(f"#ed-{post_id}")
    item.get_by_role("button", name="Edit").click()
    body = item.locator(".inline-editor .blk__text").first
    expect(body).to_be_visible()
    body.click()
    page.keyboard.press("Control+a")
    page.keyboard.type(text)
    return item


def test_a_visible_correction_shows_live_a_silent_fix_does_not_and_history_has_both(
        page: Page, second: BrowserContext, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Harbour stabbing", timezone="Europe/London")
    post = nr.publish(slug, "Police arrested a 23-year-old man at the scene.")
    reader = second.new_page()
    open_reader(reader, slug)
    sign_in(page, colleague(nr, slug, "editor"))
    open_composer(page, slug)
    on_reader = reader.locator(f"#post-{post['id']}")

    # A silent fix: a typo. Readers get the new text, and no correction note.
    item = edit_in_place(page, post["id"], "Police arrested a 23-year-old man at the scnee.")
    item.get_by_role("button", name="Save changes").click()
    expect(on_reader.locator(".post__body")).to_contain_text("scnee", timeout=LIVE_WAIT)
    item = edit_in_place(page, post["id"], "Police arrested a 23-year-old man at the scene.")
    expect(item.get_by_label("Visible correction")).not_to_be_checked()
    item.get_by_role("button", name="Save changes").click()
    expect(on_reader.locator(".post__body")).to_contain_text("at the scene.", timeout=LIVE_WAIT)
    expect(on_reader.locator(".post__correction")).to_have_count(0)

    # A visible correction: ticked without a note, it is refused where the note goes.
    item = edit_in_place(page, post["id"], "Police arrested a 24-year-old man at the scene.")
    item.get_by_label("Visible correction").check()
    note = item.get_by_label("Correction note readers will see")
    expect(note).to_be_focused()
    item.get_by_role("button", name="Save changes").click()
    expect(item.locator(".fix__error")).to_contain_text("needs a note")
    expect(note).to_be_focused()
    expect(on_reader.locator(".post__body")).to_contain_text("23-year-old")
    note.fill(NOTE)
    expect(item.locator(".fix__count")).to_have_text(f"{len(NOTE)} / 300")
    note.press("Enter")  # Enter in the one-line note does not save half a note
    expect(item.locator(".inline-editor")).to_be_visible()
    item.get_by_role("button", name="Save changes").click()

    correction = on_reader.locator(".post__correction")
    expect(correction).to_be_visible(timeout=LIVE_WAIT)
    expect(correction.locator(".post__correction-label")).to_have_text("Correction")
    expect(correction.locator(".post__correction-note")).to_have_text(NOTE)
    expect(correction.locator("time")).to_have_text(re.compile(r"^\d\d:\d\d (GMT|BST)$"))
    expect(on_reader.locator(".post__body")).to_contain_text("24-year-old")
    assert_not_reloaded(reader)
    # The desk's stream shows it as readers do.
    expect(item.locator(".post__correction-note")).to_have_text(NOTE)
    stored = posts(nr, slug)[0]
    assert [c["note"] for c in stored["corrections"]] == [NOTE]

    item.get_by_role("button", name="History").click()
    versions = item.locator(".history__item")
    expect(versions).to_have_count(4)
    expect(versions.nth(0)).to_contain_text(f"Visible correction: {NOTE}")
    expect(versions.nth(0).locator(".pill--warn")).to_have_text("Correction")
    for silent in (1, 2, 3):
        expect(versions.nth(silent).locator(".history__correction")).to_have_count(0)


def test_the_end_dialog_closes_with_esc_then_ends_with_closing_post_title_and_unpin(
        page: Page, second: BrowserContext, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Storm Halvard")
    recap = nr.publish(slug, "Recap: the river peaked at 6.1 m overnight.", pinned=True)
    latest = nr.publish(slug, "The water is falling in the old town.")
    reader = second.new_page()
    open_reader(reader, slug)
    expect(reader.locator(f"#pinned-{recap['id']}")).to_be_visible()
    sign_in(page, colleague(nr, slug, "editor"))
    open_composer(page, slug)
    write_text(page, "That is all from our live coverage tonight. Thank you for reading.")

    end = page.get_by_role("button", name="End coverage…")
    dialog = page.get_by_role("dialog", name="End coverage")
    end.click()
    expect(dialog).to_be_visible()
    use = dialog.get_by_label("Publish the post in the composer as the closing post")
    expect(use).to_be_checked()
    expect(use).to_be_focused()
    expect(dialog.locator("#end-composer-copy")).to_contain_text("That is all from our live")
    expect(dialog.get_by_label("Closing words (optional)")).to_be_hidden()
    page.keyboard.press("Escape")  # changes nothing
    expect(dialog).to_have_count(0)
    expect(end).to_be_focused()
    expect(page.locator("#blog-badge")).to_have_text("Live")

    end.click()
    expect(dialog.get_by_label("Unpin the recap")).to_be_visible()
    title = dialog.get_by_label("New title")
    expect(title).to_have_value("Storm Halvard — as it happened")
    dialog.get_by_label("Retitle the blog").check()
    title.fill("Storm Halvard: the night the river rose — as it happened")
    title.press("Enter")  # a one-line field never ends the coverage
    expect(dialog).to_be_visible()
    dialog.get_by_label("Unpin the recap").check()
    dialog.get_by_role("button", name="End coverage").click()

    expect(dialog).to_have_count(0, timeout=LIVE_WAIT)
    expect(page.locator("#blog-badge")).to_have_text("Ended")
    expect(page.locator("#blog-head h1")).to_have_text(
        "Storm Halvard: the night the river rose — as it happened")
    expect(page.get_by_role("button", name="Reopen coverage")).to_be_focused()
    expect(page.locator("#compose-editor .blk__text").first).to_have_text("")

    # Readers on the open page: the ended banner, the new title, the closing post leading,
    # the recap no longer pinned — without a reload.
    expect(reader.locator("#ended-banner")).to_be_visible(timeout=LIVE_WAIT)
    expect(reader.locator(".blog__title")).to_have_text(
        "Storm Halvard: the night the river rose — as it happened")
    expect(reader.locator("#closing article.post")).to_contain_text("That is all from our")
    expect(reader.locator("#pinned")).to_be_hidden()
    expect(reader).to_have_title(re.compile("as it happened"))
    assert_not_reloaded(reader)

    # The same order for a reader who arrives now: banner, closing post, then the rest.
    reader.reload()
    order = reader.evaluate("""() => [...document.querySelectorAll(
        '#ended-banner, #closing article.post, #pinned:not([hidden]), #stream article.post')]
        .map((el) => el.id)""")
    closing = posts(nr, slug)[0]["id"]
    assert order == ["ended-banner", f"post-{closing}", f"post-{latest['id']}",
                     f"post-{recap['id']}"]


def test_ending_with_own_closing_words_when_the_composer_is_empty(
        page: Page, second: BrowserContext, third: BrowserContext,
        newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Count night")
    nr.publish(slug, "Turnout was 71%.")
    reader = second.new_page()
    open_reader(reader, slug)
    sign_in(page, colleague(nr, slug, "editor"))
    open_composer(page, slug)

    page.get_by_role("button", name="End coverage…").click()
    dialog = page.get_by_role("dialog", name="End coverage")
    words = dialog.get_by_label("Closing words (optional)")
    expect(words).to_be_focused()
    expect(dialog.get_by_label("Unpin the recap")).to_be_hidden()  # nothing is pinned
    words.fill("The count is over.\n\nResults <final> & certified.")
    dialog.get_by_role("button", name="End coverage").click()

    closing = reader.locator("#closing article.post")
    expect(closing.locator(".block--text p")).to_have_count(2, timeout=LIVE_WAIT)
    expect(closing.locator(".block--text p").nth(1)).to_have_text(
        "Results <final> & certified.")
    expect(reader.locator(".blog__title")).to_have_text("Count night")  # not retitled
    # Reopened, the closing post is an ordinary post again (an ended page stops following
    # the feed, so a reader sees that on their next visit: a new reader, as pages are cached).
    page.get_by_role("button", name="Reopen coverage").click()
    expect(page.locator("#blog-badge")).to_have_text("Live", timeout=LIVE_WAIT)
    reader = third.new_page()
    open_reader(reader, slug)
    expect(reader.locator("#ended-banner")).to_be_hidden()
    expect(reader.locator("#closing")).to_be_hidden()
    expect(reader.locator("#stream article.post").first).to_contain_text("The count is over.")


def test_corrections_the_ended_page_and_the_end_dialog_pass_axe_light_and_dark(
        page: Page, second: BrowserContext, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    ended = nr.new_blog("Flood night")
    recap = nr.publish(ended, "Recap: the river peaked at 6.1 m.", pinned=True)
    wrong = nr.publish(ended, "Two people were rescued.")
    r = nr.client.patch(f"/api/v1/blogs/{ended}/posts/{wrong['id']}",
                        headers={"If-Match": '"1"'},
                        json={"correction": "Three people were rescued, not two."})
    assert r.status_code == 200, r.text
    nr.end(ended, closing="That is all from us tonight.")
    reader = second.new_page()
    for scheme in ("light", "dark"):
        reader.emulate_media(color_scheme=scheme)
        for path in (f"/blogs/{ended}", f"/blogs/{ended}/embed",
                     f"/blogs/{ended}/posts/{wrong['id']}"):
            reader.goto(path)
            expect(reader.locator(f"#post-{wrong['id']} .post__correction")).to_be_visible()
            assert_accessible(reader, f"{path} with a correction, ended ({scheme})")
    expect(reader.locator(f"#post-{recap['id']}")).to_have_count(0)  # the permalink is one post

    live = nr.new_blog("Count night")
    post = nr.publish(live, "Turnout was 71%.", pinned=True)
    sign_in(page, colleague(nr, live, "editor"))
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        open_composer(page, live)
        item = page.locator(f"#ed-{post['id']}")
        item.get_by_role("button", name="Edit").click()
        item.get_by_label("Visible correction").check()
        item.get_by_role("button", name="Save changes").click()
        expect(item.locator(".fix__error")).to_be_visible()
        assert_accessible(page, f"the in-place editor with a correction note ({scheme})")
        page.get_by_role("button", name="End coverage…").click()
        expect(page.get_by_role("dialog", name="End coverage")).to_be_visible()
        assert_accessible(page, f"the end-of-coverage dialog ({scheme})")
        page.keyboard.press("Escape")
