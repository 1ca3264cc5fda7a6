"""The team page and invitation links in Chromium, as a desk uses them on deadline: an admin
invites a colleague and sees them pending at once, copies a new link, the colleague opens it,
reads who invited them to which blog as what, sets a password and is in; a revoked link
answers with a page that says what to do. At laptop and phone widths, checked with axe."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.newsroom_support import (
    PASSWORD,
    Site,
    api_fetch,
    assert_not_reloaded,
    own_site,
    sign_in,
)
from tests.e2e.test_accessibility import assert_accessible, offline

pytestmark = pytest.mark.e2e
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# Screenshots to look at (laptop and phone), outside the work tree.
SHOTS = Path(os.environ.get("BULLETIN_SHOTS", tempfile.gettempdir())) / "bulletin-team"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with own_site(tmp_path_factory.mktemp("team-site")) as running:
        yield running


def person(browser: Browser, site: Site, viewport: dict[str, int] = LAPTOP) -> BrowserContext:
    ctx = browser.new_context(base_url=site.base_url, viewport=viewport,
                              reduced_motion="reduce")
    offline(ctx, site.base_url)
    return ctx


def new_blog(page: Page, slug: str, title: str) -> None:
    made = api_fetch(page, "POST", "/api/v1/blogs", {"slug": slug, "title": title,
                                                     "timezone": "Europe/Berlin"})
    assert made["status"] == 201, made


def open_team(page: Page, slug: str) -> None:
    page.goto(f"/blogs/{slug}/team")
    expect(page.locator("#invite-form")).to_be_visible()
    page.evaluate("window.__sameDocument = true")


def invite(page: Page, name: str, role: str) -> str:
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Role", exact=True).select_option(role)
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.locator("#invite-url")).to_have_value(re.compile(r"/invite/"))
    return page.locator("#invite-url").input_value()


def row(page: Page, name: str):  # type: ignore[no-untyped-def]
    return page.locator(f'#members tr[data-name="{name}"]')


def test_an_admin_invites_copies_a_new_link_and_the_colleague_gets_in(
        browser: Browser, site: Site) -> None:
    desk = person(browser, site)
    desk.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.base_url)
    page = desk.new_page()
    sign_in(page, site.admin)
    new_blog(page, "port-fire", "Fire at the port")
    open_team(page, "port-fire")

    first = invite(page, "Lina Haddad", "editor")
    lina = row(page, "Lina Haddad")
    expect(lina).to_contain_text("Invitation pending")  # in the list at once, no reload
    expect(lina).to_contain_text(re.compile(r"sent \d+ \w+ 20\d\d, \d\d:\d\d CET · expires"))
    expect(page.locator("#invite-note")).to_contain_text("Send this link to Lina Haddad "
                                                         "(editor). It works once, until")
    assert_not_reloaded(page)

    lina.get_by_role("button", name="Copy a new link for Lina Haddad").click()
    expect(page.locator("#team-status")).to_have_text(
        "A new link for Lina Haddad is copied. The previous link no longer works.")
    second = page.locator("#invite-url").input_value()
    assert second != first and "/invite/" in second
    assert page.evaluate("navigator.clipboard.readText()") == second
    expect(page.locator("#invite-note")).to_contain_text("The previous link no longer works.")
    expect(row(page, "Lina Haddad")).to_contain_text("Invitation pending")
    expect(page.locator("#invite-url")).to_be_focused()
    assert_not_reloaded(page)
    page.screenshot(path=str(SHOTS / "team-pending-laptop.png"), full_page=True)
    assert_accessible(page, "the team page with a pending invitation")

    colleague = person(browser, site, PHONE)
    phone = colleague.new_page()
    phone.goto(first)
    expect(phone.get_by_role("heading", level=1)).to_have_text("This link was replaced")
    expect(phone.locator("#invite-closed")).to_contain_text(
        f"Use the newest link {site.admin.name} sent you")
    expect(phone.get_by_label("New password")).to_have_count(0)

    phone.goto(second)
    expect(phone.locator("#invite-for")).to_have_text(
        f"{site.admin.name} invited you to Fire at the port as an editor.")
    expect(phone.locator("#invite-name")).to_have_text("Lina Haddad")
    phone.screenshot(path=str(SHOTS / "invite-phone.png"), full_page=True)
    assert_accessible(phone, "the invitation page")
    phone.get_by_label("New password").fill(PASSWORD)
    phone.get_by_role("button", name="Set password and start").click()
    phone.wait_for_url("**/blogs/port-fire/edit")
    expect(phone.locator(".nr-bar__who")).to_have_attribute("title",
                                                           "Signed in as Lina Haddad")
    expect(phone.locator("#blog-badge")).to_have_text("Live")
    phone.goto("/newsroom")
    expect(phone.locator('[data-slug="port-fire"] .role')).to_have_text("editor")

    page.reload()
    expect(row(page, "Lina Haddad")).not_to_contain_text("Invitation")
    expect(row(page, "Lina Haddad").get_by_role("button", name="Remove Lina Haddad")
           ).to_be_visible()
    phone.goto(second)  # the used link says so, and who to sign in as
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "This invitation has been used")
    colleague.close()
    desk.close()


def test_a_revoked_invitation_leaves_the_team_and_its_link_says_what_to_do(
        browser: Browser, site: Site) -> None:
    desk = person(browser, site)
    page = desk.new_page()
    sign_in(page, site.admin)
    new_blog(page, "rail-strike", "Rail strike")
    open_team(page, "rail-strike")
    link = invite(page, "Omar Said", "contributor")
    expect(row(page, "Omar Said")).to_contain_text("Invitation pending")

    page.once("dialog", lambda d: d.accept())
    row(page, "Omar Said").get_by_role("button", name="Revoke the invitation for Omar Said"
                                       ).click()
    expect(page.locator("#team-status")).to_have_text(
        "The invitation for Omar Said was revoked; the link no longer works.")
    expect(row(page, "Omar Said")).to_have_count(0)
    expect(page.locator("#invite-result")).to_be_hidden()
    assert_not_reloaded(page)

    omar = person(browser, site, PHONE).new_page()
    response = omar.goto(link)
    assert response is not None and response.status == 410
    expect(omar.get_by_role("heading", level=1)).to_have_text("This invitation was withdrawn")
    expect(omar.locator("#invite-closed")).to_have_text(
        f"{site.admin.name} withdrew this invitation. If you think that is a mistake, "
        "ask them for a new link.")
    expect(omar.locator(".auth-card__foot")).to_contain_text(
        f"ask {site.admin.name} to open the blog’s Team page and send you a new link")
    expect(omar.get_by_label("New password")).to_have_count(0)
    omar.screenshot(path=str(SHOTS / "revoked-phone.png"), full_page=True)
    assert_accessible(omar, "a revoked invitation's page")
    omar.context.close()

    page.set_viewport_size(PHONE)
    invite(page, "Omar Said", "contributor")  # invited again: a fresh link, pending
    expect(row(page, "Omar Said")).to_contain_text("Invitation pending")
    page.screenshot(path=str(SHOTS / "team-pending-phone.png"), full_page=True)
    desk.close()
