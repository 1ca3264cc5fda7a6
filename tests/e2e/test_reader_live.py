"""A reader with the blog page open in Chromium sees the newsroom's changes without reloading."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from tests.e2e.conftest import Newsroom

pytestmark = pytest.mark.e2e
LIVE_WAIT = 5_000  # ms: a functional wait for the change to show, not a speed target


def open_blog(page: Page, slug: str) -> None:
    page.goto(f"/blogs/{slug}")
    expect(page.locator("#controls")).to_be_visible()  # the script is running
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads


def stream_ids(page: Page) -> list[int]:
    ids: list[str] = page.eval_on_selector_all(
        "#stream article.post", "els => els.map(e => e.dataset.id)")
    return [int(i) for i in ids]


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded"


def test_a_published_post_appears_at_the_top_without_reload(
        page: Page, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog()
    first = nr.publish(slug, "Winds are picking up along the coast.")
    open_blog(page, slug)

    post = nr.publish(slug, "Ferries are suspended until Saturday.", headline="Ferries stop")

    article = page.locator(f"#stream > article#post-{post['id']}")
    expect(article).to_be_visible(timeout=LIVE_WAIT)
    expect(article.locator(".post__headline")).to_have_text("Ferries stop")
    expect(article.locator(f'a[href="/blogs/{slug}/posts/{post["id"]}"]').first).to_be_visible()
    assert stream_ids(page) == [post["id"], first["id"]]
    expect(page.locator("#new-pill")).to_be_hidden()
    assert_not_reloaded(page)


def test_a_reader_scrolled_down_gets_a_pill_that_brings_the_new_post_in(
        page: Page, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog()
    nr.publish_many(slug, 25)
    open_blog(page, slug)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 1000

    post = nr.publish(slug, "Breaking: the bridge has been closed.")

    pill = page.locator("#new-pill")
    expect(pill).to_be_visible(timeout=LIVE_WAIT)
    expect(pill).to_have_text("1 new update ↑")
    expect(page.locator(f"#post-{post['id']}")).to_have_count(0)
    assert page.evaluate("window.scrollY") == scrolled, "the reader's view moved"

    second = nr.publish(slug, "The coastguard is on its way.")
    expect(pill).to_have_text("2 new updates ↑", timeout=LIVE_WAIT)

    pill.click()
    expect(pill).to_be_hidden()
    newest = page.locator("#stream > article.post").first
    expect(newest).to_have_attribute("id", f"post-{second['id']}")
    expect(newest).to_be_in_viewport()
    assert stream_ids(page)[:2] == [second["id"], post["id"]]
    assert len(stream_ids(page)) == 27
    assert_not_reloaded(page)


def test_edits_deletes_pins_and_key_events_reach_the_open_page(
        page: Page, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog()
    recap = nr.publish(slug, "A quick recap: the storm made landfall at 21:40.")
    wrong = nr.publish(slug, "Three ferries have sunk.")
    later = nr.publish(slug, "Shelters are open in Marlow.")
    open_blog(page, slug)

    nr.edit(slug, later, "Shelters are open in Marlow and Eastgate.")
    edited = page.locator(f"#post-{later['id']}")
    expect(edited.locator(".post__body")).to_have_text(
        "Shelters are open in Marlow and Eastgate.", timeout=LIVE_WAIT)
    expect(edited.locator(".post__updated")).to_be_visible()
    expect(edited).to_have_attribute("data-version", "2")

    nr.delete(slug, wrong["id"])
    expect(page.locator(f"#post-{wrong['id']}")).to_have_count(0, timeout=LIVE_WAIT)

    nr.pin(slug, recap["id"])
    pinned = page.locator(f"#pinned > article#pinned-{recap['id']}")
    expect(pinned).to_be_visible(timeout=LIVE_WAIT)
    expect(page.locator("#pinned article.post")).to_have_count(1)
    expect(page.locator(f"#stream article.post[data-id='{recap['id']}']")).to_have_count(1)

    nr.key_event(slug, later["id"])
    entry = page.locator(f"#key-events li[data-id='{later['id']}']")
    expect(entry).to_be_visible(timeout=LIVE_WAIT)
    expect(entry.locator("a")).to_have_attribute("href", f"/blogs/{slug}#post-{later['id']}")
    entry.locator("a").click()  # jumps to the post in the stream, without a reload
    expect(page.locator(f"#post-{later['id']}")).to_be_in_viewport()
    expect(edited.locator(".post__key")).to_be_visible()

    nr.pin(slug, recap["id"], on=False)
    expect(page.locator("#pinned")).to_be_hidden(timeout=LIVE_WAIT)
    nr.key_event(slug, later["id"], on=False)
    expect(page.locator(".key-events")).to_have_count(0, timeout=LIVE_WAIT)

    assert stream_ids(page) == nr.post_ids(slug) == [later["id"], recap["id"]]
    assert_not_reloaded(page)


def test_ending_the_blog_shows_the_ended_badge_and_banner(
        page: Page, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog()
    nr.publish(slug, "The storm is moving inland.")
    open_blog(page, slug)
    expect(page.locator("#ended-banner")).to_be_hidden()

    nr.end(slug, closing="This concludes our live coverage of the storm.")

    expect(page.locator(".blog__status .badge")).to_have_text("Ended", timeout=LIVE_WAIT)
    expect(page.locator(".blog__status .badge")).to_have_class(re.compile(r"badge--ended"))
    expect(page.locator("#ended-banner")).to_be_visible()
    # The closing post leads the page, under the banner, and is not repeated in the stream.
    expect(page.locator("#closing article.post")).to_contain_text("This concludes")
    expect(page.locator("#stream article.post")).to_have_count(1)
    expect(page.locator("#controls")).to_be_hidden()
    assert_not_reloaded(page)


def test_pausing_holds_updates_until_the_reader_resumes(
        page: Page, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog()
    nr.publish(slug, "Rain is easing in the north.")
    open_blog(page, slug)
    pause = page.locator("#pause")
    pause.click()
    expect(pause).to_have_attribute("aria-pressed", "true")

    post = nr.publish(slug, "Power is back in Eastgate.")
    expect(page.locator("#live-state")).to_have_text("Paused · 1 update waiting",
                                                     timeout=LIVE_WAIT)
    expect(page.locator(f"#post-{post['id']}")).to_have_count(0)

    pause.click()
    expect(pause).to_have_attribute("aria-pressed", "false")
    expect(page.locator(f"#stream > article#post-{post['id']}")).to_be_visible()


def test_a_post_deleted_while_the_reader_was_disconnected_never_comes_back(
        context: BrowserContext, page: Page, newsroom_server: Newsroom) -> None:
    """The live connection is refused while the newsroom publishes, edits and deletes;
    when it comes back the page catches up from its last seq: the deleted post is not
    shown, the survivors are shown once each, in the server's order."""
    nr = newsroom_server
    slug = nr.new_blog()
    kept = nr.publish(slug, "Trains are running again in the west.")
    refused: list[str] = []
    down = True

    def live(route: Route) -> None:
        if down:
            refused.append(route.request.url)
            route.fulfill(status=503, body="down for maintenance")
        else:
            route.continue_()

    context.route(re.compile(r"/blogs/[^/]+/live"), live)
    open_blog(page, slug)
    page.wait_for_function("document.getElementById('live').dataset.link === 'reconnecting'")
    assert refused and "last_event_id=" in refused[0]

    gone = nr.publish(slug, "Unconfirmed: a second bridge has collapsed.")
    survivor = nr.publish(slug, "Both bridges are standing, police say.")
    nr.edit(slug, gone, "Unconfirmed: a second bridge may have collapsed.")
    nr.delete(slug, gone["id"])
    nr.edit(slug, survivor, "Both bridges are standing and open, police say.")
    down = False

    expect(page.locator(f"#post-{survivor['id']}")).to_contain_text(
        "standing and open", timeout=15_000)
    marker = nr.publish(slug, "Next briefing at 9am.")  # arrives after everything before it
    expect(page.locator(f"#post-{marker['id']}")).to_be_visible(timeout=LIVE_WAIT)

    expect(page.locator(f"#post-{gone['id']}")).to_have_count(0)
    ids = stream_ids(page)
    assert ids == [marker["id"], survivor["id"], kept["id"]] == nr.post_ids(slug)
    assert_not_reloaded(page)


