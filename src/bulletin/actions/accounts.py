"""Signing in and out, passwords, invitations (pending, accepted, expired, revoked,
replaced) and per-blog roles.

Passwords are hashed with argon2id (in a worker thread: hashing is deliberately slow).
Failed sign-ins are counted per (name, address) and per address; past the limits within
the window, sign-in is refused for a while, whatever the password.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.ext.asyncio import AsyncConnection

from bulletin.actions.newsroom import Newsroom, as_member, audit, blog_or_404
from bulletin.actions.users import hash_token, new_token, validate_name
from bulletin.domain.errors import (
    BulletinError,
    Conflict,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from bulletin.domain.invitations import LIFETIME as INVITE_LIFETIME
from bulletin.domain.invitations import Invitation, InvitationState
from bulletin.domain.roles import Actor, Permission, Role
from bulletin.store import blogs as blog_rows
from bulletin.store import invitations as invitation_rows
from bulletin.store import sessions as session_rows
from bulletin.store import users as user_rows
from bulletin.store.invitations import Covered
from bulletin.store.sessions import Session

MIN_PASSWORD = 10
MAX_PASSWORD = 1024
MAX_FAILURES = 5  # for one name from one address: a stranger elsewhere cannot lock you out
MAX_FAILURES_PER_ADDRESS = 20  # for any names from one address: no spraying either
THROTTLE_WINDOW = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(days=14)
_hasher = PasswordHasher()  # argon2id with the library's recommended parameters
_DUMMY = _hasher.hash("not a real password, only for constant-time refusals")


class TooManyAttempts(BulletinError):
    status = 429
    code = "too_many_attempts"


@dataclass(frozen=True, slots=True)
class SignedIn:
    token: str  # goes into the session cookie; only its digest is stored
    csrf_token: str
    actor: Actor


def validate_password(password: object) -> str:
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise ValidationError(f"A password needs at least {MIN_PASSWORD} characters.",
                              field="password")
    return password


async def set_password(nr: Newsroom, user: Actor, password: str) -> None:
    digest = await asyncio.to_thread(_hasher.hash, validate_password(password))
    async with nr.db.transaction() as conn:
        await user_rows.set_password_hash(conn, user.id, digest)


async def _verify(digest: str | None, password: str) -> bool:
    try:
        return await asyncio.to_thread(_hasher.verify, digest or _DUMMY, password) and bool(
            digest)
    except (VerificationError, InvalidHashError):
        return False


async def sign_in(nr: Newsroom, name: str, password: str, *, address: str,
                  user_agent: str) -> SignedIn:
    now = nr.now()
    async with nr.db.transaction() as conn:
        await session_rows.lock_attempts(conn, address)
        pair, total = await session_rows.recent_failures(conn, name, address,
                                                         now - THROTTLE_WINDOW)
        if pair >= MAX_FAILURES or total >= MAX_FAILURES_PER_ADDRESS:
            minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
            raise TooManyAttempts(f"Too many failed sign-ins. Wait {minutes} minutes, or ask "
                                  "an admin to reset your password.")
        # Counted as a failure until the password proves right (then cleared): guesses sent
        # in parallel cannot all slip past the limit while the slow hash is checked.
        await session_rows.record_failure(conn, name, address, now)
    async with nr.db.read() as conn:
        user = await user_rows.get_by_name(conn, name)
        digest = await user_rows.password_hash(conn, user.id) if user else None
    verified = await _verify(digest, password)  # also for unknown names: same cost, no hint
    if user is None or not verified:
        raise NotAuthenticated("Wrong name or password.", field="password")
    async with nr.db.transaction() as conn:
        await session_rows.clear_failures(conn, name)
        return await _open_session(conn, user, now, address=address, user_agent=user_agent)


async def _open_session(conn: AsyncConnection, user: Actor, now: datetime, *, address: str,
                        user_agent: str) -> SignedIn:
    token, csrf = new_token(), secrets.token_urlsafe(32)
    session_id = await session_rows.insert_session(
        conn, user.id, hash_token(token), csrf, now, now + SESSION_LIFETIME, user_agent)
    signed = Actor(user.id, user.name, user.role, via=f"session {session_id}")
    await audit(conn, signed, None, "user.signed_in", now, detail=address)
    return SignedIn(token=token, csrf_token=csrf, actor=signed)


async def tidy(nr: Newsroom) -> tuple[int, int]:
    """Forget expired sessions and failed sign-ins older than the throttle window (both
    are useless by then, and the tables would only grow); returns how many of each."""
    now = nr.now()
    async with nr.db.transaction() as conn:
        return await session_rows.forget_stale(conn, now, now - THROTTLE_WINDOW)


async def session(nr: Newsroom, token: str) -> Session | None:
    if not token or len(token) > 200:
        return None
    async with nr.db.read() as conn:
        return await session_rows.session_for(conn, hash_token(token), nr.now())


async def sign_out(nr: Newsroom, token: str) -> None:
    async with nr.db.transaction() as conn:
        await session_rows.delete_session(conn, hash_token(token))


@dataclass(frozen=True, slots=True)
class Invited:
    """The result of inviting someone: the link's secret (shown once: only its digest is
    kept) and the invitation, or neither when the person already has an account."""

    token: str | None
    invitation: Invitation | None


async def _may_send_link(conn: AsyncConnection, actor: Actor, user: Actor) -> bool:
    """Whoever holds a link sets the account's password. A site admin may always send one
    to someone who never chose a password; a blog's admin only to a person without a site
    role whose every blog is one that admin manages: no admin of one blog can take over a
    colleague's account on another."""
    site = await user_rows.get_by_id(conn, actor.id)
    if site is not None and site.can(Permission.MANAGE_USERS):
        return True
    if user.role is not None:
        return False
    for blog_id in await invitation_rows.blog_ids_of(conn, user.id):
        blog = await blog_rows.get_by_id(conn, blog_id)
        if blog is None or not (await as_member(conn, actor, blog)).can(
                Permission.MANAGE_MEMBERS):
            return False
    return True


