"""The key-events timeline jumps to each post in the stream, on whichever page holds it."""

from __future__ import annotations

import re

from bulletin.domain.roles import Role
from tests.conftest import App


async def test_key_event_links_point_at_the_post_on_its_page(api: App) -> None:
    token = await api.token(Role.ADMIN)
    await api.client.post("/api/v1/blogs", headers=api.auth(token),
                          json={"slug": "night", "title": "Night"})
    for i in range(45):
        await api.client.post("/api/v1/blogs/night/posts", headers=api.auth(token), json={
            "headline": f"Update {i + 1}", "key_event": i in (2, 40),
            "blocks": [{"kind": "text", "html": f"<p>Update {i + 1}</p>"}]})
    html = (await api.client.get("/blogs/night")).text
    timeline = html.split('id="key-events"', 1)[1].split("</ol>", 1)[0]
    links = re.findall(r'href="([^"]+)"', timeline)
    assert links == ["/blogs/night#post-41", "/blogs/night?page=1#post-3"]
    older = (await api.client.get("/blogs/night?page=1")).text
    assert 'id="post-3"' in older
