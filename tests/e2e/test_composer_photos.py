"""Photos in the composer, in Chromium: pick or drop a file, it uploads with its location
data removed, the journalist adds alt text (or marks it decorative), and readers get a
responsive picture whose space is reserved before it loads."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import httpx
import pytest
from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import Newsroom
from tests.e2e.newsroom_support import (
    LIVE_WAIT,
    colleague,
    open_composer,
    open_reader,
    posts,
    sign_in,
)

pytestmark = pytest.mark.e2e
GPS = 0x8825
UPLOAD_WAIT = 30_000  # ms: a functional wait for the server to make every variant


def photo(width: int, height: int, colour: tuple[int, int, int] = (30, 90, 160)) -> bytes:
    """A JPEG as a phone makes it: with the maker's name and the GPS position."""
    img = Image.new("RGB", (width, height), colour)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif, quality=85)
    return out.getvalue()


def test_a_picked_photo_uploads_without_location_and_readers_get_a_responsive_picture(
        page: Page, second: BrowserContext, newsroom_server: Newsroom,
        tmp_path: Path) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Flood photos")
    sign_in(page, colleague(nr, slug, "editor"))
    reader = second.new_page()
    open_reader(reader, slug)
    open_composer(page, slug)
    file = tmp_path / "IMG_0042.jpg"
    file.write_bytes(photo(3000, 2000))

    page.locator("#compose-editor [data-add=image]").click()
    block = page.locator("#compose-editor .blk--image")
    block.locator("input[type=file]").set_input_files(str(file))
    block.get_by_role("button", name="Upload photo").click()  # not rotated or cropped
    expect(block.locator(".blk__status")).to_contain_text("Uploaded: 3000 × 2000 px",
                                                         timeout=UPLOAD_WAIT)
    expect(block.locator(".blk__picture img")).to_be_visible()
    block.get_by_label("Alt text").fill("Water up to the windows of a bus")
    block.get_by_label("Caption").fill("Main Street at noon")
    block.get_by_label("Credit").fill("Lena Ortiz")
    page.locator("#publish").click()
    expect(page.locator("#state")).to_have_text("Live ✓", timeout=LIVE_WAIT)

    (post,) = posts(nr, slug)
    (image,) = post["blocks"]
    assert (image["width"], image["height"], image["decorative"]) == (3000, 2000, False)
    assert image["url"].startswith("/media/uploads/")
    figure = reader.locator("#stream article.post .block--image").first
    expect(figure).to_be_visible(timeout=LIVE_WAIT)
    img = figure.locator("picture img")
    expect(img).to_have_attribute("alt", "Water up to the windows of a bus")
    expect(img).to_have_attribute("width", "3000")
    expect(img).to_have_attribute("height", "2000")
    expect(img).to_have_attribute("loading", "lazy")
    assert "2048w" in (figure.locator("source[type='image/webp']").get_attribute("srcset") or "")
    expect(figure.locator("figcaption")).to_contain_text("Main Street at noon")
    expect(figure.locator(".credit")).to_have_text("Photograph: Lena Ortiz")
    img.scroll_into_view_if_needed()
    reader.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    chosen = str(img.evaluate("img => img.currentSrc"))
    assert chosen.endswith(".webp"), chosen  # Chromium takes the WebP source
    stored = httpx.get(chosen, timeout=10)
    assert stored.headers["cache-control"] == "public, max-age=31536000, immutable"
    served = Image.open(io.BytesIO(stored.content))
    assert not served.getexif()  # no GPS, no maker: nothing of the phone's metadata


def test_a_photo_dropped_on_the_composer_becomes_a_decorative_photo_block(
        page: Page, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Dropped photos")
    sign_in(page, colleague(nr, slug, "editor"))
    open_composer(page, slug)
    data = base64.b64encode(photo(800, 600, (200, 160, 20))).decode()
    page.locator("#compose-editor").evaluate(
        """(root, data) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], 'divider.jpg', {type: 'image/jpeg'}));
            const init = {dataTransfer: dt, bubbles: true, cancelable: true};
            root.dispatchEvent(new DragEvent('dragover', init));
            root.dispatchEvent(new DragEvent('drop', init));
        }""", data)
    block = page.locator("#compose-editor .blk--image")
    expect(block).to_have_count(1)
    block.get_by_role("button", name="Upload as it is").click()
    expect(block.locator(".blk__status")).to_contain_text("Uploaded: 800 × 600 px",
                                                         timeout=UPLOAD_WAIT)
    block.get_by_label("Decorative").check()
    expect(block.get_by_label("Alt text")).to_be_disabled()
    page.locator("#publish").click()
    expect(page.locator("#state")).to_have_text("Live ✓", timeout=LIVE_WAIT)
    blocks = posts(nr, slug)[0]["blocks"]
    image = next(b for b in blocks if b["kind"] == "image")
    assert (image["decorative"], image["alt"], image["width"]) == (True, "", 800)
    reader = page.context.new_page()
    reader.goto(f"/blogs/{slug}")
    expect(reader.locator(".block--image img").first).to_have_attribute("alt", "")


def test_a_file_that_is_not_a_photo_gets_the_servers_message_and_nothing_is_published(
        page: Page, newsroom_server: Newsroom, tmp_path: Path) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Wrong files")
    sign_in(page, colleague(nr, slug, "editor"))
    open_composer(page, slug)
    fake = tmp_path / "notes.jpg"
    fake.write_text("Council meeting notes, not a photo\n")
    page.locator("#compose-editor [data-add=image]").click()
    block = page.locator("#compose-editor .blk--image")
    block.locator("input[type=file]").set_input_files(str(fake))
    expect(block.locator(".blk__status")).to_contain_text("not an image Bulletin can read",
                                                         timeout=UPLOAD_WAIT)
    expect(block.locator(".blk__picture")).to_have_count(0)
    assert posts(nr, slug) == []
    assert block.get_by_label("Or the address of a photo online").input_value() == ""


def test_open_reader_pages_get_photos_live(page: Page, second: BrowserContext,
                                           newsroom_server: Newsroom) -> None:
    """A photo published by script arrives on an open page with its srcset, like any post."""
    nr = newsroom_server
    slug = nr.new_blog("Scripted photos")
    reader = second.new_page()
    open_reader(reader, slug)
    upload = nr.client.post("/api/v1/media", data={"blog": slug},
                            files={"file": ("a.jpg", photo(1600, 900), "image/jpeg")})
    assert upload.status_code == 201, upload.text
    media = upload.json()
    nr.publish(slug, "Aerial view", blocks=[{"kind": "image", "url": media["url"],
                                              "alt": "The river from above",
                                              "width": media["width"],
                                              "height": media["height"]}])
    img = reader.locator("#stream article.post picture img").first
    expect(img).to_have_attribute("width", "1600", timeout=LIVE_WAIT)
    assert "1280w" in (img.get_attribute("srcset") or "")