async def _issue_link(conn: AsyncConnection, actor: Actor, blog_id: int, user_id: int,
                      role: Role, now: datetime) -> tuple[str, Invitation]:
    """A fresh link for this person on this blog; any open one it replaces stops working."""
    token = new_token()
    earlier = await invitation_rows.pending_for(conn, blog_id, user_id, now)
    new_id = await invitation_rows.insert_invitation(
        conn, blog_id=blog_id, user_id=user_id, inviter_id=actor.id, role=role.value,
        token_hash=hash_token(token), now=now, expires_at=now + INVITE_LIFETIME)
    for old in earlier:
        await invitation_rows.close(conn, old, now, replaced_by=new_id)
    invitation = await invitation_rows.get(conn, new_id)
    assert invitation is not None
    return token, invitation


async def invite(nr: Newsroom, actor: Actor, slug: str, name: object, role: object
                 ) -> Invited:
    """Give a colleague a role on this blog. New colleagues get a one-time link to set
    their password, valid for a week; someone who already has an account gets the role and
    no link (see `_may_send_link` for a lost invitation)."""
    who = validate_name(name)
    wanted = _role(role)
    async with nr.db.transaction() as conn:
        blog = await blog_or_404(conn, slug)
        manager = await as_member(conn, actor, blog)
        manager.require(Permission.MANAGE_MEMBERS)
        user = await user_rows.get_by_name(conn, who)
        now = nr.now()
        needs_link = user is None
        if user is None:
            user = await user_rows.insert_user(conn, who, None, now)
        elif await user_rows.password_hash(conn, user.id) is None:
            needs_link = await _may_send_link(conn, manager, user)
        await user_rows.set_blog_role(conn, blog.id, user.id, wanted, now)
        token, invitation = None, None
        if needs_link:
            token, invitation = await _issue_link(conn, manager, blog.id, user.id, wanted, now)
        await audit(conn, manager, blog.id, "member.invited", now, detail=f"{who} as {wanted}")
    return Invited(token, invitation)


async def team(nr: Newsroom, actor: Actor, slug: str) -> list[dict[str, Any]]:
    """The people on this blog, each with their latest invitation from this blog while they
    have not joined (set a password): the team page marks them "Invitation pending"."""
    async with nr.db.read() as conn:
        blog = await blog_or_404(conn, slug)
        (await as_member(conn, actor, blog)).require(Permission.SEE_NEWSROOM)
        people = await user_rows.members(conn, blog.id)
        sent = await invitation_rows.for_blog(conn, blog.id)
    now = nr.now()
    latest: dict[int, Invitation] = {}
    for invitation in sent:  # newest first
        latest.setdefault(invitation.user_id, invitation)
    for person in people:
        found = None if person["joined"] else latest.get(person["id"])
        person["invitation"] = found.to_json(now) if found else None
    return people


