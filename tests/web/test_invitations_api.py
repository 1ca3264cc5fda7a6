"""Invitations through the JSON API and the link's page: list, new link, revoke — each
for those who manage the team only, CSRF-checked for browsers, refusing bad input with a
4xx JSON error that writes nothing; and a closed link answers with a page that says what
happened and what to do, never an error dump."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from bulletin.actions import accounts
from bulletin.domain.invitations import LIFETIME
from tests.conftest import App
from tests.web.test_roles import BLOG, Team, make_team
from tests.web.test_sessions import (
    PASSWORD,
    Browser,
    assert_error,
    by_name,
    signed_in,
    snapshot,
    words,
)


@pytest.fixture
async def team(api: App) -> Team:
    return await make_team(api)


async def invite(team: Team, name: str = "Nia", role: str = "editor") -> dict[str, Any]:
    r = await team.call("Ada", "POST", "/invites", {"name": name, "role": role})
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def path_of(url: str) -> str:
    return httpx.URL(url).path


async def test_an_invitation_is_listed_with_its_state_and_dates(team: Team) -> None:
    made = await invite(team)
    invitation = made["invitation"]
    assert set(invitation) == {"id", "name", "role", "invited_by", "state", "sent_at",
                               "expires_at", "accepted_at", "revoked_at"}
    assert (invitation["state"], invitation["invited_by"]) == ("pending", "Ada")
    listed = (await team.ok("Ada", "GET", "/invites"))["invitations"]
    assert listed[0] == invitation
    secret = path_of(made["invite_url"]).rsplit("/", 1)[1]
    assert secret not in str(listed)  # a link is shown once, when it is made
    members = (await team.ok("Cory", "GET", "/members"))["members"]
    nia = next(m for m in members if m["name"] == "Nia")
    assert nia["joined"] is False and nia["invitation"]["state"] == "pending"
    erin = next(m for m in members if m["name"] == "Erin")
    assert erin["invitation"]["state"] == "pending"  # Erin's token came by API, no password


async def test_a_new_link_works_and_the_old_one_answers_with_a_clear_page(
        team: Team) -> None:
    made = await invite(team)
    r = await team.call("Ada", "POST", f"/invites/{made['invitation']['id']}/reissue")
    assert r.status_code == 201, r.text
    fresh = r.json()
    assert fresh["invite_url"] != made["invite_url"]
    assert fresh["invitation"]["state"] == "pending"
    async with Browser(team.api) as nia:
        old = await nia.client.get(path_of(made["invite_url"]),
                                   headers={"Accept": "text/html"})
        assert old.status_code == 410 and old.headers["content-type"].startswith("text/html")
        assert "This link was replaced" in words(old.text)
        assert "Use the newest link Ada sent you" in words(old.text)
        assert 'name="password"' not in old.text
        done = await nia.client.post(path_of(fresh["invite_url"]),
                                     data={"password": PASSWORD})
        assert done.status_code == 303 and done.headers["location"] == "/blogs/storm/edit"
    states = [i["state"] for i in (await team.ok("Ada", "GET", "/invites"))["invitations"]
              if i["name"] == "Nia"]
    assert states == ["accepted", "replaced"]


async def test_a_revoked_link_shows_who_withdrew_it_and_what_to_do(team: Team) -> None:
    made = await invite(team, "Rui", "contributor")
    r = await team.call("Ada", "DELETE", f"/invites/{made['invitation']['id']}")
    assert r.status_code == 200, r.text
    assert r.json()["invitation"]["state"] == "revoked"
    members = (await team.ok("Ada", "GET", "/members"))["members"]
    assert "Rui" not in [m["name"] for m in members]
    async with Browser(team.api) as rui:
        page = await rui.client.get(path_of(made["invite_url"]))
        assert page.status_code == 410
        said = words(page.text)
        assert "This invitation was withdrawn" in said
        assert "Ada withdrew this invitation" in said
        assert "ask Ada to open the blog’s Team page and send you a new link" in said
        assert "to join Storm as a contributor" in said
        tried = await rui.client.post(path_of(made["invite_url"]), data={"password": PASSWORD})
        assert tried.status_code == 410 and rui.session_cookie is None


async def test_an_expired_link_says_so_with_the_date(team: Team) -> None:
    made = await invite(team)
    real = team.api.newsroom.now
    team.api.newsroom.now = lambda: real() + LIFETIME + timedelta(minutes=1)
    async with Browser(team.api) as nia:
        page = await nia.client.get(path_of(made["invite_url"]))
    assert page.status_code == 410
    said = words(page.text)
    assert "This invitation has expired" in said and "Ask Ada for a new link" in said
    assert "ran out on" in said
    members = (await team.ok("Ada", "GET", "/members"))["members"]
    assert next(m for m in members if m["name"] == "Nia")["invitation"]["state"] == "expired"


@pytest.mark.parametrize("who", ["Erin", "Cory", "Olga", "Dee", "Finn"])
async def test_only_those_who_manage_the_team_list_reissue_or_revoke(
        team: Team, who: str) -> None:
    made = await invite(team)
    number = made["invitation"]["id"]
    before = await snapshot(team.api)
    for method, path in (("GET", "/invites"), ("POST", f"/invites/{number}/reissue"),
                         ("DELETE", f"/invites/{number}")):
        assert_error(await team.call(who, method, path), 403, "forbidden")
    assert await snapshot(team.api) == before


async def test_browsers_need_the_csrf_token_to_reissue_or_revoke(team: Team) -> None:
    made = await invite(team)
    number = made["invitation"]["id"]
    await accounts.set_password(team.api.newsroom, await by_name(team.api, "Ada"), PASSWORD)
    browser = await signed_in(team.api, "Ada")
    try:
        before = await snapshot(team.api)
        for method, path in (("POST", f"{BLOG}/invites/{number}/reissue"),
                             ("DELETE", f"{BLOG}/invites/{number}"),
                             ("POST", f"{BLOG}/invites")):
            r = await browser.client.request(method, path, json={"name": "Zed",
                                                                 "role": "editor"}
                                             if path.endswith("/invites") else None)
            assert_error(r, 403, "csrf")
        assert await snapshot(team.api) == before
        listed = await browser.client.get(f"{BLOG}/invites")  # reading needs no token
        assert listed.status_code == 200
        r = await browser.write("POST", f"{BLOG}/invites/{number}/reissue")
        assert r.status_code == 201, r.text
        r = await browser.write("DELETE", f"{BLOG}/invites/{r.json()['invitation']['id']}")
        assert r.status_code == 200, r.text
    finally:
        await browser.client.aclose()


SURROGATE = b'{"name": "Nia \\ud800", "role": "editor"}'


@pytest.mark.parametrize("method, path, body, status, field", [
    ("POST", "/invites", {"name": "Nia", "role": "editor", "email": "n@x"}, 422, None),
    ("POST", "/invites", {"name": "Nia", "role": "owner"}, 422, "role"),
    ("POST", "/invites", {"name": "x" * 100_000, "role": "editor"}, 422, "name"),
    ("POST", "/invites", {"name": "x" * 2_000_000, "role": "editor"}, 413, None),
    ("POST", "/invites", ["Nia", "editor"], 422, None),
    ("POST", "/invites", SURROGATE, 422, "name"),
    ("POST", "/invites", {"name": "<b>Nia</b>", "role": "editor"}, 422, "name"),
    ("POST", "/invites/{id}/reissue", {"role": "admin"}, 422, None),
    ("POST", "/invites/{id}/reissue", b'{"x": "\\udfff"}', 422, "x"),
    ("POST", "/invites/{id}/reissue", b'{"\\udfff": 1}', 422, None),
    ("POST", "/invites/0/reissue", None, 422, "invitation_id"),
    ("POST", f"/invites/{2**31}/reissue", None, 422, "invitation_id"),
    ("DELETE", "/invites/99999", None, 404, "invitation_id"),
    ("DELETE", "/invites/abc", None, 422, "invitation_id"),
])
async def test_bad_input_is_a_clear_4xx_and_writes_nothing(
        team: Team, method: str, path: str, body: Any, status: int,
        field: str | None) -> None:
    made = await invite(team)
    before = await snapshot(team.api)
    url = BLOG + path.format(id=made["invitation"]["id"])
    kwargs: dict[str, Any] = {"headers": team.auth("Ada")}
    if isinstance(body, bytes):
        kwargs["content"] = body
        kwargs["headers"] = {**kwargs["headers"], "Content-Type": "application/json"}
    elif body is not None:
        kwargs["json"] = body
    r = await team.api.client.request(method, url, **kwargs)
    error = assert_error(r, status)
    assert set(error) == {"code", "message", "field"}
    if field is not None:
        assert error["field"] == field, error
    assert await snapshot(team.api) == before


async def test_an_invitation_of_another_blog_is_not_found_here(team: Team) -> None:
    r = await team.api.client.post("/api/v1/blogs/flood/invites", headers=team.auth("Ada"),
                                   json={"name": "Nia", "role": "editor"})
    number = r.json()["invitation"]["id"]
    before = await snapshot(team.api)
    assert_error(await team.call("Ada", "DELETE", f"/invites/{number}"), 404, "not_found")
    assert_error(await team.call("Ada", "POST", f"/invites/{number}/reissue"), 404)
    assert await snapshot(team.api) == before
