"""Invitations as a desk lives with them: pending until used, expired after a week,
revoked by an admin, replaced by "Copy a new link" — each state refusing the link with its
own reason, each change checked for the role and audited. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import Table, func, select

from bulletin.actions import accounts
from bulletin.actions import blogs as blog_actions
from bulletin.actions import users as user_actions
from bulletin.actions.newsroom import Newsroom, as_member
from bulletin.domain.blog import Blog
from bulletin.domain.errors import Conflict, NotFound, PermissionDenied
from bulletin.domain.invitations import LIFETIME, InvitationState
from bulletin.domain.roles import Actor, Role
from bulletin.store import history
from bulletin.store.tables import invitations, memberships, sessions, users
from tests.actions.conftest import Clock

PASSWORD = "correct horse battery staple"


async def count(newsroom: Newsroom, table: Table) -> int:
    async with newsroom.db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


async def invited(newsroom: Newsroom, admin: Actor, blog: Blog, name: str = "Nia",
                  role: str = "editor") -> accounts.Invited:
    result = await accounts.invite(newsroom, admin, blog.slug, name, role)
    assert result.token and result.invitation
    return result


async def state_of(newsroom: Newsroom, token: str) -> InvitationState | None:
    page = await accounts.invitation_for(newsroom, token)
    return page.state if page else None


async def actions(newsroom: Newsroom, blog: Blog) -> list[tuple[str, str]]:
    async with newsroom.db.read() as conn:
        return [(e["action"], e["detail"]) for e in await history.audit_log(conn, blog.id)]


async def test_a_new_invitation_is_pending_with_its_inviter_dates_and_role(
        newsroom: Newsroom, admin: Actor, blog: Blog, clock: Clock) -> None:
    result = await invited(newsroom, admin, blog)
    assert result.invitation is not None
    body = result.invitation.to_json(clock())
    assert body["state"] == "pending" and body["invited_by"] == admin.name
    assert body["name"] == "Nia" and body["role"] == "editor"
    assert body["sent_at"] == clock().isoformat()
    assert body["expires_at"] == (clock() + LIFETIME).isoformat()
    team = {p["name"]: p for p in await accounts.team(newsroom, admin, blog.slug)}
    assert team["Nia"]["joined"] is False
    assert team["Nia"]["invitation"]["state"] == "pending"
    listed = await accounts.invitations(newsroom, admin, blog.slug)
    assert [(i.name, i.state(clock())) for i in listed] == [("Nia", InvitationState.PENDING)]


async def test_once_accepted_the_team_shows_the_colleague_as_joined(
        newsroom: Newsroom, admin: Actor, blog: Blog) -> None:
    result = await invited(newsroom, admin, blog)
    assert result.token and result.invitation
    await accounts.accept_invite(newsroom, result.token, PASSWORD)
    team = {p["name"]: p for p in await accounts.team(newsroom, admin, blog.slug)}
    assert team["Nia"]["joined"] is True and team["Nia"]["invitation"] is None
    assert await state_of(newsroom, result.token) is InvitationState.ACCEPTED
    with pytest.raises(Conflict, match="already used"):
        await accounts.reissue(newsroom, admin, blog.slug, result.invitation.id)
    with pytest.raises(Conflict):
        await accounts.revoke_invitation(newsroom, admin, blog.slug, result.invitation.id)


async def test_a_new_link_replaces_the_old_one_which_then_says_so(
        newsroom: Newsroom, admin: Actor, blog: Blog, clock: Clock) -> None:
    first = await invited(newsroom, admin, blog)
    assert first.token and first.invitation
    clock.advance(timedelta(days=3))
    again = await accounts.reissue(newsroom, admin, blog.slug, first.invitation.id)
    assert again.token and again.invitation and again.token != first.token
    assert again.invitation.expires_at == clock() + LIFETIME  # a full week from now
    assert await state_of(newsroom, first.token) is InvitationState.REPLACED
    with pytest.raises(accounts.InvitationClosed, match="newer link has replaced"):
        await accounts.accept_invite(newsroom, first.token, PASSWORD)
    with pytest.raises(Conflict, match="newer link"):
        await accounts.reissue(newsroom, admin, blog.slug, first.invitation.id)
    joined = await accounts.accept_invite(newsroom, again.token, PASSWORD)
    assert joined.signed.actor.name == "Nia"
    assert ("member.invite_reissued", "Nia as editor") in await actions(newsroom, blog)


async def test_after_a_week_the_link_has_expired_and_a_new_one_can_be_sent(
        newsroom: Newsroom, admin: Actor, blog: Blog, clock: Clock) -> None:
    first = await invited(newsroom, admin, blog)
    assert first.token and first.invitation
    clock.advance(LIFETIME)
    assert await state_of(newsroom, first.token) is InvitationState.EXPIRED
    with pytest.raises(accounts.InvitationClosed, match=f"expired. Ask {admin.name}"):
        await accounts.accept_invite(newsroom, first.token, PASSWORD)
    assert await count(newsroom, sessions) == 0
    team = {p["name"]: p for p in await accounts.team(newsroom, admin, blog.slug)}
    assert team["Nia"]["invitation"]["state"] == "expired"
    again = await accounts.reissue(newsroom, admin, blog.slug, first.invitation.id)
    assert again.token
    assert await state_of(newsroom, first.token) is InvitationState.REPLACED
    await accounts.accept_invite(newsroom, again.token, PASSWORD)


async def test_a_new_link_carries_the_role_the_person_has_now(
        newsroom: Newsroom, admin: Actor, blog: Blog) -> None:
    first = await invited(newsroom, admin, blog, role="contributor")
    assert first.invitation
    await accounts.set_member_role(newsroom, admin, blog.slug, "Nia", "editor")
    again = await accounts.reissue(newsroom, admin, blog.slug, first.invitation.id)
    assert again.invitation and again.invitation.role == "editor"


async def test_a_revoked_invitation_stops_the_link_and_takes_the_person_off_the_team(
        newsroom: Newsroom, admin: Actor, blog: Blog) -> None:
    result = await invited(newsroom, admin, blog)
    assert result.token and result.invitation
    closed = await accounts.revoke_invitation(newsroom, admin, blog.slug,
                                              result.invitation.id)
    assert closed.revoked_at is not None
    assert await state_of(newsroom, result.token) is InvitationState.REVOKED
    with pytest.raises(accounts.InvitationClosed, match=f"{admin.name} withdrew"):
        await accounts.accept_invite(newsroom, result.token, PASSWORD)
    assert "Nia" not in [p["name"] for p in await accounts.team(newsroom, admin, blog.slug)]
    assert await count(newsroom, memberships) == 0
    with pytest.raises(Conflict, match="withdrawn"):
        await accounts.revoke_invitation(newsroom, admin, blog.slug, result.invitation.id)
    with pytest.raises(Conflict, match="withdrawn"):
        await accounts.reissue(newsroom, admin, blog.slug, result.invitation.id)
    assert ("member.invite_revoked", "Nia") in await actions(newsroom, blog)
    # Invited again, Nia gets a fresh link from the same admin.
    assert (await invited(newsroom, admin, blog)).token


async def test_revoking_while_the_colleague_accepts_lets_exactly_one_win(
        newsroom: Newsroom, admin: Actor, blog: Blog) -> None:
    result = await invited(newsroom, admin, blog)
    assert result.token and result.invitation
    answers = await asyncio.gather(
        accounts.accept_invite(newsroom, result.token, PASSWORD),
        accounts.revoke_invitation(newsroom, admin, blog.slug, result.invitation.id),
        return_exceptions=True)
    won = [a for a in answers if not isinstance(a, Exception)]
    lost = [a for a in answers if isinstance(a, Exception)]
    assert len(won) == 1 and len(lost) == 1, answers
    assert isinstance(lost[0], (Conflict, accounts.InvitationClosed))
    nia_on_team = "Nia" in [p["name"] for p in await accounts.team(newsroom, admin,
                                                                    blog.slug)]
    assert nia_on_team is isinstance(won[0], accounts.Joined)


async def test_taking_someone_off_the_blog_voids_their_open_invitation(
        newsroom: Newsroom, admin: Actor, blog: Blog) -> None:
    result = await invited(newsroom, admin, blog)
    assert result.token
    await accounts.set_member_role(newsroom, admin, blog.slug, "Nia", None)
    assert await state_of(newsroom, result.token) is InvitationState.REVOKED


async def test_only_those_who_manage_the_team_see_reissue_or_revoke_and_nothing_changes(
        newsroom: Newsroom, admin: Actor, editor: Actor, contributor: Actor,
        blog: Blog) -> None:
    result = await invited(newsroom, admin, blog)
    assert result.token and result.invitation
    for who in (editor, contributor):
        with pytest.raises(PermissionDenied, match="cannot invite colleagues"):
            await accounts.reissue(newsroom, who, blog.slug, result.invitation.id)
        with pytest.raises(PermissionDenied):
            await accounts.revoke_invitation(newsroom, who, blog.slug, result.invitation.id)
        with pytest.raises(PermissionDenied):
            await accounts.invitations(newsroom, who, blog.slug)
    assert await count(newsroom, invitations) == 1
    assert await state_of(newsroom, result.token) is InvitationState.PENDING


async def test_an_invitation_is_managed_only_from_its_own_blog(
        newsroom: Newsroom, admin: Actor, blog: Blog) -> None:
    other = await blog_actions.create(newsroom, admin, {"slug": "flood", "title": "Flood"})
    result = await invited(newsroom, admin, blog)
    assert result.invitation
    with pytest.raises(NotFound, match="no invitation"):
        await accounts.revoke_invitation(newsroom, admin, other.slug, result.invitation.id)
    with pytest.raises(NotFound):
        await accounts.reissue(newsroom, admin, blog.slug, result.invitation.id + 1000)


async def test_a_blog_admin_cannot_send_a_link_for_someone_on_a_blog_they_do_not_manage(
        newsroom: Newsroom, admin: Actor, blog: Blog) -> None:
    """A link sets the password, and the password opens every blog the person is on."""
    other = await blog_actions.create(newsroom, admin, {"slug": "flood", "title": "Flood"})
    bo = await user_actions.create_user(newsroom, "Bo Blogadmin", Role.CONTRIBUTOR)
    await accounts.set_member_role(newsroom, admin, blog.slug, bo.name, "admin")
    mine = await accounts.invite(newsroom, bo, blog.slug, "Nia", "editor")
    assert mine.token and mine.invitation  # a new person, only on Bo's blog
    await accounts.invite(newsroom, admin, other.slug, "Nia", "admin")
    with pytest.raises(PermissionDenied, match="site admin"):
        await accounts.reissue(newsroom, bo, blog.slug, mine.invitation.id)
    assert (await accounts.reissue(newsroom, admin, blog.slug, mine.invitation.id)).token


async def test_the_link_names_every_blog_it_opens_and_who_invited_to_each(
        newsroom: Newsroom, admin: Actor, blog: Blog) -> None:
    other = await blog_actions.create(newsroom, admin,
                                      {"slug": "flood", "title": "Flood watch"})
    bo = await user_actions.create_user(newsroom, "Bo Blogadmin", Role.CONTRIBUTOR)
    await accounts.set_member_role(newsroom, admin, other.slug, bo.name, "admin")
    await accounts.invite(newsroom, bo, other.slug, "Nia", "contributor")
    result = await accounts.invite(newsroom, admin, blog.slug, "Nia", "editor")
    assert result.token
    page = await accounts.invitation_for(newsroom, result.token)
    assert page is not None
    assert [(who, b.title, b.role) for who, b in page.covers] == [
        (admin.name, "Storm", "editor"), ("Bo Blogadmin", "Flood watch", "contributor")]
    joined = await accounts.accept_invite(newsroom, result.token, PASSWORD)
    async with newsroom.db.read() as conn:
        assert (await as_member(conn, joined.signed.actor, other)).role is Role.CONTRIBUTOR


async def test_a_link_never_issued_is_nobodys(newsroom: Newsroom) -> None:
    for token in ("", "x" * 201, "not-a-real-link"):
        assert await accounts.invitation_for(newsroom, token) is None
    with pytest.raises(NotFound, match="not valid any more"):
        await accounts.accept_invite(newsroom, "not-a-real-link", PASSWORD)
    assert await count(newsroom, users) == 0 and await count(newsroom, sessions) == 0