async def invitations(nr: Newsroom, actor: Actor, slug: str) -> list[Invitation]:
    """Every invitation sent for this blog, newest first (up to 500)."""
    async with nr.db.read() as conn:
        blog = await blog_or_404(conn, slug)
        (await as_member(conn, actor, blog)).require(Permission.MANAGE_MEMBERS)
        return await invitation_rows.for_blog(conn, blog.id)


async def _invitation_on(conn: AsyncConnection, actor: Actor, slug: str,
                         invitation_id: int) -> tuple[Actor, Invitation]:
    blog = await blog_or_404(conn, slug)
    manager = await as_member(conn, actor, blog)
    manager.require(Permission.MANAGE_MEMBERS)
    invitation = await invitation_rows.get(conn, invitation_id)
    if invitation is None or invitation.blog_id != blog.id:
        raise NotFound(f"There is no invitation {invitation_id} on this blog.",
                       field="invitation_id")
    return manager, invitation


_NOT_OPEN = {
    InvitationState.ACCEPTED: "{name} has already used this invitation and signs in as usual.",
    InvitationState.REVOKED: "This invitation was withdrawn. Invite {name} again to send a "
                             "new link.",
    InvitationState.REPLACED: "A newer link has replaced this one; use that invitation.",
}


async def reissue(nr: Newsroom, actor: Actor, slug: str, invitation_id: int) -> Invited:
    """A new link for a pending or expired invitation. Only the digest of a link is kept,
    so the old link cannot be shown again: it stops working and the new one is valid for
    another week, for the role the person has on this blog now."""
    async with nr.db.transaction() as conn:
        manager, invitation = await _invitation_on(conn, actor, slug, invitation_id)
        now = nr.now()
        state = invitation.state(now)
        if state in _NOT_OPEN:
            raise Conflict(_NOT_OPEN[state].format(name=invitation.name),
                           field="invitation_id")
        user = await user_rows.get_by_id(conn, invitation.user_id)
        assert user is not None
        if await user_rows.password_hash(conn, user.id) is not None:
            raise Conflict(f"{user.name} has set a password already and signs in as usual.",
                           field="invitation_id")
        role = await user_rows.blog_role(conn, invitation.blog_id, user.id)
        if role is None:
            raise Conflict(f"{user.name} is no longer on this blog; invite them again.",
                           field="invitation_id")
        if not await _may_send_link(conn, manager, user):
            raise PermissionDenied(f"{user.name} also works on blogs you do not manage; ask "
                                   "a site admin to send the new link.")
        token, fresh = await _issue_link(conn, manager, invitation.blog_id, user.id, role, now)
        if state is InvitationState.EXPIRED:  # _issue_link replaces only open links
            await invitation_rows.close(conn, invitation.id, now, replaced_by=fresh.id)
        await audit(conn, manager, invitation.blog_id, "member.invite_reissued", now,
                    detail=f"{user.name} as {role}")
    return Invited(token, fresh)


async def revoke_invitation(nr: Newsroom, actor: Actor, slug: str, invitation_id: int
                            ) -> Invitation:
    """Withdraw an invitation: its link stops working at once, and the person leaves this
    blog's team if they never set a password (they had not joined yet)."""
    async with nr.db.transaction() as conn:
        manager, invitation = await _invitation_on(conn, actor, slug, invitation_id)
        now = nr.now()
        state = invitation.state(now)
        if state in _NOT_OPEN or not await invitation_rows.close(conn, invitation.id, now):
            raise Conflict(_NOT_OPEN.get(state, _NOT_OPEN[InvitationState.ACCEPTED]).format(
                name=invitation.name), field="invitation_id")
        if await user_rows.password_hash(conn, invitation.user_id) is None:
            await user_rows.set_blog_role(conn, invitation.blog_id, invitation.user_id, None,
                                          now)
        await audit(conn, manager, invitation.blog_id, "member.invite_revoked", now,
                    detail=invitation.name)
        closed = await invitation_rows.get(conn, invitation.id)
    assert closed is not None
    return closed


