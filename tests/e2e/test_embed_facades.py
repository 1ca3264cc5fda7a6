"""Embeds are facades in Chromium: a page with one embed of every provider makes no request
to any host but ours until the reader clicks; a click (or Enter) swaps in the provider's
player in a sandboxed iframe, which loads from exactly that provider, and the page's CSP
lets it. Posts that arrive live work the same, and without JavaScript the card is a link.

No real network: every request to another host is answered by the test (a tiny page for the
provider under test) or refused, and all of them are recorded.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, Request, Route, expect

from tests.e2e.conftest import Newsroom

pytestmark = pytest.mark.e2e
LIVE_WAIT = 5_000  # ms: a functional wait for a live change to show, not a speed target
SANDBOX = ("allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox "
           "allow-presentation")

# One address per provider, in the post's order, with the player a click must load.
EMBEDS: list[tuple[str, str]] = [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"),
    ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"),
    ("https://x.com/KettlebyCouncil/status/1859012345678901234",
     "https://platform.twitter.com/embed/Tweet.html?dnt=true&id=1859012345678901234"),
    ("https://www.instagram.com/p/C1a2B3c4D5e/",
     "https://www.instagram.com/p/C1a2B3c4D5e/embed/"),
    ("https://www.tiktok.com/@scout2015/video/6718335390845095173",
     "https://www.tiktok.com/embed/v2/6718335390845095173"),
    ("https://www.facebook.com/FacebookforDevelopers/posts/696408974555431",
     "https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2F"
     "FacebookforDevelopers%2Fposts%2F696408974555431&show_text=true&width=500"),
    ("https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3kkrqzuydho2v",
     "https://embed.bsky.app/embed/did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/"
     "3kkrqzuydho2v"),
    ("https://mastodon.social/@kettlebycoastguard/113456789012345678",
     "https://mastodon.social/@kettlebycoastguard/113456789012345678/embed"),
    ("https://www.threads.net/@zuck/post/C8abcdEFGh1",
     "https://www.threads.net/@zuck/post/C8abcdEFGh1/embed"),
    ("https://datawrapper.dwcdn.net/AbC12/3/", "https://datawrapper.dwcdn.net/AbC12/3/"),
    ("https://public.flourish.studio/visualisation/1234567/",
     "https://flo.uri.sh/visualisation/1234567/embed"),
    ("https://www.openstreetmap.org/?mlat=52.52&mlon=13.405#map=15/52.52/13.405", ""),
]
OSM_PLAYER = "https://www.openstreetmap.org/export/embed.html?bbox="


@dataclass
class Traffic:
    """Every request the browser context makes, and the provider page the test serves."""

    base_url: str
    requests: list[str]

    def elsewhere(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.base_url + "/")]


def provider_page(route: Route) -> None:
    route.fulfill(status=200, content_type="text/html",
                  body="<!doctype html><title>Player</title><p id=player>The provider's player"
                       "</p>")


def record(context: BrowserContext, base_url: str, serve: str = "") -> Traffic:
    """Record every request; answer ours, serve a tiny page for `serve` (an origin), refuse
    the rest (registered last, our handler runs first)."""
    traffic = Traffic(base_url, [])
    context.on("request", lambda r: traffic.requests.append(r.url))

    def offline(route: Route) -> None:
        if route.request.url.startswith(base_url + "/"):
            route.continue_()
        else:
            route.abort()
    context.route("**/*", offline)
    if serve:
        context.route(f"{serve}/**", provider_page)
    return traffic


@pytest.fixture(scope="module")
def embeds_blog(newsroom_server: Newsroom) -> tuple[str, int]:
    nr = newsroom_server
    slug = nr.new_blog("Storm over the coast")
    blocks: list[dict[str, Any]] = [{"kind": "text", "html": "<p>What people are sharing.</p>"}]
    blocks += [{"kind": "embed", "url": url} for url, _ in EMBEDS]
    post = nr.publish(slug, "", headline="Twelve views of the storm", blocks=blocks)
    nr.publish(slug, "Ferries are suspended until Saturday.")
    return slug, int(post["id"])


@pytest.fixture
def fresh(browser: Browser, newsroom_server: Newsroom) -> Iterator[BrowserContext]:
    ctx = browser.new_context(base_url=newsroom_server.base_url,
                              viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    yield ctx
    ctx.close()


def open_reader(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.locator(".embed-card__load").first).to_be_visible()  # reader.js runs
    # Bring every card into view once, so anything lazy would have loaded by now.
    for card in page.locator(".embed-card").all():
        card.scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("load")


@pytest.mark.parametrize("where", ["blog", "permalink", "embed"])
def test_no_request_leaves_the_site_before_a_click(
        fresh: BrowserContext, newsroom_server: Newsroom, embeds_blog: tuple[str, int],
        where: str) -> None:
    slug, post_id = embeds_blog
    traffic = record(fresh, newsroom_server.base_url)
    page = fresh.new_page()
    path = {"blog": f"/blogs/{slug}", "permalink": f"/blogs/{slug}/posts/{post_id}",
            "embed": f"/blogs/{slug}/embed"}[where]

    open_reader(page, path)

    cards = page.locator(f"#post-{post_id} .embed-card")
    expect(cards).to_have_count(len(EMBEDS))
    expect(page.locator("iframe")).to_have_count(0)
    assert traffic.requests, "the recorder saw nothing at all"
    assert traffic.elsewhere() == [], "requests left the site before any click"


@pytest.mark.parametrize(("index", "provider"), [(0, "YouTube"), (2, "X"), (7, "Mastodon"),
                                                  (11, "OpenStreetMap")])
def test_a_click_loads_that_providers_player_and_nothing_else(
        fresh: BrowserContext, newsroom_server: Newsroom, embeds_blog: tuple[str, int],
        index: int, provider: str) -> None:
    slug, post_id = embeds_blog
    url, player = EMBEDS[index]
    serve = "https://www.openstreetmap.org" if not player else (
        "{0.scheme}://{0.netloc}".format(urlsplit(player)))
    traffic = record(fresh, newsroom_server.base_url, serve=serve)
    page = fresh.new_page()
    open_reader(page, f"/blogs/{slug}")
    card = page.locator(f"#post-{post_id} .embed-card").nth(index)
    expect(card.locator(".embed-card__provider")).to_have_text(provider)
    expect(card.locator(".embed-card__link")).to_have_attribute("href", url)
    assert traffic.elsewhere() == []

    with page.expect_request(lambda r: r.url.startswith(serve + "/")) as loaded:
        card.locator(".embed-card__load").click()

    frame = page.locator(f"#post-{post_id} iframe")
    expect(frame).to_have_count(1)
    src = frame.get_attribute("src") or ""
    assert src == player if player else src.startswith(OSM_PLAYER)
    assert frame.get_attribute("sandbox") == SANDBOX
    assert frame.get_attribute("referrerpolicy") == "strict-origin-when-cross-origin"
    assert frame.get_attribute("loading") == "lazy"
    assert provider in (frame.get_attribute("title") or "")
    request: Request = loaded.value
    assert request.url == src
    # The page's CSP allowed the frame: the provider's (test) page is showing in it.
    expect(page.frame_locator(f"#post-{post_id} iframe").locator("#player")).to_be_visible()
    assert set(traffic.elsewhere()) == {src}, "only the chosen provider was asked"
    expect(page.locator(f"#post-{post_id} .embed-card")).to_have_count(len(EMBEDS) - 1)


def test_the_facade_works_from_the_keyboard(
        fresh: BrowserContext, newsroom_server: Newsroom, embeds_blog: tuple[str, int]) -> None:
    slug, post_id = embeds_blog
    traffic = record(fresh, newsroom_server.base_url, serve="https://player.vimeo.com")
    page = fresh.new_page()
    open_reader(page, f"/blogs/{slug}")
    vimeo = page.locator(f"#post-{post_id} .embed-card").nth(1)
    vimeo.locator(".embed-card__link").focus()

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "embed-card__load"
    expect(vimeo.locator(".embed-card__load")).to_contain_text("Vimeo")
    page.keyboard.press("Enter")

    frame = page.locator(f"#post-{post_id} iframe")
    expect(frame).to_have_attribute("src", EMBEDS[1][1])
    assert page.evaluate("document.activeElement.tagName") == "IFRAME", "focus went astray"
    expect(page.frame_locator(f"#post-{post_id} iframe").locator("#player")).to_be_visible()
    assert set(traffic.elsewhere()) == {EMBEDS[1][1]}


def test_a_facade_in_a_post_that_arrives_live_works(
        fresh: BrowserContext, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Flood watch")
    nr.publish(slug, "The river is rising.")
    serve = "https://www.youtube-nocookie.com"
    traffic = record(fresh, nr.base_url, serve=serve)
    page = fresh.new_page()
    page.goto(f"/blogs/{slug}")
    expect(page.locator("#controls")).to_be_visible()

    post = nr.publish(slug, "", blocks=[
        {"kind": "text", "html": "<p>The harbour this morning.</p>"},
        {"kind": "embed", "url": "https://youtu.be/dQw4w9WgXcQ?t=42"}])
    button = page.locator(f"#post-{post['id']} .embed-card__load")
    expect(button).to_be_visible(timeout=LIVE_WAIT)
    assert traffic.elsewhere() == []

    button.click()

    player = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&start=42"
    frame = page.locator(f"#post-{post['id']} iframe")
    expect(frame).to_have_attribute("src", player)
    expect(frame).to_have_attribute("sandbox", SANDBOX)
    expect(page.frame_locator(f"#post-{post['id']} iframe").locator("#player")).to_be_visible()
    assert set(traffic.elsewhere()) == {player}


def test_without_javascript_the_card_is_a_plain_link(
        browser: Browser, newsroom_server: Newsroom, embeds_blog: tuple[str, int]) -> None:
    slug, post_id = embeds_blog
    ctx = browser.new_context(base_url=newsroom_server.base_url, java_script_enabled=False)
    try:
        traffic = record(ctx, newsroom_server.base_url)
        page = ctx.new_page()
        page.goto(f"/blogs/{slug}")
        cards = page.locator(f"#post-{post_id} .embed-card")
        expect(cards).to_have_count(len(EMBEDS))
        expect(page.locator(".embed-card__load").first).to_be_hidden()
        link = cards.first.locator("a.embed-card__link")
        expect(link).to_be_visible()
        expect(link).to_have_attribute("href", EMBEDS[0][0])
        assert traffic.elsewhere() == []
    finally:
        ctx.close()


# ---- facades that show something: what the provider said, with our own thumbnail ----------
def stored_thumbnail(nr: Newsroom, slug: str, width: int, height: int) -> dict[str, Any]:
    """A thumbnail stored by Bulletin, as the link preview stores a provider's."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 70, 120)).save(out, "JPEG")
    r = nr.client.post("/api/v1/media", data={"blog": slug},
                       files={"file": ("thumb.jpg", out.getvalue(), "image/jpeg")})
    assert r.status_code == 201, r.text
    media = r.json()
    return {"image": media["url"], "image_width": media["width"],
            "image_height": media["height"]}


