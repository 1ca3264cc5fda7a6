"""Accounts: argon2id passwords, sign-in with throttling, sessions, invitations and per-blog
roles — against a real store, on SQLite and PostgreSQL, with a clock the tests control."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy import Table, func, select

from bulletin.actions import accounts
from bulletin.actions import blogs as blog_actions
from bulletin.actions import users as user_actions
from bulletin.actions.accounts import MAX_FAILURES, THROTTLE_WINDOW, TooManyAttempts
from bulletin.actions.newsroom import Newsroom, as_member
from bulletin.domain.blog import Blog
from bulletin.domain.errors import NotAuthenticated, NotFound, PermissionDenied, ValidationError
from bulletin.domain.roles import Actor, Permission, Role
from bulletin.store import history
from bulletin.store import users as user_rows
from bulletin.store.tables import audit, login_failures, memberships, sessions, tokens, users
from tests.actions.conftest import Clock

PASSWORD = "correct horse battery staple"
HERE, ELSEWHERE = "203.0.113.7", "198.51.100.23"


async def count(newsroom: Newsroom, table: Table) -> int:
    async with newsroom.db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


async def with_password(newsroom: Newsroom, actor: Actor, password: str = PASSWORD) -> Actor:
    await accounts.set_password(newsroom, actor, password)
    return actor


def signs_in(newsroom: Newsroom, name: str, password: str = PASSWORD
             ) -> Callable[[str], Awaitable[accounts.SignedIn]]:
    """`await signs_in(nr, name)(address)`: one sign-in attempt from that address."""
    async def attempt(address: str) -> accounts.SignedIn:
        return await accounts.sign_in(newsroom, name, password, address=address,
                                      user_agent="pytest")
    return attempt


async def fail(newsroom: Newsroom, name: str, times: int, address: str = HERE) -> None:
    for _ in range(times):
        with pytest.raises(NotAuthenticated):
            await accounts.sign_in(newsroom, name, "not the password", address=address,
                                   user_agent="pytest")


# --- passwords ---------------------------------------------------------------------------

async def test_passwords_are_stored_as_argon2id_hashes_never_in_plain_text(
        newsroom: Newsroom, editor: Actor) -> None:
    await with_password(newsroom, editor)
    async with newsroom.db.read() as conn:
        stored = await user_rows.password_hash(conn, editor.id)
        everything = [repr(row) for table in (users, sessions, tokens)
                      for row in (await conn.execute(select(table))).all()]
    assert stored is not None and stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert not any(PASSWORD in row for row in everything)


async def test_the_same_password_hashes_differently_for_two_people(
        newsroom: Newsroom, editor: Actor, contributor: Actor) -> None:
    await with_password(newsroom, editor)
    await with_password(newsroom, contributor)
    async with newsroom.db.read() as conn:
        first = await user_rows.password_hash(conn, editor.id)
        second = await user_rows.password_hash(conn, contributor.id)
    assert first != second  # salted


@pytest.mark.parametrize("password", ["short", "", "x" * 9, "y" * 1025, None, 12345678901])
async def test_a_password_that_is_too_short_or_too_long_is_refused(
        newsroom: Newsroom, editor: Actor, password: object) -> None:
    with pytest.raises(ValidationError, match="at least 10 characters") as refused:
        await accounts.set_password(newsroom, editor, password)  # type: ignore[arg-type]
    assert refused.value.field == "password"
    async with newsroom.db.read() as conn:
        assert await user_rows.password_hash(conn, editor.id) is None


# --- signing in --------------------------------------------------------------------------

async def test_signing_in_opens_a_session_whose_secret_is_stored_only_as_a_digest(
        newsroom: Newsroom, editor: Actor) -> None:
    await with_password(newsroom, editor)
    signed = await accounts.sign_in(newsroom, editor.name, PASSWORD, address=HERE,
                                    user_agent="Firefox")
    assert signed.actor.id == editor.id and signed.actor.via.startswith("session ")
    session = await accounts.session(newsroom, signed.token)
    assert session is not None
    assert session.actor.id == editor.id and session.actor.role is Role.EDITOR
    assert session.csrf_token == signed.csrf_token
    assert session.actor.via == f"session {session.id}"
    async with newsroom.db.read() as conn:
        rows = (await conn.execute(select(sessions.c.token_hash))).scalars().all()
    assert rows == [user_actions.hash_token(signed.token)]


async def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(
        newsroom: Newsroom, editor: Actor) -> None:
    await with_password(newsroom, editor)
    answers = []
    for name, password in ((editor.name, "wrong password!"), ("Nobody Here", PASSWORD)):
        with pytest.raises(NotAuthenticated) as refused:
            await accounts.sign_in(newsroom, name, password, address=HERE, user_agent="")
        answers.append(refused.value.message)
    assert answers[0] == answers[1] == "Wrong name or password."
    assert await count(newsroom, sessions) == 0


async def test_someone_without_a_password_cannot_sign_in(newsroom: Newsroom,
                                                         editor: Actor) -> None:
    """Script users (API token only) have no password: no password opens their account."""
    for guess in ("", PASSWORD):
        with pytest.raises(NotAuthenticated):
            await accounts.sign_in(newsroom, editor.name, guess, address=HERE, user_agent="")
    assert await count(newsroom, sessions) == 0


async def test_signing_out_ends_the_session(newsroom: Newsroom, editor: Actor) -> None:
    await with_password(newsroom, editor)
    signed = await signs_in(newsroom, editor.name)(HERE)
    assert isinstance(signed, accounts.SignedIn)
    await accounts.sign_out(newsroom, signed.token)
    assert await accounts.session(newsroom, signed.token) is None
    assert await count(newsroom, sessions) == 0


async def test_a_session_expires_after_its_lifetime(newsroom: Newsroom, editor: Actor,
                                                    clock: Clock) -> None:
    await with_password(newsroom, editor)
    signed = await signs_in(newsroom, editor.name)(HERE)
    assert isinstance(signed, accounts.SignedIn)
    clock.advance(accounts.SESSION_LIFETIME - timedelta(seconds=1))
    assert await accounts.session(newsroom, signed.token) is not None
    clock.advance(timedelta(seconds=2))
    assert await accounts.session(newsroom, signed.token) is None


async def test_tidying_forgets_expired_sessions_and_stale_failures_only(
        newsroom: Newsroom, editor: Actor, clock: Clock) -> None:
    await with_password(newsroom, editor)
    old = await signs_in(newsroom, editor.name)(HERE)
    await fail(newsroom, "a stranger", 2, ELSEWHERE)
    clock.advance(accounts.SESSION_LIFETIME - THROTTLE_WINDOW)
    fresh = await signs_in(newsroom, editor.name)(HERE)
    await fail(newsroom, "another stranger", 1)
    assert await accounts.tidy(newsroom) == (0, 2)  # the first two failures are too old
    clock.advance(THROTTLE_WINDOW + timedelta(seconds=1))
    assert await accounts.tidy(newsroom) == (1, 1)  # the first session has expired
    assert await accounts.session(newsroom, old.token) is None
    assert await accounts.session(newsroom, fresh.token) is not None
    assert (await count(newsroom, sessions), await count(newsroom, login_failures)) == (1, 0)


@pytest.mark.parametrize("token", ["", "not-a-session", "x" * 500])
async def test_an_unknown_session_token_is_nobody(newsroom: Newsroom, token: str) -> None:
    assert await accounts.session(newsroom, token) is None


async def test_signing_in_is_audited_with_the_session_and_address(
        newsroom: Newsroom, editor: Actor) -> None:
    await with_password(newsroom, editor)
    signed = await signs_in(newsroom, editor.name)(HERE)
    assert isinstance(signed, accounts.SignedIn)
    async with newsroom.db.read() as conn:
        rows = (await conn.execute(select(audit.c.user_id, audit.c.action, audit.c.detail,
                                          audit.c.via))).all()
    assert [tuple(r) for r in rows] == [(editor.id, "user.signed_in", HERE,
                                         signed.actor.via)]


# --- throttling --------------------------------------------------------------------------

async def test_after_five_failures_even_the_right_password_is_refused_for_a_while(
        newsroom: Newsroom, editor: Actor, clock: Clock) -> None:
    await with_password(newsroom, editor)
    await fail(newsroom, editor.name, MAX_FAILURES)
    with pytest.raises(TooManyAttempts) as refused:
        await signs_in(newsroom, editor.name)(HERE)
    assert refused.value.status == 429
    assert "Too many failed sign-ins" in refused.value.message
    assert "15 minutes" in refused.value.message
    assert await count(newsroom, sessions) == 0
    # While locked, guesses are not even checked, nor counted.
    with pytest.raises(TooManyAttempts):
        await signs_in(newsroom, editor.name, "another guess!")(HERE)
    assert await count(newsroom, login_failures) == MAX_FAILURES
    # A stranger guessing from one address does not lock the journalist out elsewhere.
    assert isinstance(await signs_in(newsroom, editor.name)(ELSEWHERE), accounts.SignedIn)


async def test_the_lock_lifts_once_the_window_has_passed(newsroom: Newsroom, editor: Actor,
                                                         clock: Clock) -> None:
    await with_password(newsroom, editor)
    await fail(newsroom, editor.name, MAX_FAILURES)
    clock.advance(THROTTLE_WINDOW - timedelta(seconds=1))
    with pytest.raises(TooManyAttempts):
        await signs_in(newsroom, editor.name)(HERE)
    clock.advance(timedelta(seconds=2))
    assert isinstance(await signs_in(newsroom, editor.name)(HERE), accounts.SignedIn)


async def test_four_failures_do_not_lock_and_a_success_clears_them(
        newsroom: Newsroom, editor: Actor, clock: Clock) -> None:
    await with_password(newsroom, editor)
    await fail(newsroom, editor.name, MAX_FAILURES - 1)
    assert isinstance(await signs_in(newsroom, editor.name)(HERE), accounts.SignedIn)
    await fail(newsroom, editor.name, MAX_FAILURES - 1)
    assert isinstance(await signs_in(newsroom, editor.name)(HERE), accounts.SignedIn)


async def test_guesses_sent_all_at_once_cannot_slip_past_the_limit(
        newsroom: Newsroom, editor: Actor, clock: Clock) -> None:
    """Checking a password is slow; guesses sent in parallel must not all be checked
    before the first failure is counted."""
    await with_password(newsroom, editor)
    guesses = [accounts.sign_in(newsroom, editor.name, f"guess number {n}", address=HERE,
                                user_agent="") for n in range(MAX_FAILURES + 3)]
    answers = await asyncio.gather(*guesses, return_exceptions=True)
    assert sum(isinstance(a, NotAuthenticated) for a in answers) == MAX_FAILURES, answers
    assert sum(isinstance(a, TooManyAttempts) for a in answers) == 3
    assert await count(newsroom, login_failures) == MAX_FAILURES


async def test_spraying_many_names_from_one_address_locks_that_address(
        newsroom: Newsroom, editor: Actor, clock: Clock) -> None:
    await with_password(newsroom, editor)
    for n in range(accounts.MAX_FAILURES_PER_ADDRESS):
        await fail(newsroom, f"guess {n}", 1)
    with pytest.raises(TooManyAttempts):
        await signs_in(newsroom, editor.name)(HERE)
    assert isinstance(await signs_in(newsroom, editor.name)(ELSEWHERE), accounts.SignedIn)


# --- invitations -------------------------------------------------------------------------

async def test_an_invitation_lets_a_new_colleague_choose_a_password_once(
        newsroom: Newsroom, admin: Actor, blog: Blog) -> None:
    token = (await accounts.invite(newsroom, admin, blog.slug, "Nia", "contributor")).token
    assert token
    with pytest.raises(ValidationError, match="at least 10 characters"):
        await accounts.accept_invite(newsroom, token, "short")
    joined = await accounts.accept_invite(newsroom, token, PASSWORD)
    nia = joined.signed.actor
    assert nia.name == "Nia" and joined.slug == blog.slug
    assert await accounts.session(newsroom, joined.signed.token) is not None  # signed in
    signed = await signs_in(newsroom, "Nia")(HERE)
    assert isinstance(signed, accounts.SignedIn)
    with pytest.raises(accounts.InvitationClosed, match="used already"):
        await accounts.accept_invite(newsroom, token, "a different password")
    with pytest.raises(NotAuthenticated):
        await signs_in(newsroom, "Nia", "a different password")(HERE)
    async with newsroom.db.read() as conn:
        role = await as_member(conn, nia, blog)
        entries = await history.audit_log(conn, blog.id)
    assert role.role is Role.CONTRIBUTOR
    assert [(e["action"], e["detail"], e["who"]) for e in entries[:2]] == [
        ("member.joined", "Nia as contributor", "Nia"),
        ("member.invited", "Nia as contributor", admin.name)]


async def test_an_invitation_link_used_twice_at_once_sets_one_password(
        newsroom: Newsroom, admin: Actor, blog: Blog) -> None:
    token = (await accounts.invite(newsroom, admin, blog.slug, "Nia", "contributor")).token
    assert token is not None
    passwords = ["the first password", "the other password"]
    answers = await asyncio.gather(*(accounts.accept_invite(newsroom, token, p)
                                     for p in passwords), return_exceptions=True)
    assert sorted(type(a).__name__ for a in answers) == ["InvitationClosed", "Joined"], answers
    winner = passwords[0] if isinstance(answers[0], accounts.Joined) else passwords[1]
    loser = passwords[1] if winner == passwords[0] else passwords[0]
    assert isinstance(await signs_in(newsroom, "Nia", winner)(HERE), accounts.SignedIn)
    with pytest.raises(NotAuthenticated):
        await signs_in(newsroom, "Nia", loser)(HERE)


async def test_an_invitation_is_not_an_api_token(newsroom: Newsroom, admin: Actor,
                                                 blog: Blog) -> None:
    token = (await accounts.invite(newsroom, admin, blog.slug, "Nia", "editor")).token
    assert token is not None
    assert await user_actions.authenticate(newsroom, token) is None
    await accounts.accept_invite(newsroom, token, PASSWORD)
    assert await user_actions.authenticate(newsroom, token) is None


async def test_inviting_someone_who_has_an_account_gives_nobody_their_password(
        newsroom: Newsroom, admin: Actor, editor: Actor, blog: Blog) -> None:
    """A blog's own admin adds a colleague who already signs in: the colleague gets the role,
    and the admin gets no link that could set the colleague's password."""
    await with_password(newsroom, editor)
    blog_admin = await user_actions.create_user(newsroom, "Bo Blogadmin", Role.CONTRIBUTOR)
    await accounts.set_member_role(newsroom, admin, blog.slug, blog_admin.name, "admin")
    invited = await accounts.invite(newsroom, blog_admin, blog.slug, editor.name, "contributor")
    assert invited.token is None and invited.invitation is None
    assert isinstance(await signs_in(newsroom, editor.name)(HERE), accounts.SignedIn)
    async with newsroom.db.read() as conn:
        assert (await as_member(conn, editor, blog)).role is Role.CONTRIBUTOR


