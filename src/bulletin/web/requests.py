"""Reading what a client sent: the actor behind a token, JSON bodies, version headers."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from bulletin.actions.newsroom import Newsroom
from bulletin.actions.users import authenticate
from bulletin.domain.errors import BulletinError, NotAuthenticated
from bulletin.domain.roles import Actor

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


async def actor(request: Request) -> Actor:
    """The person behind `Authorization: Bearer <token>`; every write needs one."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        raise NotAuthenticated("Sign in first: send 'Authorization: Bearer <your API token>'.")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("The Authorization header must be 'Bearer <your API token>'.")
    who = await authenticate(newsroom(request), token.strip())
    if who is None:
        raise NotAuthenticated("This API token is not valid (mistyped, or revoked). "
                               "Ask an admin for a new one: bulletin createuser NAME.")
    return who


async def json_body(request: Request, *, optional: bool = False) -> Any:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if optional and not body:
        return None
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise UnsupportedMediaType(
            f"Send JSON with 'Content-Type: application/json' (got {content_type or 'none'!r}).",
            field="Content-Type",
        )
    if len(body) > MAX_BODY:
        raise TooLarge(f"The request is {len(body) // 1024:,} KB; the limit is "
                       f"{MAX_BODY // 1024:,} KB.")
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BulletinError(f"The body is not valid JSON ({exc}).", code="invalid_json"
                            ) from None
