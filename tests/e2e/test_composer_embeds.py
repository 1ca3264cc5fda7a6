"""Embeds that show something, in Chromium: the journalist adds a YouTube address, our server
reads the provider (local HTTPS servers answering like the providers' public oEmbed endpoints,
reached through the documented `link_connect_to` setting) and fills in the block's title,
author, handle and thumbnail; the journalist edits them and publishes; readers see the facade
with our own copy of the thumbnail, and their browser still calls nobody else before a click.
Also on a 390 px phone, and axe-clean."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.newsroom_support import (
    LIVE_WAIT,
    Site,
    api_fetch,
    open_composer,
    own_site,
    served_in_thread,
    sign_in,
)
from tests.e2e.test_accessibility import assert_accessible
from tests.feed.providersite import VIMEO, X_POST, YOUTUBE, Providers, running_providers

pytestmark = pytest.mark.e2e
READ_WAIT = 20_000  # ms: a functional wait for the server to read the provider and picture
#: Where the screenshots go for a person to look at (a test run's own folder otherwise).
SHOTS = os.environ.get("BULLETIN_SCREENSHOTS", "")


@pytest.fixture(scope="module")
def providers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Providers]:
    """The providers' endpoints, in a thread of their own."""
    yield from served_in_thread(
        lambda: running_providers(tmp_path_factory.mktemp("providers")), "the providers' site")