async def test_a_site_admin_can_resend_a_lost_invitation_but_a_blog_admin_cannot(
        newsroom: Newsroom, admin: Actor, blog: Blog) -> None:
    """Nia is on a blog Bo does not manage: a link from Bo could take over that access."""
    other = await blog_actions.create(newsroom, admin, {"slug": "flood", "title": "Flood"})
    first = (await accounts.invite(newsroom, admin, other.slug, "Nia", "contributor")).token
    blog_admin = await user_actions.create_user(newsroom, "Bo Blogadmin", Role.CONTRIBUTOR)
    await accounts.set_member_role(newsroom, admin, blog.slug, blog_admin.name, "admin")
    assert (await accounts.invite(newsroom, blog_admin, blog.slug, "Nia", "editor")
            ).token is None
    again = (await accounts.invite(newsroom, admin, blog.slug, "Nia", "editor")).token
    assert first and again and again != first
    nia = (await accounts.accept_invite(newsroom, again, PASSWORD)).signed.actor
    assert await role_on(newsroom, nia, blog) is Role.EDITOR
    assert await role_on(newsroom, nia, other) is Role.CONTRIBUTOR
    with pytest.raises(accounts.InvitationClosed, match="used already"):  # one password
        await accounts.accept_invite(newsroom, first, "another password entirely")


