"""The desk on deadline: nothing is published by accident, nothing typed is lost, no field is
cut short — in Chromium, against the real server, as a journalist on breaking news works."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import Newsroom
from tests.e2e.newsroom_support import (
    LIVE_WAIT,
    colleague,
    open_composer,
    posts,
    sign_in,
    write_text,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def desk(page: Page, newsroom_server: Newsroom) -> tuple[Page, str]:
    """An editor signed in, at the composer of a new blog."""
    slug = newsroom_server.new_blog("Bridge collapse")
    sign_in(page, colleague(newsroom_server, slug, "editor"))
    open_composer(page, slug)
    return page, slug


def slow_network(context: BrowserContext, page: Page, latency_ms: int = 1500) -> None:
    cdp = context.new_cdp_session(page)
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": latency_ms,
                                                  "downloadThroughput": -1,
                                                  "uploadThroughput": -1})


def nothing_sent(page: Page, nr: Newsroom, slug: str) -> None:
    expect(page.locator("#outbox li")).to_have_count(0)
    assert posts(nr, slug) == []


def test_enter_in_the_headline_moves_to_the_text_and_publishes_nothing(
        desk: tuple[Page, str], newsroom_server: Newsroom) -> None:
    page, slug = desk
    write_text(page, "Two lanes are closed.")
    headline = page.get_by_label("Headline")
    headline.click()
    page.keyboard.type("Half-written headl")
    page.keyboard.press("Enter")

    nothing_sent(page, newsroom_server, slug)
    expect(page.locator("#compose-editor .blk__text")).to_be_focused()
    expect(headline).to_have_value("Half-written headl")


@pytest.mark.parametrize(("block", "label"), [
    ("quote", "Who said it"),
    ("quote", "Context"),
    ("image", "Caption"),
    ("image", "Credit"),
    ("link", "Title"),
    ("link", "Site name"),
])
def test_enter_in_a_one_line_field_of_a_block_publishes_nothing(
        desk: tuple[Page, str], newsroom_server: Newsroom, block: str, label: str) -> None:
    page, slug = desk
    write_text(page, "Police have closed the bridge.")
    page.locator(f"#compose-editor [data-add={block}]").click()
    field = page.locator(f"#compose-editor .blk--{block}").get_by_label(label)
    field.click()
    page.keyboard.type("Half-typed na")
    page.keyboard.press("Enter")

    nothing_sent(page, newsroom_server, slug)
    expect(field).to_have_value("Half-typed na")
    expect(field).not_to_be_focused()  # Enter moved on to the next field


def test_typing_while_a_post_is_sending_is_kept(
        desk: tuple[Page, str], context: BrowserContext, newsroom_server: Newsroom) -> None:
    page, slug = desk
    slow_network(context, page)
    write_text(page, "Update A: the bridge is closed.")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#outbox li")).to_contain_text("Sending…")
    page.keyboard.type("Update B is being written")

    expect(page.locator("#outbox li")).to_contain_text("Published ✓", timeout=4 * LIVE_WAIT)
    body = page.locator("#compose-editor .blk__text")
    expect(body).to_have_text("Update B is being written")
    page.keyboard.type(" and finished.")
    expect(body).to_have_text("Update B is being written and finished.")
    (post,) = posts(newsroom_server, slug)
    assert post["blocks"] == [{"kind": "text", "html": "<p>Update A: the bridge is closed.</p>"}]


def test_a_burst_of_updates_publishes_each_one_separately_and_in_order(
        desk: tuple[Page, str], context: BrowserContext, newsroom_server: Newsroom) -> None:
    page, slug = desk
    slow_network(context, page)
    write_text(page, "First: divers are at the scene.")
    for text in ["Second: two people rescued.", "Third: the mayor is on her way."]:
        page.keyboard.press("Control+Enter")
        expect(page.locator("#compose-editor .blk__text")).to_be_focused()
        page.keyboard.type(text)
    page.keyboard.press("Control+Enter")

    expect(page.locator("#state")).to_have_text("Live ✓", timeout=6 * LIVE_WAIT)
    published = posts(newsroom_server, slug)
    assert [p["headline"] for p in published] == [None, None, None]
    assert [p["blocks"][0]["html"] for p in reversed(published)] == [
        "<p>First: divers are at the scene.</p>", "<p>Second: two people rescued.</p>",
        "<p>Third: the mayor is on her way.</p>"]
    expect(page.get_by_label("Headline")).to_have_value("")


def test_an_over_long_headline_is_counted_not_cut_and_refused_with_a_message(
        desk: tuple[Page, str], newsroom_server: Newsroom) -> None:
    page, slug = desk
    headline = page.get_by_label("Headline")
    long = "Rescue teams " + "x" * 297  # 310 characters
    headline.fill(long)
    write_text(page, "Divers are searching the river.")

    expect(headline).to_have_value(long)  # nothing cut
    expect(page.locator(".fld--headline .fld__count")).to_have_text("310 / 300 · 10 too many")
    page.keyboard.press("Control+Enter")
    expect(page.locator(".fld--headline .field-error")).to_contain_text(
        "10 characters too long")
    expect(page.locator("#state")).to_have_text("Not sent — see the message")
    nothing_sent(page, newsroom_server, slug)


def test_a_post_the_server_refuses_comes_back_to_the_composer_with_the_message(
        desk: tuple[Page, str], newsroom_server: Newsroom) -> None:
    page, slug = desk
    page.locator("#compose-editor [data-add=image]").click()
    block = page.locator("#compose-editor .blk--image")
    block.get_by_label("Or the address of a photo online").fill("https://example.org/a.jpg")
    page.keyboard.press("Control+Enter")  # no alt text: the server refuses it

    expect(block.get_by_label("Alt text")).to_have_class("is-invalid", timeout=LIVE_WAIT)
    expect(block.locator(".field-error")).to_contain_text("Alt text")
    expect(block.get_by_label("Or the address of a photo online")).to_have_value(
        "https://example.org/a.jpg")
    assert posts(newsroom_server, slug) == []


def test_a_refused_post_waits_in_the_outbox_while_the_next_one_is_written(
        desk: tuple[Page, str], context: BrowserContext, newsroom_server: Newsroom) -> None:
    page, slug = desk
    slow_network(context, page, 800)
    page.locator("#compose-editor [data-add=image]").click()
    page.get_by_label("Or the address of a photo online").fill("https://example.org/a.jpg")
    page.keyboard.press("Control+Enter")  # no alt text: refused, but only after a while
    write_text(page, "Meanwhile: the next update.")

    item = page.locator("#outbox li")
    expect(item).to_contain_text("Not published", timeout=4 * LIVE_WAIT)
    expect(page.locator("#compose-editor .blk__text")).to_have_text("Meanwhile: the next update.")
    item.get_by_role("button", name="Back to the composer").click()
    expect(page.get_by_label("Or the address of a photo online")).to_have_value(
        "https://example.org/a.jpg", timeout=LIVE_WAIT)
    expect(page.locator("#queue-list")).to_contain_text("Meanwhile: the next update.",
                                                       timeout=LIVE_WAIT)  # kept as a draft
    assert posts(newsroom_server, slug) == []


def test_live_state_never_shows_beside_an_error(
        desk: tuple[Page, str], newsroom_server: Newsroom) -> None:
    page, slug = desk
    write_text(page, "The bridge has reopened.")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#state")).to_have_text("Live ✓", timeout=LIVE_WAIT)

    page.locator("#publish").click()  # an empty composer

    expect(page.locator("#compose-editor .ed__add + .field-error")).to_contain_text(
        "Add some content first")
    expect(page.locator("#state")).to_have_text("Not sent — see the message")
    assert len(posts(newsroom_server, slug)) == 1


def test_an_address_that_cannot_be_embedded_is_removed_when_asked_not_turned_into_a_card(
        desk: tuple[Page, str]) -> None:
    page, _ = desk
    write_text(page, "Footage from the scene.")
    page.locator("#compose-editor [data-add=embed]").click()
    embed = page.locator("#compose-editor .blk--embed")
    embed.get_by_label("Address of the video").fill("https://www.bbc.co.uk/news/live/world-1")
    embed.get_by_role("button", name="Remove block").click()  # blurs the address first

    expect(page.locator("#compose-editor .blk--embed, #compose-editor .blk--link")).to_have_count(0)
    page.wait_for_timeout(500)  # a late answer about the address must not bring a block back
    expect(page.locator("#compose-editor .blk--embed, #compose-editor .blk--link")).to_have_count(0)


def test_the_same_address_twice_is_refused_before_anything_is_published(
        desk: tuple[Page, str], newsroom_server: Newsroom) -> None:
    page, slug = desk
    address = "https://www.bbc.co.uk/news/live/world-2"
    page.locator("#compose-editor [data-add=embed]").click()
    embed = page.locator("#compose-editor .blk--embed")
    embed.get_by_label("Address of the video").fill(address)
    embed.get_by_label("Address of the video").press("Tab")
    expect(embed.locator(".blk__status")).to_contain_text("can’t embed this address",
                                                          timeout=4 * LIVE_WAIT)
    expect(embed.locator(".blk__status")).not_to_contain_text('kind "link"')
    page.locator("#compose-editor [data-add=link]").click()
    link = page.locator("#compose-editor .blk--link")
    link.get_by_label("Address of the article").fill(address)
    link.get_by_label("Title").fill("Live page")
    page.locator("#publish").click()

    expect(link.locator(".field-error")).to_contain_text("already in the post")
    nothing_sent(page, newsroom_server, slug)


def test_ctrl_k_links_the_selected_words_without_a_browser_prompt(
        desk: tuple[Page, str], newsroom_server: Newsroom) -> None:
    page, slug = desk
    page.on("dialog", lambda d: pytest.fail(f"a browser dialog opened: {d.message}"))
    write_text(page, "Read the council statement")
    for _ in range(len("statement")):
        page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Control+k")
    box = page.get_by_label("Link address")
    expect(box).to_be_focused()
    box.fill("javascript:alert(1)")
    box.press("Enter")
    expect(page.locator(".linkbox .field-error")).to_contain_text("https://")
    box.fill("https://council.example/statement")
    box.press("Enter")
    expect(page.locator("#compose-editor .blk__text a")).to_have_text("statement")
    expect(page.locator("#compose-editor .blk__text")).to_be_focused()
    page.keyboard.press("Control+Enter")

    expect(page.locator("#state")).to_have_text("Live ✓", timeout=LIVE_WAIT)
    (post,) = posts(newsroom_server, slug)
    assert '<a href="https://council.example/statement"' in post["blocks"][0]["html"]


def test_question_mark_opens_the_shortcuts_and_escape_closes_them(
        desk: tuple[Page, str]) -> None:
    page, _ = desk
    page.locator("#preview-title").click()  # outside any field
    page.keyboard.press("?")
    sheet = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(sheet).to_be_visible()
    expect(sheet).to_contain_text("Ctrl + K")
    page.keyboard.press("Escape")
    expect(sheet).to_be_hidden()
    write_text(page, "What? ")
    expect(sheet).to_be_hidden()  # "?" in a text field is just a character
    expect(page.locator("#compose-editor .blk__text")).to_have_text("What?")
