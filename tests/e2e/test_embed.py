"""A newsroom pastes the embed snippet into a page on another site, and the live blog works
there: posts, live updates, pages of older updates, and a frame sized to its content.

The host page is served by a second, plain HTTP server on its own port — another origin than
the Bulletin server — exactly as a newspaper's article page would be.
"""

from __future__ import annotations

import gzip
import html
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page, expect

import bulletin
from tests.e2e.conftest import Newsroom

pytestmark = pytest.mark.e2e
LIVE_WAIT = 5_000  # ms: a functional wait for a change to show, not a speed target
FIT_WAIT = 10.0  # s: generous functional wait for the frame to be resized
SLACK = 4  # px of rounding allowed between the frame and its content
EMBED_JS = Path(bulletin.__file__).parent / "static" / "embed.js"


class HostSite:
    """Another site: serves whatever pages the test gives it, on its own origin."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = pages.get(self.path)
                data = (body or "not found").encode()
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def page(self, name: str, body: str) -> str:
        self.pages[f"/{name}"] = (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<title>The Coastal Gazette</title></head><body>"
            "<h1>Storm hits the coast</h1><p>Our reporters are following events.</p>"
            f"{body}<p id='after'>More from the Gazette.</p></body></html>")
        return f"{self.origin}/{name}"


@pytest.fixture(scope="module")
def host_site() -> Iterator[HostSite]:
    site = HostSite()
    site.thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()
    site.thread.join(timeout=10)


def snippet(bulletin_origin: str, slug: str) -> str:
    """The script snippet from the README, as a newsroom pastes it."""
    host, slug = html.escape(bulletin_origin), html.escape(slug)
    return (f'<script src="{host}/static/embed.js" data-blog="{slug}" async></script>'
            f'<noscript><a href="{host}/blogs/{slug}">Follow the live coverage</a></noscript>')


def widget(slug: str) -> str:
    return f'iframe[src$="/blogs/{slug}/embed"]'


def frame_of(page: Page, slug: str) -> Frame:
    handle = page.locator(widget(slug)).element_handle()
    frame = handle.content_frame()
    assert frame is not None
    return frame


def wait_until(check: Callable[[], bool], what: str, timeout: float = FIT_WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout}s: {what}")
        time.sleep(0.05)


def frame_height(page: Page, slug: str) -> float:
    return float(page.locator(widget(slug)).evaluate("f => f.getBoundingClientRect().height"))


def content_height(page: Page, slug: str) -> float:
    frame = frame_of(page, slug)
    return float(frame.evaluate("document.documentElement.scrollHeight"))


def fits(page: Page, slug: str) -> bool:
    """The frame is at least as tall as its content: the reader never scrolls inside it."""
    return frame_height(page, slug) >= content_height(page, slug) - SLACK


def fitted(page: Page, slug: str) -> bool:
    """Sized by the widget (not the 150 px default) and fitting its content."""
    styled = page.locator(widget(slug)).evaluate("f => f.style.height !== ''")
    return bool(styled) and fits(page, slug)


def open_host(page: Page, url: str, *slugs: str) -> None:
    page.goto(url)
    for slug in slugs:
        inner = page.frame_locator(widget(slug))
        expect(inner.locator("#controls")).to_be_visible(timeout=LIVE_WAIT)  # reader.js runs
        wait_until(partial(fitted, page, slug), f"the {slug} frame fits")


def test_the_snippet_shows_the_live_blog_on_another_sites_page(
        page: Page, newsroom_server: Newsroom, host_site: HostSite) -> None:
    nr = newsroom_server
    slug = nr.new_blog(title="Storm Halvard live")
    first = nr.publish(slug, "Winds are picking up along the coast.")
    url = host_site.page(f"{slug}.html", snippet(nr.base_url, slug))

    open_host(page, url, slug)

    assert page.evaluate("location.origin") == host_site.origin != nr.base_url
    iframe = page.locator("script[data-blog] + iframe")
    expect(iframe).to_have_attribute("src", f"{nr.base_url}/blogs/{slug}/embed")
    expect(iframe).to_have_attribute("title", "Live coverage")
    expect(iframe).to_have_attribute("loading", "lazy")
    assert page.locator(widget(slug)).evaluate("f => f.contentDocument") is None, \
        "the frame is cross-origin"
    inner = page.frame_locator(widget(slug))
    expect(inner.locator("h1")).to_have_text("Storm Halvard live")
    expect(inner.locator(f"#post-{first['id']}")).to_contain_text("Winds are picking up")

    post = nr.publish(slug, "Ferries are suspended until Saturday.", headline="Ferries stop")

    article = inner.locator(f"#stream > article#post-{post['id']}")
    expect(article).to_be_visible(timeout=LIVE_WAIT)
    expect(article.locator(".post__headline")).to_have_text("Ferries stop")
    permalink = article.locator("a.post__time")
    expect(permalink).to_have_attribute("target", "_blank")
    expect(permalink).to_have_attribute("rel", "noopener")
    expect(page.locator("#after")).to_be_attached()  # the host page is otherwise untouched


def test_the_frame_grows_to_fit_new_posts(
        page: Page, newsroom_server: Newsroom, host_site: HostSite) -> None:
    nr = newsroom_server
    slug = nr.new_blog()
    nr.publish(slug, "The first update.")
    url = host_site.page(f"{slug}-grow.html", snippet(nr.base_url, slug))
    open_host(page, url, slug)
    before = frame_height(page, slug)

    posts = [nr.publish(slug, "A longer update about the harbour, the ferries and the "
                        f"road closures along the coast, number {i}.") for i in range(6)]

    inner = page.frame_locator(widget(slug))
    expect(inner.locator(f"#post-{posts[-1]['id']}")).to_be_visible(timeout=LIVE_WAIT)
    wait_until(lambda: frame_height(page, slug) > before + 300 and fits(page, slug),
               "the frame grows to fit six more posts")
    assert not frame_of(page, slug).evaluate(
        "document.documentElement.scrollHeight > window.innerHeight + 4"), \
        "the frame has its own scrollbar"


def test_a_height_message_not_from_the_frame_is_ignored(
        page: Page, newsroom_server: Newsroom, host_site: HostSite) -> None:
    nr = newsroom_server
    slug = nr.new_blog()
    nr.publish_many(slug, 3)
    url = host_site.page(f"{slug}-forged.html", snippet(nr.base_url, slug))
    open_host(page, url, slug)

    heights = page.evaluate("""async ([selector, slug]) => {
      const frame = document.querySelector(selector);
      const before = frame.style.height;
      // Message listeners run in the order they were added: once this one has seen the
      // forged message, the widget's listener (added by embed.js earlier) has handled it.
      await new Promise((resolve) => {
        window.addEventListener('message', (e) => { if (e.data.forged) resolve(); });
        window.postMessage({ type: 'bulletin:height', slug, height: 7, forged: true }, '*');
      });
      return [before, frame.style.height];
    }""", [widget(slug), slug])

    before, after = heights
    assert before.endswith("px") and before != "7px"
    assert after == before
    assert fits(page, slug)


def test_the_pager_inside_the_frame_stays_inside_the_frame(
        page: Page, newsroom_server: Newsroom, host_site: HostSite) -> None:
    nr = newsroom_server
    slug = nr.new_blog()
    posts = nr.publish_many(slug, 40)  # two pages of updates
    url = host_site.page(f"{slug}-pages.html", snippet(nr.base_url, slug))
    open_host(page, url, slug)
    inner = page.frame_locator(widget(slug))
    expect(inner.locator(f"#post-{posts[-1]['id']}")).to_be_visible()

    inner.locator("nav.pager--bottom a.pager__older").click()

    expect(inner.locator(f"#post-{posts[0]['id']}")).to_be_visible(timeout=LIVE_WAIT)
    expect(inner.locator(f"#post-{posts[-1]['id']}")).to_have_count(0)
    assert page.url == url, "the host page did not navigate"
    assert frame_of(page, slug).url == f"{nr.base_url}/blogs/{slug}/embed?page=1"
    wait_until(lambda: fitted(page, slug), "the frame fits the older page")

    inner.locator("nav.pager--top a.pager__newer").click()
    expect(inner.locator(f"#post-{posts[-1]['id']}")).to_be_visible(timeout=LIVE_WAIT)
    assert page.url == url


def test_several_widgets_on_one_page_each_fit_their_own_blog(
        page: Page, newsroom_server: Newsroom, host_site: HostSite) -> None:
    nr = newsroom_server
    short, tall = nr.new_blog(title="Short blog"), nr.new_blog(title="Tall blog")
    nr.publish(short, "Just one update.")
    nr.publish_many(tall, 8)
    url = host_site.page(f"{short}-two.html", snippet(nr.base_url, short) + "<hr>"
                         + snippet(nr.base_url, tall))

    open_host(page, url, short, tall)

    assert page.locator("iframe").count() == 2
    expect(page.frame_locator(widget(short)).locator("h1")).to_have_text("Short blog")
    expect(page.frame_locator(widget(tall)).locator("h1")).to_have_text("Tall blog")
    # Each frame takes only its own frame's messages: the heights differ and both fit.
    assert frame_height(page, tall) > frame_height(page, short) + 500
    assert fits(page, short) and fits(page, tall)


def test_the_iframe_snippet_alone_works_at_a_fixed_height(
        page: Page, newsroom_server: Newsroom, host_site: HostSite) -> None:
    nr = newsroom_server
    slug = nr.new_blog()
    nr.publish_many(slug, 8)
    url = host_site.page(f"{slug}-iframe.html", (
        f'<iframe src="{nr.base_url}/blogs/{slug}/embed" title="Live coverage" '
        'style="width:100%;height:400px;border:0"></iframe>'))

    page.goto(url)

    inner = page.frame_locator("iframe")
    expect(inner.locator("#controls")).to_be_visible(timeout=LIVE_WAIT)
    assert frame_height(page, slug) == 400
    frame = frame_of(page, slug)
    assert frame.evaluate("document.documentElement.scrollHeight > window.innerHeight"), \
        "the content scrolls inside the fixed frame"
    post = nr.publish(slug, "A late update.")
    expect(inner.locator(f"#post-{post['id']}")).to_be_visible(timeout=LIVE_WAIT)
    assert frame_height(page, slug) == 400


def test_the_embed_script_is_tiny() -> None:
    size = len(gzip.compress(EMBED_JS.read_bytes(), compresslevel=9))
    assert 0 < size < 2048, f"embed.js is {size} bytes gzipped; the budget is 2 KB"