async def test_only_admins_invite_and_a_refusal_writes_nothing(
        newsroom: Newsroom, editor: Actor, contributor: Actor, blog: Blog) -> None:
    for who in (editor, contributor):
        with pytest.raises(PermissionDenied, match=f"is an? {who.role}"):
            await accounts.invite(newsroom, who, blog.slug, "Nia", "contributor")
    assert await count(newsroom, memberships) == 0
    assert await count(newsroom, tokens) == 0
    async with newsroom.db.read() as conn:
        assert await user_rows.get_by_name(conn, "Nia") is None


@pytest.mark.parametrize("name, role, field", [
    ("Nia", "owner", "role"), ("Nia", None, "role"), ("", "editor", "name"),
    ("<script>", "editor", "name"), ("x" * 101, "editor", "name")])
async def test_an_invitation_needs_a_valid_name_and_role(
        newsroom: Newsroom, admin: Actor, blog: Blog, name: str, role: object,
        field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        await accounts.invite(newsroom, admin, blog.slug, name, role)
    assert refused.value.field == field
    assert await count(newsroom, memberships) == 0


async def test_inviting_into_a_missing_blog_is_not_found(newsroom: Newsroom,
                                                         admin: Actor) -> None:
    with pytest.raises(NotFound):
        await accounts.invite(newsroom, admin, "no-such-blog", "Nia", "editor")
    assert await count(newsroom, users) == 1


# --- roles per blog ----------------------------------------------------------------------

async def role_on(newsroom: Newsroom, actor: Actor, blog: Blog) -> Role | None:
    async with newsroom.db.read() as conn:
        return (await as_member(conn, actor, blog)).role


async def test_a_role_on_a_blog_wins_over_the_site_role_except_for_site_admins(
        newsroom: Newsroom, admin: Actor, editor: Actor, contributor: Actor,
        blog: Blog) -> None:
    other = await blog_actions.create(newsroom, admin, {"slug": "flood", "title": "Flood"})
    for person, role in ((editor, "contributor"), (contributor, "editor"),
                         (admin, "contributor")):
        await accounts.set_member_role(newsroom, admin, blog.slug, person.name, role)
    assert await role_on(newsroom, editor, blog) is Role.CONTRIBUTOR
    assert await role_on(newsroom, contributor, blog) is Role.EDITOR
    assert await role_on(newsroom, admin, blog) is Role.ADMIN
    # Elsewhere their site roles still hold.
    assert await role_on(newsroom, editor, other) is Role.EDITOR
    assert await role_on(newsroom, contributor, other) is Role.CONTRIBUTOR


async def test_a_member_without_a_site_role_has_no_role_on_other_blogs(
        newsroom: Newsroom, admin: Actor, blog: Blog) -> None:
    other = await blog_actions.create(newsroom, admin, {"slug": "flood", "title": "Flood"})
    await accounts.invite(newsroom, admin, blog.slug, "Nia", "editor")
    async with newsroom.db.read() as conn:
        nia = await user_rows.get_by_name(conn, "Nia")
    assert nia is not None
    assert await role_on(newsroom, nia, blog) is Role.EDITOR
    assert await role_on(newsroom, nia, other) is None
    async with newsroom.db.read() as conn:
        outsider = await as_member(conn, nia, other)
    with pytest.raises(PermissionDenied, match="Nia has no role on this blog"):
        outsider.require(Permission.WRITE_DRAFTS)


async def test_removing_a_colleague_takes_their_role_on_that_blog(
        newsroom: Newsroom, admin: Actor, editor: Actor, blog: Blog) -> None:
    await accounts.set_member_role(newsroom, admin, blog.slug, editor.name, "contributor")
    await accounts.set_member_role(newsroom, admin, blog.slug, editor.name, None)
    assert await role_on(newsroom, editor, blog) is Role.EDITOR  # back to the site role
    async with newsroom.db.read() as conn:
        entries = await history.audit_log(conn, blog.id)
    assert [e["detail"] for e in entries[:2]] == [f"{editor.name}: removed",
                                                  f"{editor.name}: contributor"]


async def test_only_admins_change_roles(newsroom: Newsroom, admin: Actor, editor: Actor,
                                        contributor: Actor, blog: Blog) -> None:
    with pytest.raises(PermissionDenied):
        await accounts.set_member_role(newsroom, editor, blog.slug, contributor.name, "admin")
    with pytest.raises(PermissionDenied):
        await accounts.set_member_role(newsroom, contributor, blog.slug, contributor.name,
                                       "editor")
    with pytest.raises(NotFound):
        await accounts.set_member_role(newsroom, admin, blog.slug, "Nobody", "editor")
    assert await count(newsroom, memberships) == 0
