"""The JSON API (/api/v1) as the design's route table and the foundation issue specify it,
called in-process through httpx."""

from __future__ import annotations

from typing import Any

import httpx

from bulletin.domain.roles import Role
from tests.conftest import App

TEXT = {"kind": "text", "html": "<p>Winds reach 120 km/h on the coast.</p>"}


def post_body(text: str = "Winds reach 120 km/h.", **extra: Any) -> dict[str, Any]:
    return {"blocks": [{"kind": "text", "html": f"<p>{text}</p>"}], **extra}


async def new_blog(api: App, slug: str = "storm", **fields: Any) -> str:
    """A blog opened by a fresh admin; returns an editor token for publishing into it."""
    admin = await api.token(Role.ADMIN)
    r = await api.client.post("/api/v1/blogs", headers=api.auth(admin),
                              json={"slug": slug, "title": "Storm night", **fields})
    assert r.status_code == 201, r.text
    return await api.token(Role.EDITOR)


async def publish(api: App, token: str, slug: str = "storm", text: str = "Update",
                  **extra: Any) -> dict[str, Any]:
    r = await api.client.post(f"/api/v1/blogs/{slug}/posts", headers=api.auth(token),
                              json=post_body(text, **extra))
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def assert_error(r: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    error: dict[str, Any] = r.json()["error"]
    assert set(error) == {"code", "message", "field"}
    assert error["message"]
    if code is not None:
        assert error["code"] == code
    return error


# --- blogs -------------------------------------------------------------------------------

async def test_admin_creates_a_blog_with_location_and_defaults(api: App) -> None:
    admin = await api.token(Role.ADMIN)
    r = await api.client.post("/api/v1/blogs", headers=api.auth(admin), json={
        "slug": "election-night", "title": "Election night", "description": "Results live.",
        "language": "de", "timezone": "Europe/Berlin"})
    assert r.status_code == 201, r.text
    assert r.headers["location"] == "/api/v1/blogs/election-night"
    blog = r.json()
    assert blog["slug"] == "election-night"
    assert blog["status"] == "live"
    assert blog["timezone"] == "Europe/Berlin"
    assert blog["language"] == "de"
    assert blog["last_seq"] == 0
    assert blog["url"] == "/blogs/election-night"


async def test_blog_defaults_to_english_and_utc(api: App) -> None:
    await new_blog(api, "plain")
    blog = (await api.client.get("/api/v1/blogs/plain")).json()
    assert (blog["language"], blog["timezone"], blog["description"]) == ("en", "UTC", "")


async def test_list_blogs_and_get_one(api: App) -> None:
    await new_blog(api, "storm")
    await new_blog(api, "flood")
    r = await api.client.get("/api/v1/blogs")
    assert r.status_code == 200
    assert {b["slug"] for b in r.json()["blogs"]} == {"storm", "flood"}
    r = await api.client.get("/api/v1/blogs/flood")
    assert r.status_code == 200 and r.json()["slug"] == "flood"


async def test_taken_slug_is_a_conflict(api: App) -> None:
    await new_blog(api, "storm")
    admin = await api.token(Role.ADMIN)
    r = await api.client.post("/api/v1/blogs", headers=api.auth(admin),
                              json={"slug": "storm", "title": "Again"})
    error = assert_error(r, 409)
    assert error["field"] == "slug" and "taken" in error["message"]


async def test_patch_blog_changes_title_and_records_an_event(api: App) -> None:
    editor = await new_blog(api)
    r = await api.client.patch("/api/v1/blogs/storm", headers=api.auth(editor),
                               json={"title": "Storm Ciara — live", "timezone": "Asia/Tokyo"})
    assert r.status_code == 200, r.text
    assert r.json()["title"] == "Storm Ciara — live"
    assert r.json()["timezone"] == "Asia/Tokyo"
    changes = (await api.client.get("/blogs/storm/changes?since=0")).json()
    assert [e["kind"] for e in changes["events"]] == ["blog.updated"]
    assert (await api.client.get("/api/v1/blogs/storm")).json()["title"] == "Storm Ciara — live"


# --- publishing and reading posts --------------------------------------------------------

async def test_publish_answers_201_with_location_and_etag_1(api: App) -> None:
    editor = await new_blog(api)
    r = await api.client.post("/api/v1/blogs/storm/posts", headers=api.auth(editor),
                              json={"headline": "Landfall", "blocks": [TEXT],
                                    "language": "en", "key_event": True})
    assert r.status_code == 201, r.text
    post = r.json()
    assert r.headers["etag"] == '"1"'
    assert r.headers["location"] == f"/api/v1/blogs/storm/posts/{post['id']}"
    assert post["version"] == 1 and post["position"] == 1
    assert post["headline"] == "Landfall" and post["key_event"] is True
    assert post["status"] == "published"
    assert post["blocks"] == [TEXT]
    assert f'id="post-{post["id"]}"' in post["html"]


async def test_list_posts_is_newest_first_with_a_before_cursor(api: App) -> None:
    editor = await new_blog(api)
    ids = [(await publish(api, editor, text=f"Update {i}"))["id"] for i in range(1, 6)]
    r = await api.client.get("/api/v1/blogs/storm/posts?limit=2")
    assert r.status_code == 200
    first = r.json()
    assert [p["id"] for p in first["posts"]] == [ids[4], ids[3]]
    assert first["next_before"] == 4
    second = (await api.client.get(
        f"/api/v1/blogs/storm/posts?limit=2&before={first['next_before']}")).json()
    assert [p["id"] for p in second["posts"]] == [ids[2], ids[1]]
    third = (await api.client.get(
        f"/api/v1/blogs/storm/posts?limit=2&before={second['next_before']}")).json()
    assert [p["id"] for p in third["posts"]] == [ids[0]]
    assert third["next_before"] is None
    everything = (await api.client.get("/api/v1/blogs/storm/posts")).json()
    assert [p["id"] for p in everything["posts"]] == ids[::-1]
    assert everything["next_before"] is None
    assert everything["last_seq"] == 5


async def test_get_one_post_carries_its_etag(api: App) -> None:
    editor = await new_blog(api)
    post = await publish(api, editor)
    r = await api.client.get(f"/api/v1/blogs/storm/posts/{post['id']}")
    assert r.status_code == 200
    assert r.headers["etag"] == '"1"'
    assert r.json()["id"] == post["id"]


async def test_unknown_post_is_404(api: App) -> None:
    await new_blog(api)
    error = assert_error(await api.client.get("/api/v1/blogs/storm/posts/999"), 404)
    assert error["field"] == "post_id"


# --- editing with versions ---------------------------------------------------------------

async def test_patch_without_if_match_is_428(api: App) -> None:
    editor = await new_blog(api)
    post = await publish(api, editor)
    r = await api.client.patch(f"/api/v1/blogs/storm/posts/{post['id']}",
                               headers=api.auth(editor), json={"headline": "Correction"})
    error = assert_error(r, 428, "precondition_required")
    assert error["field"] == "If-Match" and "If-Match" in error["message"]


async def test_patch_accepts_bare_and_quoted_versions_and_bumps_the_etag(api: App) -> None:
    editor = await new_blog(api)
    post = await publish(api, editor)
    url = f"/api/v1/blogs/storm/posts/{post['id']}"
    r = await api.client.patch(url, headers={**api.auth(editor), "If-Match": "1"},
                               json={"headline": "First correction"})
    assert r.status_code == 200, r.text
    assert r.headers["etag"] == '"2"' and r.json()["version"] == 2
    r = await api.client.patch(url, headers={**api.auth(editor), "If-Match": '"2"'},
                               json={"blocks": [{"kind": "text", "html": "<p>Fixed</p>"}]})
    assert r.status_code == 200, r.text
    assert r.headers["etag"] == '"3"'
    got = await api.client.get(url)
    assert got.headers["etag"] == '"3"'
    assert got.json()["headline"] == "First correction"
    assert got.json()["blocks"] == [{"kind": "text", "html": "<p>Fixed</p>"}]


async def test_stale_patch_is_409_with_the_current_post_and_changes_nothing(api: App) -> None:
    editor = await new_blog(api)
    post = await publish(api, editor)
    url = f"/api/v1/blogs/storm/posts/{post['id']}"
    await api.client.patch(url, headers={**api.auth(editor), "If-Match": '"1"'},
                           json={"headline": "Theirs"})
    r = await api.client.patch(url, headers={**api.auth(editor), "If-Match": '"1"'},
                               json={"headline": "Mine"})
    error = assert_error(r, 409, "conflict")
    assert "version 1" in error["message"] and "version 2" in error["message"]
    current = r.json()["current"]
    assert current["id"] == post["id"]
    assert current["version"] == 2 and current["headline"] == "Theirs"
    assert (await api.client.get(url)).json()["headline"] == "Theirs"


# --- deleting ----------------------------------------------------------------------------

async def test_delete_is_204_then_gone_from_get_list_and_page(api: App) -> None:
    editor = await new_blog(api)
    keep = await publish(api, editor, text="Keep me")
    gone = await publish(api, editor, text="Delete me")
    url = f"/api/v1/blogs/storm/posts/{gone['id']}"
    r = await api.client.delete(url, headers=api.auth(editor))
    assert r.status_code == 204 and r.content == b""
    assert_error(await api.client.get(url), 404)
    listed = (await api.client.get("/api/v1/blogs/storm/posts")).json()
    assert [p["id"] for p in listed["posts"]] == [keep["id"]]
    page = (await api.client.get("/blogs/storm")).text
    assert "Delete me" not in page and f'id="post-{gone["id"]}"' not in page
    assert "Keep me" in page
    assert_error(await api.client.delete(url, headers=api.auth(editor)), 404)


async def test_delete_with_a_stale_if_match_is_refused(api: App) -> None:
    editor = await new_blog(api)
    post = await publish(api, editor)
    url = f"/api/v1/blogs/storm/posts/{post['id']}"
    r = await api.client.delete(url, headers={**api.auth(editor), "If-Match": '"7"'})
    assert_error(r, 409)
    assert (await api.client.get(url)).status_code == 200


# --- pin and key event -------------------------------------------------------------------

async def test_only_one_post_is_pinned_per_blog(api: App) -> None:
    editor = await new_blog(api)
    a = await publish(api, editor, text="A")
    b = await publish(api, editor, text="B")
    r = await api.client.put(f"/api/v1/blogs/storm/posts/{a['id']}/pin",
                             headers=api.auth(editor))
    assert r.status_code == 200, r.text
    assert r.json()["pinned"] is True and r.headers["etag"] == '"2"'
    r = await api.client.put(f"/api/v1/blogs/storm/posts/{b['id']}/pin",
                             headers=api.auth(editor))
    assert r.status_code == 200 and r.json()["pinned"] is True
    got_a = (await api.client.get(f"/api/v1/blogs/storm/posts/{a['id']}")).json()
    assert got_a["pinned"] is False
    posts = (await api.client.get("/api/v1/blogs/storm/posts")).json()["posts"]
    assert [p["id"] for p in posts if p["pinned"]] == [b["id"]]
    kinds = [e["kind"] for e in (await api.client.get("/blogs/storm/changes")).json()["events"]]
    assert kinds[-3:] == ["post.pinned", "post.unpinned", "post.pinned"]
    r = await api.client.delete(f"/api/v1/blogs/storm/posts/{b['id']}/pin",
                                headers=api.auth(editor))
    assert r.status_code == 200 and r.json()["pinned"] is False
    posts = (await api.client.get("/api/v1/blogs/storm/posts")).json()["posts"]
    assert not any(p["pinned"] for p in posts)


async def test_publish_pinned_unpins_the_previous_pin(api: App) -> None:
    editor = await new_blog(api)
    a = await publish(api, editor, text="A", pinned=True)
    b = await publish(api, editor, text="B", pinned=True)
    assert b["pinned"] is True
    assert (await api.client.get(f"/api/v1/blogs/storm/posts/{a['id']}")).json()["pinned"] \
        is False


async def test_key_event_on_and_off(api: App) -> None:
    editor = await new_blog(api)
    post = await publish(api, editor)
    url = f"/api/v1/blogs/storm/posts/{post['id']}/key-event"
    r = await api.client.put(url, headers=api.auth(editor))
    assert r.status_code == 200 and r.json()["key_event"] is True
    assert r.headers["etag"] == '"2"'
    r = await api.client.delete(url, headers=api.auth(editor))
    assert r.status_code == 200 and r.json()["key_event"] is False
    assert r.headers["etag"] == '"3"'


# --- ending and reopening ----------------------------------------------------------------

async def test_end_with_a_closing_post_then_publishing_is_refused(api: App) -> None:
    editor = await new_blog(api)
    await publish(api, editor, text="Earlier")
    r = await api.client.post("/api/v1/blogs/storm/end", headers=api.auth(editor), json={
        "closing_post": post_body("This concludes our rolling coverage.")})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "ended" and r.json()["ended_at"]
    posts = (await api.client.get("/api/v1/blogs/storm/posts")).json()["posts"]
    assert "This concludes our rolling coverage." in posts[0]["html"]
    kinds = [e["kind"] for e in (await api.client.get("/blogs/storm/changes")).json()["events"]]
    assert kinds[-2:] == ["post.published", "blog.ended"]
    r = await api.client.post("/api/v1/blogs/storm/posts", headers=api.auth(editor),
                              json=post_body("Too late"))
    error = assert_error(r, 409, "blog_ended")
    assert "ended" in error["message"] and "reopen" in error["message"]
    assert len((await api.client.get("/api/v1/blogs/storm/posts")).json()["posts"]) == 2


async def test_end_without_a_body_and_reopen(api: App) -> None:
    editor = await new_blog(api)
    r = await api.client.post("/api/v1/blogs/storm/end", headers=api.auth(editor))
    assert r.status_code == 200 and r.json()["status"] == "ended"
    r = await api.client.post("/api/v1/blogs/storm/reopen", headers=api.auth(editor))
    assert r.status_code == 200 and r.json()["status"] == "live"
    assert r.json()["ended_at"] is None
    await publish(api, editor, text="Back again")


# --- idempotency -------------------------------------------------------------------------

async def test_same_idempotency_key_twice_publishes_once(api: App) -> None:
    editor = await new_blog(api)
    headers = {**api.auth(editor), "Idempotency-Key": "phone-retry-7f3a"}
    first = await api.client.post("/api/v1/blogs/storm/posts", headers=headers,
                                  json=post_body("Flaky connection"))
    again = await api.client.post("/api/v1/blogs/storm/posts", headers=headers,
                                  json=post_body("Flaky connection"))
    assert first.status_code == 201, first.text
    assert again.status_code == 200, again.text
    assert again.json()["id"] == first.json()["id"]
    posts = (await api.client.get("/api/v1/blogs/storm/posts")).json()["posts"]
    assert len(posts) == 1
    other = await api.client.post("/api/v1/blogs/storm/posts",
                                  headers={**api.auth(editor), "Idempotency-Key": "another"},
                                  json=post_body("Different"))
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]


