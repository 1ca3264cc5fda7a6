"""A link card as readers see it in Chromium: one link holding the site, title, description
and Bulletin's own copy of the page's picture, in a box whose shape is fixed before the
picture loads; axe-clean in light and dark, on a phone and on a desktop."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import Newsroom
from tests.e2e.test_accessibility import assert_accessible, offline

pytestmark = pytest.mark.e2e

TITLE = "River breaks its banks in the lower town as hundreds are evacuated overnight"
DESCRIPTION = ("Firefighters used boats to reach houses cut off by the water; the mayor asked "
               "residents of the old town to move upstairs and stay away from the embankment. "
               * 4)


def stored_picture(nr: Newsroom, slug: str) -> str:
    """A 640-pixel copy of a picture stored by Bulletin, as the link preview makes them."""
    out = io.BytesIO()
    Image.new("RGB", (1200, 630), (30, 90, 160)).save(out, "JPEG")
    r = nr.client.post("/api/v1/media", data={"blog": slug},
                       files={"file": ("card.jpg", out.getvalue(), "image/jpeg")})
    assert r.status_code == 201, r.text
    return f"/media/uploads/{r.json()['id']}-640w.jpg"


@pytest.fixture(scope="module")
def card_blog(newsroom_server: Newsroom) -> str:
    nr = newsroom_server
    slug = nr.new_blog("Floods in the river valley")
    blocks: list[dict[str, Any]] = [
        {"kind": "text", "html": "<p>Our colleagues have the full report:</p>"},
        {"kind": "link", "url": "https://news.example/flood-report", "title": TITLE,
         "description": DESCRIPTION, "site": "The Daily Example",
         "image": stored_picture(nr, slug)},
        {"kind": "link", "url": "https://civil-protection.example/advice"},
    ]
    nr.publish(slug, "", blocks=blocks)
    return slug


@pytest.fixture(params=[(390, 844), (1366, 900)], ids=["phone", "desktop"])
def reader(request: pytest.FixtureRequest, browser: Browser, newsroom_server: Newsroom
           ) -> Iterator[Page]:
    width, height = request.param
    context: BrowserContext = browser.new_context(base_url=newsroom_server.base_url,
                                                  viewport={"width": width, "height": height},
                                                  reduced_motion="reduce")
    offline(context, newsroom_server.base_url)
    yield context.new_page()
    context.close()


def test_a_link_card_with_a_picture_is_one_accessible_link(reader: Page, card_blog: str
                                                           ) -> None:
    reader.goto(f"/blogs/{card_blog}")
    card = reader.get_by_role("link", name="The Daily Example " + TITLE, exact=False)
    expect(card).to_have_count(1)
    expect(card).to_have_attribute("rel", "noopener noreferrer nofollow")
    picture = card.locator("img")
    expect(picture).to_have_attribute("alt", "")
    expect(picture).to_have_attribute("loading", "lazy")
    box = card.locator(".link-card__picture").bounding_box()
    assert box and box["width"] > 0
    assert abs(box["width"] / box["height"] - 1.91) < 0.05  # its shape, before any pixel
    card.scroll_into_view_if_needed()
    expect(picture).to_have_js_property("complete", True)
    assert picture.evaluate("img => img.naturalWidth") > 0, "the stored picture loads"
    assert picture.evaluate("img => img.currentSrc").endswith("-640w.webp")
    bare = reader.get_by_role("link", name="civil-protection.example", exact=False)
    expect(bare).to_have_count(1)
    expect(bare.locator("img")).to_have_count(0)
    assert_accessible(reader, "a blog with link cards")
    reader.emulate_media(color_scheme="dark")
    assert_accessible(reader, "a blog with link cards in dark mode")


@pytest.fixture(scope="module")
def polish_blog(newsroom_server: Newsroom) -> str:
    nr = newsroom_server
    slug = nr.new_blog("Floods: what others report", language="en")
    photo = stored_picture(nr, slug).replace("-640w.jpg", "-1200w.jpg")
    nr.publish(slug, "", blocks=[
        {"kind": "image", "url": photo, "width": 1200, "height": 630,
         "alt": "Boats in a flooded street", "caption": "Rescuers in the old town.",
         "credit": "Reuters"},
        {"kind": "image", "url": photo, "width": 1200, "height": 630,
         "alt": "The embankment at dawn", "caption": "The embankment.",
         "credit": "Photo: A. Photographer/AP"},
        {"kind": "link", "url": "https://www.bbc.co.uk/news/uk-123",
         "title": "Floods close the coast road | BBC News", "site": "BBC News"},
        {"kind": "link", "url": "https://www.bbc.co.uk/news/uk-456",
         "title": "https://www.bbc.co.uk/news/uk-456", "site": "BBC News"},
    ])
    return slug


def test_credits_and_card_titles_read_as_a_newspaper_prints_them(
        reader: Page, polish_blog: str, tmp_path: Any) -> None:
    reader.goto(f"/blogs/{polish_blog}")
    credits = reader.locator(".block--image .credit")
    expect(credits).to_have_text(["Photograph: Reuters", "Photo: A. Photographer/AP"])
    cards = reader.locator(".link-card")
    expect(cards.nth(0).locator(".link-card__title")).to_have_text("Floods close the coast road")
    expect(cards.nth(0).locator(".link-card__site")).to_have_text("BBC News")
    expect(cards.nth(1).locator(".link-card__title")).to_have_text("BBC News")
    expect(cards.nth(1).locator(".link-card__site")).to_have_text("bbc.co.uk")
    expect(cards.nth(1)).not_to_contain_text("https://")
    width = reader.viewport_size["width"] if reader.viewport_size else 0
    assert reader.evaluate("document.documentElement.scrollWidth") <= width
    for credit in credits.all():
        box = credit.bounding_box()
        assert box and box["x"] + box["width"] <= width, "a credit runs off the screen"
    assert_accessible(reader, "credits and link cards")
    shots = os.environ.get("BULLETIN_SCREENSHOTS") or str(tmp_path)
    os.makedirs(shots, exist_ok=True)
    reader.screenshot(path=os.path.join(shots, f"credits-cards-{width}.png"), full_page=True)
