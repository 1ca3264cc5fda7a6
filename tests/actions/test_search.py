"""Finding a post by its words, on SQLite and PostgreSQL: the headline and every block's
visible text match, case-insensitively in any script; markup, addresses and JSON never do;
LIKE's wildcards are matched literally; edits, restores and deletes are seen at once; and
only newsroom members may search."""

from __future__ import annotations

from typing import Any

import pytest

from bulletin.actions import posts as post_actions
from bulletin.actions import users as user_actions
from bulletin.actions.newsroom import Newsroom
from bulletin.domain.blog import Blog
from bulletin.domain.errors import NotFound, PermissionDenied, ValidationError
from bulletin.domain.post import Post
from bulletin.domain.roles import Actor
from bulletin.domain.search import MAX_QUERY, RESULTS_PER_PAGE
from tests.actions.conftest import text

RICH: dict[str, Any] = {
    "headline": "Évacuation du quartier Nord",
    "blocks": [
        {"kind": "text", "html": '<p>Water is rising at the <strong>old bridge</strong> in '
                                 'Straße 5 &amp; the <a href="https://example.org/hidden-url">'
                                 'harbour</a>.</p><ul><li>First item</li><li>second</li></ul>'},
        {"kind": "quote", "text": "We are moving everyone out.", "speaker": "Mayor Lindqvist"},
        {"kind": "image", "url": "https://example.org/a.jpg", "alt": "Sandbags on a quay",
         "caption": "Volunteers fill sandbags", "credit": "Jo Lens/Agency"},
        {"kind": "link", "url": "https://example.org/story", "title": "Flood map of the city",
         "description": "Streets under water", "site": "City Herald"},
    ],
}


async def _publish(nr: Newsroom, actor: Actor, blog: Blog, body: dict[str, Any]) -> Post:
    return (await post_actions.publish(nr, actor, blog.slug, body)).post


async def _ids(nr: Newsroom, actor: Actor, blog: Blog, query: str, page: int = 1
               ) -> list[int]:
    _, found = await post_actions.search(nr, actor, blog.slug, query, page)
    return [p.id for p in found.posts]


@pytest.mark.parametrize("query", [
    "évacuation", "ÉVACUATION DU", "old bridge", "rising at the old bridge", "STRASSE 5",
    "straße 5 & the harbour", "harbour.", "first item second", "moving everyone",
    "mayor lindqvist", "volunteers fill", "jo lens/agency", "sandbags on a quay",
    "flood map", "streets under", "city herald", "  old   BRIDGE  ",
])
async def test_every_visible_word_of_a_post_is_found(
        newsroom: Newsroom, editor: Actor, blog: Blog, query: str) -> None:
    post = await _publish(newsroom, editor, blog, RICH)
    await _publish(newsroom, editor, blog, text("Nothing to see here."))
    assert await _ids(newsroom, editor, blog, query) == [post.id]


@pytest.mark.parametrize("query", [
    "hidden-url", "example.org", "strong", "<p>", "kind", "html", "&amp;", "\"text\"",
    "bridge in straße 5 & the harbour. first item second mayor",  # across two blocks
])
async def test_markup_addresses_and_storage_never_match(
        newsroom: Newsroom, editor: Actor, blog: Blog, query: str) -> None:
    await _publish(newsroom, editor, blog, RICH)
    _, found = await post_actions.search(newsroom, editor, blog.slug, query)
    assert (found.posts, found.matches, found.pages) == ([], 0, 1)


@pytest.mark.parametrize(("query", "expected"), [
    ("100%", [1]), ("%", [1]), ("a_b", [2]), ("_", [2]), ("c:\\temp", [3]), ("\\", [3]),
])
async def test_like_wildcards_in_a_query_match_only_themselves(
        newsroom: Newsroom, editor: Actor, blog: Blog, query: str, expected: list[int]
) -> None:
    made = [await _publish(newsroom, editor, blog, text(words)) for words in (
        "Turnout is 100% in the north.", "The file a_b was leaked.", "Saved in c:\\temp.",
        "Turnout is 1000 in the axb quarter.")]
    assert await _ids(newsroom, editor, blog, query) == [made[i - 1].id for i in expected]


