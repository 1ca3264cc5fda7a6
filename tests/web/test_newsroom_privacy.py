"""A contributor sees their own drafts in the newsroom feed, never a colleague's."""

from __future__ import annotations

from bulletin.domain.roles import Role
from tests.conftest import App

DRAFT = {"headline": "Secret source", "blocks": [{"kind": "text", "html": "<p>Tip</p>"}]}


async def test_newsroom_feed_hides_other_authors_drafts_from_contributors(api: App) -> None:
    admin = await api.token(Role.ADMIN)
    await api.client.post("/api/v1/blogs", headers=api.auth(admin),
                          json={"slug": "desk", "title": "Desk"})
    tokens = {}
    for name in ("Ana", "Ben"):
        r = await api.client.post("/api/v1/blogs/desk/invites", headers=api.auth(admin),
                                  json={"name": name, "role": "contributor"})
        assert r.status_code == 201
        tokens[name] = await api.token(Role.CONTRIBUTOR, name=f"{name}-script")
    # Scripts' users have a site-wide contributor role; each writes one draft.
    for name, token in tokens.items():
        body = {**DRAFT, "headline": f"{name}'s draft"}
        r = await api.client.post("/api/v1/blogs/desk/drafts", headers=api.auth(token),
                                  json=body)
        assert r.status_code == 201, r.text
    seen = (await api.client.get("/api/v1/blogs/desk/newsroom/changes",
                                 headers=api.auth(tokens["Ana"]))).json()
    headlines = {e["data"]["headline"] for e in seen["events"]}
    assert headlines == {"Ana's draft"}
    assert seen["last_seq"] == 2  # the cursor still moves past what is hidden
    editor_view = (await api.client.get("/api/v1/blogs/desk/newsroom/changes",
                                        headers=api.auth(admin))).json()
    assert {e["data"]["headline"] for e in editor_view["events"]} == {"Ana's draft",
                                                                       "Ben's draft"}
