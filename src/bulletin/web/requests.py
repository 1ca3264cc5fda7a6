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
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BulletinError(f"The body is not valid JSON ({exc}).", code="invalid_json"
                            ) from None
    except RecursionError:
        raise BulletinError("The JSON body is nested too deeply to be a post or a blog.",
                            code="invalid_json") from None
