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


async def test_pages_and_scripts_are_gzipped_but_the_live_stream_is_not(server: LiveServer
                                                                      ) -> None:
    api = server
    admin = await api.token(Role.ADMIN)
    r = await api.client.post("/api/v1/blogs", headers=api.auth(admin),
                              json={"slug": "gz", "title": "Compressed"})
    assert r.status_code == 201, r.text
    gzip = {"Accept-Encoding": "gzip"}
    for path in ("/blogs/gz", "/static/reader.js", "/static/reader.css"):
        r = await api.client.get(path, headers=gzip)
        assert r.status_code == 200 and r.headers.get("content-encoding") == "gzip", path
    async with api.client.stream("GET", "/blogs/gz/live", headers=gzip) as live:
        assert live.status_code == 200
        assert "content-encoding" not in live.headers


def test_the_reader_script_stays_under_10_kb_gzipped() -> None:
    """What README promises a reader on a slow phone: `gzip -9c reader.js | wc -c`."""
    import gzip
    from importlib.resources import files

    script = files("bulletin").joinpath("static/reader.js").read_bytes()
    assert len(gzip.compress(script, compresslevel=9)) < 10 * 1024
