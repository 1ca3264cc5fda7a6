"""The blog settings page and the update it saves through (PATCH /api/v1/blogs/{slug}): who
may see and change what, CSRF for browsers, and every bad value refused with a 4xx JSON error
naming its field — the field the page shows the message beside — with nothing written."""

from __future__ import annotations

from typing import Any

import pytest

from bulletin.actions import accounts
from bulletin.web.editor import time_zones
from tests.conftest import App
from tests.web.test_roles import BLOG, Team, make_team
from tests.web.test_sessions import (
    PASSWORD,
    Browser,
    assert_error,
    by_name,
    form_value,
    signed_in,
    snapshot,
    words,
)


@pytest.fixture
async def team(api: App) -> Team:
    made = await make_team(api)
    for name in ("Erin", "Cory", "Olga"):
        await accounts.set_password(api.newsroom, await by_name(api, name), PASSWORD)
    return made


async def page_for(team: Team, name: str) -> tuple[int, str]:
    browser = await signed_in(team.api, name)
    try:
        r = await browser.client.get("/blogs/storm/settings")
        return r.status_code, r.text
    finally:
        await browser.client.aclose()


async def test_an_editor_sees_the_settings_with_the_blogs_values_and_the_zone_list(
        team: Team) -> None:
    await team.ok("Ada", "PATCH", "", {"description": "Rain & wind", "timezone":
                                       "Europe/Berlin", "language": "de", "poll_after": 30})
    status, html = await page_for(team, "Erin")
    assert status == 200
    assert form_value(html, "title") == "Storm"
    assert form_value(html, "timezone") == "Europe/Berlin"
    assert form_value(html, "language") == "de"
    assert form_value(html, "poll_after") == "30"
    assert ">Rain &amp; wind</textarea>" in html
    assert '<option value="Asia/Kolkata">' in html and '<option value="UTC">' in html
    assert "Europe/Kyiv" in time_zones() and not any(z.startswith("posix/")
                                                     for z in time_zones())
    assert "Leave empty for the site’s setting (2 s)" in words(html)
    assert 'href="/blogs/storm/settings" aria-current="page"' in html
    assert "disabled" not in html.split('id="settings-form"')[1].split("</form>")[0]


async def test_a_contributor_sees_the_settings_read_only(team: Team) -> None:
    status, html = await page_for(team, "Cory")
    assert status == 200
    assert "Only editors and admins can change these settings" in words(html)
    form = html.split('id="settings-form"')[1].split("</form>")[0]
    assert form.count(" disabled") == 5 and "Save settings" not in form
    assert_error(await team.call("Cory", "PATCH", "", {"title": "Mine now"}), 403)


async def test_someone_without_a_role_here_gets_no_settings_page(team: Team) -> None:
    status, html = await page_for(team, "Olga")  # an editor on another blog only
    assert status == 403 and "Olga has no role on this blog" in html
    async with Browser(team.api) as stranger:
        r = await stranger.client.get("/blogs/storm/settings")
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")


async def test_the_dashboard_and_every_blog_page_link_to_the_settings(team: Team) -> None:
    browser = await signed_in(team.api, "Erin")
    try:
        for path in ("/newsroom", "/blogs/storm/edit", "/blogs/storm/team",
                     "/blogs/storm/audit"):
            r = await browser.client.get(path)
            assert r.status_code == 200, path
            assert 'href="/blogs/storm/settings"' in r.text, path
    finally:
        await browser.client.aclose()


async def test_saving_from_the_browser_needs_the_csrf_token(team: Team) -> None:
    browser = await signed_in(team.api, "Erin")
    try:
        before = await snapshot(team.api)
        r = await browser.client.patch(BLOG, json={"title": "Storm: day two"})
        assert_error(r, 403, "csrf")
        assert await snapshot(team.api) == before
        r = await browser.write("PATCH", BLOG, json={"title": "Storm: day two",
                                                    "poll_after": None})
        assert r.status_code == 200, r.text
        assert (r.json()["title"], r.json()["poll_after"]) == ("Storm: day two", None)
    finally:
        await browser.client.aclose()


@pytest.mark.parametrize("body, field, words_in_message", [
    ({"title": ""}, "title", ("title", "required")),
    ({"title": "x" * 301}, "title", ("301", "300")),
    ({"title": "Two\nlines"}, "title", ("single line",)),
    (b'{"title": "Storm \\ud800"}', "title", ("broken character",)),  # lone surrogates
    (b'{"description": "\\udc00 rain"}', "description", ("broken character",)),
    (b'{"title": "Storm \\ud83c\\udf0a"}', None, ()),  # a pair is fine: a wave emoji
    ({"description": "x" * 5001}, "description", ("standfirst", "5,000")),
    ({"timezone": "Mars/Olympus_Mons"}, "timezone", ("unknown time zone", "Europe/Berlin")),
    ({"timezone": "Berlin"}, "timezone", ("unknown time zone",)),
    ({"timezone": "x" * 10_000}, "timezone", ("time zone",)),
    ({"language": "english please"}, "language", ("language tag",)),
    ({"poll_after": 0}, "poll_after", ("seconds", "1 to 600")),
    ({"poll_after": 601}, "poll_after", ("seconds",)),
    ({"poll_after": 2.5}, "poll_after", ("whole number",)),
    ({"poll_after": "30"}, "poll_after", ("whole number",)),
    ({"colour": "red"}, None, ()),
    ({"slug": "renamed"}, None, ()),
    ({}, None, ("nothing to change",)),
])
async def test_a_bad_setting_is_refused_naming_its_field_and_nothing_changes(
        team: Team, body: dict[str, Any] | bytes, field: str | None,
        words_in_message: tuple[str, ...]) -> None:
    before = await snapshot(team.api)
    if isinstance(body, bytes):
        r = await team.api.client.patch(BLOG, content=body, headers={
            **team.auth("Erin"), "Content-Type": "application/json"})
    else:
        r = await team.call("Erin", "PATCH", "", body)
    if body == b'{"title": "Storm \\ud83c\\udf0a"}':
        assert r.status_code == 200 and r.json()["title"] == "Storm \U0001F30A", r.text
        return
    error = assert_error(r, 422)
    if field is not None:
        assert error["field"] == field, error
    for word in words_in_message:
        assert word.lower() in error["message"].lower(), error
    assert await snapshot(team.api) == before
