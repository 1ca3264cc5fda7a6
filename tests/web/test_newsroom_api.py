"""The newsroom's JSON API: drafts and the approval queue, idempotent publishing, conflicts
between editors, revisions and restoring them, the audit log, presence, members and API
tokens — called in-process through httpx."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from bulletin.actions import accounts
from bulletin.actions import users as user_actions
from tests.conftest import App
from tests.web.test_roles import BLOG, Team, make_team
from tests.web.test_sessions import (
    PASSWORD,
    assert_error,
    by_name,
    signed_in,
    snapshot,
)


def text(words: str, **extra: Any) -> dict[str, Any]:
    return {"blocks": [{"kind": "text", "html": f"<p>{words}</p>"}], **extra}


@pytest.fixture
async def team(api: App) -> Team:
    return await make_team(api)


async def public_feed(api: App, since: int = 0) -> list[dict[str, Any]]:
    """What readers' pages receive (the public change feed)."""
    r = await api.client.get("/blogs/storm/changes", params={"since": since})
    assert r.status_code == 200
    events: list[dict[str, Any]] = r.json()["events"]
    return events


async def newsroom_feed(team: Team, name: str = "Erin", since: int = 0
                        ) -> list[dict[str, Any]]:
    r = await team.api.client.get(f"{BLOG}/newsroom/changes", params={"since": since},
                                  headers=team.auth(name))
    assert r.status_code == 200, r.text
    events: list[dict[str, Any]] = r.json()["events"]
    return events


def kinds(events: list[dict[str, Any]]) -> list[str]:
    return [e["kind"] for e in events]


async def audit_log(team: Team) -> list[dict[str, Any]]:
    r = await team.api.client.get(f"{BLOG}/audit", headers=team.auth("Erin"))
    assert r.status_code == 200
    entries: list[dict[str, Any]] = r.json()["entries"]
    return entries


async def via(team: Team, name: str) -> str:
    me = await user_actions.authenticate(team.api.newsroom, team.tokens[name])
    assert me is not None
    return me.via


# --- drafts and the approval queue -------------------------------------------------------

async def test_autosaved_drafts_stay_in_the_newsroom(team: Team) -> None:
    r = await team.call("Cory", "POST", "/drafts", {"headline": "Bridge", **text("Draft")})
    assert r.status_code == 201 and r.headers["etag"] == '"1"'
    draft = r.json()
    assert (draft["status"], draft["version"], draft["position"]) == ("draft", 1, None)
    for version, words in ((1, "Water rising"), (2, "Water rising fast")):
        r = await team.call("Cory", "PATCH", f"/drafts/{draft['id']}", text(words),
                            **{"If-Match": f'"{version}"'})
        assert r.status_code == 200, r.text
        assert r.json()["version"] == version + 1 and r.headers["etag"] == f'"{version + 1}"'
    assert "Water rising fast" in r.json()["html"]
    assert await public_feed(team.api) == []
    assert (await team.api.client.get(f"{BLOG}/posts")).json()["posts"] == []
    assert_error(await team.api.client.get(f"{BLOG}/posts/{draft['id']}"), 404)
    page = await team.api.client.get("/blogs/storm")
    assert "Water rising" not in page.text
    events = await newsroom_feed(team)
    assert kinds(events) == ["draft.saved"] * 3
    assert [e["data"]["version"] for e in events] == [1, 2, 3]


async def test_a_stale_autosave_gets_the_saved_version_back(team: Team) -> None:
    draft = await team.ok("Cory", "POST", "/drafts", text("Mine"))
    await team.ok("Erin", "PATCH", f"/drafts/{draft['id']}", text("Erin's fix"),
                  **{"If-Match": "1"})
    r = await team.call("Cory", "PATCH", f"/drafts/{draft['id']}", text("Overwrite"),
                        **{"If-Match": "1"})
    error = assert_error(r, 409, "conflict")
    assert error["field"] == "If-Match"
    assert r.json()["current"]["version"] == 2 and "Erin's fix" in r.json()["current"]["html"]


async def test_the_queue_shows_editors_everything_and_contributors_their_own(
        team: Team) -> None:
    cory = await team.ok("Cory", "POST", "/drafts", text("Cory's"))
    await team.ok("Cory", "POST", f"/drafts/{cory['id']}/submit")
    sam = await team.ok("Sam", "POST", "/drafts", text("Sam's"))

    async def queue(name: str) -> dict[int, str]:
        r = await team.api.client.get(f"{BLOG}/drafts", headers=team.auth(name))
        assert r.status_code == 200
        return {p["id"]: p["status"] for p in r.json()["posts"]}

    assert await queue("Erin") == {cory["id"]: "submitted", sam["id"]: "draft"}
    assert await queue("Cory") == {cory["id"]: "submitted"}
    assert await queue("Sam") == {sam["id"]: "draft"}