def first_visible(page: Page) -> dict[str, float]:
    """The first stream post whose bottom is below the top of the viewport, and its top."""
    found: dict[str, float] = page.evaluate("""() => {
        for (const el of document.querySelectorAll('#stream > article.post')) {
            const r = el.getBoundingClientRect();
            if (r.bottom > 0) return {id: +el.dataset.id, top: r.top};
        }
    }""")
    return found


@pytest.mark.parametrize("native_anchoring", [True, False], ids=["chromium", "no-anchoring"])
def test_changes_above_the_viewport_do_not_move_what_the_reader_is_reading(
        page: Page, newsroom_server: Newsroom, native_anchoring: bool) -> None:
    """Chromium keeps the view steady by itself (CSS scroll anchoring); browsers without it
    (Safari) rely on the script's own correction, checked with anchoring switched off."""
    nr = newsroom_server
    slug = nr.new_blog()
    posts = nr.publish_many(slug, 30)
    open_blog(page, slug)
    if not native_anchoring:
        page.add_style_tag(content="html, body { overflow-anchor: none !important; }")
    reading = posts[10]  # in the middle of the page
    page.evaluate(f"document.getElementById('post-{reading['id']}').scrollIntoView()")
    page.evaluate("window.scrollBy(0, -40)")
    before = first_visible(page)
    above = posts[20]  # newer, so higher up the page, out of view
    assert page.locator(f"#post-{above['id']}").evaluate(
        "el => el.getBoundingClientRect().bottom < 0")

    longer = " ".join(["The council has published a longer statement."] * 30)
    nr.edit(slug, above, longer)
    expect(page.locator(f"#post-{above['id']} .post__body")).to_contain_text(
        "longer statement", timeout=LIVE_WAIT)
    assert first_visible(page) == pytest.approx(before, abs=1)

    nr.delete(slug, posts[25]["id"])
    expect(page.locator(f"#post-{posts[25]['id']}")).to_have_count(0, timeout=LIVE_WAIT)
    assert first_visible(page) == pytest.approx(before, abs=1)

    nr.pin(slug, posts[29]["id"])  # the pinned box on top grows from nothing
    expect(page.locator(f"#pinned-{posts[29]['id']}")).to_be_attached(timeout=LIVE_WAIT)
    assert first_visible(page) == pytest.approx(before, abs=1)


