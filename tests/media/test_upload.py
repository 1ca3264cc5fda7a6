"""POST /api/v1/media: photos are checked by content, stripped of metadata and stored as
responsive variants; every bad file is a clear 4xx that leaves nothing on disk."""

from __future__ import annotations

import io
import zlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from bulletin.domain.roles import Role
from tests.conftest import App, running_app

GPS = 0x8825
ORIENTATION = 0x0112


def jpeg(width: int = 800, height: int = 600, *, gps: bool = False,
         orientation: int | None = None) -> bytes:
    img = Image.new("RGB", (width, height), (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if gps:
        exif[GPS] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    if orientation is not None:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def png_bomb(side: int = 20_000) -> bytes:
    """A 1-bit PNG claiming side × side pixels, a few kilobytes on disk."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return (len(data).to_bytes(4, "big") + body
                + zlib.crc32(body).to_bytes(4, "big"))
    header = side.to_bytes(4, "big") * 2 + bytes([1, 0, 0, 0, 0])
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data)
            + chunk(b"IEND", b""))


@pytest.fixture
async def uploads(sqlite_url: str, tmp_path: Path) -> AsyncIterator[App]:
    async for app in running_app(sqlite_url, tmp_path, media_max_bytes=2 * 1024 * 1024):
        yield app


async def writer(api: App, slug: str = "storm") -> str:
    admin = await api.token(Role.ADMIN)
    r = await api.client.post("/api/v1/blogs", headers=api.auth(admin),
                              json={"slug": slug, "title": "Storm night"})
    assert r.status_code == 201, r.text
    return await api.token(Role.CONTRIBUTOR)


def folder(api: App) -> Path:
    return Path(api.app.state.settings.data_dir) / "media" / "uploads"


def stored(api: App) -> list[Path]:
    root = folder(api)
    return sorted(root.iterdir()) if root.exists() else []


async def send(api: App, token: str, data: bytes, filename: str = "photo.jpg",
               content_type: str = "image/jpeg", blog: str = "storm") -> httpx.Response:
    return await api.client.post("/api/v1/media", headers=api.auth(token),
                                 data={"blog": blog},
                                 files={"file": (filename, data, content_type)})


async def test_a_photo_with_gps_tags_is_stored_without_any_metadata(uploads: App) -> None:
    token = await writer(uploads)
    original = jpeg(2400, 1600, gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS)  # the test file has GPS
    r = await send(uploads, token, original)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    assert (body["width"], body["height"]) == (2400, 1600)
    assert body["url"] == f"/media/uploads/{body['id']}-1280w.jpg"
    for mime in ("image/webp", "image/jpeg"):
        widths = [part.rsplit(" ", 1)[1] for part in body["srcset"][mime].split(", ")]
        assert widths == ["320w", "640w", "1280w", "2048w"]
    files = stored(uploads)
    assert len(files) == 8
    for path in files:
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as img:
            assert not img.getexif(), path.name
            assert "exif" not in img.info and "xmp" not in img.info, path.name
            assert "icc_profile" not in img.info, path.name
        assert b"PhoneMaker" not in data


@pytest.mark.parametrize(("fmt", "name", "mime"), [("HEIF", "IMG_0001.HEIC", "image/heic"),
                                                    ("AVIF", "PXL_0001.avif", "image/avif")])
async def test_phone_formats_are_taken_in_and_stripped_too(uploads: App, fmt: str, name: str,
                                                          mime: str) -> None:
    """iPhones shoot HEIC and many Android phones AVIF: both become WebP and JPEG variants
    without the phone's location."""
    token = await writer(uploads)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (20, 120, 200)).save(out, fmt, exif=exif.tobytes())
    original = out.getvalue()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS)  # the file has GPS
    r = await send(uploads, token, original, name, mime)
    assert r.status_code == 201, r.text
    assert (r.json()["width"], r.json()["height"]) == (1600, 1200)
    files = stored(uploads)
    assert sorted(p.suffix for p in files) == [".jpg"] * 4 + [".webp"] * 4
    for path in files:
        with Image.open(path) as img:
            assert not img.getexif(), path.name
        assert b"PhoneMaker" not in path.read_bytes()


async def test_served_variants_are_cached_for_a_year_and_never_sniffed(uploads: App) -> None:
    token = await writer(uploads)
    body = (await send(uploads, token, jpeg())).json()
    r = await uploads.client.get(body["url"])
    assert r.status_code == 200
    assert r.headers["content-type"] == "image/jpeg"
    assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert r.headers["x-content-type-options"] == "nosniff"
    webp = body["srcset"]["image/webp"].split(", ")[0].split(" ")[0]
    r = await uploads.client.get(webp)
    assert r.headers["content-type"] == "image/webp"
    assert (await uploads.client.get("/media/uploads/nothing-here.jpg")).status_code == 404