async def test_sent_back_resubmitted_and_approved_a_post_goes_live(team: Team) -> None:
    draft = await team.ok("Cory", "POST", "/drafts", text("Bridge shut"))
    post_id = draft["id"]
    submitted = await team.ok("Cory", "POST", f"/drafts/{post_id}/submit")
    assert submitted["status"] == "submitted"
    returned = await team.ok("Erin", "POST", f"/drafts/{post_id}/return",
                             {"note": "Which bridge? Add the source."})
    assert returned["status"] == "draft"
    assert returned["review_note"] == "Which bridge? Add the source."
    mine = await team.api.client.get(f"{BLOG}/drafts", headers=team.auth("Cory"))
    assert mine.json()["posts"][0]["review_note"] == "Which bridge? Add the source."
    await team.ok("Cory", "PATCH", f"/drafts/{post_id}",
                  text("The Elbe bridge is shut, police say."))
    again = await team.ok("Cory", "POST", f"/drafts/{post_id}/submit")
    assert again["review_note"] is None
    assert await public_feed(team.api) == []

    r = await team.call("Erin", "POST", f"/drafts/{post_id}/approve")
    assert r.status_code == 200, r.text
    live = r.json()
    assert live["status"] == "published" and live["position"] == 1
    assert live["author"]["name"] == "Cory" and r.headers["etag"] == f'"{live["version"]}"'
    events = await public_feed(team.api)
    assert kinds(events) == ["post.published"]
    assert events[0]["data"]["id"] == post_id and "Elbe bridge" in events[0]["data"]["html"]
    desk = await newsroom_feed(team)
    assert kinds(desk) == ["draft.saved", "post.submitted", "post.returned", "draft.saved",
                           "post.submitted", "post.approved"]
    assert desk[-1]["data"]["by"] == "Erin"
    public = await team.api.client.get(f"{BLOG}/posts/{post_id}")
    assert public.status_code == 200
    revisions = (await team.api.client.get(f"{BLOG}/posts/{post_id}/revisions",
                                           headers=team.auth("Erin"))).json()
    assert [(r["version"], r["editor"]) for r in revisions["revisions"]] == [
        (live["version"], "Erin")]
    queue = await team.api.client.get(f"{BLOG}/drafts", headers=team.auth("Erin"))
    assert queue.json()["posts"] == []


async def test_an_empty_draft_cannot_be_submitted(team: Team) -> None:
    draft = await team.ok("Cory", "POST", "/drafts", {"headline": "Coming soon"})
    before = await snapshot(team.api)
    r = await team.call("Cory", "POST", f"/drafts/{draft['id']}/submit")
    error = assert_error(r, 422, "invalid")
    assert error["field"] == "blocks" and "no content yet" in error["message"]
    assert await snapshot(team.api) == before


async def test_a_note_is_needed_to_send_a_post_back(team: Team) -> None:
    draft = await team.ok("Cory", "POST", "/drafts", text("Bridge shut"))
    await team.ok("Cory", "POST", f"/drafts/{draft['id']}/submit")
    before = await snapshot(team.api)
    for body in ({}, {"note": ""}, {"note": 42}, {"note": "ok", "extra": 1}):
        assert_error(await team.call("Erin", "POST", f"/drafts/{draft['id']}/return", body),
                     422)
    assert await snapshot(team.api) == before


async def test_discarding_a_draft(team: Team) -> None:
    draft = await team.ok("Cory", "POST", "/drafts", text("Scrap this"))
    r = await team.call("Cory", "DELETE", f"/drafts/{draft['id']}")
    assert r.status_code == 204
    assert (await team.api.client.get(f"{BLOG}/drafts", headers=team.auth("Cory"))
            ).json()["posts"] == []
    assert kinds(await newsroom_feed(team))[-1] == "draft.discarded"
    assert_error(await team.call("Cory", "POST", f"/drafts/{draft['id']}/submit"), 404)


# --- publishing: idempotency and conflicts -----------------------------------------------

