"""Signing in and out, passwords, invitations and per-blog roles.

Passwords are hashed with argon2id (in a worker thread: hashing is deliberately slow).
Failed sign-ins are counted per (name, address) and per address; past the limits within
the window, sign-in is refused for a while, whatever the password.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bulletin.actions.newsroom import Newsroom, as_member, audit, blog_or_404
from bulletin.actions.users import hash_token, new_token, validate_name
from bulletin.domain.errors import BulletinError, NotAuthenticated, NotFound, ValidationError
from bulletin.domain.roles import Actor, Permission, Role
from bulletin.store import sessions as session_rows
from bulletin.store import users as user_rows
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
    token, csrf = new_token(), secrets.token_urlsafe(32)
    async with nr.db.transaction() as conn:
        await session_rows.clear_failures(conn, name)
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


async def invite(nr: Newsroom, actor: Actor, slug: str, name: object, role: object
                 ) -> str | None:
    """Give a colleague a role on this blog. New colleagues get a one-time link to set
    their password; the returned token is that link's secret. Someone who already has an
    account gets the role and no link (None): whoever holds a link sets the password, so
    an admin of one blog must not get one for a colleague's account. Site admins may
    send a new link to someone who never chose a password (a lost invitation)."""
    who = validate_name(name)
    wanted = _role(role)
    async with nr.db.transaction() as conn:
        blog = await blog_or_404(conn, slug)
        (await as_member(conn, actor, blog)).require(Permission.MANAGE_MEMBERS)
        user = await user_rows.get_by_name(conn, who)
        now = nr.now()
        needs_link = user is None
        if user is None:
            user = await user_rows.insert_user(conn, who, None, now)
        elif await user_rows.password_hash(conn, user.id) is None:
            site = await user_rows.get_by_id(conn, actor.id)
            needs_link = site is not None and site.can(Permission.MANAGE_USERS)
        await user_rows.set_blog_role(conn, blog.id, user.id, wanted, now)
        token = new_token() if needs_link else None
        if token is not None:
            await user_rows.insert_token(conn, user.id, hash_token(token), user_rows.INVITE,
                                         now)
        await audit(conn, actor, blog.id, "member.invited", now, detail=f"{who} as {wanted}")
    return token


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
        await audit(conn, actor, blog.id, "member.role", now,
                    detail=f"{name}: {wanted or 'removed'}")


INVITE_GONE = "This invitation link is not valid any more; ask for a new one."


async def invited(nr: Newsroom, token: str) -> Actor | None:
    """Who an invitation link is for, while it is unused."""
    if not token or len(token) > 200:
        return None
    async with nr.db.read() as conn:
        found = await user_rows.user_for_invite(conn, hash_token(token))
    return found[1] if found else None


async def accept_invite(nr: Newsroom, token: str, password: str) -> Actor:
    validate_password(password)
    async with nr.db.read() as conn:
        found = await user_rows.user_for_invite(conn, hash_token(token))
    if found is None:
        raise NotFound(INVITE_GONE)
    token_id, user = found
    digest = await asyncio.to_thread(_hasher.hash, password)
    async with nr.db.transaction() as conn:
        # Used up and the password set together: of two uses at once, only one gets here.
        if not await user_rows.revoke_token(conn, token_id, None, nr.now()):
            raise NotFound(INVITE_GONE)
        await user_rows.set_password_hash(conn, user.id, digest)
    return user


def _role(value: object) -> Role:
    try:
        return Role(str(value))
    except ValueError:
        raise ValidationError("Role must be admin, editor or contributor.",
                              field="role") from None