async def test_exif_orientation_is_applied_before_stripping(uploads: App) -> None:
    token = await writer(uploads)
    r = await send(uploads, token, jpeg(800, 600, orientation=6))
    assert r.status_code == 201, r.text
    assert (r.json()["width"], r.json()["height"]) == (600, 800)
    with Image.open(stored(uploads)[0]) as img:
        assert img.width < img.height


async def test_small_images_are_never_upscaled(uploads: App) -> None:
    token = await writer(uploads)
    body = (await send(uploads, token, jpeg(500, 300))).json()
    assert body["srcset"]["image/jpeg"].endswith("-500w.jpg 500w")
    assert body["url"].endswith("-500w.jpg")
    assert len(stored(uploads)) == 4


async def test_a_polyglot_is_re_encoded_so_no_script_survives(uploads: App) -> None:
    token = await writer(uploads)
    out = io.BytesIO()
    Image.new("P", (40, 30), 3).save(out, "GIF")
    polyglot = out.getvalue() + b"<html><script>alert(document.cookie)</script></html>"
    r = await send(uploads, token, polyglot, "x.gif", "image/gif")
    assert r.status_code == 201, r.text
    trailing = jpeg(300, 200) + b"<script>alert(1)</script>"
    assert (await send(uploads, token, trailing)).status_code == 201
    files = stored(uploads)
    assert files
    for path in files:
        assert b"<script" not in path.read_bytes().lower()


BAD_FILES = {
    "a text file renamed .jpg": (b"Just some notes, not a photo.\n" * 20, "notes.jpg"),
    "a truncated JPEG": (jpeg(800, 600)[:3000], "cut.jpg"),
    "a 0-byte file": (b"", "empty.jpg"),
    "an SVG with a script": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)'
                             b'</script><rect width="10" height="10"/></svg>', "x.svg"),
}


@pytest.mark.parametrize("what", list(BAD_FILES))
async def test_bad_files_are_refused_and_nothing_is_stored(uploads: App, what: str) -> None:
    token = await writer(uploads)
    data, name = BAD_FILES[what]
    r = await send(uploads, token, data, name)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["field"] == "file" and error["message"]
    assert stored(uploads) == []


@pytest.mark.parametrize("side", [20_000, 8_000])
async def test_a_decompression_bomb_is_refused(uploads: App, side: int) -> None:
    """Both are refused from the header alone, before a pixel is decoded (50 MP setting)."""
    token = await writer(uploads)
    bomb = png_bomb(side)
    assert len(bomb) < 100_000
    r = await send(uploads, token, bomb, "bomb.png", "image/png")
    assert r.status_code == 422, r.text
    assert "pixels" in r.json()["error"]["message"]
    assert stored(uploads) == []


async def test_a_file_over_the_size_limit_is_refused_with_413(
        sqlite_url: str, tmp_path: Path) -> None:
    async for api in running_app(sqlite_url, tmp_path, media_max_bytes=10_000):
        token = await writer(api)
        photo = jpeg(1200, 900) + b"\x00" * 20_000
        r = await send(api, token, photo)
        assert r.status_code == 413, r.text
        assert r.json()["error"]["code"] == "too_large"
        assert "limit" in r.json()["error"]["message"]
        assert stored(api) == []


BOUNDARY = "bulletin-test-boundary"


class ChunkedUpload:
    """A multipart body sent in chunks without Content-Length; counts what was read."""

    def __init__(self, chunk: bytes, chunks: int) -> None:
        self.chunk, self.chunks, self.sent = chunk, chunks, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"blog\"\r\n\r\n"
               f"storm\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; "
               f"filename=\"huge.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").encode()
        for _ in range(self.chunks):
            self.sent += len(self.chunk)
            yield self.chunk
        yield f"\r\n--{BOUNDARY}--\r\n".encode()


async def test_an_upload_without_content_length_is_cut_off_at_the_limit(
        sqlite_url: str, tmp_path: Path) -> None:
    """A chunked body is counted as it arrives: the server stops reading at the limit
    instead of spooling gigabytes to disk first."""
    async for api in running_app(sqlite_url, tmp_path, media_max_bytes=100_000):
        token = await writer(api)
        body = ChunkedUpload(b"\xff" * 65_536, 800)  # 50 MB if it were all read
        r = await api.client.post(
            "/api/v1/media", content=body,
            headers={**api.auth(token),
                     "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
        assert r.status_code == 413, r.text
        assert r.json()["error"]["field"] == "file"
        assert body.sent < 5_000_000  # stopped near the 100 kB limit
        assert stored(api) == []


async def test_uploading_needs_a_role_on_the_blog(uploads: App) -> None:
    await writer(uploads)
    r = await uploads.client.post("/api/v1/media", data={"blog": "storm"},
                                  files={"file": ("a.jpg", jpeg(), "image/jpeg")})
    assert r.status_code == 401
    nobody = await uploads.token(Role.CONTRIBUTOR)
    assert (await send(uploads, nobody, jpeg(), blog="nowhere")).status_code == 404
    assert stored(uploads) == []