async def test_a_retried_publish_with_the_same_idempotency_key_makes_one_post(
        team: Team) -> None:
    key = {"Idempotency-Key": "phone-7f3a-0001"}
    first = await team.call("Erin", "POST", "/posts", text("Evacuation ordered"), **key)
    assert first.status_code == 201, first.text
    retry = await team.call("Erin", "POST", "/posts", text("Evacuation ordered"), **key)
    assert retry.status_code == 200
    assert retry.json()["id"] == first.json()["id"]
    assert retry.headers["location"] == first.headers["location"]
    assert kinds(await public_feed(team.api)) == ["post.published"]
    posts = (await team.api.client.get(f"{BLOG}/posts")).json()["posts"]
    assert [p["id"] for p in posts] == [first.json()["id"]]
    other = await team.call("Erin", "POST", "/posts", text("Second update"),
                            **{"Idempotency-Key": "phone-7f3a-0002"})
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]


async def test_retries_racing_each_other_still_make_one_post(team: Team) -> None:
    key = {"Idempotency-Key": "flaky-network-42"}
    answers = await asyncio.gather(*(team.call("Erin", "POST", "/posts", text("Once"), **key)
                                     for _ in range(4)))
    assert sorted(r.status_code for r in answers) == [200, 200, 200, 201]
    assert len({r.json()["id"] for r in answers}) == 1
    assert kinds(await public_feed(team.api)) == ["post.published"]


@pytest.fixture
async def team_any(api_any: App) -> Team:
    """The same people, on SQLite and on PostgreSQL."""
    return await make_team(api_any)


async def test_two_editors_saving_the_same_version_one_is_told_of_the_conflict(
        team_any: Team) -> None:
    team = team_any
    post = await team.ok("Erin", "POST", "/posts", text("Bridge closed", headline="Bridge"))
    same = {"If-Match": f'"{post["version"]}"'}
    erin, pat = await asyncio.gather(
        team.call("Erin", "PATCH", f"/posts/{post['id']}", {"headline": "Erin's"}, **same),
        team.call("Pat", "PATCH", f"/posts/{post['id']}", {"headline": "Pat's"}, **same))
    assert sorted((erin.status_code, pat.status_code)) == [200, 409], (erin.text, pat.text)
    winner, loser = (erin, pat) if erin.status_code == 200 else (pat, erin)
    error = assert_error(loser, 409, "conflict")
    assert error["field"] == "If-Match"
    current = loser.json()["current"]
    assert current["version"] == winner.json()["version"] == post["version"] + 1
    assert current["headline"] == winner.json()["headline"]
    now = (await team.api.client.get(f"{BLOG}/posts/{post['id']}")).json()
    assert now["headline"] == winner.json()["headline"]
    assert kinds(await public_feed(team.api)) == ["post.published", "post.updated"]


async def test_an_edit_without_if_match_is_refused_with_428(team: Team) -> None:
    post = await team.ok("Erin", "POST", "/posts", text("Bridge closed"))
    before = await snapshot(team.api)
    r = await team.call("Erin", "PATCH", f"/posts/{post['id']}", {"headline": "Blind"})
    assert_error(r, 428, "precondition_required")
    assert await snapshot(team.api) == before


# --- revisions ---------------------------------------------------------------------------

async def test_revisions_list_every_version_and_restoring_one_makes_a_new_version(
        team: Team) -> None:
    v1 = await team.ok("Erin", "POST", "/posts", text("Two injured", headline="Crash"))
    v2 = await team.ok("Pat", "PATCH", f"/posts/{v1['id']}", text("Three injured"),
                       **{"If-Match": '"1"'})
    v3 = await team.ok("Erin", "PATCH", f"/posts/{v1['id']}", {"headline": "Crash on A4"},
                       **{"If-Match": '"2"'})
    assert (v2["version"], v3["version"]) == (2, 3)
    r = await team.api.client.get(f"{BLOG}/posts/{v1['id']}/revisions",
                                  headers=team.auth("Cory"))
    assert r.status_code == 200
    listed = r.json()
    assert listed["version"] == 3
    assert [(x["version"], x["editor"], x["headline"]) for x in listed["revisions"]] == [
        (3, "Erin", "Crash on A4"), (2, "Pat", "Crash"), (1, "Erin", "Crash")]
    assert listed["revisions"][2]["blocks"] == v1["blocks"]
    seen = len(await public_feed(team.api))

    restore = f"/posts/{v1['id']}/revisions/1/restore"
    assert_error(await team.call("Erin", "POST", restore), 428)
    stale = await team.call("Erin", "POST", restore, **{"If-Match": '"2"'})
    assert_error(stale, 409, "conflict")
    assert stale.json()["current"]["version"] == 3
    assert_error(await team.call("Erin", "POST", f"/posts/{v1['id']}/revisions/9/restore",
                                 **{"If-Match": '"3"'}), 404)
    r = await team.call("Erin", "POST", restore, **{"If-Match": '"3"'})
    assert r.status_code == 200, r.text
    back = r.json()
    assert back["version"] == 4 and r.headers["etag"] == '"4"'
    assert (back["headline"], back["blocks"]) == (v1["headline"], v1["blocks"])
    events = (await public_feed(team.api))[seen:]
    assert kinds(events) == ["post.updated"] and events[0]["data"]["version"] == 4
    assert "Two injured" in events[0]["data"]["html"]
    after = (await team.api.client.get(f"{BLOG}/posts/{v1['id']}/revisions",
                                       headers=team.auth("Erin"))).json()["revisions"]
    assert [x["version"] for x in after] == [4, 3, 2, 1]
    assert (await audit_log(team))[0]["action"] == "post.restored v1"


