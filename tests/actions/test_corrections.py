"""Only a change of content is a correction readers are told about ("Updated 14:32")."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bulletin.actions import blogs, posts
from bulletin.actions import users as user_actions
from bulletin.actions.newsroom import Newsroom
from bulletin.domain.blog import Blog
from bulletin.domain.errors import Conflict, PermissionDenied, ValidationError
from bulletin.domain.post import Correction
from bulletin.domain.roles import Actor, Role
from bulletin.render.payload import post_html
from bulletin.store import events as event_rows
from bulletin.store import history
from bulletin.store import posts as post_rows
from tests.actions.conftest import Clock, Feed

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


# --- visible corrections ------------------------------------------------------------------

NOTE = "The suspect was 24, not 23."


async def _revisions(newsroom: Newsroom, post_id: int) -> list[dict[str, object]]:
    async with newsroom.db.read() as conn:
        return await history.list_revisions(conn, post_id)


async def _audit(newsroom: Newsroom, blog_id: int) -> list[dict[str, object]]:
    async with newsroom.db.read() as conn:
        return await history.audit_log(conn, blog_id)


async def test_a_visible_correction_carries_its_note_and_time_everywhere(
        newsroom: Newsroom, editor: Actor, blog: Blog, clock: Clock, feed: Feed) -> None:
    post = (await posts.publish(newsroom, editor, blog.slug, BODY)).post
    clock.advance(timedelta(minutes=40))
    fixed = await posts.edit(newsroom, editor, blog.slug, post.id, {
        "blocks": [{"kind": "text", "html": "<p>The suspect, 24, was arrested.</p>"}],
        "correction": f"  {NOTE} "}, 1)
    assert fixed.corrections == (Correction(at=clock.moment, note=NOTE),)
    assert fixed.updated_at == clock.moment and fixed.version == 2
    # What readers get: the post JSON (API, /changes, /live) and the event payload.
    assert fixed.to_json()["corrections"] == [{"at": clock.moment.isoformat(), "note": NOTE}]
    async with newsroom.db.read() as conn:
        events = await event_rows.since(conn, blog.id, 0, 100)
    payload = json.loads(events[-1].data)
    assert events[-1].kind.value == "post.updated"
    assert payload["corrections"] == [{"at": clock.moment.isoformat(), "note": NOTE}]
    assert NOTE in payload["html"] and "Correction" in payload["html"]
    # History: which revision was the correction, and its note.
    revisions = await _revisions(newsroom, post.id)
    assert [(r["version"], r["correction"]) for r in revisions] == [(2, NOTE), (1, None)]
    entry = (await _audit(newsroom, blog.id))[0]
    assert entry["action"] == "post.corrected" and NOTE in str(entry["detail"])
    assert entry["who"] == "Erin Editor"


async def test_a_silent_fix_leaves_no_correction_but_is_kept_in_history(
        newsroom: Newsroom, editor: Actor, blog: Blog, clock: Clock) -> None:
    post = (await posts.publish(newsroom, editor, blog.slug, BODY)).post
    clock.advance(timedelta(minutes=1))
    typo = await posts.edit(newsroom, editor, blog.slug, post.id, {"headline": "Pwoer back"}, 1)
    assert typo.corrections == () and typo.to_json()["corrections"] == []
    assert "post__correction" not in post_html(typo, blog)
    clock.advance(timedelta(minutes=1))
    corrected = await posts.edit(newsroom, editor, blog.slug, post.id,
                                 {"headline": "Power back", "correction": NOTE}, 2)
    assert "post__correction" in post_html(corrected, blog)
    clock.advance(timedelta(minutes=1))
    again = await posts.edit(newsroom, editor, blog.slug, post.id,
                             {"headline": "Power is back", "correction": None}, 3)
    assert again.corrections == corrected.corrections  # a later silent fix keeps it
    revisions = await _revisions(newsroom, post.id)
    assert [(r["version"], r["headline"], r["correction"]) for r in revisions] == [
        (4, "Power is back", None), (3, "Power back", NOTE), (2, "Pwoer back", None),
        (1, None, None)]
    assert [e["action"] for e in (await _audit(newsroom, blog.id))[:3]] == [
        "post.edited", "post.corrected", "post.edited"]


async def test_corrections_accumulate_oldest_first_and_survive_a_restore(
        newsroom: Newsroom, editor: Actor, blog: Blog, clock: Clock) -> None:
    post = (await posts.publish(newsroom, editor, blog.slug, BODY)).post
    clock.advance(timedelta(minutes=5))
    await posts.edit(newsroom, editor, blog.slug, post.id,
                     {"headline": "Two dead", "correction": "Two people died, not three."}, 1)
    clock.advance(timedelta(minutes=5))
    # A note alone is a correction too: the copy was fixed silently before, readers are told now.
    noted = await posts.edit(newsroom, editor, blog.slug, post.id,
                             {"correction": "An earlier version misspelt the mayor's name."}, 2)
    assert [c.note for c in noted.corrections] == [
        "Two people died, not three.", "An earlier version misspelt the mayor's name."]
    assert noted.corrections[0].at < noted.corrections[1].at
    restored = await posts.restore(newsroom, editor, blog.slug, post.id, 1, 3)
    assert restored.headline is None and restored.corrections == noted.corrections


@pytest.mark.parametrize("note, words", [
    ("", "needs a note"), ("   ", "needs a note"), ("Age was\n24", "single line"),
    ("x" * 301, "the limit is 300"), ("c" * 10_000, "10,000"), (24, "must be text"),
    (["a"], "must be text"), ("Half \ud800 a pair", "broken character"),
    ("Bell \x07", "control characters"),
])
async def test_a_bad_note_is_refused_and_nothing_is_stored(
        newsroom: Newsroom, editor: Actor, blog: Blog, feed: Feed, note: object,
        words: str) -> None:
    post = (await posts.publish(newsroom, editor, blog.slug, BODY)).post
    await feed.new()
    with pytest.raises(ValidationError, match=words) as caught:
        await posts.edit(newsroom, editor, blog.slug, post.id,
                         {"headline": "Fixed", "correction": note}, 1)
    assert caught.value.field == "correction"
    assert await feed.new() == []
    assert len(await _revisions(newsroom, post.id)) == 1


async def test_a_correction_needs_the_right_to_edit_that_post(
        newsroom: Newsroom, editor: Actor, contributor: Actor, blog: Blog, feed: Feed) -> None:
    post = (await posts.publish(newsroom, editor, blog.slug, BODY)).post
    await feed.new()
    with pytest.raises(PermissionDenied):
        await posts.edit(newsroom, contributor, blog.slug, post.id, {"correction": NOTE}, 1)
    other = await user_actions.create_user(newsroom, "Otto Editor", Role.EDITOR)
    corrected = await posts.edit(newsroom, other, blog.slug, post.id, {"correction": NOTE}, 1)
    assert [c.note for c in corrected.corrections] == [NOTE]
    assert await feed.new() == [("post.updated", post.id)]


async def test_a_stale_correction_is_refused_not_applied(
        newsroom: Newsroom, editor: Actor, blog: Blog) -> None:
    post = (await posts.publish(newsroom, editor, blog.slug, BODY)).post
    await posts.edit(newsroom, editor, blog.slug, post.id, {"headline": "Theirs"}, 1)
    with pytest.raises(Conflict):
        await posts.edit(newsroom, editor, blog.slug, post.id, {"correction": NOTE}, 1)
    async with newsroom.db.read() as conn:
        stored = await post_rows.get(conn, blog.id, post.id)
    assert stored is not None and stored.corrections == ()
