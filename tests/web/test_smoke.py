"""A first walk through the API: a script creates a blog and publishes into it."""

from __future__ import annotations

from bulletin.domain.roles import Role
from tests.conftest import App, LiveServer


async def test_editor_creates_blog_and_publishes(api: App) -> None:
    admin = await api.token(Role.ADMIN)
    r = await api.client.post("/api/v1/blogs", json={"slug": "storm", "title": "Storm"},
                              headers=api.auth(admin))
    assert r.status_code == 201, r.text
    r = await api.client.post("/api/v1/blogs/storm/posts", headers=api.auth(admin),
                              json={"blocks": [{"kind": "text", "html": "<p>Hi</p>"}]})
    assert r.status_code == 201, r.text
    assert r.headers["etag"] == '"1"'
    page = await api.client.get("/blogs/storm")
    assert "<p>Hi</p>" in page.text


async def test_live_server_on_both_databases(server_any: LiveServer) -> None:
    r = await server_any.client.get("/")
    assert r.status_code == 200
