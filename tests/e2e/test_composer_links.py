"""Links and embeds in the composer, in Chromium: a pasted address becomes a card filled in
from the other site's page (read by our server over real TLS, its picture copied into our
uploads) or an embed facade; the journalist edits the card and readers never call that site."""

from __future__ import annotations

from collections.abc import Iterator
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
from tests.feed.linksite import Site as OtherSite
from tests.feed.linksite import running_site

pytestmark = pytest.mark.e2e
READ_WAIT = 20_000  # ms: a functional wait for the server to read the page and its picture


@pytest.fixture(scope="module")
def other_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OtherSite]:
    """Another newsroom's HTTPS site (a trustme CA), running in a thread of its own."""
    yield from served_in_thread(
        lambda: running_site(tmp_path_factory.mktemp("other-site")), "the other site")


@pytest.fixture(scope="module")
def desk(other_site: OtherSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Our server, told to trust the test CA and to let link cards reach localhost."""
    with own_site(tmp_path_factory.mktemp("desk"), link_allow_hosts="localhost",
                  link_ca_file=other_site.ca_file) as site:
        yield site


@pytest.fixture
def editor(browser: Browser, desk: Site) -> Iterator[Page]:
    context = browser.new_context(base_url=desk.base_url, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, desk.admin)
    yield page
    context.close()


def new_blog(page: Page, slug: str) -> None:
    made = api_fetch(page, "POST", "/api/v1/blogs", {"slug": slug, "title": "River floods"})
    assert made["status"] == 201, made


def test_a_pasted_link_becomes_an_editable_card_and_readers_never_call_the_other_site(
        editor: Page, browser: Browser, desk: Site, other_site: OtherSite) -> None:
    new_blog(editor, "river-floods")
    open_composer(editor, "river-floods")
    editor.locator("#compose-editor [data-add=link]").click()
    block = editor.locator("#compose-editor .blk--link")
    block.get_by_label("Address of the article").fill(other_site.url("/article"))
    block.get_by_label("Address of the article").press("Tab")  # `change`: the server reads it
    expect(block.get_by_label("Title")).to_have_value("River breaks its banks", timeout=READ_WAIT)
    expect(block.get_by_label("Site name")).to_have_value("The Daily Example")
    expect(block.get_by_label("Short description")).to_have_value("Hundreds evacuated overnight.")
    expect(block.locator(".blk__picture img")).to_be_visible()
    block.get_by_label("Title").fill("The river breaks its banks: full report")
    editor.locator("#publish").click()
    expect(editor.locator("#state")).to_have_text("Live ✓", timeout=LIVE_WAIT)

    context = browser.new_context(base_url=desk.base_url)
    reader = context.new_page()
    hosts: set[str] = set()
    reader.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    reader.goto("/blogs/river-floods")
    card = reader.locator(".block--link .link-card").first
    expect(card).to_contain_text("The river breaks its banks: full report")
    expect(card).to_contain_text("The Daily Example")
    picture = card.locator("img")
    assert (picture.get_attribute("src") or "").startswith("/media/uploads/")
    picture.scroll_into_view_if_needed()
    reader.wait_for_function("img => img.complete && img.naturalWidth > 0",
                             arg=picture.element_handle())
    assert hosts == {urlsplit(desk.base_url).netloc}, hosts
    context.close()


def test_a_video_link_becomes_an_embed_and_an_unknown_embed_a_link_card_when_asked(
        editor: Page) -> None:
    new_blog(editor, "river-videos")
    open_composer(editor, "river-videos")
    editor.locator("#compose-editor [data-add=link]").click()
    address = editor.locator("#compose-editor .blk--link").get_by_label("Address of the article")
    address.fill("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    address.press("Tab")
    embed = editor.locator("#compose-editor .blk--embed")
    expect(embed).to_have_count(1, timeout=READ_WAIT)
    expect(embed.locator(".blk__status")).to_contain_text("player loads only when")

    editor.locator("#compose-editor [data-add=embed]").click()
    other = editor.locator("#compose-editor .blk--embed").nth(1)
    other.get_by_label("Address of the video").fill("https://youtube.com.evil.example/watch?v=x")
    other.get_by_label("Address of the video").press("Tab")
    status = other.locator(".blk__status")
    expect(status).to_contain_text("can’t embed this address", timeout=READ_WAIT)
    expect(status).not_to_contain_text('kind "link"')  # words for a journalist, not the API
    expect(editor.locator("#compose-editor .blk--link")).to_have_count(0)  # not by itself
    other.get_by_role("button", name="Add it as a link card instead").click()
    link = editor.locator("#compose-editor .blk--link")
    expect(link).to_have_count(1, timeout=READ_WAIT)
    expect(link.get_by_label("Address of the article")).to_have_value(
        "https://youtube.com.evil.example/watch?v=x")
    expect(link.locator(".blk__status")).not_to_be_empty()
    link.get_by_label("Title").fill("A page that is not a video")
    editor.locator("#publish").click()
    expect(editor.locator("#state")).to_have_text("Live ✓", timeout=LIVE_WAIT)
    r = api_fetch(editor, "GET", "/api/v1/blogs/river-videos/posts")
    (post,) = r["body"]["posts"]
    assert [b["kind"] for b in post["blocks"]] == ["embed", "link"]


def test_a_link_to_a_private_address_is_refused_with_the_reason(editor: Page) -> None:
    new_blog(editor, "river-private")
    open_composer(editor, "river-private")
    editor.locator("#compose-editor [data-add=link]").click()
    block = editor.locator("#compose-editor .blk--link")
    block.get_by_label("Address of the article").fill("https://169.254.169.254/latest/meta-data/")
    block.get_by_label("Address of the article").press("Tab")
    expect(block.locator(".blk__status")).to_contain_text("private", timeout=READ_WAIT)
    expect(block.get_by_label("Title")).to_have_value("")
