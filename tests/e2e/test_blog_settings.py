"""The blog settings screen in Chromium: reached from the dashboard and the blog's tabs, each
bad value explained beside its own field, a good change saved and seen by readers; read-only
for contributors. At laptop and phone widths, checked with axe."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.newsroom_support import PASSWORD, Colleague, Site, api_fetch, own_site, sign_in
from tests.e2e.test_accessibility import assert_accessible
from tests.e2e.test_team import LAPTOP, PHONE, person

pytestmark = pytest.mark.e2e
SHOTS = Path(os.environ.get("BULLETIN_SHOTS", tempfile.gettempdir())) / "bulletin-settings"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with own_site(tmp_path_factory.mktemp("settings-site")) as running:
        yield running




def save(page: Page) -> None:
    page.get_by_role("button", name="Save settings").click()


def test_an_editor_fixes_each_bad_value_beside_its_field_and_readers_see_the_change(
        browser: Browser, site: Site) -> None:
    ctx = person(browser, site)
    page = ctx.new_page()
    sign_in(page, site.admin)
    made = api_fetch(page, "POST", "/api/v1/blogs", {"slug": "harbour-fire",
                                                     "title": "Fire at the harbour"})
    assert made["status"] == 201, made
    page.goto("/newsroom")
    page.locator('[data-slug="harbour-fire"]').get_by_role("link", name="Settings").click()
    page.wait_for_url("**/blogs/harbour-fire/settings")
    expect(page.get_by_role("link", name="Settings")).to_have_attribute("aria-current", "page")
    expect(page.get_by_label("Title")).to_have_value("Fire at the harbour")
    expect(page.get_by_label("Time zone")).to_have_value("UTC")

    zone = page.get_by_label("Time zone")
    zone.fill("Mars/Olympus_Mons")
    expect(page.locator("#zone-now")).to_have_text("not a zone in the list yet")
    save(page)
    expect(page.locator("#timezone-error")).to_have_text(
        "Unknown time zone 'Mars/Olympus_Mons'; use a name such as 'Europe/Berlin'.")
    expect(zone).to_have_attribute("aria-invalid", "true")
    expect(zone).to_be_focused()
    assert_accessible(page, "the settings page with an error beside a field")

    zone.fill("Asia/Kolkata")
    expect(page.locator("#zone-now")).to_contain_text(":")  # the time there, live
    page.get_by_label("Reader poll interval (seconds)").fill("0")
    save(page)
    expect(page.locator("#timezone-error")).to_be_hidden()
    expect(page.locator("#poll_after-error")).to_contain_text("from 1 to 600")
    assert httpx.get(f"{site.base_url}/api/v1/blogs/harbour-fire").json()["timezone"] == "UTC"

    page.get_by_label("Reader poll interval (seconds)").fill("30")
    page.get_by_label("Title").fill("Fire at the harbour — day two")
    page.get_by_label("Standfirst").fill("Crews fight a warehouse blaze on the east quay.")
    page.get_by_label("Language").fill("en-GB")
    save(page)
    expect(page.locator("#settings-status")).to_contain_text("Saved at")
    expect(page.locator("#poll_after-error")).to_be_hidden()
    expect(page.locator(".nr-blog__title h1")).to_have_text("Fire at the harbour — day two")
    blog = httpx.get(f"{site.base_url}/api/v1/blogs/harbour-fire").json()
    assert (blog["title"], blog["timezone"], blog["language"], blog["poll_after"]) == (
        "Fire at the harbour — day two", "Asia/Kolkata", "en-GB", 30)
    assert blog["description"] == "Crews fight a warehouse blaze on the east quay."
    save(page)
    expect(page.locator("#settings-status")).to_have_text("Nothing has changed.")

    page.get_by_label("Title").fill("   ")
    save(page)
    expect(page.locator("#title-error")).to_have_text("Title is required.")
    page.reload()
    expect(page.get_by_label("Title")).to_have_value("Fire at the harbour — day two")
    expect(page.get_by_label("Reader poll interval (seconds)")).to_have_value("30")

    reader = ctx.new_page()
    reader.goto("/blogs/harbour-fire")
    expect(reader.get_by_role("heading", level=1)).to_have_text(
        "Fire at the harbour — day two")

    page.set_viewport_size(PHONE)
    page.get_by_label("Time zone").fill("Europe/Nowhere")
    save(page)
    expect(page.locator("#timezone-error")).to_be_visible()
    page.screenshot(path=str(SHOTS / "settings-error-phone.png"), full_page=True)
    page.set_viewport_size(LAPTOP)
    page.reload()
    page.screenshot(path=str(SHOTS / "settings-laptop.png"), full_page=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert_accessible(page, f"the settings page ({scheme})")
    ctx.close()


def test_a_contributor_sees_the_settings_but_cannot_change_them(
        browser: Browser, site: Site) -> None:
    ctx = person(browser, site, PHONE)
    page = ctx.new_page()
    sign_in(page, site.admin)
    made = api_fetch(page, "POST", "/api/v1/blogs", {"slug": "quay-fire", "title": "Quay"})
    assert made["status"] == 201, made
    invited = api_fetch(page, "POST", "/api/v1/blogs/quay-fire/invites",
                        {"name": "Tomas Berg", "role": "contributor"})
    assert invited["status"] == 201, invited
    set_password = httpx.post(invited["body"]["invite_url"], data={"password": PASSWORD})
    assert set_password.status_code == 303, set_password.text
    assert set_password.headers["location"] == "/blogs/quay-fire/edit"
    ctx.close()

    ctx = person(browser, site, PHONE)
    page = ctx.new_page()
    sign_in(page, Colleague("Tomas Berg", "contributor"))
    page.goto("/blogs/quay-fire/settings")
    expect(page.locator("#settings-readonly")).to_contain_text(
        "Only editors and admins can change these settings.")
    expect(page.get_by_label("Title")).to_be_disabled()
    expect(page.get_by_label("Time zone")).to_be_disabled()
    expect(page.get_by_role("button", name="Save settings")).to_have_count(0)
    assert_accessible(page, "the settings page, read-only")
    ctx.close()
