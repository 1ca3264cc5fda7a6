"""Without JavaScript the reader pages are complete: pages of updates and permalinks work."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Newsroom

pytestmark = pytest.mark.e2e


@pytest.fixture
def plain_page(browser: Browser, newsroom_server: Newsroom) -> Iterator[Page]:
    ctx = browser.new_context(base_url=newsroom_server.base_url, java_script_enabled=False,
                              viewport={"width": 390, "height": 844})
    yield ctx.new_page()
    ctx.close()


def test_pager_and_permalinks_work_with_javascript_off(
        plain_page: Page, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog()
    posts = nr.publish_many(slug, 45)  # page 1 = the 20 oldest; the front page the newest 25
    page = plain_page

    page.goto(f"/blogs/{slug}")
    expect(page.locator(".pager__label").first).to_have_text("Page 2 of 2 · latest")
    expect(page.locator("#controls")).to_be_hidden()
    front = page.locator("#stream > article.post")
    expect(front).to_have_count(25)
    expect(front.first).to_have_attribute("id", f"post-{posts[-1]['id']}")

    page.locator(".pager__older").first.click()
    expect(page).to_have_url(re.compile(rf"/blogs/{slug}\?page=1$"))
    expect(page.locator(".pager__label").first).to_have_text("Page 1 of 2 · earliest")
    older = page.locator("#stream > article.post")
    expect(older).to_have_count(20)
    expect(older.first).to_have_attribute("id", f"post-{posts[19]['id']}")
    expect(older.last).to_have_attribute("id", f"post-{posts[0]['id']}")
    expect(page.locator(".pager__older")).to_have_count(0)

    target = posts[4]
    page.locator(f"#post-{target['id']} .post__share").click()
    expect(page).to_have_url(re.compile(rf"/blogs/{slug}/posts/{target['id']}$"))
    expect(page.locator(f"article#post-{target['id']}")).to_contain_text("Update number 5")

    page.locator(".crumb a").first.click()
    expect(page).to_have_url(re.compile(rf"/blogs/{slug}\?page=1#post-{target['id']}$"))
    expect(page.locator(".pager__label").first).to_have_text("Page 1 of 2 · earliest")

    page.locator(".pager__newer").first.click()
    expect(page).to_have_url(re.compile(rf"/blogs/{slug}$"))
    expect(page.locator(".pager__label").first).to_have_text("Page 2 of 2 · latest")
    expect(page.locator(".badge").first).to_have_text("Live")
