"""Every page a reader or a newsroom member sees passes axe-core at WCAG 2.0/2.1 levels A and AA,
in Chromium, with realistic content; and the reader page works from the keyboard: Tab reaches
the pause button and the pagers in reading order, and new posts arriving never move focus.

axe-core comes from the npm package pinned in package-lock.json (`make test` runs `npm ci`);
it is injected from node_modules, so nothing is fetched from the network.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.e2e.conftest import Newsroom
from tests.e2e.newsroom_support import (
    api_fetch,
    open_composer,
    own_site,
    sign_in,
)

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LIVE_WAIT = 5_000  # ms: a functional wait for a live change to show, not a speed target

RICH_BLOCKS: list[dict[str, Any]] = [
    {"kind": "text", "html": "<p>Water reached the <strong>old town square</strong> at dawn; "
                             "see the <a href=\"https://example.org/map\">flood map</a>.</p>"
                             "<ul><li>Schools closed</li><li>Trains diverted</li></ul>"},
    {"kind": "quote", "text": "We have never seen the river this high.",
     "speaker": "Marta Keller", "context": "harbour master"},
    {"kind": "image", "url": "/media/flooded-square.jpg", "alt": "Cars half under water",
     "caption": "The square at 6 a.m.", "credit": "Photo: J. Ruiz"},
    {"kind": "embed", "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"},
    {"kind": "link", "url": "https://example.org/advice", "title": "What to do in a flood",
     "description": "Official advice from the civil protection office."},
]


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.0/2.1, A and AA) on the page as it is now."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does).")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Run through DevTools, which the reader pages' CSP (script-src 'self') leaves alone;
        # as a <script> element, axe would be refused like any inline script.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => ({target: n.target.join(' '), html: n.html,
                                            summary: n.failureSummary})),
            }));
        }""", WCAG_A_AA)
    return result


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"]:
            lines.append(f"    at {node['target']}: {node['html'][:160]}")
            lines.extend(f"        {s}" for s in (node["summary"] or "").splitlines())
    return "\n".join(lines)


