"""Bylines: a person sets a display role and a photo on their account (API or the account
page's form); every reader surface and live payload shows photo + name + role, read from the
account when the post is shown, and a person without a photo keeps the initials."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest
from PIL import Image

from bulletin.domain.roles import Role
from bulletin.media.storage import storage_for
from bulletin.store.media import referenced_uploads
from tests.conftest import App
from tests.render.test_sanitize import inspect
from tests.web.test_sessions import assert_error, form_value, signed_in, user

TEXT = {"blocks": [{"kind": "text", "html": "<p>The bridge is closed.</p>"}]}


def jpeg(width: int, height: int, *, exif: bool = False) -> bytes:
    img = Image.new("RGB", (width, height), (200, 40, 40))
    side = (width - height) // 2  # blue bands beyond the centre square of a landscape photo
    if side > 0:
        img.paste((20, 20, 200), (0, 0, side, height))
        img.paste((20, 20, 200), (width - side, 0, width, height))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x8825] = {1: "N", 2: (52.0, 31.0, 0.0)}  # GPS
        img.save(out, "JPEG", exif=data)
    else:
        img.save(out, "JPEG")
    return out.getvalue()


async def blog_with_post(api: App, token: str, slug: str = "storm") -> dict[str, Any]:
    r = await api.client.post("/api/v1/blogs", headers=api.auth(token),
                              json={"slug": slug, "title": "Storm night"})
    assert r.status_code == 201, r.text
    r = await api.client.post(f"/api/v1/blogs/{slug}/posts", headers=api.auth(token),
                              json=TEXT)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def upload_photo(api: App, token: str, data: bytes, name: str = "me.jpg"
                       ) -> httpx.Response:
    return await api.client.put("/api/v1/account/photo", headers=api.auth(token),
                                files={"file": (name, data, "image/jpeg")})


async def test_a_journalist_sets_a_role_and_every_reader_surface_shows_it(api: App) -> None:
    token = await api.token(Role.ADMIN, "Amira Haddad")
    post = await blog_with_post(api, token)
    r = await api.client.get("/api/v1/account", headers=api.auth(token))
    assert r.json() == {"id": r.json()["id"], "name": "Amira Haddad", "title": "",
                        "photo_url": None}

    r = await api.client.patch("/api/v1/account", headers=api.auth(token),
                               json={"title": "  Political correspondent "})
    assert r.status_code == 200, r.text
    assert r.json()["title"] == "Political correspondent"

    # The post was published before the change: the byline is read from the account now.
    for path in ("/blogs/storm", f"/blogs/storm/posts/{post['id']}", "/blogs/storm/embed"):
        page = (await api.client.get(path)).text
        byline = page.split('class="post__byline"', 1)[1].split("</footer>", 1)[0]
        assert '<span class="post__author">Amira Haddad</span>' in byline, path
        assert '<span class="post__role">Political correspondent</span>' in byline, path
        assert '<span class="avatar" aria-hidden="true">AH</span>' in byline, path  # no photo
    r = await api.client.get(f"/api/v1/blogs/storm/posts/{post['id']}")
    assert r.json()["author"]["title"] == "Political correspondent"
    assert "Political correspondent" in r.json()["html"]

    # A post published now carries it in its live payload too.
    r = await api.client.post("/api/v1/blogs/storm/posts", headers=api.auth(token), json=TEXT)
    changes = (await api.client.get("/blogs/storm/changes", params={"since": 1})).json()
    live = next(e["data"] for e in changes["events"] if e["data"]["id"] == r.json()["id"])
    assert '<span class="post__role">Political correspondent</span>' in live["html"]

    r = await api.client.patch("/api/v1/account", headers=api.auth(token), json={"title": ""})
    page = (await api.client.get("/blogs/storm")).text
    assert "post__role" not in page


async def test_a_photo_becomes_a_small_square_without_its_metadata(api: App) -> None:
    token = await api.token(Role.EDITOR, "Sam Reporter")
    await api.client.post("/api/v1/blogs", headers=api.auth(await api.token(Role.ADMIN)),
                          json={"slug": "storm", "title": "Storm night"})
    r = await upload_photo(api, token, jpeg(1200, 800, exif=True))
    assert r.status_code == 200, r.text
    url = r.json()["photo_url"]
    assert url.startswith("/media/uploads/") and url.endswith(".jpg")
    stored = await api.client.get(url)
    assert stored.status_code == 200
    with Image.open(io.BytesIO(stored.content)) as img:
        assert img.size == (160, 160)  # the centre square, small
        assert not img.getexif() and "exif" not in img.info
        for x in (1, 80, 158):  # the centre square: the blue bands at the sides are gone
            red, _, blue = img.getpixel((x, 80))
            assert red > 150 and blue < 100, (x, img.getpixel((x, 80)))
    r = await api.client.post("/api/v1/blogs/storm/posts", headers=api.auth(token), json=TEXT)
    assert r.json()["author"]["photo_url"] == url
    doc = inspect((await api.client.get("/blogs/storm")).text, page=True)
    assert not doc.problems
    page = (await api.client.get("/blogs/storm")).text
    assert (f'<img class="avatar avatar--photo" src="{url}" alt="" width="40" height="40"'
            in page)
    # Kept by `bulletin prune-media`: it is in use, though no post names it.
    async with api.newsroom.db.read() as conn:
        assert url.split("/")[-1][:32] in await referenced_uploads(conn)

    r = await api.client.delete("/api/v1/account/photo", headers=api.auth(token))
    assert r.status_code == 200 and r.json()["photo_url"] is None
    page = (await api.client.get("/blogs/storm")).text
    assert "avatar--photo" not in page
    assert '<span class="avatar" aria-hidden="true">SR</span>' in page


async def test_a_small_photo_is_not_upscaled(api: App) -> None:
    token = await api.token(Role.CONTRIBUTOR)
    r = await upload_photo(api, token, jpeg(90, 120))
    assert r.status_code == 200, r.text
    stored = await api.client.get(r.json()["photo_url"])
    with Image.open(io.BytesIO(stored.content)) as img:
        assert img.size == (90, 90)
    files = [f.name for f in await storage_for(api.app.state.settings).listing()]
    assert sorted(f.rsplit("-", 1)[1] for f in files) == ["90w.jpg", "90w.webp"]


@pytest.mark.parametrize(("body", "field", "words"), [
    ({"title": "x" * 81}, "title", "81 characters long; the limit is 80"),
    ({"title": "Reporter\nand editor"}, "title", "single line"),
    ({"title": 42}, "title", "must be text"),
    ({"title": "Chief\u0007 reporter"}, "title", "control characters"),
    ({"photo": "https://evil.example/me.jpg"}, "photo", "can only be null"),
    ({"name": "Somebody else"}, None, "Send a JSON object with 'title'"),
    ({}, None, "Send a JSON object with 'title'"),
    (["title"], None, "Send a JSON object with 'title'"),
])
async def test_bad_byline_input_is_refused_with_a_message(api: App, body: Any,
                                                          field: str | None, words: str
                                                          ) -> None:
    token = await api.token(Role.EDITOR)
    r = await api.client.patch("/api/v1/account", headers=api.auth(token), json=body)
    error = assert_error(r, 422)
    assert error["field"] == field and words in error["message"], error
    r = await api.client.get("/api/v1/account", headers=api.auth(token))
    assert r.json()["title"] == ""


async def test_bad_photos_are_refused_with_a_message(api: App) -> None:
    token = await api.token(Role.EDITOR)
    error = assert_error(await upload_photo(api, token, b"not an image at all"), 422)
    assert error["field"] == "file" and "not an image" in error["message"]
    whole = jpeg(400, 400)
    error = assert_error(await upload_photo(api, token, whole[: len(whole) // 2]), 422)
    assert "damaged or incomplete" in error["message"]
    r = await api.client.put("/api/v1/account/photo", headers=api.auth(token),
                             files={"other": ("x.txt", b"hello", "text/plain")})
    assert "field named 'file'" in assert_error(r, 422)["message"]
    r = await api.client.put("/api/v1/account/photo", headers=api.auth(token),
                             json={"file": "x"})
    assert assert_error(r, 400)["code"] == "unsupported_media_type"  # as POST /api/v1/media
    assert_error(await api.client.put("/api/v1/account/photo",
                                      files={"file": ("a.jpg", jpeg(50, 50), "image/jpeg")}),
                 401)
    assert_error(await api.client.patch("/api/v1/account", json={"title": "x"}), 401)
    r = await api.client.get("/api/v1/account", headers=api.auth(token))
    assert r.json()["photo_url"] is None


async def test_the_account_page_form_works_without_javascript_and_needs_csrf(
        api: App) -> None:
    await user(api, "Lena Vogel", Role.EDITOR)
    browser = await signed_in(api, "Lena Vogel")
    try:
        page = (await browser.client.get("/account")).text
        assert 'action="/account/profile"' in page and 'enctype="multipart/form-data"' in page
        csrf = form_value(page, "csrf_token")

        r = await browser.client.post("/account/profile", data={"title": "Court reporter"},
                                      files={"file": ("me.jpg", jpeg(640, 480), "image/jpeg")})
        assert r.status_code == 403 and "CSRF" in r.text  # no token: nothing saved
        r = await browser.client.post(
            "/account/profile", data={"title": "Court reporter", "csrf_token": csrf},
            files={"file": ("me.jpg", jpeg(640, 480), "image/jpeg")})
        assert r.status_code == 303 and r.headers["location"] == "/account?saved=1"
        page = (await browser.client.get("/account?saved=1")).text
        assert "Byline saved." in page and form_value(page, "title") == "Court reporter"
        assert 'class="avatar avatar--photo"' in page

        # A bad file: the page says why, keeps what was typed, saves nothing.
        r = await browser.client.post(
            "/account/profile", data={"title": "Chief court reporter", "csrf_token": csrf},
            files={"file": ("notes.jpg", b"GIF89a broken", "image/jpeg")})
        assert r.status_code == 422 and "not an image Bulletin can read" in r.text
        assert form_value(r.text, "title") == "Chief court reporter"

        r = await browser.client.post(
            "/account/profile", data={"title": "<b>Lead</b>", "csrf_token": csrf,
                                      "remove_photo": "1"},
            files={"file": ("", b"", "application/octet-stream")})  # no file chosen
        assert r.status_code == 303
        page = (await browser.client.get("/account")).text
        assert "avatar--photo" not in page and "&lt;b&gt;Lead&lt;/b&gt;" in page
    finally:
        await browser.client.aclose()
    r = await api.client.get("/account", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
