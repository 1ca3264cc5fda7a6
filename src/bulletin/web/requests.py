"""Reading what a client sent: the actor behind a token, JSON bodies, version headers."""

from __future__ import annotations

import json
import re
import secrets
from typing import Any

from fastapi import Request

from bulletin.actions import accounts
from bulletin.actions.newsroom import Newsroom
from bulletin.actions.users import authenticate
from bulletin.domain.errors import BulletinError, NotAuthenticated, ValidationError
from bulletin.domain.roles import Actor
from bulletin.store.sessions import Session

MAX_BODY = 1024 * 1024


class TooLarge(BulletinError):
    status = 413
    code = "too_large"


class UnsupportedMediaType(BulletinError):
    status = 415
    code = "unsupported_media_type"


def newsroom(request: Request) -> Newsroom:
    nr = request.app.state.newsroom
    assert isinstance(nr, Newsroom)
    return nr


SESSION_COOKIE = "bulletin_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfRejected(BulletinError):
    status = 403
    code = "csrf"


async def signed_in(request: Request) -> Session | None:
    """The browser session behind the cookie, if any (no CSRF check: for reading)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    return await accounts.session(newsroom(request), token)


def check_csrf(request: Request, session: Session, sent: str | None) -> None:
    if not sent or not secrets.compare_digest(sent, session.csrf_token):
        raise CsrfRejected("This page is out of date or the request came from another site "
                           "(missing or wrong CSRF token). Reload the page and try again.",
                           field=CSRF_HEADER)


async def actor(request: Request) -> Actor:
    """The person behind a write: `Authorization: Bearer <token>` for scripts, or the
    session cookie for browsers — then every unsafe request must carry the CSRF token."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        session = await signed_in(request)
        if session is None:
            raise NotAuthenticated(
                "Sign in first (at /login), or send 'Authorization: Bearer <your API token>'.")
        if request.method not in SAFE_METHODS:
            check_csrf(request, session, request.headers.get(CSRF_HEADER))
        return session.actor
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("The Authorization header must be 'Bearer <your API token>'.")
    who = await authenticate(newsroom(request), token.strip())
    if who is None:
        raise NotAuthenticated("This API token is not valid (mistyped, or revoked). "
                               "Ask an admin for a new one: bulletin createuser NAME.")
    return who


async def _read_capped(request: Request) -> bytes:
    """The body, refused with 413 as soon as it is known to exceed MAX_BODY (from
    Content-Length, or while streaming) rather than after buffering all of it."""
    too_large = TooLarge(f"The request body is over the {MAX_BODY // (1024 * 1024)} MB limit; "
                         "send a smaller post or split it into several.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


async def json_body(request: Request, *, optional: bool = False) -> Any:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await _read_capped(request)
    if optional and not body:
        return None
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise UnsupportedMediaType(
            f"Send JSON with 'Content-Type: application/json' (got {content_type or 'none'!r}).",
            field="Content-Type",
        )
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BulletinError(f"The body is not valid JSON ({exc}).", code="invalid_json"
                            ) from None
    except RecursionError:
        raise BulletinError("The JSON body is nested too deeply to be a post or a blog.",
                            code="invalid_json") from None
    if _SURROGATE_ESCAPE.search(body):  # rare: only then look for one left unpaired
        try:
            where = _unpaired_surrogate(value)
        except RecursionError:
            raise BulletinError("The JSON body is nested too deeply to be a post or a blog.",
                                code="invalid_json") from None
        if where is not None:
            raise ValidationError(
                "This text has a broken character (half of an emoji or symbol: an unpaired "
                "surrogate). Retype it or paste it again.", code="invalid_text",
                field=where or None)
    return value


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _unpaired_surrogate(value: Any, path: str = "") -> str | None:
    """The dotted path of the first string (or key) holding a lone surrogate, which no
    database can store; "" for the top level, None when there is none."""
    if isinstance(value, str):
        return path if _LONE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if _LONE.search(key):
                return path  # never echo the broken key: no JSON encoder could send it
            inner = f"{path}.{key}" if path else str(key)
            found = _unpaired_surrogate(item, inner)
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _unpaired_surrogate(item, f"{path}.{index}" if path else str(index))
            if found is not None:
                return found
    return None


_LONE = re.compile("[\ud800-\udfff]")