def assert_accessible(page: Page, what: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe-core found violations on {what}:\n{describe(violations)}"


def offline(context: BrowserContext, base_url: str) -> None:
    """Only the server under test answers: embeds and link targets never reach the network."""
    def route(r: Route) -> None:
        if r.request.url.startswith(base_url):
            r.continue_()
        else:
            r.abort()
    context.route("**/*", route)


@dataclass(frozen=True)
class RichBlog:
    slug: str
    pinned_id: int
    key_ids: list[int]
    newest_id: int


@pytest.fixture(scope="module")
def rich_blog(newsroom_server: Newsroom) -> RichBlog:
    """A blog with two pages of updates (the front page holds 20 to 39), a pinned summary
    using every block kind and two key events (one with a headline)."""
    nr = newsroom_server
    slug = nr.new_blog("Floods in the river valley",
                       description="Live updates as the river rises through the valley.")
    pinned = nr.publish(slug, "", headline="What we know so far", blocks=RICH_BLOCKS)
    nr.pin(slug, pinned["id"])
    nr.publish_many(slug, 40)
    key = nr.publish(slug, "", headline="Evacuation ordered for the lower town",
                     blocks=RICH_BLOCKS)
    nr.key_event(slug, key["id"])
    plain_key = nr.publish(slug, "The bridge on the ring road is closed in both directions.")
    nr.key_event(slug, plain_key["id"])
    return RichBlog(slug, pinned["id"], [key["id"], plain_key["id"]], plain_key["id"])


@pytest.fixture
def reader(context: BrowserContext, newsroom_server: Newsroom) -> Page:
    offline(context, newsroom_server.base_url)
    return context.new_page()


def open_blog(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.locator("#controls")).to_be_visible()  # the reader script runs


def show_new_updates_pill(page: Page, nr: Newsroom, slug: str) -> None:
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    nr.publish(slug, "A new update arrives while the reader is further down the page.")
    expect(page.locator("#new-pill")).to_be_visible(timeout=LIVE_WAIT)


def test_the_live_reader_page_has_no_accessibility_violations(
        reader: Page, newsroom_server: Newsroom, rich_blog: RichBlog) -> None:
    open_blog(reader, f"/blogs/{rich_blog.slug}")
    expect(reader.locator(f"#pinned-{rich_blog.pinned_id}")).to_be_visible()
    expect(reader.locator("#key-events li")).to_have_count(2)
    show_new_updates_pill(reader, newsroom_server, rich_blog.slug)
    assert_accessible(reader, "the reader page (pinned post, key events, new-updates pill)")


def test_the_reader_page_in_dark_mode_has_no_accessibility_violations(
        reader: Page, newsroom_server: Newsroom, rich_blog: RichBlog) -> None:
    reader.emulate_media(color_scheme="dark")
    open_blog(reader, f"/blogs/{rich_blog.slug}")
    assert reader.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    show_new_updates_pill(reader, newsroom_server, rich_blog.slug)
    assert_accessible(reader, "the reader page in dark mode")


def test_an_older_page_has_no_accessibility_violations(
        reader: Page, rich_blog: RichBlog) -> None:
    open_blog(reader, f"/blogs/{rich_blog.slug}")
    reader.locator(".pager--top .pager__older").click()
    reader.wait_for_url("**?page=*")
    expect(reader.locator(".pager--top .pager__newer")).to_be_visible()
    assert_accessible(reader, "an older page of the blog")


def test_the_permalink_page_has_no_accessibility_violations(
        reader: Page, rich_blog: RichBlog) -> None:
    key = rich_blog.key_ids[0]
    reader.goto(f"/blogs/{rich_blog.slug}/posts/{key}")
    expect(reader.locator(f"#post-{key} .block--quote")).to_be_visible()
    assert_accessible(reader, "a post's permalink page")
    reader.emulate_media(color_scheme="dark")
    assert_accessible(reader, "a post's permalink page in dark mode")


def test_the_embed_page_has_no_accessibility_violations(
        reader: Page, newsroom_server: Newsroom, rich_blog: RichBlog) -> None:
    open_blog(reader, f"/blogs/{rich_blog.slug}/embed")
    expect(reader.locator(f"#pinned-{rich_blog.pinned_id}")).to_be_visible()
    show_new_updates_pill(reader, newsroom_server, rich_blog.slug)
    assert_accessible(reader, "the embed page")
    reader.locator(".pager--top .pager__older").click()
    reader.wait_for_url("**/embed?page=*")
    assert_accessible(reader, "an older page of the embed")


def test_the_index_has_no_accessibility_violations(
        reader: Page, newsroom_server: Newsroom, rich_blog: RichBlog) -> None:
    ended = newsroom_server.new_blog("Election night", description="Results as they come in.")
    newsroom_server.end(ended, closing="That is all from us tonight.")
    reader.goto("/")
    expect(reader.locator(f'a[href="/blogs/{rich_blog.slug}"]')).to_be_visible()
    expect(reader.locator(".blog-list--ended")).to_be_visible()
    assert_accessible(reader, "the index of blogs")


def test_the_login_page_has_no_accessibility_violations(reader: Page) -> None:
    reader.goto("/login")
    expect(reader.get_by_role("button", name="Sign in")).to_be_visible()
    assert_accessible(reader, "the sign-in page")
    reader.get_by_label("Name").fill("Nobody")
    reader.get_by_label("Password").fill("not the password at all")
    reader.get_by_role("button", name="Sign in").click()
    expect(reader.get_by_role("alert")).to_be_visible()
    assert_accessible(reader, "the sign-in page showing an error")


@pytest.fixture
def admin_page(browser: Browser, tmp_path: Path) -> Iterator[Page]:
    """An admin made with `bulletin createuser --password-stdin`, signed in through /login."""
    with own_site(tmp_path) as site:
        ctx = browser.new_context(base_url=site.base_url,
                                  viewport={"width": 1366, "height": 900},
                                  reduced_motion="reduce")
        offline(ctx, site.base_url)
        page = ctx.new_page()
        sign_in(page, site.admin)
        try:
            yield page
        finally:
            ctx.close()


def test_the_newsroom_and_composer_have_no_accessibility_violations_light_or_dark(
        admin_page: Page) -> None:
    page = admin_page
    made = api_fetch(page, "POST", "/api/v1/blogs",
                     {"slug": "valley-floods", "title": "Floods in the river valley"})
    assert made["status"] == 201, made
    for blocks in (RICH_BLOCKS, [{"kind": "text", "html": "<p>Roads are closing.</p>"}]):
        r = api_fetch(page, "POST", "/api/v1/blogs/valley-floods/posts", {"blocks": blocks})
        assert r["status"] == 201, r
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto("/newsroom")
        assert_accessible(page, f"the newsroom overview ({scheme})")
        open_composer(page, "valley-floods")
        for kind in ("quote", "image", "embed", "link"):  # every block form, photo picker too
            page.locator(f"#compose-editor [data-add={kind}]").click()
        assert_accessible(page, f"the composer ({scheme})")
        for path, what in (("/blogs/valley-floods/team", "the team page"),
                           ("/blogs/valley-floods/audit", "the audit log"),
                           ("/account", "the account page")):
            page.goto(path)
            assert_accessible(page, f"{what} ({scheme})")


def test_the_desks_pages_and_search_have_no_accessibility_violations(admin_page: Page) -> None:
    page = admin_page
    made = api_fetch(page, "POST", "/api/v1/blogs", {"slug": "coast", "title": "Coast storm"})
    assert made["status"] == 201, made
    for i in range(45):
        r = api_fetch(page, "POST", "/api/v1/blogs/coast/posts", {
            "blocks": [{"kind": "text", "html": f"<p>Road report {i + 1}.</p>"}]})
        assert r["status"] == 201, r
    for path, what in (("/blogs/coast/edit?page=1", "an older page of the desk's stream"),
                       ("/blogs/coast/edit?q=road+report", "the desk's search results"),
                       ("/blogs/coast/edit?q=zebra", "a search with no results"),
                       ("/blogs/coast/edit?q=%00", "a search the desk refuses")):
        page.goto(path)
        expect(page.locator("#link-state")).to_have_text("· connected")
        assert_accessible(page, what)


def tab_stops(page: Page, count: int) -> list[str]:
    """Press Tab `count` times; name each element that takes focus."""
    stops = []
    for _ in range(count):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("""() => {
            const el = document.activeElement;
            if (el.id) return '#' + el.id;
            const pager = el.closest('.pager');
            if (pager) return [...pager.classList].find((c) => c.startsWith('pager--'))
                              + ' ' + el.className;
            const post = el.closest('article.post');
            return (post ? 'post ' : '') + el.tagName.toLowerCase() + '.' + el.className;
        }"""))
    return stops


