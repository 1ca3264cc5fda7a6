"""The newsroom on a phone at the scene (390 × 844, touch), in Chromium: every control a
finger can hit (44 × 44 px or more) on every newsroom page, no page that scrolls sideways,
a Publish bar that stays on screen while a long post is written, and no keyboard-shortcut
hints where there is no keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from tests.e2e.conftest import Newsroom
from tests.e2e.newsroom_support import (
    LIVE_WAIT,
    POLL_WAIT,
    api_fetch,
    colleague,
    open_composer,
    sign_in,
)
from tests.e2e.phone_support import halves, shot
from tests.e2e.test_accessibility import RICH_BLOCKS, offline

pytestmark = pytest.mark.e2e
PHONE: ViewportSize = {"width": 390, "height": 844}
TOUCH = 44  # px: the smallest box a finger hits reliably (WCAG 2.5.5, Apple and Google guides)

# Every visible control, measured by the box a finger can hit: a checkbox or file input that
# is drawn by its label (toggles, the photo picker) is hit through that label. Links inside
# running text are exempt (WCAG 2.5.5's inline exception); so is the skip link until focused.
MEASURE = """() => {
  const seen = new Set(), out = [];
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '[role=button], [contenteditable=true], [tabindex]:not([tabindex="-1"])';
  for (const el of document.querySelectorAll(sel)) {
    let target = el;
    if (el.matches('input[type=checkbox], input[type=radio], input[type=file]'))
      target = el.closest('label') || el;
    if (el.matches('a') && el.parentElement) {
      const own = el.textContent.trim(), around = el.parentElement.textContent.trim();
      if (around !== own && el.closest('p, li, td, .post__body, .block--text')) continue;
    }
    if (seen.has(target) || !target.checkVisibility({visibilityProperty: true})) continue;
    seen.add(target);
    const r = target.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.bottom < -window.scrollY || r.right < 0 || r.left > innerWidth) continue;
    if (target.matches('.skip')) continue;
    out.push({what: target.outerHTML.slice(0, 120), w: Math.round(r.width * 10) / 10,
              h: Math.round(r.height * 10) / 10});
  }
  return out;
}"""


def small_targets(page: Page) -> list[dict[str, Any]]:
    boxes: list[dict[str, Any]] = page.evaluate(MEASURE)
    assert boxes, "no control measured: the page did not render"
    return [b for b in boxes if b["w"] < TOUCH - 0.5 or b["h"] < TOUCH - 0.5]


def assert_fits(page: Page, what: str) -> None:
    small = small_targets(page)
    assert not small, f"controls smaller than {TOUCH} px on {what}:\n" + "\n".join(
        f"  {b['w']} × {b['h']}  {b['what']}" for b in small)
    wide = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert wide[0] <= wide[1], f"{what} scrolls sideways at 390 px: {wide}"


def phone_context(browser: Browser, nr: Newsroom) -> BrowserContext:
    ctx = browser.new_context(base_url=nr.base_url, viewport=PHONE, has_touch=True,
                              is_mobile=True, device_scale_factor=2, reduced_motion="reduce")
    offline(ctx, nr.base_url)
    return ctx


@pytest.fixture
def phone(browser: Browser, newsroom_server: Newsroom) -> Iterator[Page]:
    ctx = phone_context(browser, newsroom_server)
    errors: list[str] = []
    page = ctx.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    ctx.close()
    assert not errors, errors


def test_every_newsroom_page_has_finger_sized_controls_and_no_sideways_scroll(
        phone: Page, newsroom_server: Newsroom, tmp_path: Path) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Wildfire near the ring road", description="Updates from the scene.")
    pinned = nr.publish(slug, "", headline="What we know", blocks=RICH_BLOCKS)
    nr.pin(slug, pinned["id"])
    nr.publish(slug, "Crews are on the hillside above the school.")
    writer = colleague(nr, slug, "contributor")
    admin = colleague(nr, slug, "admin")

    phone.goto("/login")
    expect(phone.get_by_role("button", name="Sign in")).to_be_visible()
    assert_fits(phone, "the sign-in page")
    sign_in(phone, writer)
    draft = api_fetch(phone, "POST", f"/api/v1/blogs/{slug}/drafts",
                      {"blocks": [{"kind": "text", "html": "<p>Smoke over the estate.</p>"}]})
    assert draft["status"] == 201, draft
    sent = api_fetch(phone, "POST", f"/api/v1/blogs/{slug}/drafts/{draft['body']['id']}/submit")
    assert sent["status"] == 200, sent
    open_composer(phone, slug)
    assert_fits(phone, "a contributor's composer")
    phone.context.clear_cookies()

    sign_in(phone, admin)
    assert_fits(phone, "the newsroom overview")
    open_composer(phone, slug)
    expect(phone.locator("#queue-list .qcard")).to_have_count(1, timeout=POLL_WAIT)
    for kind in ("quote", "image", "embed", "link"):
        phone.locator(f"#compose-editor [data-add={kind}]").click()
    phone.locator(".qcard").get_by_role("button", name="Send back…").click()
    picture = tmp_path / "IMG_2001.jpg"
    picture.write_bytes(halves(1600, 1200))
    phone.locator("#compose-editor .blk--image input[type=file]").set_input_files(str(picture))
    expect(phone.locator(".photoedit")).to_be_visible()  # rotate and crop, before upload
    shot(phone, "composer-390")
    phone.locator(".photoedit").scroll_into_view_if_needed()
    shot(phone, "composer-390-photo")
    assert_fits(phone, "the composer with every block, the queue and the stream")
    for path, what in ((f"/blogs/{slug}/team", "the team page"),
                       (f"/blogs/{slug}/audit", "the audit log"),
                       ("/account", "the account page")):
        phone.goto(path)
        assert_fits(phone, what)


def test_the_publish_bar_stays_on_screen_below_the_text_being_typed(
        phone: Page, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Long read from the scene")
    sign_in(phone, colleague(nr, slug, "editor"))
    open_composer(phone, slug)
    phone.locator("#compose-editor .blk__text").tap()
    for i in range(30):
        phone.keyboard.type(f"Paragraph {i + 1}: firefighters move along the ridge.")
        phone.keyboard.press("Enter")
    phone.keyboard.type("The last line, still being typed")
    bar = phone.locator(".composer__bar").bounding_box()
    publish = phone.locator("#publish").bounding_box()
    assert bar and publish
    assert publish["y"] >= 0 and publish["y"] + publish["height"] <= PHONE["height"], publish
    caret = phone.evaluate("""() => {
        const r = getSelection().getRangeAt(0).getBoundingClientRect();
        return {top: r.top, bottom: r.bottom};
    }""")
    assert caret["bottom"] > 0 and caret["bottom"] <= bar["y"] + 1, (caret, bar)
    shot(phone, "composer-390-long-post")
    phone.locator("#publish").tap()
    expect(phone.locator("#state")).to_have_text("Live ✓", timeout=LIVE_WAIT)


def test_touch_screens_get_no_keyboard_shortcut_hints_and_laptops_keep_them(
        phone: Page, page: Page, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Hints")
    editor = colleague(nr, slug, "editor")
    sign_in(phone, editor)
    open_composer(phone, slug)
    expect(phone.locator("#publish kbd")).to_be_hidden()
    assert "Ctrl" not in phone.locator("#publish").inner_text()
    assert phone.locator("#state").inner_text() == "Drafts save as you type"
    phone.locator("#compose-editor .blk__text").tap()
    phone.keyboard.type("Roadblock at the junction.")
    expect(phone.locator("#state")).to_have_text("Saved draft", timeout=LIVE_WAIT)
    phone.locator("#compose-clear").tap()  # back to an empty state line: still no hint
    expect(phone.locator("#state")).to_be_empty()
    assert "Ctrl" not in phone.evaluate(
        "getComputedStyle(document.querySelector('#state'), '::before').content")

    sign_in(page, editor)
    open_composer(page, slug)
    expect(page.locator("#publish kbd")).to_be_visible()
    assert page.locator("#state").inner_text() == "Ctrl+Enter publishes"
    shot(page, "composer-1366")


def test_a_finger_drags_and_resizes_the_crop_frame(
        phone: Page, newsroom_server: Newsroom, tmp_path: Path) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Photos from the scene")
    sign_in(phone, colleague(nr, slug, "editor"))
    open_composer(phone, slug)
    picture = tmp_path / "IMG_2002.jpg"
    picture.write_bytes(halves(1200, 800))
    phone.locator("#compose-editor [data-add=image]").tap()
    block = phone.locator("#compose-editor .blk--image")
    block.locator("input[type=file]").set_input_files(str(picture))
    panel = block.locator(".photoedit")
    panel.get_by_role("button", name="1:1").tap()
    expect(panel).to_contain_text("800 × 800 px, a crop of 1200 × 800")
    panel.locator(".photoedit__frame").scroll_into_view_if_needed()
    cdp = phone.context.new_cdp_session(phone)

    def swipe(x: float, y: float, to_x: float, to_y: float) -> None:
        """One finger down at (x, y), moved in steps to (to_x, to_y), lifted: real touch
        events through Chromium's input pipeline, as a phone's screen sends them."""
        cdp.send("Input.dispatchTouchEvent",
                 {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
        for i in range(1, 9):
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [
                {"x": x + (to_x - x) * i / 8, "y": y + (to_y - y) * i / 8}]})
            phone.wait_for_timeout(20)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        phone.wait_for_timeout(300)

    frame = panel.locator(".photoedit__frame").bounding_box()
    assert frame
    middle = (frame["x"] + frame["width"] / 2, frame["y"] + frame["height"] / 2)
    swipe(*middle, middle[0] - 300, middle[1])  # all the way to the left edge
    expect(panel).to_contain_text("800 × 800 px")
    moved = panel.locator(".photoedit__frame").bounding_box()
    assert moved and moved["x"] < frame["x"] - 20, (frame, moved)
    corner = (moved["x"] + moved["width"] - 8, moved["y"] + moved["height"] - 8)
    swipe(*corner, corner[0] - moved["width"] / 2, corner[1] - moved["height"] / 2)
    text = panel.locator(".photoedit__size").inner_text()
    side = int(text.split(" × ")[0])
    assert 300 < side < 500 and text.startswith(f"{side} × {side} px"), text
    # the same finger taps Upload (one touch source throughout: Chromium makes a click of it)
    up = panel.get_by_role("button", name="Upload photo").bounding_box()
    assert up
    spot = {"x": up["x"] + up["width"] / 2, "y": up["y"] + up["height"] / 2}
    phone.wait_for_timeout(500)  # a person lifts the finger between gestures, not at once
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [spot]})
    phone.wait_for_timeout(50)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    expect(block.locator(".blk__status")).to_contain_text(f"Uploaded: {side} × {side} px",
                                                         timeout=30_000)
