"""Only a change of content is a correction readers are told about ("Updated 14:32")."""

from __future__ import annotations

from bulletin.actions import blogs, posts
from bulletin.actions.newsroom import Newsroom
from bulletin.domain.roles import Actor

BODY = {"blocks": [{"kind": "text", "html": "<p>Power is back in the old town.</p>"}]}


async def test_pinning_and_key_events_do_not_mark_a_post_as_edited(
        newsroom: Newsroom, admin: Actor) -> None:
    await blogs.create(newsroom, admin, {"slug": "grid", "title": "Grid"})
    post = (await posts.publish(newsroom, admin, "grid", BODY)).post
    pinned = await posts.set_pinned(newsroom, admin, "grid", post.id, True)
    marked = await posts.set_key_event(newsroom, admin, "grid", post.id, True)
    assert (pinned.version, marked.version) == (2, 3)
    assert not marked.edited
    edited = await posts.edit(newsroom, admin, "grid", post.id,
                              {"headline": "Power restored"}, 3)
    assert edited.edited