async def set_member_role(nr: Newsroom, actor: Actor, slug: str, name: str, role: object
                          ) -> None:
    wanted = None if role is None else _role(role)
    async with nr.db.transaction() as conn:
        blog = await blog_or_404(conn, slug)
        (await as_member(conn, actor, blog)).require(Permission.MANAGE_MEMBERS)
        user = await user_rows.get_by_name(conn, name)
        if user is None:
            raise NotFound(f"There is no user called {name!r}.", field="name")
        now = nr.now()
        await user_rows.set_blog_role(conn, blog.id, user.id, wanted, now)
        if wanted is None:  # taken off the blog: an open invitation to it is void too
            for open_id in await invitation_rows.pending_for(conn, blog.id, user.id, now):
                await invitation_rows.close(conn, open_id, now)
        await audit(conn, actor, blog.id, "member.role", now,
                    detail=f"{name}: {wanted or 'removed'}")


INVITE_GONE = ("This invitation link is not valid any more: it may be mistyped, or a newer "
               "link replaced it. Ask the colleague who invited you for a new link.")


class InvitationClosed(BulletinError):
    """The link was used, withdrawn, replaced or ran out: the invite page says which."""

    status = 410
    code = "invitation_closed"


@dataclass(frozen=True, slots=True)
class InvitePage:
    """What an invitation link's page shows: the invitation, its state, and every blog the
    password will open, each with who invited the person and as what."""

    invitation: Invitation
    state: InvitationState
    covers: list[tuple[str | None, Covered]]


async def invitation_for(nr: Newsroom, token: str) -> InvitePage | None:
    """The invitation behind a link, in whatever state, or None for a link never issued."""
    if not token or len(token) > 200:
        return None
    async with nr.db.read() as conn:
        invitation = await invitation_rows.by_token(conn, hash_token(token))
        if invitation is None:
            return None
        blogs = await invitation_rows.memberships_of(conn, invitation.user_id)
        sent = await invitation_rows.for_user(conn, invitation.user_id)
    by_blog = {i.blog_slug: i.inviter for i in sent}  # oldest first: the latest wins
    by_blog[invitation.blog_slug] = invitation.inviter
    covers = [(by_blog.get(b.slug), b) for b in blogs]
    covers.sort(key=lambda c: c[1].slug != invitation.blog_slug)  # this link's blog first
    return InvitePage(invitation, invitation.state(nr.now()), covers)


@dataclass(frozen=True, slots=True)
class Joined:
    signed: SignedIn
    slug: str  # the blog the link was for, where the newcomer starts ("": not on it now)


async def accept_invite(nr: Newsroom, token: str, password: str, *, address: str = "",
                        user_agent: str = "") -> Joined:
    """Set the password through the link and sign the newcomer in: they just proved they
    hold the link and chose the password, so asking for both again at once would only
    slow down someone joining a story on deadline."""
    validate_password(password)
    page = await invitation_for(nr, token)
    if page is None:
        raise NotFound(INVITE_GONE)
    if page.state is not InvitationState.PENDING:
        raise InvitationClosed(closed_message(page.invitation, page.state))
    invitation = page.invitation
    digest = await asyncio.to_thread(_hasher.hash, password)
    now = nr.now()
    async with nr.db.transaction() as conn:
        # Used up and the password set together: of two uses at once, only one gets here.
        if not await invitation_rows.accept(conn, invitation.id, invitation.user_id, now):
            raise InvitationClosed(INVITE_GONE)
        user = await user_rows.get_by_id(conn, invitation.user_id)
        assert user is not None
        await user_rows.set_password_hash(conn, user.id, digest)
        await audit(conn, user, invitation.blog_id, "member.joined", now,
                    detail=f"{user.name} as {invitation.role}")
        signed = await _open_session(conn, user, now, address=address, user_agent=user_agent)
        still_on = await user_rows.blog_role(conn, invitation.blog_id, user.id) is not None
    return Joined(signed, invitation.blog_slug if still_on else "")


def closed_message(invitation: Invitation, state: InvitationState) -> str:
    who = invitation.inviter or "the colleague who invited you"
    if state is InvitationState.ACCEPTED:
        return (f"This invitation has been used already: {invitation.name} has a password. "
                "Sign in with that name, or ask an admin to reset the password.")
    if state is InvitationState.EXPIRED:
        return f"This invitation has expired. Ask {who} for a new link."
    if state is InvitationState.REPLACED:
        return (f"A newer link has replaced this one. Use the newest link {who} sent you, "
                "or ask for a new one.")
    return (f"{who[0].upper()}{who[1:]} withdrew this invitation. If you think that is a "
            "mistake, ask them for a new link.")


def _role(value: object) -> Role:
    try:
        return Role(str(value))
    except ValueError:
        raise ValidationError("Role must be admin, editor or contributor.",
                              field="role") from None