async def test_contributors_cannot_restore_revisions(team: Team) -> None:
    v1 = await team.ok("Erin", "POST", "/posts", text("Two injured"))
    await team.ok("Erin", "PATCH", f"/posts/{v1['id']}", text("Three"), **{"If-Match": "1"})
    before = await snapshot(team.api)
    r = await team.call("Cory", "POST", f"/posts/{v1['id']}/revisions/1/restore",
                        **{"If-Match": "2"})
    assert_error(r, 403, "forbidden")
    assert await snapshot(team.api) == before


# --- the audit log -----------------------------------------------------------------------

async def test_every_write_is_in_the_audit_log_with_who_and_from_where(team: Team) -> None:
    await accounts.set_password(team.api.newsroom, await by_name(team.api, "Cory"), PASSWORD)
    async with await signed_in(team.api, "Cory") as cory:
        session = await accounts.session(team.api.newsroom, cory.session_cookie or "")
        assert session is not None
        draft = (await cory.write("POST", f"{BLOG}/drafts", json=text("Bridge"))).json()
        await cory.write("POST", f"{BLOG}/drafts/{draft['id']}/submit")
        await team.ok("Erin", "POST", f"/drafts/{draft['id']}/return", {"note": "Source?"})
        await cory.write("POST", f"{BLOG}/drafts/{draft['id']}/submit")
    live = await team.ok("Erin", "POST", f"/drafts/{draft['id']}/approve")
    await team.ok("Pat", "PATCH", f"/posts/{live['id']}", {"headline": "Bridge shut"},
                  **{"If-Match": str(live["version"])})
    await team.ok("Erin", "PUT", f"/posts/{live['id']}/pin")
    await team.ok("Erin", "PUT", f"/posts/{live['id']}/key-event")
    await team.ok("Erin", "PATCH", "", {"title": "Storm, day 2"})
    await team.ok("Erin", "DELETE", f"/posts/{live['id']}")
    await team.ok("Erin", "POST", "/end")
    await team.ok("Erin", "POST", "/reopen")
    cory_via, erin, pat = f"session {session.id}", await via(team, "Erin"), await via(team, "Pat")
    entries = list(reversed(await audit_log(team)))
    start = next(i for i, e in enumerate(entries) if e["action"] == "draft.created"
                 and e["who"] == "Cory")
    assert [(e["action"], e["who"], e["via"]) for e in entries[start:]] == [
        ("draft.created", "Cory", cory_via), ("post.submitted", "Cory", cory_via),
        ("post.returned", "Erin", erin), ("post.submitted", "Cory", cory_via),
        ("post.published", "Erin", erin), ("post.edited", "Pat", pat),
        ("post.pinned", "Erin", erin), ("post.key_event", "Erin", erin),
        ("blog.updated", "Erin", erin), ("post.deleted", "Erin", erin),
        ("blog.ended", "Erin", erin), ("blog.reopened", "Erin", erin)]
    assert erin.startswith("token ") and pat.startswith("token ") and erin != pat
    assert all(e["post_id"] == draft["id"] for e in entries[start:start + 8])
    assert entries[start + 2]["detail"] == "Source?"