def test_without_eventsource_the_page_polls_changes_and_stops_once_ended(
        context: BrowserContext, page: Page, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog(poll_after=1)
    nr.publish(slug, "Roads are flooded near the river.")
    polls: list[str] = []
    context.on("request", lambda r: polls.append(r.url) if "/changes?" in r.url else None)
    context.add_init_script("delete window.EventSource;")
    open_blog(page, slug)

    post = nr.publish(slug, "The river has burst its banks.")
    expect(page.locator(f"#stream > article#post-{post['id']}")).to_be_visible(
        timeout=LIVE_WAIT)
    assert polls and all(f"/blogs/{slug}/changes?since=" in url for url in polls)
    assert not any("/live" in url for url in polls)

    nr.end(slug)
    expect(page.locator(".blog__status .badge")).to_have_text("Ended", timeout=LIVE_WAIT)
    asked = len(polls)
    page.wait_for_timeout(3_000)  # three polling intervals: no request may follow
    assert len(polls) == asked, "the page kept polling an ended blog"


def test_the_tab_title_counts_new_updates_while_the_tab_is_hidden(
        page: Page, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog(title="Harbour fire")
    nr.publish(slug, "Smoke over the docks.")
    open_blog(page, slug)
    title = page.title()
    page.evaluate("""() => {
        Object.defineProperty(document, 'hidden', {value: true, configurable: true});
        document.dispatchEvent(new Event('visibilitychange'));
    }""")

    nr.publish(slug, "Two fire engines on the way.")
    expect(page).to_have_title(f"(1) {title}", timeout=LIVE_WAIT)
    nr.publish(slug, "The fire is under control.")
    expect(page).to_have_title(f"(2) {title}", timeout=LIVE_WAIT)

    page.evaluate("""() => {
        Object.defineProperty(document, 'hidden', {value: false, configurable: true});
        document.dispatchEvent(new Event('visibilitychange'));
    }""")
    expect(page).to_have_title(title)


def test_a_reset_from_the_server_reloads_the_page_and_it_carries_on_live(
        context: BrowserContext, page: Page, newsroom_server: Newsroom) -> None:
    """A page that claims a seq the server does not know (history pruned, database
    restored) is told to reset; the script reloads and the fresh page is live again."""
    nr = newsroom_server
    slug = nr.new_blog()
    nr.publish(slug, "Storm warning issued.")
    served: list[int] = []

    def stale_once(route: Route) -> None:
        response = route.fetch()
        html = response.text()
        if not served:
            html = re.sub(r'data-last-seq="\d+"', 'data-last-seq="999999"', html)
        served.append(1)
        route.fulfill(response=response, body=html)

    context.route(re.compile(rf"/blogs/{slug}$"), stale_once)
    page.goto(f"/blogs/{slug}")
    expect(page.locator("#live")).not_to_have_attribute("data-last-seq", "999999")
    assert len(served) == 2
    page.evaluate("window.__sameDocument = true")

    post = nr.publish(slug, "Storm warning upgraded to red.")
    expect(page.locator(f"#stream > article#post-{post['id']}")).to_be_visible(
        timeout=LIVE_WAIT)
    assert_not_reloaded(page)
