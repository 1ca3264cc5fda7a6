"""Who may write what, per blog, checked on the server: every role against every write
through the JSON API (a bearer token) and the key refusals through a signed-in browser
(session cookie + CSRF token). A refusal is a 403 naming the role, and writes nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bulletin.actions import accounts
from bulletin.actions import users as user_actions
from bulletin.actions.newsroom import utcnow
from bulletin.domain.roles import Role
from bulletin.store.tables import audit
from tests.conftest import App
from tests.web.test_sessions import (
    PASSWORD,
    TEXT,
    Browser,
    assert_error,
    by_name,
    signed_in,
    snapshot,
)

BLOG = "/api/v1/blogs/storm"

# The people of the matrix, by how they came to their role on the 'storm' blog:
# (name, site role from `createuser`, role given on storm by invitation, blog invited to)
PEOPLE: dict[str, tuple[str, Role | None, str | None, str]] = {
    "site admin": ("Ada", Role.ADMIN, None, "storm"),
    "editor here": ("Erin", None, "editor", "storm"),
    "contributor here": ("Cory", None, "contributor", "storm"),
    "editor on another blog only": ("Olga", None, "editor", "flood"),
    "site editor, contributor here": ("Dee", Role.EDITOR, "contributor", "storm"),
    "site contributor, editor here": ("Finn", Role.CONTRIBUTOR, "editor", "storm"),
    "site admin, contributor here": ("Abe", Role.ADMIN, "contributor", "storm"),
}


@dataclass
class Team:
    """The storm blog, its people with API tokens, and the work that writes act on."""

    api: App
    tokens: dict[str, str] = field(default_factory=dict)  # name -> bearer token

    def auth(self, name: str) -> dict[str, str]:
        return self.api.auth(self.tokens[name])

    async def call(self, name: str, method: str, path: str, json: Any = None,
                   **headers: str) -> httpx.Response:
        return await self.api.client.request(method, BLOG + path, json=json,
                                             headers={**self.auth(name), **headers})

    async def ok(self, name: str, method: str, path: str, json: Any = None,
                 **headers: str) -> dict[str, Any]:
        r = await self.call(name, method, path, json, **headers)
        assert r.is_success, r.text
        return r.json() if r.content else {}

    async def published(self) -> dict[str, Any]:
        """A post by Pat, an editor of the storm blog."""
        return await self.ok("Pat", "POST", "/posts", TEXT)

    async def submitted(self) -> dict[str, Any]:
        """A post by Sam, a contributor, waiting in the approval queue."""
        draft = await self.ok("Sam", "POST", "/drafts", TEXT)
        return await self.ok("Sam", "POST", f"/drafts/{draft['id']}/submit")


async def make_team(api: App) -> Team:
    team = Team(api)
    team.tokens["Ada"] = await api.token(Role.ADMIN, "Ada")
    for slug in ("storm", "flood"):
        r = await api.client.post("/api/v1/blogs", headers=team.auth("Ada"),
                                  json={"slug": slug, "title": slug.title()})
        assert r.status_code == 201, r.text
    everyone = [*PEOPLE.values(), ("Pat", None, "editor", "storm"),
                ("Sam", None, "contributor", "storm")]
    for name, site_role, blog_role, slug in everyone:
        if name == "Ada":
            continue
        if site_role is not None:
            await user_actions.create_user(api.newsroom, name, site_role)
        if blog_role is not None:
            r = await api.client.post(f"/api/v1/blogs/{slug}/invites",
                                      headers=team.auth("Ada"),
                                      json={"name": name, "role": blog_role})
            assert r.status_code == 201, r.text
        team.tokens[name] = await user_actions.issue_token(api.newsroom,
                                                           await by_name(api, name))
    return team


@pytest.fixture
async def team(api: App) -> Team:
    return await make_team(api)


Prepare = Callable[[Team, str], Awaitable[dict[str, Any]]]
Act = Callable[[Team, str, dict[str, Any]], Awaitable[httpx.Response]]


@dataclass(frozen=True)
class Write:
    prepare: Prepare  # what must exist first (written by others, before the snapshot)
    act: Act  # the one request under test, as the person named
    audited_as: str  # the audit log's action for it


async def nothing(team: Team, name: str) -> dict[str, Any]:
    return {}


async def a_post(team: Team, name: str) -> dict[str, Any]:
    return await team.published()


async def a_submission(team: Team, name: str) -> dict[str, Any]:
    return await team.submitted()


async def ended(team: Team, name: str) -> dict[str, Any]:
    await team.ok("Pat", "POST", "/end")
    return {}


async def own_draft(team: Team, name: str) -> dict[str, Any]:
    """The person's own draft — or, if they may not write one, a colleague's."""
    r = await team.call(name, "POST", "/drafts", TEXT)
    if r.status_code == 201:
        return dict(r.json())
    return await team.ok("Sam", "POST", "/drafts", TEXT)


def in_an_hour() -> str:
    return (utcnow() + timedelta(hours=1)).isoformat()


WRITES: dict[str, Write] = {
    "publish": Write(nothing, lambda t, n, c: t.call(n, "POST", "/posts", TEXT),
                     "post.published"),
    "edit": Write(a_post, lambda t, n, c: t.call(
        n, "PATCH", f"/posts/{c['id']}", {"headline": "Bridge closed"},
        **{"If-Match": str(c["version"])}), "post.edited"),
    "delete": Write(a_post, lambda t, n, c: t.call(n, "DELETE", f"/posts/{c['id']}"),
                    "post.deleted"),
    "pin": Write(a_post, lambda t, n, c: t.call(n, "PUT", f"/posts/{c['id']}/pin"),
                 "post.pinned"),
    "key event": Write(a_post, lambda t, n, c: t.call(n, "PUT", f"/posts/{c['id']}/key-event"),
                       "post.key_event"),
    "end": Write(nothing, lambda t, n, c: t.call(n, "POST", "/end"), "blog.ended"),
    "reopen": Write(ended, lambda t, n, c: t.call(n, "POST", "/reopen"), "blog.reopened"),
    "update blog": Write(nothing, lambda t, n, c: t.call(n, "PATCH", "", {"title": "Day 2"}),
                         "blog.updated"),
    "approve": Write(a_submission, lambda t, n, c: t.call(
        n, "POST", f"/drafts/{c['id']}/approve"), "post.published"),
    "send back": Write(a_submission, lambda t, n, c: t.call(
        n, "POST", f"/drafts/{c['id']}/return", {"note": "Source?"}), "post.returned"),
    "schedule": Write(a_submission, lambda t, n, c: t.call(
        n, "PUT", f"/drafts/{c['id']}/schedule", {"publish_at": in_an_hour()}),
        "post.scheduled"),
    "invite member": Write(nothing, lambda t, n, c: t.call(
        n, "POST", "/invites", {"name": "Nia", "role": "contributor"}), "member.invited"),
    "create blog": Write(nothing, lambda t, n, c: t.api.client.post(
        "/api/v1/blogs", headers=t.auth(n), json={"slug": "fire", "title": "Fire"}),
        "blog.created"),
    "save draft": Write(nothing, lambda t, n, c: t.call(n, "POST", "/drafts", TEXT),
                        "draft.created"),
    "submit": Write(own_draft, lambda t, n, c: t.call(n, "POST", f"/drafts/{c['id']}/submit"),
                    "post.submitted"),
}

EVERYTHING = frozenset(WRITES)
EDITOR = EVERYTHING - {"invite member", "create blog"}
CONTRIBUTOR = frozenset({"save draft", "submit"})
ALLOWED: dict[str, frozenset[str]] = {
    "site admin": EVERYTHING,
    "editor here": EDITOR,
    "contributor here": CONTRIBUTOR,
    "editor on another blog only": frozenset(),
    "site editor, contributor here": CONTRIBUTOR,  # the blog's role wins...
    "site contributor, editor here": EDITOR,
    "site admin, contributor here": EVERYTHING,  # ...except over a site admin
}
# What a refusal must say about the person: their role on this blog — or, for opening a
# new blog, their site-wide role.
ON_THE_BLOG = {"editor here": "is an editor", "contributor here": "is a contributor",
               "editor on another blog only": "has no role on this blog",
               "site editor, contributor here": "is a contributor",
               "site contributor, editor here": "is an editor"}
SITE_WIDE = {"editor here": "has no role", "contributor here": "has no role",
             "editor on another blog only": "has no role",
             "site editor, contributor here": "is an editor",
             "site contributor, editor here": "is a contributor"}


def test_the_matrix_covers_every_role_and_write() -> None:
    assert set(ALLOWED) == set(PEOPLE)
    assert all(allowed <= EVERYTHING for allowed in ALLOWED.values())
    assert set(ON_THE_BLOG) == set(SITE_WIDE) == {p for p, a in ALLOWED.items()
                                                  if a != EVERYTHING}


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize("person", list(PEOPLE))
async def test_role_matrix_through_the_api(team: Team, person: str, write: str) -> None:
    name = PEOPLE[person][0]
    spec = WRITES[write]
    context = await spec.prepare(team, name)
    before = await snapshot(team.api)
    r = await spec.act(team, name, context)
    if write in ALLOWED[person]:
        assert r.is_success, f"{person} may {write}: {r.status_code} {r.text}"
        async with team.api.newsroom.db.read() as conn:
            last = (await conn.execute(select(audit.c.user_id, audit.c.action, audit.c.via)
                                       .order_by(audit.c.id.desc()).limit(1))).one()
        me = await user_actions.authenticate(team.api.newsroom, team.tokens[name])
        assert me is not None
        assert tuple(last) == (me.id, spec.audited_as, me.via)
    else:
        error = assert_error(r, 403, "forbidden")
        said = (SITE_WIDE if write == "create blog" else ON_THE_BLOG)[person]
        assert error["message"].startswith(f"{name} {said}"), error["message"]
        assert await snapshot(team.api) == before, f"a refused {write} wrote something"


@pytest.mark.parametrize("person, role, can_publish", [
    ("site admin", "admin", True), ("editor here", "editor", True),
    ("contributor here", "contributor", False), ("editor on another blog only", None, False),
    ("site editor, contributor here", "contributor", False),
    ("site contributor, editor here", "editor", True),
    ("site admin, contributor here", "admin", True)])
async def test_each_person_can_ask_for_their_role_on_a_blog(
        team: Team, person: str, role: str | None, can_publish: bool) -> None:
    r = await team.api.client.get(f"{BLOG}/me", headers=team.auth(PEOPLE[person][0]))
    assert r.status_code == 200
    assert r.json()["role"] == role
    assert ("publish" in r.json()["permissions"]) is can_publish


async def test_without_a_token_every_write_is_unauthenticated(team: Team) -> None:
    before = await snapshot(team.api)
    for method, path in (("POST", "/posts"), ("POST", "/drafts"), ("POST", "/end"),
                         ("POST", "/invites"), ("PATCH", "")):
        r = await team.api.client.request(method, BLOG + path, json=TEXT)
        assert_error(r, 401, "unauthenticated")
    assert await snapshot(team.api) == before


async def test_a_contributor_may_not_read_the_audit_log_of_another_blog(team: Team) -> None:
    r = await team.api.client.get(f"{BLOG}/audit", headers=team.auth("Olga"))
    assert_error(r, 403, "forbidden")
    r = await team.api.client.get(f"{BLOG}/drafts", headers=team.auth("Olga"))
    assert_error(r, 403, "forbidden")


# --- the same refusals through the browser -----------------------------------------------

async def browser_for(team: Team, name: str) -> Browser:
    await accounts.set_password(team.api.newsroom, await by_name(team.api, name), PASSWORD)
    return await signed_in(team.api, name)


async def test_a_contributor_signed_in_is_refused_the_editors_writes(team: Team) -> None:
    post = await team.published()
    queued = await team.submitted()
    async with await browser_for(team, "Cory") as cory:
        before = await snapshot(team.api)
        attempts = [
            ("POST", "/posts", TEXT, "publish posts"),
            ("PUT", f"/posts/{post['id']}/pin", None, "pin posts"),
            ("PUT", f"/posts/{post['id']}/key-event", None, "mark key events"),
            ("DELETE", f"/posts/{post['id']}", None, "delete posts"),
            ("PATCH", f"/posts/{post['id']}", {"headline": "Mine now"},
             "edit other people's posts"),
            ("POST", f"/drafts/{queued['id']}/approve", None, "publish posts"),
            ("POST", f"/drafts/{queued['id']}/return", {"note": "No"}, "approve"),
            ("POST", "/end", None, "end or reopen coverage"),
        ]
        for method, path, body, cannot in attempts:
            r = await cory.write(method, BLOG + path, json=body,
                                 headers={"If-Match": str(post["version"])})
            error = assert_error(r, 403, "forbidden")
            assert error["message"].startswith(f"Cory is a contributor; a contributor cannot "
                                               f"{cannot}"), error["message"]
        assert await snapshot(team.api) == before
        # What a contributor may do, the browser does.
        draft = await cory.write("POST", f"{BLOG}/drafts", json=TEXT)
        assert draft.status_code == 201
        r = await cory.write("POST", f"{BLOG}/drafts/{draft.json()['id']}/submit")
        assert r.status_code == 200 and r.json()["status"] == "submitted"


async def test_an_editor_signed_in_publishes_pins_and_approves(team: Team) -> None:
    queued = await team.submitted()
    async with await browser_for(team, "Erin") as erin:
        session = await accounts.session(team.api.newsroom, erin.session_cookie or "")
        assert session is not None
        r = await erin.write("POST", f"{BLOG}/posts", json=TEXT)
        assert r.status_code == 201, r.text
        pinned = await erin.write("PUT", f"{BLOG}/posts/{r.json()['id']}/pin")
        assert pinned.status_code == 200 and pinned.json()["pinned"] is True
        approved = await erin.write("POST", f"{BLOG}/drafts/{queued['id']}/approve")
        assert approved.status_code == 200 and approved.json()["status"] == "published"
        log = (await erin.client.get(f"{BLOG}/audit")).json()["entries"]
    assert [(e["action"], e["who"], e["via"]) for e in log[:3]] == [
        ("post.published", "Erin", f"session {session.id}"),
        ("post.pinned", "Erin", f"session {session.id}"),
        ("post.published", "Erin", f"session {session.id}")]


async def test_a_member_of_another_blog_signed_in_cannot_write_here(team: Team) -> None:
    async with await browser_for(team, "Olga") as olga:
        before = await snapshot(team.api)
        for method, path, body in (("POST", "/posts", TEXT), ("POST", "/drafts", TEXT)):
            error = assert_error(await olga.write(method, BLOG + path, json=body), 403)
            assert "Olga has no role on this blog" in error["message"]
        assert await snapshot(team.api) == before
        r = await olga.write("POST", "/api/v1/blogs/flood/posts", json=TEXT)
        assert r.status_code == 201  # on her own blog she is an editor
