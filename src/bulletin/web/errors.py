"""One error shape for every API answer: {"error": {"code", "message", "field"}}."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, JSONResponse, Response

from bulletin.domain.errors import BulletinError, Conflict, NotAuthenticated
from bulletin.render.templating import environment

_HTTP_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 406: "not_acceptable", 409: "conflict",
               413: "too_large", 415: "unsupported_media_type", 422: "invalid",
               428: "precondition_required", 429: "too_many_requests"}
_HTTP_MESSAGES = {404: "There is nothing at this address.",
                  405: "This address does not accept that method."}


def error_body(code: str, message: str, field: str | None = None, **extra: Any
               ) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field}, **extra}


def wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path.endswith(("/changes", "/live")):
        return False
    return "text/html" in request.headers.get("accept", "")


def _page(request: Request, status: int, message: str) -> HTMLResponse:
    html = environment().get_template("error.html").render(status=status, message=message)
    return HTMLResponse(html, status_code=status)


async def bulletin_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BulletinError)
    if wants_html(request):
        return _page(request, exc.status, exc.message)
    extra: dict[str, Any] = {}
    if isinstance(exc, Conflict) and exc.current is not None:
        extra["current"] = exc.current
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, NotAuthenticated) else None
    return JSONResponse(error_body(exc.code, exc.message, exc.field, **extra),
                        status_code=exc.status, headers=headers)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = _HTTP_MESSAGES.get(exc.status_code) or str(exc.detail)
    if wants_html(request):
        return _page(request, exc.status_code, message)
    return JSONResponse(
        error_body(_HTTP_CODES.get(exc.status_code, "error"), message),
        status_code=exc.status_code, headers=getattr(exc, "headers", None),
    )


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {}
    location = [str(p) for p in first.get("loc", ()) if p not in ("path", "query", "body")]
    field = ".".join(location) or None
    message = f"{field or 'The request'}: {first.get('msg', 'is not valid')}."
    kind, bounds = first.get("type"), first.get("ctx") or {}
    if kind in ("int_parsing", "int_type"):
        message = f"{field} must be a whole number."
    elif kind == "greater_than_equal":
        message = f"{field} must be a whole number of at least {bounds.get('ge')}."
    elif kind == "less_than_equal":
        message = f"{field} must be a whole number no larger than {bounds.get('le')}."
    if wants_html(request):
        return _page(request, 422, message)
    return JSONResponse(error_body("invalid", message, field), status_code=422)


async def unexpected_error(request: Request, exc: Exception) -> Response:
    return JSONResponse(
        error_body("internal", "Something went wrong on our side; nothing was saved. "
                               "Try again, and tell the site's team if it keeps happening."),
        status_code=500,
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(BulletinError, bulletin_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, unexpected_error)
