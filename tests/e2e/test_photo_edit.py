"""Rotate and crop a photo before it is uploaded, in Chromium: a sideways picture is turned
upright and cropped to a shape, with the mouse or the keyboard; what uploads is what the
frame held (checked in the stored file's pixels); a phone's EXIF orientation is respected,
and a HEIC photo the browser cannot show uploads as it is, with a note saying so."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest
from PIL import Image
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import Newsroom
from tests.e2e.newsroom_support import (
    LIVE_WAIT,
    colleague,
    open_composer,
    posts,
    sign_in,
    write_text,
)
from tests.e2e.phone_support import RED, halves, shot
from tests.e2e.test_accessibility import assert_accessible

pytestmark = pytest.mark.e2e
UPLOAD_WAIT = 30_000  # ms: a functional wait for the server to make every variant


def colour(img: Image.Image, x: int, y: int) -> str:
    r, _, b = img.convert("RGB").getpixel((x, y))  # type: ignore[misc]
    return "red" if r > 150 and b < 100 else "blue" if b > 150 and r < 100 else f"{r},{b}"


def stored(nr: Newsroom, block: Locator) -> Image.Image:
    url = block.get_by_label("Or the address of a photo online").input_value()
    assert url.startswith("/media/uploads/"), url
    r = httpx.get(nr.base_url + url, timeout=10)
    assert r.status_code == 200
    return Image.open(io.BytesIO(r.content))


def pick(page: Page, path: Path) -> Locator:
    page.locator("#compose-editor [data-add=image]").click()
    block = page.locator("#compose-editor .blk--image")
    block.locator("input[type=file]").set_input_files(str(path))
    return block


def test_a_sideways_photo_is_rotated_cropped_square_and_dragged_before_upload(
        page: Page, newsroom_server: Newsroom, tmp_path: Path) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Harbour photos")
    sign_in(page, colleague(nr, slug, "editor"))
    open_composer(page, slug)
    file = tmp_path / "IMG_1001.jpg"
    file.write_bytes(halves(1200, 800))
    block = pick(page, file)
    panel = block.get_by_role("group", name="Rotate and crop IMG_1001.jpg before it is uploaded")
    expect(panel).to_contain_text("1200 × 800 px, the whole photo")
    expect(block.locator(".blk__status")).to_have_count(0)  # nothing uploaded yet
    assert_accessible(page, "the composer with a photo in the rotate-and-crop panel")

    panel.get_by_role("button", name="Rotate ↻").click()
    expect(panel).to_contain_text("800 × 1200 px, the whole photo, turned")
    panel.get_by_role("button", name="1:1").click()
    expect(panel.get_by_role("button", name="1:1")).to_have_attribute("aria-pressed", "true")
    expect(panel).to_contain_text("800 × 800 px, a crop of 800 × 1200")
    frame = panel.locator(".photoedit__frame").bounding_box()
    assert frame and abs(frame["width"] - frame["height"]) <= 1, frame
    # drag the square frame to the top of the photo (a mouse, like a finger, drags it)
    page.mouse.move(frame["x"] + frame["width"] / 2, frame["y"] + frame["height"] / 2)
    page.mouse.down()
    page.mouse.move(frame["x"] + frame["width"] / 2, frame["y"] - 400, steps=5)
    page.mouse.up()
    expect(panel).to_contain_text("800 × 800 px")
    panel.scroll_into_view_if_needed()
    assert page.evaluate("document.querySelector('.composer').scrollLeft") == 0  # no sideways
    shot(page, "composer-1366-photo")
    write_text(page, "Boats sat on the mud all afternoon.")
    page.locator("#publish").click()  # not while a photo waits in the panel
    expect(page.locator("#compose-editor .field-error")).to_contain_text("photo")
    panel.get_by_role("button", name="Upload photo").click()
    expect(block.locator(".blk__status")).to_contain_text("Uploaded: 800 × 800 px",
                                                         timeout=UPLOAD_WAIT)
    expect(panel).to_have_count(0)

    img = stored(nr, block)
    assert img.size == (800, 800)
    # turned clockwise the red left half is on top; the frame held the top 800 of 1200 rows
    assert [colour(img, 400, y) for y in (20, 560, 640, 780)] == ["red", "red", "blue", "blue"]
    block.get_by_label("Alt text").fill("The harbour wall at low tide")
    page.locator("#publish").click()
    expect(page.locator("#state")).to_have_text("Live ✓", timeout=LIVE_WAIT)
    image = next(b for b in posts(nr, slug)[0]["blocks"] if b["kind"] == "image")
    assert (image["width"], image["height"]) == (800, 800)


def test_a_phones_exif_orientation_is_respected_and_the_keyboard_crops(
        page: Page, newsroom_server: Newsroom, tmp_path: Path) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Upright photos")
    sign_in(page, colleague(nr, slug, "editor"))
    open_composer(page, slug)
    file = tmp_path / "IMG_1002.jpg"
    file.write_bytes(halves(1200, 800, orientation=6))  # stored sideways, shown upright
    block = pick(page, file)
    panel = block.locator(".photoedit")
    expect(panel).to_contain_text("800 × 1200 px, the whole photo")
    page.emulate_media(color_scheme="dark")
    assert_accessible(page, "the rotate-and-crop panel in dark mode")
    frame = panel.get_by_role("group", name="Crop frame")
    frame.focus()
    for _ in range(10):  # Shift+↑ shrinks the frame by 2 % of the photo a press
        page.keyboard.press("Shift+ArrowUp")
    for _ in range(5):  # ↓ moves it down
        page.keyboard.press("ArrowDown")
    expect(panel).to_contain_text("800 × 960 px, a crop of 800 × 1200")
    page.keyboard.press("Tab")
    panel.get_by_role("button", name="Upload photo").click()
    expect(block.locator(".blk__status")).to_contain_text("Uploaded: 800 × 960 px",
                                                         timeout=UPLOAD_WAIT)
    img = stored(nr, block)
    assert img.size == (800, 960)
    # rows 120–1080 of the upright photo: red above its middle (600), blue below
    assert [colour(img, 400, y) for y in (10, 460, 500, 950)] == ["red", "red", "blue", "blue"]


def test_cancel_keeps_nothing_and_upload_as_it_is_sends_the_original(
        page: Page, newsroom_server: Newsroom, tmp_path: Path) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Untouched photos")
    sign_in(page, colleague(nr, slug, "editor"))
    open_composer(page, slug)
    file = tmp_path / "IMG_1003.jpg"
    file.write_bytes(halves(900, 600))
    block = pick(page, file)
    block.get_by_role("button", name="Rotate ↻").click()
    block.get_by_role("button", name="Cancel").click()
    expect(block.locator(".photoedit")).to_have_count(0)
    assert block.get_by_label("Or the address of a photo online").input_value() == ""
    block.locator("input[type=file]").set_input_files(str(file))
    block.get_by_role("button", name="Rotate ↻").click()
    block.get_by_role("button", name="Upload as it is").click()
    expect(block.locator(".blk__status")).to_contain_text("Uploaded: 900 × 600 px",
                                                         timeout=UPLOAD_WAIT)


def test_a_heic_photo_this_browser_cannot_show_uploads_as_it_is_with_a_note(
        page: Page, newsroom_server: Newsroom, tmp_path: Path) -> None:
    pillow_heif = pytest.importorskip("pillow_heif")
    nr = newsroom_server
    slug = nr.new_blog("Phone photos")
    sign_in(page, colleague(nr, slug, "editor"))
    open_composer(page, slug)
    file = tmp_path / "IMG_1004.HEIC"
    pillow_heif.from_pillow(Image.new("RGB", (640, 480), RED)).save(str(file), quality=80)
    block = pick(page, file)
    expect(block.locator(".photoedit-note")).to_contain_text("cannot show HEIC photos")
    expect(block.locator(".blk__status")).to_contain_text("Uploaded: 640 × 480 px",
                                                         timeout=UPLOAD_WAIT)
    expect(block.locator(".photoedit")).to_have_count(0)