# --- documentation -----------------------------------------------------------------------

async def test_openapi_lists_the_routes_and_docs_serve_html(api: App) -> None:
    r = await api.client.get("/api/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    expected = {
        "/api/v1/blogs": {"get", "post"},
        "/api/v1/blogs/{slug}": {"get", "patch"},
        "/api/v1/blogs/{slug}/end": {"post"},
        "/api/v1/blogs/{slug}/reopen": {"post"},
        "/api/v1/blogs/{slug}/posts": {"get", "post"},
        "/api/v1/blogs/{slug}/posts/{post_id}": {"get", "patch", "delete"},
        "/api/v1/blogs/{slug}/posts/{post_id}/pin": {"put", "delete"},
        "/api/v1/blogs/{slug}/posts/{post_id}/key-event": {"put", "delete"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert methods <= set(paths[path]), (path, set(paths[path]))
    publish_body = paths["/api/v1/blogs/{slug}/posts"]["post"]["requestBody"]
    assert "blocks" in publish_body["content"]["application/json"]["schema"]["properties"]
    docs = await api.client.get("/api/docs")
    assert docs.status_code == 200
    assert docs.headers["content-type"].startswith("text/html")
    assert "/api/openapi.json" in docs.text


# --- roles -------------------------------------------------------------------------------

async def test_contributor_cannot_publish_pin_delete_or_end(api: App) -> None:
    editor = await new_blog(api)
    post = await publish(api, editor)
    contributor = api.auth(await api.token(Role.CONTRIBUTOR, "Cory Contributor"))
    base = f"/api/v1/blogs/storm/posts/{post['id']}"
    attempts = [
        api.client.post("/api/v1/blogs/storm/posts", headers=contributor, json=post_body()),
        api.client.put(f"{base}/pin", headers=contributor),
        api.client.put(f"{base}/key-event", headers=contributor),
        api.client.delete(base, headers=contributor),
        api.client.post("/api/v1/blogs/storm/end", headers=contributor),
    ]
    for attempt in attempts:
        error = assert_error(await attempt, 403, "forbidden")
        assert "contributor" in error["message"]
    after = (await api.client.get(base)).json()
    assert after["version"] == 1 and not after["pinned"] and not after["key_event"]
    assert (await api.client.get("/api/v1/blogs/storm")).json()["status"] == "live"
    assert len((await api.client.get("/api/v1/blogs/storm/posts")).json()["posts"]) == 1


async def test_editor_cannot_create_blogs_but_an_admin_can(api: App) -> None:
    editor = await api.token(Role.EDITOR)
    r = await api.client.post("/api/v1/blogs", headers=api.auth(editor),
                              json={"slug": "mine", "title": "Mine"})
    error = assert_error(r, 403, "forbidden")
    assert "create blogs" in error["message"]
    assert (await api.client.get("/api/v1/blogs")).json()["blogs"] == []
    admin = await api.token(Role.ADMIN)
    r = await api.client.post("/api/v1/blogs", headers=api.auth(admin),
                              json={"slug": "mine", "title": "Mine"})
    assert r.status_code == 201


async def test_reading_needs_no_token_but_writing_does(api: App) -> None:
    await new_blog(api)
    assert (await api.client.get("/api/v1/blogs/storm/posts")).status_code == 200
    r = await api.client.post("/api/v1/blogs/storm/posts", json=post_body())
    assert_error(r, 401, "unauthenticated")
    assert r.headers["www-authenticate"] == "Bearer"
