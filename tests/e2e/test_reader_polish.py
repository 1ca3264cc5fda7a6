"""The reader page's polish, in Chromium on a 390 px phone and a 1366 px laptop: share
actions per post, bylines with a photo and role, the key-events list folded on phones with
a "Key events only" filter, portrait photos that fit the screen, and a pause button that
says "Resume" while paused.

Screenshots of each state go to $BULLETIN_SHOTS (default /tmp/bulletin-shots) for a person
to look at."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import Newsroom
from tests.e2e.newsroom_support import LIVE_WAIT, api_fetch, colleague, sign_in

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("BULLETIN_SHOTS", "/tmp/bulletin-shots"))
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
SIZES = pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["390px", "1366px"])


def shot(page: Page, name: str, *, full: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{page.viewport_size['width']}.png"),
                    full_page=full)


@pytest.fixture
def sized(browser: Browser, newsroom_server: Newsroom, request: pytest.FixtureRequest
          ) -> Iterator[BrowserContext]:
    size = request.node.callspec.params["size"]
    ctx = browser.new_context(base_url=newsroom_server.base_url, viewport=size,
                              reduced_motion="reduce", has_touch=size["width"] < 700)
    yield ctx
    ctx.close()


def open_reader(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.locator("#controls")).to_be_visible()  # the reader script runs


def photo(width: int, height: int) -> bytes:
    img = Image.new("RGB", (width, height), (40, 90, 160))
    img.paste((230, 190, 150), (width // 4, height // 5, width * 3 // 4, height * 3 // 5))
    out = io.BytesIO()
    img.save(out, "JPEG")
    return out.getvalue()


def upload(nr: Newsroom, slug: str, data: bytes) -> dict[str, Any]:
    r = nr.client.post("/api/v1/media", data={"blog": slug},
                       files={"file": ("photo.jpg", data, "image/jpeg")})
    assert r.status_code == 201, r.text
    return dict(r.json())


# ---- A. share actions ------------------------------------------------------------------

@SIZES
def test_share_menu_copies_the_permalink_and_links_to_the_networks(
        sized: BrowserContext, newsroom_server: Newsroom, size: dict[str, int]) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Harbour fire")
    first = nr.publish(slug, "Smoke over the harbour.", headline="Fire at the harbour")
    sized.grant_permissions(["clipboard-read", "clipboard-write"], origin=nr.base_url)
    page = sized.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    open_reader(page, f"/blogs/{slug}")

    post = page.locator(f"#post-{first['id']}")
    toggle = post.locator("summary.share__toggle")
    expect(toggle).to_be_visible()
    assert toggle.evaluate("el => el.firstChild.textContent") == "Share"  # what is seen;
    hidden = toggle.locator(".visually-hidden").bounding_box()  # heard: "Share this update"
    assert hidden is not None and hidden["width"] <= 1
    assert " ".join((toggle.text_content() or "").split()) == "Share this update"
    box = toggle.bounding_box()
    assert box is not None and box["height"] >= 32
    toggle.click()
    menu = post.locator(".share__menu")
    expect(menu).to_be_visible()
    links = {name: post.get_by_role("link", name=name, exact=True)
             for name in ("WhatsApp", "X", "Facebook", "Email")}
    permalink = f"/blogs/{slug}/posts/{first['id']}"
    for name, link in links.items():
        expect(link).to_be_visible()
        item = link.bounding_box()
        assert item is not None and item["height"] >= 44, name  # a finger-sized target
        assert menu.bounding_box()["x"] >= 0  # type: ignore[index]
        href = link.get_attribute("href")
        assert href == f"{permalink}/share/{name.lower()}"
    shot(page, "share-menu-open")

    # Each link goes, on click, to the network's own share page with the permalink.
    absolute = nr.base_url + permalink
    r = page.request.get(f"{permalink}/share/whatsapp", max_redirects=0)
    assert r.status == 303
    assert r.headers["location"] == (
        "https://wa.me/?text=" + quote(f"Fire at the harbour — Harbour fire {absolute}", safe=""))

    page.get_by_role("button", name="Copy link").nth(0).click()
    expect(post.locator(".share__status")).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == absolute

    # Nothing was loaded from another site: no share script, no counts, no icons.
    assert all(u.startswith(nr.base_url) or u.startswith("data:") for u in requests), requests

    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(post.locator(".share__toggle")).to_be_focused()

    # A post that arrives live has the same menu; opening one closes another.
    fresh = nr.publish(slug, "Firefighters have reached the quay.")
    arrived = page.locator(f"#post-{fresh['id']}")
    expect(arrived).to_be_visible(timeout=LIVE_WAIT)
    arrived.locator(".share__toggle").click()
    expect(arrived.locator(".share__menu")).to_be_visible()
    expect(arrived.get_by_role("link", name="WhatsApp")).to_have_attribute(
        "href", f"/blogs/{slug}/posts/{fresh['id']}/share/whatsapp")
    toggle.click()
    expect(menu).to_be_visible()
    expect(arrived.locator(".share__menu")).to_be_hidden()


def test_the_device_share_sheet_is_offered_where_the_browser_has_one(
        context: BrowserContext, newsroom_server: Newsroom) -> None:
    """Headless Chromium on Linux has no share sheet (navigator.share is missing): the page
    offers no button for it. Where the browser has one, the button hands it the permalink;
    here `navigator.share` is the function that records what the page hands it."""
    nr = newsroom_server
    slug = nr.new_blog("Harbour fire")
    post = nr.publish(slug, "Smoke over the harbour.", headline="Fire at the harbour")
    plain = context.new_page()
    open_reader(plain, f"/blogs/{slug}")
    assert not plain.evaluate("'share' in navigator")
    plain.locator(".share__toggle").first.click()
    expect(plain.get_by_role("button", name="Share via…")).to_be_hidden()

    page = context.new_page()
    page.add_init_script("""Object.defineProperty(navigator, 'share', {configurable: true,
        value: (data) => { window.__shared = data; return Promise.resolve(); }});""")
    open_reader(page, f"/blogs/{slug}")
    page.locator(".share__toggle").first.click()
    page.get_by_role("button", name="Share via…").click()
    assert page.evaluate("window.__shared") == {
        "title": "Fire at the harbour", "url": f"{nr.base_url}/blogs/{slug}/posts/{post['id']}"}
    expect(page.locator(".share__menu").first).to_be_hidden()  # done: the menu closes


def test_share_links_work_without_javascript(browser: Browser,
                                             newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Harbour fire")
    post = nr.publish(slug, "Smoke over the harbour.")
    ctx = browser.new_context(base_url=nr.base_url, java_script_enabled=False, viewport=PHONE)
    try:
        page = ctx.new_page()
        for path in (f"/blogs/{slug}", f"/blogs/{slug}/posts/{post['id']}",
                     f"/blogs/{slug}/embed"):
            page.goto(path)
            page.locator(".share__toggle").first.click()
            expect(page.get_by_role("link", name="Facebook").first).to_be_visible()
            expect(page.get_by_role("button", name="Copy link")).to_have_count(0)
            expect(page.get_by_role("button", name="Share via…")).to_have_count(0)
    finally:
        ctx.close()


# ---- B. bylines ------------------------------------------------------------------------

@SIZES
def test_a_journalist_sets_a_byline_photo_and_role_that_readers_see(
        sized: BrowserContext, browser: Browser, newsroom_server: Newsroom,
        size: dict[str, int], tmp_path: Path) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Election night")
    reporter = colleague(nr, slug, "editor")
    desk = browser.new_context(base_url=nr.base_url, viewport=size)
    try:
        journalist = desk.new_page()
        sign_in(journalist, reporter)
        journalist.goto("/account")
        journalist.get_by_label("Role shown under your name").fill("Political correspondent")
        picture = tmp_path / "portrait.jpg"
        picture.write_bytes(photo(900, 1200))
        journalist.get_by_label("Your photo").set_input_files(picture)
        shot(journalist, "account-byline-form")
        journalist.get_by_role("button", name="Save byline").click()
        expect(journalist.get_by_text("Byline saved.")).to_be_visible()
        preview = journalist.locator(".byline-preview")
        expect(preview.locator("img.avatar--photo")).to_be_visible()
        expect(preview).to_contain_text("Political correspondent")
        shot(journalist, "account-byline-saved")

        before = api_fetch(journalist, "POST", f"/api/v1/blogs/{slug}/posts", {
            "blocks": [{"kind": "text", "html": "<p>Turnout is at 64 per cent.</p>"}]})
        assert before["status"] == 201, before
        nr.publish(slug, "The count has begun.")  # the admin: no photo, initials

        reader = sized.new_page()
        open_reader(reader, f"/blogs/{slug}")
        mine = reader.locator(f"#post-{before['body']['id']} .post__byline")
        expect(mine.locator("img.avatar--photo")).to_be_visible()
        assert mine.locator("img").evaluate(
            "img => img.complete && img.naturalWidth === img.naturalHeight && "
            "img.naturalWidth > 0")
        expect(mine.locator(".post__author")).to_have_text(reporter.name)
        expect(mine.locator(".post__role")).to_have_text("Political correspondent")
        expect(reader.locator("#stream article.post").first.locator(".avatar")).to_have_text(
            "AH")

        live = api_fetch(journalist, "POST", f"/api/v1/blogs/{slug}/posts", {
            "blocks": [{"kind": "text", "html": "<p>First result: Northfield.</p>"}]})
        arrived = reader.locator(f"#post-{live['body']['id']} .post__byline")
        expect(arrived.locator("img.avatar--photo")).to_be_visible(timeout=LIVE_WAIT)
        expect(arrived.locator(".post__role")).to_have_text("Political correspondent")
        arrived.scroll_into_view_if_needed()
        shot(reader, "byline-photo-role")

        reader.goto(f"/blogs/{slug}/posts/{before['body']['id']}")
        expect(reader.locator(".post__role")).to_have_text("Political correspondent")
        expect(reader.locator(".post__byline img.avatar--photo")).to_be_visible()
    finally:
        desk.close()


# ---- C. key events on phones and the filter --------------------------------------------

@SIZES
def test_key_events_fold_on_phones_and_the_filter_shows_only_them_live(
        sized: BrowserContext, newsroom_server: Newsroom, size: dict[str, int]) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Storm Halvard")
    posts = [nr.publish(slug, f"Update {i} from the coast.") for i in range(1, 6)]
    for p in posts[1], posts[3]:
        nr.key_event(slug, p["id"])
    page = sized.new_page()
    open_reader(page, f"/blogs/{slug}")
    box = page.locator("details.key-events")
    phone = size["width"] < 700
    if phone:
        expect(box).not_to_have_attribute("open", "")
        expect(page.locator("#key-events")).to_be_hidden()
        shot(page, "key-events-folded")
        box.locator("summary").click()
    expect(page.locator("#key-events li")).to_have_count(2)
    expect(page.locator("#key-events")).to_be_visible()
    shot(page, "key-events-and-filter")

    page.get_by_role("link", name="Key events only").click()
    page.wait_for_url(f"**/blogs/{slug}?filter=key")
    expect(page.locator("#controls")).to_be_visible()
    stream = page.locator("#stream > article.post")
    expect(stream).to_have_count(2)
    expect(stream.first).to_have_attribute("id", f"post-{posts[3]['id']}")
    expect(page.get_by_role("link", name="Key events only")).to_have_attribute(
        "aria-current", "page")
    shot(page, "key-events-only")

    # Live: a plain update stays out, a key event comes in, an un-keyed post goes, and an
    # older post made a key event takes its place in order.
    nr.publish(slug, "A plain update that is not a key event.")
    key = nr.publish(slug, "Evacuation ordered.", key_event=True)
    expect(stream.first).to_have_attribute("id", f"post-{key['id']}", timeout=LIVE_WAIT)
    expect(stream).to_have_count(3)
    nr.key_event(slug, posts[3]["id"], on=False)
    expect(page.locator(f"#post-{posts[3]['id']}")).to_have_count(0, timeout=LIVE_WAIT)
    nr.key_event(slug, posts[0]["id"])
    expect(stream.last).to_have_attribute("id", f"post-{posts[0]['id']}", timeout=LIVE_WAIT)
    expect(stream).to_have_count(3)

    page.get_by_role("link", name="All updates").click()
    page.wait_for_url(f"**/blogs/{slug}")
    expect(page.locator("#stream > article.post")).to_have_count(7)


def test_the_key_events_filter_works_without_javascript(browser: Browser,
                                                        newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Storm Halvard")
    nr.publish(slug, "Plain.")
    key = nr.publish(slug, "Key.", key_event=True)
    ctx = browser.new_context(base_url=nr.base_url, java_script_enabled=False, viewport=PHONE)
    try:
        page = ctx.new_page()
        page.goto(f"/blogs/{slug}")
        expect(page.locator("details.key-events")).to_have_attribute("open", "")
        page.get_by_role("link", name="Key events only").click()
        page.wait_for_url(f"**/blogs/{slug}?filter=key")
        expect(page.locator("#stream > article.post")).to_have_count(1)
        expect(page.locator(f"#post-{key['id']}")).to_be_visible()
    finally:
        ctx.close()


# ---- D. portrait photos and the pause button -------------------------------------------

@SIZES
def test_a_portrait_photo_fits_the_screen_without_moving_the_page(
        sized: BrowserContext, newsroom_server: Newsroom, size: dict[str, int]) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Harbour fire")
    stored = upload(nr, slug, photo(1000, 2000))
    nr.publish(slug, "", headline="The tower from the quay", blocks=[
        {"kind": "image", "url": stored["url"], "width": stored["width"],
         "height": stored["height"], "alt": "A tall tower", "caption": "The tower at noon",
         "credit": "A. Photographer"}])
    page = sized.new_page()
    open_reader(page, f"/blogs/{slug}")
    img = page.locator("#stream .block--image img")
    expect(img).to_have_attribute("width", "1000")
    expect(img).to_have_attribute("height", "2000")
    reserved = img.bounding_box()  # before the picture has loaded: from its attributes
    img.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    loaded = img.bounding_box()
    assert reserved is not None and loaded is not None
    assert abs(loaded["height"] - reserved["height"]) < 1, (reserved, loaded)
    assert loaded["height"] <= size["height"] * 0.8 + 1, loaded
    assert loaded["height"] > size["height"] * 0.5, loaded  # still a big photo
    shot(page, "portrait-photo")


@SIZES
def test_pause_says_resume_while_paused(sized: BrowserContext, newsroom_server: Newsroom,
                                        size: dict[str, int]) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Harbour fire")
    nr.publish(slug, "Smoke over the harbour.")
    page = sized.new_page()
    open_reader(page, f"/blogs/{slug}")
    pause = page.locator("#pause")
    expect(pause).to_have_text("Pause live updates")
    pause.click()
    expect(pause).to_have_text("Resume live updates")
    expect(pause).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="Resume live updates")).to_be_visible()
    nr.publish(slug, "Held while paused.")
    expect(page.locator("#live-state")).to_have_text("Paused · 1 update waiting",
                                                     timeout=LIVE_WAIT)
    shot(page, "paused")
    pause.click()
    expect(pause).to_have_text("Pause live updates")
    expect(pause).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#stream > article.post")).to_have_count(2)
