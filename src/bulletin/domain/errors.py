"""Errors that every door (API, CLI, editor, scheduler) reports the same way."""

from __future__ import annotations

from typing import Any


class BulletinError(Exception):
    """Base class: a code a program can branch on and a message a person can act on."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code


class ValidationError(BulletinError):
    status = 422
    code = "invalid"


class NotFound(BulletinError):
    status = 404
    code = "not_found"


class PermissionDenied(BulletinError):
    status = 403
    code = "forbidden"


class NotAuthenticated(BulletinError):
    status = 401
    code = "unauthenticated"


class Conflict(BulletinError):
    """A write based on an old version: carries the current state so nothing is overwritten."""

    status = 409
    code = "conflict"

    def __init__(self, message: str, *, current: Any = None, field: str | None = None):
        super().__init__(message, field=field)
        self.current = current


class PreconditionRequired(BulletinError):
    status = 428
    code = "precondition_required"


class BlogEnded(BulletinError):
    status = 409
    code = "blog_ended"
