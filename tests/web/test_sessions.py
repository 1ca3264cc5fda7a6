"""Signing in with a browser: the session cookie, CSRF on every cookie-authenticated write,
the login form's own CSRF token, signing out, the login throttle and invitations.

The helpers at the top (a Browser with its own cookie jar and address, people, a snapshot
of every table) are shared by the other newsroom web specs."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from bulletin.actions import accounts
from bulletin.actions import users as user_actions
from bulletin.actions.newsroom import utcnow
from bulletin.domain.roles import Actor, Role
from bulletin.store import users as user_rows
from bulletin.store.tables import metadata, sessions, users
from bulletin.web.editor import LOGIN_CSRF
from bulletin.web.requests import CSRF_HEADER, SESSION_COOKIE
from tests.conftest import App

PASSWORD = "correct horse battery staple"
TEXT = {"blocks": [{"kind": "text", "html": "<p>Water is rising at the bridge.</p>"}]}


def form_value(page: str, name: str) -> str:
    """The value of the <input name=...> on a page."""
    for tag in re.findall(r"<input\b[^>]*>", page):
        if re.search(rf'\bname="{re.escape(name)}"', tag):
            found = re.search(r'\bvalue="([^"]*)"', tag)
            assert found, tag
            return html.unescape(found.group(1))
    raise AssertionError(f"no input named {name!r} on the page")


def words(page: str) -> str:
    """A page's text as a person reads it: no tags, single spaces."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", page)))


def set_cookie(response: httpx.Response, name: str) -> str:
    """The Set-Cookie header for one cookie (attributes included)."""
    found = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    assert len(found) == 1, response.headers.get_list("set-cookie")
    return found[0]


def attributes(header: str) -> set[str]:
    return {part.strip().lower() for part in header.split(";")[1:]}