@pytest.fixture(scope="module")
def desk(providers: Providers, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Our server, sending the providers' hosts to the local one (as an operator would send
    them to a proxy) and trusting its test CA."""
    with own_site(tmp_path_factory.mktemp("desk"), link_allow_hosts="localhost",
                  link_ca_file=providers.ca_file,
                  link_connect_to=providers.connect_to()) as site:
        yield site


@pytest.fixture
def editor(browser: Browser, desk: Site) -> Iterator[Page]:
    context = browser.new_context(base_url=desk.base_url, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, desk.admin)
    yield page
    context.close()


def new_blog(page: Page, slug: str) -> None:
    made = api_fetch(page, "POST", "/api/v1/blogs", {"slug": slug, "title": "Storm surge"})
    assert made["status"] == 201, made


def shot(page: Page, folder: Path, name: str) -> None:
    where = Path(SHOTS) if SHOTS else folder
    where.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(where / name), full_page=True)


def test_an_embed_is_filled_in_edited_published_and_shown_without_calling_the_provider(
        editor: Page, browser: Browser, desk: Site, providers: Providers,
        tmp_path: Path) -> None:
    new_blog(editor, "surge")
    open_composer(editor, "surge")
    editor.locator("#compose-editor [data-add=embed]").click()
    block = editor.locator("#compose-editor .blk--embed")
    expect(block.get_by_label("Title on the card")).to_be_hidden()  # nothing read yet
    block.get_by_label("Address of the video").fill(YOUTUBE)
    block.get_by_label("Address of the video").press("Tab")
    title = block.get_by_label("Title on the card")
    expect(title).to_have_value("Storm surge tops the harbour wall at Kettleby",
                                timeout=READ_WAIT)
    expect(block.get_by_label("Author")).to_have_value("Kettleby Gazette")
    expect(block.get_by_label("Handle (@name)")).to_have_value("@KettlebyGazette")
    expect(block.get_by_label("Excerpt on the card")).to_have_value("")
    expect(block.locator(".blk__status")).to_contain_text("filled in from the provider")
    thumb = block.locator(".blk__picture img")
    expect(thumb).to_be_visible()
    assert (thumb.get_attribute("src") or "").startswith("/media/uploads/")
    block.get_by_label("Excerpt on the card").fill("Filmed by a reader from the lifeboat station.")
    title.fill("The harbour wall at Kettleby, 7.10am")
    expect(editor.locator("#preview .embed-card__title")).to_have_text(
        "The harbour wall at Kettleby, 7.10am", timeout=LIVE_WAIT)
    shot(editor, tmp_path, "composer-embed-1366.png")
    editor.locator("#publish").click()
    expect(editor.locator("#state")).to_have_text("Live ✓", timeout=LIVE_WAIT)

    for width, height in ((1366, 900), (390, 844)):
        context = browser.new_context(base_url=desk.base_url,
                                      viewport={"width": width, "height": height})
        reader = context.new_page()
        hosts: set[str] = set()
        reader.on("request", lambda r, seen=hosts: seen.add(urlsplit(r.url).netloc))
        reader.goto("/blogs/surge")
        card = reader.locator(".embed-card").first
        expect(card.locator(".embed-card__title")).to_have_text(
            "The harbour wall at Kettleby, 7.10am")
        expect(card.locator(".embed-card__author")).to_have_text("Kettleby Gazette")
        expect(card.locator(".embed-card__handle")).to_have_text("@KettlebyGazette")
        expect(card.locator(".embed-card__excerpt")).to_have_text(
            "Filmed by a reader from the lifeboat station.")
        picture = card.locator("img")
        expect(picture).to_have_attribute("alt", "Still from the video")
        picture.scroll_into_view_if_needed()
        reader.wait_for_function("img => img.complete && img.naturalWidth > 0",
                                 arg=picture.element_handle())
        assert urlsplit(picture.evaluate("img => img.currentSrc")).path.startswith(
            "/media/uploads/")
        box = card.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, box
        assert reader.evaluate("document.documentElement.scrollWidth") <= width
        expect(card.locator(".embed-card__load")).to_be_visible()
        assert hosts == {urlsplit(desk.base_url).netloc}, hosts
        assert_accessible(reader, f"a blog with a filled-in embed at {width} px")
        shot(reader, tmp_path, f"reader-embed-{width}.png")
        context.close()
    assert [s.split("?")[0] for s in providers.seen[-2:]] == [
        "www.youtube.com/oembed", "i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg"]


def test_a_new_address_replaces_what_the_old_one_said_but_not_the_journalists_words(
        editor: Page, desk: Site) -> None:
    new_blog(editor, "surge-two")
    open_composer(editor, "surge-two")
    editor.locator("#compose-editor [data-add=embed]").click()
    block = editor.locator("#compose-editor .blk--embed")
    address = block.get_by_label("Address of the video")
    address.fill(VIMEO)
    address.press("Tab")
    expect(block.get_by_label("Title on the card")).to_have_value(
        "The lifeboat launch, filmed from the pier", timeout=READ_WAIT)
    block.get_by_label("Excerpt on the card").fill("Our own words about it.")
    address.fill(X_POST)
    address.press("Tab")
    expect(block.get_by_label("Author")).to_have_value("Kettleby Council", timeout=READ_WAIT)
    expect(block.get_by_label("Title on the card")).to_have_value("")  # Vimeo's title went
    expect(block.get_by_label("Excerpt on the card")).to_have_value("Our own words about it.")
    expect(block.locator(".blk__picture")).to_have_count(0)  # Vimeo's picture went too
    editor.locator("#publish").click()
    expect(editor.locator("#state")).to_have_text("Live ✓", timeout=LIVE_WAIT)
    r = api_fetch(editor, "GET", "/api/v1/blogs/surge-two/posts")
    (embed,) = r["body"]["posts"][0]["blocks"]
    assert (embed["url"], embed["author"], embed["handle"], embed["excerpt"], embed["image"]) == (
        X_POST, "Kettleby Council", "@KettlebyCouncil", "Our own words about it.", "")


def test_a_provider_that_is_down_leaves_the_plain_card_and_publishing_works(
        editor: Page, desk: Site, providers: Providers) -> None:
    providers.down.add("www.youtube.com")
    try:
        new_blog(editor, "surge-three")
        open_composer(editor, "surge-three")
        editor.locator("#compose-editor [data-add=embed]").click()
        block = editor.locator("#compose-editor .blk--embed")
        block.get_by_label("Address of the video").fill(YOUTUBE)
        block.get_by_label("Address of the video").press("Tab")
        expect(block.locator(".blk__status")).to_contain_text("said nothing", timeout=READ_WAIT)
        expect(block.get_by_label("Title on the card")).to_have_value("")
        editor.locator("#publish").click()
        expect(editor.locator("#state")).to_have_text("Live ✓", timeout=LIVE_WAIT)
    finally:
        providers.down.discard("www.youtube.com")
    editor.goto("/blogs/surge-three")
    card = editor.locator(".embed-card")
    expect(card).to_have_count(1)
    expect(card.locator(".embed-card__provider")).to_have_text("YouTube")
    expect(card.locator(".embed-card__url")).to_have_text("youtube.com")  # today's plain card
    expect(card.locator("img")).to_have_count(0)
