"""Photo uploads: `POST /api/v1/media`, and serving the stored files with immutable caching."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.types import Message

from bulletin.actions import profiles
from bulletin.actions.newsroom import as_member, blog_or_404
from bulletin.domain.errors import BulletinError, NotFound, ValidationError
from bulletin.domain.roles import Permission
from bulletin.media import images
from bulletin.media.photos import store_photo
from bulletin.media.storage import storage_for, valid_name
from bulletin.settings import Settings
from bulletin.web.requests import actor, newsroom

router = APIRouter()
MULTIPART_SLACK = 64 * 1024
IMMUTABLE = "public, max-age=31536000, immutable"
MIME = {"webp": "image/webp", "jpg": "image/jpeg"}


def _settings(request: Request) -> Settings:
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    return settings


def _too_large(limit: int) -> images.TooLarge:
    return images.TooLarge(f"The file is over the {limit / 1_048_576:.1f} MB upload limit.",
                           field="file")


def _capped(request: Request, limit: int) -> Request:
    """The same request, refused as soon as its body passes `limit` bytes: an upload sent
    without Content-Length (chunked) is never spooled to disk beyond the limit."""
    seen = 0

    async def receive() -> Message:
        nonlocal seen
        message = await request.receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise _too_large(limit - MULTIPART_SLACK)
        return message

    return Request(request.scope, receive)


async def read_form(request: Request, limit: int) -> tuple[dict[str, str], bytes | None]:
    """A multipart form's text fields and its 'file' (None when no file was chosen), the
    file refused with 413 as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + MULTIPART_SLACK:
        raise _too_large(limit)
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise BulletinError("Send the photo as multipart/form-data, in a field named 'file'.",
                            code="unsupported_media_type", field="file")
    async with _capped(request, limit + MULTIPART_SLACK).form(max_files=1, max_fields=10) as form:
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        upload = form.get("file")
        data = None
        if isinstance(upload, UploadFile) and (upload.filename or upload.size):
            data = await upload.read(limit + 1)
    if data is not None and len(data) > limit:
        raise _too_large(limit)
    return fields, data


async def _read_upload(request: Request, limit: int) -> tuple[str, bytes]:
    fields, data = await read_form(request, limit)
    blog = fields.get("blog", "")
    if not blog.strip():
        raise ValidationError("Say which blog the photo is for (form field 'blog').",
                              field="blog")
    if data is None:
        raise ValidationError("Attach the photo in a form field named 'file'.", field="file")
    return blog.strip(), data


@router.post("/api/v1/media")
async def upload(request: Request) -> JSONResponse:
    settings = _settings(request)
    who = await actor(request)
    slug, data = await _read_upload(request, settings.media_max_bytes)
    nr = newsroom(request)
    async with nr.db.read() as conn:
        blog = await blog_or_404(conn, slug)
        member = await as_member(conn, who, blog)
    member.require(Permission.WRITE_DRAFTS)
    photo = await store_photo(settings, data)
    return JSONResponse(photo.as_json(), status_code=201)


@router.put("/api/v1/account/photo", summary="Upload my byline photo")
async def account_photo(request: Request) -> JSONResponse:
    """The photo beside your name on every post: the centre square of the image, small,
    without its metadata. Multipart form, the image in a field named 'file'."""
    settings = _settings(request)
    who = await actor(request)
    _, data = await read_form(request, settings.media_max_bytes)
    if data is None:
        raise ValidationError("Attach the photo in a form field named 'file'.", field="file")
    changed = await profiles.set_photo(newsroom(request), settings, who, data)
    return JSONResponse(changed.to_json())


@router.get("/media/uploads/{name}")
async def serve(request: Request, name: str) -> Response:
    """A stored variant, cached for a year: a name never changes content."""
    ext = name.rpartition(".")[2]
    path = storage_for(_settings(request)).root / name
    if not valid_name(name) or ext not in MIME or not path.is_file():
        raise NotFound("There is no such file.")
    return FileResponse(path, media_type=MIME[ext],
                        headers={"Cache-Control": IMMUTABLE,
                                 "X-Content-Type-Options": "nosniff"})