class Browser:
    """One person's browser: its own cookie jar and network address. It signs in through
    the /login form like a person and writes with the session's CSRF token."""

    def __init__(self, api: App, *, address: str = "127.0.0.1",
                 base_url: str = "http://bulletin.test") -> None:
        self.api = api
        transport = httpx.ASGITransport(app=api.app, client=(address, 51000))
        self.client = httpx.AsyncClient(transport=transport, base_url=base_url)

    async def __aenter__(self) -> Browser:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    async def login_form(self) -> str:
        """Open /login; returns the form's CSRF field (its cookie is now in the jar)."""
        page = await self.client.get("/login")
        assert page.status_code == 200, page.text
        return form_value(page.text, "csrf_token")

    async def sign_in(self, name: str, password: str = PASSWORD, **fields: str
                      ) -> httpx.Response:
        token = await self.login_form()
        return await self.client.post("/login", data={
            "name": name, "password": password, "csrf_token": token, **fields})

    @property
    def session_cookie(self) -> str | None:
        return self.client.cookies.get(SESSION_COOKIE)

    async def csrf(self) -> str:
        """The session's CSRF token: what the newsroom pages hand their script. Read from
        the session store, so these specs do not depend on the page templates."""
        cookie = self.session_cookie
        assert cookie, "not signed in"
        session = await accounts.session(self.api.newsroom, cookie)
        assert session is not None
        return session.csrf_token

    async def write(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """An unsafe request as the newsroom's script sends it: cookie + X-CSRF-Token."""
        headers = {CSRF_HEADER: await self.csrf(), **kwargs.pop("headers", {})}
        return await self.client.request(method, url, headers=headers, **kwargs)


async def signed_in(api: App, name: str, **options: str) -> Browser:
    """A browser signed in as `name` (who has PASSWORD). Close it with `aclose()`."""
    browser = Browser(api, **options)
    r = await browser.sign_in(name)
    assert r.status_code == 303, r.text
    return browser


async def user(api: App, name: str, role: Role, password: str | None = PASSWORD) -> Actor:
    """A person with a site-wide role (and a password to sign in with)."""
    actor = await user_actions.create_user(api.newsroom, name, role)
    if password:
        await accounts.set_password(api.newsroom, actor, password)
    return actor


async def by_name(api: App, name: str) -> Actor:
    async with api.newsroom.db.read() as conn:
        found = await user_rows.get_by_name(conn, name)
    assert found is not None
    return found


async def snapshot(api: App) -> dict[str, list[str]]:
    """Every row of every table: equal snapshots mean nothing at all was written."""
    async with api.newsroom.db.read() as conn:
        return {table.name: sorted(repr(tuple(row)) for row in
                                   (await conn.execute(select(table))).all())
                for table in metadata.sorted_tables}


async def count(api: App, table: Any) -> int:
    async with api.newsroom.db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


def assert_error(r: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json"), r.text
    error: dict[str, Any] = r.json()["error"]
    assert error["message"]
    if code is not None:
        assert error["code"] == code, error
    return error


async def storm(api: App) -> str:
    """Open the 'storm' blog as a site admin; returns the admin's API token."""
    admin = await api.token(Role.ADMIN, "Ada Admin")
    r = await api.client.post("/api/v1/blogs", headers=api.auth(admin),
                              json={"slug": "storm", "title": "Storm night"})
    assert r.status_code == 201, r.text
    return admin


# --- the session cookie ------------------------------------------------------------------

async def test_signing_in_sets_an_httponly_samesite_lax_cookie_for_the_whole_site(
        api: App) -> None:
    await user(api, "Erin", Role.EDITOR)
    async with Browser(api) as browser:
        r = await browser.sign_in("Erin", next="/blogs/storm/edit")
        assert r.status_code == 303 and r.headers["location"] == "/blogs/storm/edit"
        cookie = attributes(set_cookie(r, SESSION_COOKIE))
        assert {"httponly", "samesite=lax", "path=/"} <= cookie
        assert "secure" not in cookie  # plain http (a developer's machine)
        me = await browser.client.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["name"] == "Erin"


async def test_over_https_the_session_cookie_is_also_secure(api: App) -> None:
    await user(api, "Erin", Role.EDITOR)
    async with Browser(api, base_url="https://bulletin.test") as browser:
        r = await browser.sign_in("Erin")
        assert r.status_code == 303
        assert {"httponly", "samesite=lax", "path=/", "secure"} <= attributes(
            set_cookie(r, SESSION_COOKIE))
        assert (await browser.client.get("/api/v1/me")).status_code == 200


async def test_the_cookie_holds_a_random_secret_stored_only_as_a_digest(api: App) -> None:
    await user(api, "Erin", Role.EDITOR)
    browser = await signed_in(api, "Erin")
    async with browser:
        secret = browser.session_cookie
        assert secret and len(secret) >= 40
        everything = str(await snapshot(api))
    assert secret not in everything
    assert user_actions.hash_token(secret) in everything


async def test_the_login_form_brings_its_own_csrf_cookie(api: App) -> None:
    async with Browser(api) as browser:
        page = await browser.client.get("/login")
        field = form_value(page.text, "csrf_token")
        header = set_cookie(page, LOGIN_CSRF)
    assert header.startswith(f"{LOGIN_CSRF}={field};")
    assert {"httponly", "samesite=strict"} <= attributes(header)


@pytest.mark.parametrize("cookie, field", [
    (False, False), (True, False), (False, True), (True, "forged-token-value"),
])
async def test_a_login_without_the_forms_csrf_token_is_refused_and_opens_no_session(
        api: App, cookie: bool, field: bool | str) -> None:
    """A page on another site cannot sign a victim into an attacker's account (login CSRF):
    the POST needs both the form's cookie and the same token in the form."""
    await user(api, "Erin", Role.EDITOR)
    async with Browser(api) as browser:
        token = await browser.login_form() if cookie else "x" * 32
        if not cookie:
            browser.client.cookies.clear()
        data = {"name": "Erin", "password": PASSWORD}
        if field:
            data["csrf_token"] = field if isinstance(field, str) else token
        r = await browser.client.post("/login", data=data)
        assert r.status_code == 403
        assert "expired" in r.text
        assert SESSION_COOKIE not in r.headers.get("set-cookie", "")
        assert browser.session_cookie is None
    assert await count(api, sessions) == 0


@pytest.mark.parametrize("wanted", ["//evil.example/x", "https://evil.example/",
                                    "/\\evil.example", "javascript:alert(1)"])
async def test_after_signing_in_you_are_only_ever_sent_within_the_site(
        api: App, wanted: str) -> None:
    await user(api, "Erin", Role.EDITOR)
    async with Browser(api) as browser:
        r = await browser.sign_in("Erin", next=wanted)
    assert r.status_code == 303 and r.headers["location"] == "/newsroom"


async def test_a_wrong_password_shows_the_form_again_without_a_session(api: App) -> None:
    await user(api, "Erin", Role.EDITOR)
    async with Browser(api) as browser:
        r = await browser.sign_in("Erin", "not the password")
        assert r.status_code == 401
        assert "Wrong name or password." in r.text
        assert form_value(r.text, "name") == "Erin"
        assert browser.session_cookie is None
    assert await count(api, sessions) == 0


async def test_someone_signed_in_who_opens_login_goes_straight_on(api: App) -> None:
    await user(api, "Erin", Role.EDITOR)
    async with await signed_in(api, "Erin") as browser:
        r = await browser.client.get("/login?next=/blogs/storm/edit")
    assert r.status_code == 303 and r.headers["location"] == "/blogs/storm/edit"


async def test_an_expired_session_no_longer_signs_anyone_in(api: App) -> None:
    await user(api, "Erin", Role.EDITOR)
    async with await signed_in(api, "Erin") as browser:
        later = utcnow() + accounts.SESSION_LIFETIME + timedelta(minutes=1)
        api.newsroom.now = lambda: later
        assert_error(await browser.client.get("/api/v1/me"), 401, "unauthenticated")


# --- CSRF on cookie-authenticated writes -------------------------------------------------

async def editor_with_post(api: App) -> tuple[Browser, dict[str, Any]]:
    admin = await storm(api)
    await user(api, "Erin", Role.EDITOR)
    r = await api.client.post("/api/v1/blogs/storm/posts", headers=api.auth(admin),
                              json=TEXT)
    assert r.status_code == 201
    return await signed_in(api, "Erin"), r.json()


WRITES = {  # method: (path under /api/v1/blogs/storm, JSON body, success status)
    "POST": ("/posts", TEXT, 201),
    "PATCH": ("/posts/{id}", {"headline": "Bridge closed"}, 200),
    "PUT": ("/posts/{id}/pin", None, 200),
    "DELETE": ("/posts/{id}", None, 204),
}


@pytest.mark.parametrize("method", list(WRITES))
@pytest.mark.parametrize("sent", ["none", "wrong", "empty", "another session's"])
async def test_a_cookie_write_without_the_right_csrf_token_is_refused(
        api: App, method: str, sent: str) -> None:
    browser, post = await editor_with_post(api)
    async with browser:
        path, body, _ = WRITES[method]
        url = "/api/v1/blogs/storm" + path.format(id=post["id"])
        headers = {"If-Match": str(post["version"])}
        if sent == "wrong":
            headers[CSRF_HEADER] = (await browser.csrf())[::-1]
        elif sent == "empty":
            headers[CSRF_HEADER] = ""
        elif sent == "another session's":  # Erin signed in on her phone too
            async with await signed_in(api, "Erin") as phone:
                headers[CSRF_HEADER] = await phone.csrf()
        before = await snapshot(api)
        r = await browser.client.request(method, url, json=body, headers=headers)
        error = assert_error(r, 403, "csrf")
        assert "CSRF" in error["message"]
        assert await snapshot(api) == before


@pytest.mark.parametrize("method", list(WRITES))
async def test_a_cookie_write_with_the_sessions_csrf_token_goes_through(
        api: App, method: str) -> None:
    browser, post = await editor_with_post(api)
    async with browser:
        path, body, status = WRITES[method]
        r = await browser.write(method, "/api/v1/blogs/storm" + path.format(id=post["id"]),
                                json=body, headers={"If-Match": str(post["version"])})
    assert r.status_code == status, r.text


async def test_reading_with_the_cookie_needs_no_csrf_token(api: App) -> None:
    browser, _ = await editor_with_post(api)
    async with browser:
        for url in ("/api/v1/me", "/api/v1/blogs/storm/me", "/api/v1/blogs/storm/drafts",
                    "/api/v1/blogs/storm/audit", "/api/v1/tokens"):
            r = await browser.client.get(url)
            assert r.status_code == 200, (url, r.text)
        assert (await browser.client.get("/api/v1/me")).json()["name"] == "Erin"


async def test_scripts_with_a_bearer_token_need_no_csrf_token(api: App) -> None:
    admin = await storm(api)
    r = await api.client.post("/api/v1/blogs/storm/posts", headers=api.auth(admin), json=TEXT)
    assert r.status_code == 201
    assert "set-cookie" not in r.headers


async def test_a_malformed_authorization_header_never_falls_back_to_the_cookie(
        api: App) -> None:
    browser, _ = await editor_with_post(api)
    async with browser:
        before = await snapshot(api)
        for header in ("Basic RXJpbjpwYXNzd29yZA==", "Bearer", "Bearer not-a-token"):
            r = await browser.client.post("/api/v1/blogs/storm/posts", json=TEXT,
                                          headers={"Authorization": header})
            assert_error(r, 401, "unauthenticated")
        assert await snapshot(api) == before


# --- signing out -------------------------------------------------------------------------

async def test_signing_out_needs_the_csrf_field_and_then_ends_the_session(api: App) -> None:
    await user(api, "Erin", Role.EDITOR)
    async with await signed_in(api, "Erin") as browser:
        for data in ({}, {"csrf_token": "forged"}):
            assert_error(await browser.client.post("/logout", data=data), 403, "csrf")
            assert (await browser.client.get("/api/v1/me")).status_code == 200
        secret = browser.session_cookie
        r = await browser.client.post("/logout", data={"csrf_token": await browser.csrf()})
        assert r.status_code == 303 and r.headers["location"] == "/"
        assert set_cookie(r, SESSION_COOKIE).startswith(f'{SESSION_COOKIE}="";')
        assert browser.session_cookie is None
        assert await count(api, sessions) == 0
        # The old cookie, replayed, is worth nothing.
        assert secret
        r = await browser.client.get("/api/v1/me", headers={
            "Cookie": f"{SESSION_COOKIE}={secret}"})
        assert_error(r, 401)


# --- the login throttle ------------------------------------------------------------------

async def test_five_wrong_passwords_lock_that_name_at_that_address_for_a_while(
        api: App) -> None:
    await user(api, "Erin", Role.EDITOR)
    async with Browser(api, address="203.0.113.7") as guesser:
        for _ in range(accounts.MAX_FAILURES):
            assert (await guesser.sign_in("Erin", "guess-guess-guess")).status_code == 401
        locked = await guesser.sign_in("Erin", PASSWORD)  # even the right password
        assert locked.status_code == 429
        assert "Too many failed sign-ins. Wait 15 minutes" in locked.text
        assert guesser.session_cookie is None
    assert await count(api, sessions) == 0
    async with Browser(api, address="198.51.100.23") as elsewhere:
        assert (await elsewhere.sign_in("Erin")).status_code == 303
    later = utcnow() + accounts.THROTTLE_WINDOW + timedelta(seconds=5)
    api.newsroom.now = lambda: later
    async with Browser(api, address="203.0.113.7") as again:
        assert (await again.sign_in("Erin")).status_code == 303


async def test_passwords_set_through_the_site_are_argon2id_hashes(api: App) -> None:
    await user(api, "Erin", Role.EDITOR)
    async with api.newsroom.db.read() as conn:
        stored = (await conn.execute(select(users.c.password_hash))).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


# --- invitations -------------------------------------------------------------------------

async def test_an_invited_colleague_sets_a_password_once_and_is_signed_in(api: App) -> None:
    admin = await storm(api)
    r = await api.client.post("/api/v1/blogs/storm/invites", headers=api.auth(admin),
                              json={"name": "Nia", "role": "contributor"})
    assert r.status_code == 201, r.text
    invite = r.json()
    assert (invite["name"], invite["role"]) == ("Nia", "contributor")
    assert invite["invitation"]["state"] == "pending"
    assert invite["invitation"]["invited_by"] == "Ada Admin"
    url = httpx.URL(invite["invite_url"])
    assert url.host == "bulletin.test" and url.path.startswith("/invite/")
    secret = url.path.rsplit("/", 1)[1]
    async with Browser(api) as nia:
        form = await nia.client.get(url.path)
        assert form.status_code == 200
        assert f'action="{url.path}"' in form.text and 'name="password"' in form.text
        assert "Ada Admin invited you to Storm night as a contributor." in words(form.text)
        short = await nia.client.post(url.path, data={"password": "short"})
        assert short.status_code == 422 and "at least 10 characters" in short.text
        assert "Ada Admin invited you" in words(short.text)  # the form again, with why
        done = await nia.client.post(url.path, data={"password": PASSWORD})
        assert done.status_code == 303
        assert done.headers["location"] == "/blogs/storm/edit"
        cookie = set_cookie(done, SESSION_COOKIE)
        assert {"httponly", "samesite=lax", "path=/"} <= attributes(cookie)
        me = await nia.client.get("/api/v1/blogs/storm/me")  # signed in by the link
        assert me.json()["role"] == "contributor" and me.json()["name"] == "Nia"
        assert (await nia.client.get("/blogs/storm/edit")).status_code == 200
    async with Browser(api) as stranger:
        again = await stranger.client.post(url.path, data={"password": "taken over now"})
        assert again.status_code == 410 and "used already" in again.text
        used = await stranger.client.get(url.path)
        assert used.status_code == 410 and 'href="/login?name=Nia"' in used.text
        assert stranger.session_cookie is None
        assert (await stranger.sign_in("Nia", "taken over now")).status_code == 401
        assert (await stranger.sign_in("Nia")).status_code == 303
    # The link's secret is not an API token, before or after use.
    r = await api.client.get("/api/v1/me", headers=api.auth(secret))
    assert_error(r, 401, "unauthenticated")


async def test_the_login_page_fills_in_a_name_it_is_given(api: App) -> None:
    async with Browser(api) as browser:
        page = await browser.client.get("/login", params={"name": "Nia Novak"})
        assert form_value(page.text, "name") == "Nia Novak"
        tag = re.search(r'<input id="password"[^>]*>', page.text)
        assert tag and "autofocus" in tag.group(0)


async def test_an_unknown_invitation_link_says_so(api: App) -> None:
    async with Browser(api) as browser:
        page = await browser.client.get("/invite/not-a-real-invitation")
        assert page.status_code == 404 and "not valid any more" in page.text
        r = await browser.client.post("/invite/not-a-real-invitation",
                                      data={"password": PASSWORD})
        assert r.status_code == 404
    assert await count(api, users) == 0