async def test_the_audit_log_is_for_the_blogs_own_newsroom(team: Team) -> None:
    assert_error(await team.api.client.get(f"{BLOG}/audit"), 401)
    assert_error(await team.api.client.get(f"{BLOG}/audit", headers=team.auth("Olga")), 403)
    r = await team.api.client.get(f"{BLOG}/audit", headers=team.auth("Cory"))
    assert r.status_code == 200


# --- presence and the newsroom feed ------------------------------------------------------

async def test_colleagues_see_who_is_editing_a_post(team: Team) -> None:
    post = await team.ok("Erin", "POST", "/posts", text("Bridge closed"))
    seen = len(await newsroom_feed(team, "Pat"))
    r = await team.call("Erin", "PUT", f"/posts/{post['id']}/editing")
    assert r.status_code == 204
    events = (await newsroom_feed(team, "Pat"))[seen:]
    assert kinds(events) == ["presence.editing"]
    assert events[0]["data"]["user"] == "Erin" and events[0]["data"]["post_id"] == post["id"]
    assert (await team.call("Erin", "DELETE", f"/posts/{post['id']}/editing")
            ).status_code == 204
    assert kinds(await newsroom_feed(team, "Pat"))[-1] == "presence.left"
    assert kinds(await public_feed(team.api)) == ["post.published"]


async def test_the_newsroom_feed_is_only_for_the_blogs_newsroom(team: Team) -> None:
    await team.ok("Cory", "POST", "/drafts", text("Secret draft"))
    r = await team.api.client.get(f"{BLOG}/newsroom/changes")
    assert_error(r, 401)
    r = await team.api.client.get(f"{BLOG}/newsroom/changes", headers=team.auth("Olga"))
    assert_error(r, 403)
    r = await team.api.client.get(f"{BLOG}/newsroom/changes", params={"since": 1},
                                  headers=team.auth("Cory"))
    assert r.json() == {"events": [], "last_seq": 1}
    assert r.headers["cache-control"] == "no-store"


async def test_the_preview_renders_sanitised_html_for_writers_only(team: Team) -> None:
    body = {"headline": "Preview", "blocks": [
        {"kind": "text", "html": "<p>Safe<script>alert(1)</script></p>"}]}
    r = await team.call("Cory", "POST", "/preview", body)
    assert r.status_code == 200
    assert "Safe" in r.json()["html"] and "<script" not in r.json()["html"]
    assert_error(await team.call("Olga", "POST", "/preview", body), 403)


# --- colleagues and tokens ---------------------------------------------------------------

async def test_admins_list_change_and_remove_colleagues(team: Team) -> None:
    r = await team.api.client.get(f"{BLOG}/members", headers=team.auth("Cory"))
    members = {m["name"]: m["role"] for m in r.json()["members"]}
    assert members["Erin"] == "editor" and members["Cory"] == "contributor"
    assert "Olga" not in members
    assert (await team.call("Ada", "PUT", "/members/Cory", {"role": "editor"})).is_success
    me = await team.api.client.get(f"{BLOG}/me", headers=team.auth("Cory"))
    assert me.json()["role"] == "editor"
    assert (await team.call("Ada", "DELETE", "/members/Cory")).status_code == 204
    me = await team.api.client.get(f"{BLOG}/me", headers=team.auth("Cory"))
    assert me.json()["role"] is None
    before = await snapshot(team.api)
    assert_error(await team.call("Erin", "PUT", "/members/Sam", {"role": "editor"}), 403)
    assert_error(await team.call("Ada", "PUT", "/members/Sam", {"role": "owner"}), 422)
    assert_error(await team.call("Ada", "PUT", "/members/Nobody", {"role": "editor"}), 404)
    assert await snapshot(team.api) == before


async def test_inviting_someone_who_already_has_an_account_gives_no_link(team: Team) -> None:
    """Olga signs in on another blog already: she gets the role here, and nobody gets a
    link that would set her password."""
    await accounts.set_password(team.api.newsroom, await by_name(team.api, "Olga"), PASSWORD)
    r = await team.call("Ada", "POST", "/invites", {"name": "Olga", "role": "contributor"})
    assert r.status_code == 201
    assert r.json() == {"invite_url": None, "invitation": None, "name": "Olga",
                        "role": "contributor"}
    me = await team.api.client.get(f"{BLOG}/me", headers=team.auth("Olga"))
    assert me.json()["role"] == "contributor"