async def test_results_are_most_recent_first_and_paged(
        newsroom: Newsroom, editor: Actor, blog: Blog) -> None:
    made = [await _publish(newsroom, editor, blog, text(f"Road report {i}"))
            for i in range(RESULTS_PER_PAGE + 5)]
    await _publish(newsroom, editor, blog, text("Weather"))
    _, first = await post_actions.search(newsroom, editor, blog.slug, "road report")
    assert (first.matches, first.pages, first.page, first.newer, first.older) == (
        RESULTS_PER_PAGE + 5, 2, 1, None, 2)
    assert [p.id for p in first.posts] == [p.id for p in reversed(made)][:RESULTS_PER_PAGE]
    _, second = await post_actions.search(newsroom, editor, blog.slug, "road report", 2)
    assert [p.id for p in second.posts] == [p.id for p in reversed(made[:5])]
    assert (second.newer, second.older) == (1, None)
    with pytest.raises(NotFound) as info:
        await post_actions.search(newsroom, editor, blog.slug, "road report", 3)
    assert info.value.field == "page"


async def test_edits_deletes_and_drafts_are_seen_at_once(
        newsroom: Newsroom, editor: Actor, blog: Blog) -> None:
    post = await _publish(newsroom, editor, blog, text("Ferry cancelled"))
    gone = await _publish(newsroom, editor, blog, text("Ferry delayed"))
    edited = await post_actions.edit(newsroom, editor, blog.slug, post.id,
                                     {"headline": "Harbour closed"}, post.version)
    assert await _ids(newsroom, editor, blog, "harbour closed") == [post.id]
    assert await _ids(newsroom, editor, blog, "ferry cancelled") == [post.id]  # body kept
    await post_actions.edit(newsroom, editor, blog.slug, post.id, text("Ferry running"),
                            edited.version)
    assert await _ids(newsroom, editor, blog, "ferry cancelled") == []
    assert await _ids(newsroom, editor, blog, "ferry running") == [post.id]
    await post_actions.delete(newsroom, editor, blog.slug, gone.id, gone.version)
    assert await _ids(newsroom, editor, blog, "ferry delayed") == []


@pytest.mark.parametrize("query", [
    "x" * (MAX_QUERY + 1), "x" * 10_000, "nul\x00byte", "bell\x07", "lone \ud800 surrogate",
])
async def test_queries_no_post_could_match_are_refused_with_a_message(
        newsroom: Newsroom, editor: Actor, blog: Blog, query: str) -> None:
    with pytest.raises(ValidationError) as info:
        await post_actions.search(newsroom, editor, blog.slug, query)
    assert info.value.field == "q" and info.value.message


async def test_odd_but_harmless_queries_find_nothing_rather_than_fail(
        newsroom: Newsroom, editor: Actor, blog: Blog) -> None:
    await _publish(newsroom, editor, blog, text("Quiet night."))
    for query in ("\ufffd", "'; DROP TABLE posts; --", "🌊" * MAX_QUERY, "x" * MAX_QUERY):
        _, found = await post_actions.search(newsroom, editor, blog.slug, query)
        assert found.matches == 0


async def test_only_newsroom_members_may_search(
        newsroom: Newsroom, editor: Actor, contributor: Actor, blog: Blog) -> None:
    post = await _publish(newsroom, editor, blog, text("Bridge closed"))
    assert await _ids(newsroom, contributor, blog, "bridge") == [post.id]
    outsider = await user_actions.create_user(newsroom, "Nora Nobody", None)
    with pytest.raises(PermissionDenied):
        await post_actions.search(newsroom, outsider, blog.slug, "bridge")
    with pytest.raises(ValidationError):
        await post_actions.search(newsroom, editor, blog.slug, "   ")


async def test_a_search_reads_only_its_own_blog(
        newsroom: Newsroom, editor: Actor, admin: Actor, blog: Blog) -> None:
    from bulletin.actions import blogs as blog_actions

    other = await blog_actions.create(newsroom, admin, {"slug": "flood", "title": "Flood"})
    await _publish(newsroom, editor, other, text("Bridge closed"))
    mine = await _publish(newsroom, editor, blog, text("Bridge open"))
    assert await _ids(newsroom, editor, blog, "bridge") == [mine.id]