def test_tab_reaches_the_pause_button_then_the_pagers_in_reading_order(
        reader: Page, rich_blog: RichBlog) -> None:
    open_blog(reader, f"/blogs/{rich_blog.slug}")
    stops = tab_stops(reader, 130)  # each post: its time, Link and Share
    assert stops[0] == "a.skip", stops[:5]
    assert "#pause" in stops, stops
    top, bottom = "pager--top pager__older", "pager--bottom pager__older"
    assert top in stops and bottom in stops, stops
    pause, top_at, bottom_at = stops.index("#pause"), stops.index(top), stops.index(bottom)
    first_post = next(i for i, s in enumerate(stops) if s.startswith("post ")
                      and i > pause and i > top_at)
    assert pause < top_at < first_post < bottom_at, stops

    reader.locator("#pause").focus()
    reader.keyboard.press("Enter")
    expect(reader.locator("#pause")).to_have_attribute("aria-pressed", "true")
    reader.keyboard.press("Space")
    expect(reader.locator("#pause")).to_have_attribute("aria-pressed", "false")


def test_new_posts_arriving_do_not_move_keyboard_focus(
        reader: Page, newsroom_server: Newsroom, rich_blog: RichBlog) -> None:
    open_blog(reader, f"/blogs/{rich_blog.slug}")
    expect(reader.locator("#stream")).to_have_attribute("aria-live", "polite")
    for _ in range(60):  # into the stream by keyboard alone
        reader.keyboard.press("Tab")
        if reader.evaluate("!!document.activeElement.closest('#stream article.post')"):
            break
    reader.evaluate("window.__focused = document.activeElement")
    focused_id = reader.evaluate("document.activeElement.closest('article').id")

    post = newsroom_server.publish(rich_blog.slug, "Sandbags are handed out at the town hall.")
    expect(reader.locator(f"#post-{post['id']}")).to_be_attached(timeout=LIVE_WAIT)

    assert reader.evaluate("document.activeElement === window.__focused"), (
        "focus moved when a new post arrived")
    assert reader.evaluate("document.activeElement.closest('article').id") == focused_id