async def test_api_tokens_are_shown_once_listed_without_secret_and_revocable(
        team: Team) -> None:
    made = await team.api.client.post("/api/v1/tokens", headers=team.auth("Erin"),
                                      json={"label": "phone script"})
    assert made.status_code == 201, made.text
    secret = made.json()["token"]
    assert made.json()["label"] == "phone script" and len(secret) >= 40
    me = await team.api.client.get("/api/v1/me", headers=team.api.auth(secret))
    assert me.json()["name"] == "Erin"

    listed = await team.api.client.get("/api/v1/tokens", headers=team.auth("Erin"))
    tokens = listed.json()["tokens"]
    assert secret not in listed.text and team.tokens["Erin"] not in listed.text
    assert user_actions.hash_token(secret) not in listed.text
    assert all(set(t) == {"id", "label", "created_at", "revoked_at"} for t in tokens)
    mine = next(t for t in tokens if t["label"] == "phone script")
    assert mine["revoked_at"] is None

    others = await team.api.client.get("/api/v1/tokens", headers=team.auth("Pat"))
    assert "phone script" not in others.text
    r = await team.api.client.delete(f"/api/v1/tokens/{mine['id']}", headers=team.auth("Pat"))
    assert_error(r, 404)  # not Pat's to revoke
    r = await team.api.client.delete(f"/api/v1/tokens/{mine['id']}",
                                     headers=team.auth("Erin"))
    assert r.status_code == 204
    assert_error(await team.api.client.get("/api/v1/me", headers=team.api.auth(secret)), 401)
    r = await team.api.client.post(f"{BLOG}/posts", headers=team.api.auth(secret),
                                   json=text("From a revoked token"))
    assert_error(r, 401, "unauthenticated")
    listed = await team.api.client.get("/api/v1/tokens", headers=team.auth("Erin"))
    assert next(t for t in listed.json()["tokens"] if t["id"] == mine["id"])["revoked_at"]
    again = await team.api.client.delete(f"/api/v1/tokens/{mine['id']}",
                                         headers=team.auth("Erin"))
    assert_error(again, 404)
    # Erin's other token still works.
    assert (await team.api.client.get("/api/v1/me", headers=team.auth("Erin"))).is_success


@pytest.mark.parametrize("body", [{"label": "x" * 101}, {"label": 5}, {"secret": "mine"}])
async def test_a_token_needs_a_sensible_label(team: Team, body: dict[str, Any]) -> None:
    before = await snapshot(team.api)
    r = await team.api.client.post("/api/v1/tokens", headers=team.auth("Erin"), json=body)
    assert_error(r, 422)
    assert await snapshot(team.api) == before


async def test_an_invitation_link_never_shows_up_as_a_token(api: App) -> None:
    team = await make_team(api)
    r = await team.call("Ada", "POST", "/invites", {"name": "Nia", "role": "editor"})
    secret = httpx.URL(r.json()["invite_url"]).path.rsplit("/", 1)[1]
    assert_error(await api.client.get("/api/v1/me", headers=api.auth(secret)), 401)
    await accounts.accept_invite(api.newsroom, secret, PASSWORD)
    async with await signed_in(api, "Nia") as nia:
        listed = await nia.client.get("/api/v1/tokens")
        assert listed.json() == {"tokens": []}


@pytest.mark.parametrize("method, path", [
    ("PATCH", "/api/v1/blogs/storm/drafts/{big}"),
    ("POST", "/api/v1/blogs/storm/drafts/{big}/submit"),
    ("POST", "/api/v1/blogs/storm/drafts/{big}/approve"),
    ("PUT", "/api/v1/blogs/storm/drafts/{big}/schedule"),
    ("GET", "/api/v1/blogs/storm/posts/{big}/revisions"),
    ("POST", "/api/v1/blogs/storm/posts/1/revisions/{big}/restore"),
    ("PUT", "/api/v1/blogs/storm/posts/{big}/editing"),
    ("DELETE", "/api/v1/tokens/{big}"),
    ("DELETE", "/api/v1/tokens/0"),
])
async def test_an_id_beyond_the_stores_range_is_a_clear_422(
        team_any: Team, method: str, path: str) -> None:
    """On PostgreSQL a number past 32 bits would otherwise overflow in the driver (a 500)."""
    before = await snapshot(team_any.api)
    r = await team_any.api.client.request(method, path.format(big=2**31), json={},
                                          headers=team_any.auth("Erin"))
    error = assert_error(r, 422, "invalid")
    assert error["field"] in {"post_id", "version", "token_id"}
    assert await snapshot(team_any.api) == before