@pytest.fixture(scope="module")
def rich_blog(newsroom_server: Newsroom) -> tuple[str, int]:
    nr = newsroom_server
    slug = nr.new_blog("Surge on the coast")
    blocks: list[dict[str, Any]] = [
        {"kind": "embed", "url": EMBEDS[0][0], "title": "Storm surge tops the harbour wall",
         "author": "Kettleby Gazette", "handle": "@KettlebyGazette",
         **stored_thumbnail(nr, slug, 480, 360)},
        {"kind": "embed", "url": EMBEDS[2][0], "author": "Kettleby Council",
         "handle": "@KettlebyCouncil", "excerpt": "The coast road is closed. " * 12},
        {"kind": "embed", "url": EMBEDS[7][0], "author": "Kettleby Coastguard",
         "handle": "@kettlebycoastguard@mastodon.social",
         "excerpt": "Two people rescued from the pier.", **stored_thumbnail(nr, slug, 800, 600)},
    ]
    post = nr.publish(slug, "", headline="What people are sharing", blocks=blocks)
    return slug, int(post["id"])


@pytest.mark.parametrize("width", [390, 1366])
def test_a_facade_with_a_thumbnail_calls_nobody_else_and_shows_what_the_provider_said(
        browser: Browser, newsroom_server: Newsroom, rich_blog: tuple[str, int],
        width: int) -> None:
    slug, post_id = rich_blog
    ctx = browser.new_context(base_url=newsroom_server.base_url,
                              viewport={"width": width, "height": 900}, reduced_motion="reduce")
    try:
        traffic = record(ctx, newsroom_server.base_url)
        page = ctx.new_page()
        open_reader(page, f"/blogs/{slug}")
        cards = page.locator(f"#post-{post_id} .embed-card")
        expect(cards).to_have_count(3)
        video, x, mastodon = (cards.nth(i) for i in range(3))
        expect(video.locator(".embed-card__title")).to_have_text(
            "Storm surge tops the harbour wall")
        expect(video.locator(".embed-card__byline")).to_have_text(
            "Kettleby Gazette @KettlebyGazette")
        expect(x.locator("img")).to_have_count(0)
        expect(x.locator(".embed-card__excerpt")).to_contain_text("The coast road is closed.")
        excerpt = x.locator(".embed-card__excerpt").bounding_box()
        assert excerpt and excerpt["height"] < 6 * 24, "a long excerpt is clamped to a few lines"
        for card, alt in ((video, "Still from the video"), (mastodon, "Picture from the post")):
            img = card.locator("img")
            expect(img).to_have_attribute("alt", alt)
            page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                                   arg=img.element_handle())
            assert img.evaluate("img => img.currentSrc").startswith(
                newsroom_server.base_url + "/media/uploads/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        expect(page.locator("iframe")).to_have_count(0)
        assert traffic.elsewhere() == [], "requests left the site before any click"
    finally:
        ctx.close()


def test_a_click_on_the_thumbnail_plays_here_and_loads_only_that_provider(
        fresh: BrowserContext, newsroom_server: Newsroom, rich_blog: tuple[str, int]) -> None:
    slug, post_id = rich_blog
    serve = "https://www.youtube-nocookie.com"
    traffic = record(fresh, newsroom_server.base_url, serve=serve)
    page = fresh.new_page()
    open_reader(page, f"/blogs/{slug}")
    page.locator(f"#post-{post_id} .embed-card__thumb").first.click()
    frame = page.locator(f"#post-{post_id} iframe")
    expect(frame).to_have_attribute("src", EMBEDS[0][1])
    expect(frame).to_have_attribute("title", "Video from YouTube: Storm surge tops the harbour "
                                             "wall")
    assert len(fresh.pages) == 1, "the click played here instead of opening YouTube"
    expect(page.frame_locator(f"#post-{post_id} iframe").locator("#player")).to_be_visible()
    assert set(traffic.elsewhere()) == {EMBEDS[0][1]}
