"""The newsroom in Chromium: signing in, composing, the approval queue, roles, CSRF,
concurrent edits and autosaved drafts — against the real server, as journalists use it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.e2e.conftest import Newsroom
from tests.e2e.newsroom_support import (
    LIVE_WAIT,
    PASSWORD,
    POLL_WAIT,
    Site,
    api_fetch,
    assert_not_reloaded,
    colleague,
    invite,
    open_composer,
    open_reader,
    own_site,
    posts,
    sign_in,
    write_text,
)

pytestmark = pytest.mark.e2e


def test_an_editor_publishes_three_blocks_with_ctrl_enter_and_an_open_reader_page_shows_it(
        page: Page, second: BrowserContext, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Harbour fire")
    editor = colleague(nr, slug, "editor")
    reader = second.new_page()
    open_reader(reader, slug)

    sign_in(page, editor)
    expect(page.locator(f'#blog-list [data-slug="{slug}"]')).to_contain_text("editor")
    open_composer(page, slug)
    page.get_by_label("Headline").first.fill("Fire at the harbour")
    write_text(page, "A warehouse is burning on ")
    page.keyboard.press("Control+b")
    page.keyboard.type("Pier 4")
    page.keyboard.press("Control+b")
    page.keyboard.type(". Crews are on site.")
    page.locator("#compose-editor [data-add=quote]").click()
    page.get_by_label("The quote").fill("Stay away from the waterfront")
    page.get_by_label("Who said it").fill("Fire chief")
    page.locator("#compose-editor [data-add=link]").click()
    page.get_by_label("Address of the article").fill("https://example.org/fire")
    page.get_by_label("Title").fill("Map of closed streets")
    expect(page.locator("#preview .post__headline")).to_have_text("Fire at the harbour",
                                                                   timeout=LIVE_WAIT)
    page.get_by_label("Title").press("Control+Enter")

    expect(page.locator("#state")).to_have_text("Live ✓", timeout=LIVE_WAIT)
    article = reader.locator("#stream > article.post").first
    expect(article.locator(".post__headline")).to_have_text("Fire at the harbour",
                                                           timeout=LIVE_WAIT)
    expect(article.locator(".block--text strong")).to_have_text("Pier 4")
    expect(article.locator(".block--quote cite")).to_have_text("Fire chief")
    expect(article.locator(".block--link .link-card__title")).to_have_text(
        "Map of closed streets")
    assert_not_reloaded(reader)
    # the editor's own stream shows it with its actions, and the composer is empty again
    mine = page.locator("#stream .ed-post").first
    expect(mine.locator(".post__headline")).to_have_text("Fire at the harbour")
    expect(mine.get_by_role("button", name="Edit")).to_be_visible()
    expect(page.get_by_label("Headline").first).to_have_value("")
    published = posts(nr, slug)
    assert len(published) == 1
    assert [b["kind"] for b in published[0]["blocks"]] == ["text", "quote", "link"]
    assert published[0]["author"]["name"] == editor.name


def test_a_contributor_submits_the_editor_sees_it_live_in_the_queue_and_approves_it(
        page: Page, second: BrowserContext, third: BrowserContext,
        newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog("Flood watch")
    editor = colleague(nr, slug, "editor")
    name, link = invite(nr, slug, "contributor")
    # the contributor sets a password on the invitation page, then signs in
    page.goto(link)
    page.get_by_label("New password").fill(PASSWORD)
    page.get_by_role("button", name="Set password").click()
    page.wait_for_url(re.compile(rf"/blogs/{slug}/edit"))  # signed in at once, at the desk
    desk = second.new_page()
    sign_in(desk, editor)
    open_composer(desk, slug)
    reader = third.new_page()
    open_reader(reader, slug)

    open_composer(page, slug)
    expect(page.locator("#publish")).to_have_text("Submit for approval")
    expect(page.locator("#flag-pin")).to_have_count(0)
    page.get_by_label("Headline").first.fill("River level rising")
    write_text(page, "The river has risen 40 cm in the last hour.")
    page.locator("#publish").click()
    expect(page.locator("#state")).to_have_text("Sent for approval ✓", timeout=LIVE_WAIT)
    expect(page.locator("#queue-list .qcard")).to_contain_text("Waiting for approval")

    card = desk.locator("#queue-list .qcard", has_text="River level rising")
    expect(card).to_contain_text("Waiting for approval", timeout=POLL_WAIT)
    expect(card).to_contain_text(name)
    expect(desk.locator("#queue-count")).to_have_text("1")
    assert_not_reloaded(desk)
    assert posts(nr, slug) == []  # nothing reaches readers before approval

    card.get_by_role("button", name="Approve").click()
    expect(card).to_have_count(0)
    expect(reader.locator("#stream > article.post .post__headline")).to_have_text(
        "River level rising", timeout=LIVE_WAIT)
    expect(desk.locator("#stream .ed-post .post__headline").first).to_have_text(
        "River level rising")
    expect(page.locator("#queue-list .qcard")).to_have_count(0, timeout=POLL_WAIT)
    (post,) = posts(nr, slug)
    assert post["author"]["name"] == name


def test_an_editor_sends_a_post_back_and_the_contributor_sees_the_note(
        page: Page, second: BrowserContext, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog()
    editor, writer = colleague(nr, slug, "editor"), colleague(nr, slug, "contributor")
    sign_in(page, writer)
    open_composer(page, slug)
    write_text(page, "Unconfirmed: the bridge has collapsed.")
    page.locator("#publish").click()
    expect(page.locator("#state")).to_have_text("Sent for approval ✓", timeout=LIVE_WAIT)
    desk = second.new_page()
    sign_in(desk, editor)
    open_composer(desk, slug)

    card = desk.locator("#queue-list .qcard", has_text="bridge has collapsed")
    card.get_by_role("button", name="Send back…").click()
    card.get_by_role("textbox").fill("Who says so? Name the source.")
    card.get_by_role("button", name="Send back", exact=True).click()

    mine = page.locator("#queue-list .qcard")
    expect(mine).to_contain_text("Sent back", timeout=POLL_WAIT)
    expect(mine).to_contain_text("Who says so? Name the source.")
    mine.get_by_role("button", name="Edit").click()
    expect(page.locator("#review-note")).to_contain_text("Name the source")
    assert posts(nr, slug) == []


def test_a_contributors_browser_session_cannot_publish_through_the_api(
        page: Page, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog()
    sign_in(page, colleague(nr, slug, "contributor"))
    open_composer(page, slug)
    expect(page.locator("[data-act=delete], [data-act=pin], button:text-is('Publish')")
           ).to_have_count(0)

    body = {"blocks": [{"kind": "text", "html": "<p>Sneaking this out.</p>"}]}
    answer = api_fetch(page, "POST", f"/api/v1/blogs/{slug}/posts", body)
    assert answer["status"] == 403
    assert answer["body"]["error"]["code"] == "forbidden"
    draft = api_fetch(page, "POST", f"/api/v1/blogs/{slug}/drafts", body)
    assert draft["status"] == 201
    approve = api_fetch(page, "POST", f"/api/v1/blogs/{slug}/drafts/{draft['body']['id']}"
                        "/approve")
    assert approve["status"] == 403
    assert posts(nr, slug) == []


def test_a_cookie_authenticated_write_without_the_csrf_header_is_refused(
        page: Page, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog()
    sign_in(page, colleague(nr, slug, "editor"))
    open_composer(page, slug)
    body = {"blocks": [{"kind": "text", "html": "<p>Forged from another site.</p>"}]}

    answer = api_fetch(page, "POST", f"/api/v1/blogs/{slug}/posts", body, csrf=False)

    assert answer["status"] == 403
    assert answer["body"]["error"]["code"] == "csrf"
    assert posts(nr, slug) == []
    assert api_fetch(page, "POST", f"/api/v1/blogs/{slug}/posts", body)["status"] == 201


def test_two_editors_on_one_post_see_each_other_and_the_second_save_gets_a_conflict(
        page: Page, second: BrowserContext, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog()
    ana, ben = colleague(nr, slug, "editor"), colleague(nr, slug, "editor")
    post = nr.publish(slug, "Three people were rescued.")
    other = second.new_page()
    sign_in(page, ana)
    sign_in(other, ben)
    open_composer(page, slug)
    open_composer(other, slug)

    mine = page.locator(f"#ed-{post['id']}")
    theirs = other.locator(f"#ed-{post['id']}")
    mine.get_by_role("button", name="Edit").click()
    theirs.get_by_role("button", name="Edit").click()
    expect(theirs.locator("[data-presence]")).to_have_text(f"{ana.name} is editing…",
                                                           timeout=POLL_WAIT)
    expect(mine.locator("[data-presence]")).to_have_text(f"{ben.name} is editing…",
                                                         timeout=POLL_WAIT)

    ana_text = mine.locator(".blk__text")
    ana_text.click()
    ana_text.press("End")
    page.keyboard.type(" One is in hospital.")
    mine.get_by_role("button", name="Save changes").click()
    expect(mine.locator("article.post")).to_contain_text("One is in hospital.",
                                                         timeout=LIVE_WAIT)
    ben_text = theirs.locator(".blk__text")
    ben_text.click()
    ben_text.press("End")
    other.keyboard.type(" All are safe.")
    theirs.get_by_role("button", name="Save changes").click()

    box = theirs.locator(".conflict")
    expect(box).to_be_visible(timeout=LIVE_WAIT)
    expect(box.locator("section").nth(0)).to_contain_text("One is in hospital.")
    expect(box.locator("section").nth(1)).to_contain_text("All are safe.", timeout=LIVE_WAIT)
    assert "All are safe" not in str(posts(nr, slug)[0]["blocks"])  # nothing overwritten

    box.get_by_role("button", name="Overwrite with mine").click()
    expect(theirs.locator("article.post")).to_contain_text("All are safe.", timeout=LIVE_WAIT)
    expect(mine.locator("article.post")).to_contain_text("All are safe.", timeout=LIVE_WAIT)
    (stored,) = posts(nr, slug)
    assert stored["version"] == post["version"] + 2
    assert "All are safe." in stored["blocks"][0]["html"]


def test_the_composer_autosaves_and_a_reloaded_page_brings_the_draft_back(
        page: Page, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog()
    sign_in(page, colleague(nr, slug, "editor"))
    open_composer(page, slug)
    page.get_by_label("Headline").first.fill("Power cut in the old town")
    write_text(page, "About 3,000 homes are without electricity.")
    expect(page.locator("#state")).to_have_text("Saved draft", timeout=LIVE_WAIT)

    page.reload()

    expect(page.get_by_label("Headline").first).to_have_value("Power cut in the old town")
    expect(page.locator("#compose-editor .blk__text")).to_have_text(
        "About 3,000 homes are without electricity.")
    expect(page.locator("#compose-mode")).to_have_text("Your draft")
    assert posts(nr, slug) == []
    page.keyboard.press("Control+Enter")
    expect(page.locator("#state")).to_have_text("Live ✓", timeout=LIVE_WAIT)
    (post,) = posts(nr, slug)
    assert post["headline"] == "Power cut in the old town"


def test_a_publish_whose_answer_is_lost_is_retried_with_the_same_key_and_posts_once(
        page: Page, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog()
    sign_in(page, colleague(nr, slug, "editor"))
    open_composer(page, slug)
    keys: list[str] = []

    def lose_first_answer(route: Route) -> None:
        keys.append(route.request.headers.get("idempotency-key", ""))
        if len(keys) == 1:
            route.fetch()  # the server publishes…
            route.abort("internetdisconnected")  # …but the phone never hears back
        else:
            route.continue_()

    page.route(f"**/api/v1/blogs/{slug}/posts", lose_first_answer)
    write_text(page, "Trains are running again.")
    page.keyboard.press("Control+Enter")

    expect(page.locator("#state")).to_have_text("Live ✓", timeout=3 * LIVE_WAIT)
    assert len(keys) == 2 and keys[0] == keys[1] and keys[0]
    assert len(posts(nr, slug)) == 1
    expect(page.locator("#stream .ed-post")).to_have_count(1)


def test_an_offline_composer_shows_the_failure_and_publishes_when_back_online(
        page: Page, context: BrowserContext, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog()
    sign_in(page, colleague(nr, slug, "editor"))
    open_composer(page, slug)
    write_text(page, "Road reopened.")
    context.set_offline(True)
    page.keyboard.press("Control+Enter")
    expect(page.locator("#state")).to_contain_text("Failed — retry", timeout=LIVE_WAIT)
    assert posts(nr, slug) == []

    context.set_offline(False)

    expect(page.locator("#state")).to_have_text("Live ✓", timeout=3 * LIVE_WAIT)
    assert len(posts(nr, slug)) == 1


def test_a_bad_field_gets_the_servers_message_next_to_it(
        page: Page, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog()
    sign_in(page, colleague(nr, slug, "editor"))
    open_composer(page, slug)
    page.locator("#compose-editor [data-add=image]").click()
    page.get_by_label("Or the address of a photo online").fill("javascript:alert(1)")
    page.get_by_label("Alt text: describe the photo for people who cannot see it").fill("x")
    page.locator("#publish").click()

    url = page.get_by_label("Or the address of a photo online")
    expect(url).to_have_class(re.compile("is-invalid"), timeout=LIVE_WAIT)
    expect(page.locator(".blk--image .field-error")).to_be_visible()
    assert posts(nr, slug) == []


def test_history_lists_revisions_and_restores_one(
        page: Page, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog()
    sign_in(page, colleague(nr, slug, "editor"))
    post = nr.publish(slug, "Two injured.")
    nr.edit(slug, post, "Five injured.")
    open_composer(page, slug)
    item = page.locator(f"#ed-{post['id']}")

    item.get_by_role("button", name="History").click()
    revisions = item.locator(".history__item")
    expect(revisions).to_have_count(2)
    expect(revisions.nth(1)).to_contain_text("Two injured.")
    revisions.nth(1).get_by_role("button", name="Restore").click()

    expect(item.locator("article.post")).to_contain_text("Two injured.", timeout=LIVE_WAIT)
    assert "Two injured." in posts(nr, slug)[0]["blocks"][0]["html"]


def test_pin_key_event_and_delete_from_the_stream_reach_readers(
        page: Page, second: BrowserContext, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog()
    sign_in(page, colleague(nr, slug, "editor"))
    keep = nr.publish(slug, "Summary: what we know.")
    drop = nr.publish(slug, "A mistaken report.")
    reader = second.new_page()
    open_reader(reader, slug)
    open_composer(page, slug)

    page.locator(f"#ed-{keep['id']}").get_by_role("button", name="Pin").click()
    expect(reader.locator(f"#pinned-{keep['id']}")).to_be_visible(timeout=LIVE_WAIT)
    page.locator(f"#ed-{keep['id']}").get_by_role("button", name="Key event").click()
    expect(reader.locator(f"#post-{keep['id']}.post--key")).to_be_visible(timeout=LIVE_WAIT)
    page.once("dialog", lambda d: d.accept())
    page.locator(f"#ed-{drop['id']}").get_by_role("button", name="Delete").click()
    expect(reader.locator(f"#post-{drop['id']}")).to_have_count(0, timeout=LIVE_WAIT)
    expect(page.locator(f"#ed-{drop['id']}")).to_have_count(0)
    assert_not_reloaded(reader)


def test_ending_coverage_publishes_the_composer_as_closing_post_and_reopening_works(
        page: Page, second: BrowserContext, newsroom_server: Newsroom) -> None:
    nr = newsroom_server
    slug = nr.new_blog()
    sign_in(page, colleague(nr, slug, "editor"))
    reader = second.new_page()
    open_reader(reader, slug)
    open_composer(page, slug)
    write_text(page, "This concludes our coverage for tonight.")
    page.get_by_role("button", name="End coverage…").click()
    page.get_by_role("dialog", name="End coverage").get_by_role(
        "button", name="End coverage").click()

    expect(page.locator("#blog-badge")).to_have_text("Ended", timeout=LIVE_WAIT)
    expect(reader.locator("#ended-banner")).to_be_visible(timeout=LIVE_WAIT)
    expect(reader.locator("#closing > article.post")).to_contain_text("This concludes")
    expect(page.locator("#publish")).to_be_disabled()
    page.get_by_role("button", name="Reopen coverage").click()
    expect(page.locator("#blog-badge")).to_have_text("Live", timeout=LIVE_WAIT)
    expect(page.locator("#publish")).to_be_enabled()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with own_site(tmp_path_factory.mktemp("newsroom-site")) as running:
        yield running


def test_a_site_admin_opens_a_blog_builds_the_team_and_manages_api_tokens(
        browser: Browser, site: Site) -> None:
    ctx = browser.new_context(base_url=site.base_url, viewport={"width": 1366, "height": 900})
    page = ctx.new_page()
    sign_in(page, site.admin)
    expect(page.get_by_text("No coverage yet")).to_be_visible()
    page.get_by_label("Title").fill("Election night")
    page.get_by_label("Address").fill("election-night")
    page.get_by_label("Time zone").fill("Europe/Berlin")
    page.get_by_role("button", name="Open blog").click()
    page.wait_for_url("**/blogs/election-night/edit")
    expect(page.locator("#blog-badge")).to_have_text("Live")

    page.get_by_role("link", name="Team").click()
    page.get_by_label("Name", exact=True).fill("Rosa Klein")
    page.get_by_label("Role", exact=True).select_option("editor")
    page.get_by_role("button", name="Invite").click()
    expect(page.locator("#invite-url")).to_have_value(re.compile(r"/invite/"))
    rosa = browser.new_context(base_url=site.base_url)
    newcomer = rosa.new_page()
    newcomer.goto(page.locator("#invite-url").input_value())
    newcomer.get_by_label("New password").fill(PASSWORD)
    newcomer.get_by_role("button", name="Set password").click()
    newcomer.wait_for_url("**/blogs/election-night/edit")  # signed in by setting it
    newcomer.goto("/newsroom")
    expect(newcomer.locator('[data-slug="election-night"] .role')).to_have_text("editor")

    page.reload()
    page.get_by_label("Role of Rosa Klein").select_option("contributor")
    expect(page.locator("#team-status")).to_have_text("Rosa Klein is now contributor.")
    newcomer.reload()
    expect(newcomer.locator('[data-slug="election-night"] .role')).to_have_text("contributor")
    rosa.close()

    page.get_by_role("link", name="Audit log").click()
    invited = page.locator("#audit tbody tr", has_text="member invited")
    expect(invited).to_contain_text("Rosa Klein as editor")
    expect(page.locator("#audit tbody tr", has_text="member joined")).to_contain_text(
        "Rosa Klein as editor")
    assert "T" not in invited.locator("time").inner_text()  # a readable local time

    page.get_by_role("link", name="Account").click()
    page.get_by_label("Label").fill("wire importer")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#token-value")).not_to_have_value("")
    token = page.locator("#token-value").input_value()
    me = httpx.get(f"{site.base_url}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["name"] == site.admin.name
    page.reload()
    page.once("dialog", lambda d: d.accept())
    page.locator("#tokens tr", has_text="wire importer").get_by_role("button",
                                                                    name="Revoke").click()
    expect(page.locator("#tokens tr", has_text="wire importer")).to_contain_text("Revoked")
    gone = httpx.get(f"{site.base_url}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert gone.status_code == 401

    page.get_by_role("button", name="Sign out").click()
    page.goto("/newsroom")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    ctx.close()
