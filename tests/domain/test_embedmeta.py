"""Reading a provider's oEmbed answer or a page's OpenGraph card into an embed's facade
fields: plain text, one line, capped; handles from profile addresses and bylines; the oEmbed
`html` only ever read as text; the thumbnail only as an absolute https address."""

from __future__ import annotations

import pytest

from bulletin.domain import embeds
from bulletin.domain.blocks import MAX_EXCERPT, MAX_HANDLE, MAX_SHORT, EmbedBlock, parse_block
from bulletin.domain.embedmeta import EmbedMeta, from_card, from_oembed, handle_of, quoted_post
from bulletin.domain.linkcard import LinkCard
from bulletin.render.sanitize import sanitize_html

BASE = "https://www.youtube.com/oembed?url=x"


def test_an_oembed_video_answer_gives_title_author_handle_and_picture() -> None:
    meta = from_oembed({"title": "Storm surge", "author_name": "Kettleby Gazette",
                        "author_url": "https://www.youtube.com/@KettlebyGazette",
                        "thumbnail_url": "https://i.ytimg.com/vi/x/hqdefault.jpg",
                        "html": "<iframe src=x></iframe>"}, BASE)
    assert meta == EmbedMeta("Storm surge", "Kettleby Gazette", "@KettlebyGazette", "",
                             "https://i.ytimg.com/vi/x/hqdefault.jpg")


@pytest.mark.parametrize("thumbnail", [
    "http://i.ytimg.com/x.jpg", "javascript:alert(1)", "data:image/png;base64,AAAA",
    "https://user:pw@i.ytimg.com/x.jpg", "https://i.ytimg.com/a b.jpg", 42, None,
])
def test_a_thumbnail_is_only_ever_an_https_address(thumbnail: object) -> None:
    assert from_oembed({"title": "T", "thumbnail_url": thumbnail}, BASE).picture == ""


def test_a_relative_thumbnail_is_resolved_against_the_endpoint() -> None:
    meta = from_oembed({"thumbnail_url": "/thumbs/1.jpg"}, "https://vimeo.com/api/oembed.json")
    assert meta.picture == "https://vimeo.com/thumbs/1.jpg"


@pytest.mark.parametrize("answer", [None, [], "text", 3, {"title": 5, "author_name": ["x"]}])
def test_nonsense_answers_give_nothing(answer: object) -> None:
    assert from_oembed(answer, BASE) == EmbedMeta()


def test_values_are_one_line_without_controls_and_cut_to_the_blocks_limits() -> None:
    meta = from_oembed({"title": "A\nvery\x07 long " + "word " * 200,
                        "author_name": "N" * 1000, "description": "d " * 1000}, BASE)
    assert "\n" not in meta.title and "\x07" not in meta.title
    assert len(meta.title) <= MAX_SHORT and meta.title.endswith("…")
    assert len(meta.author) <= MAX_SHORT and len(meta.excerpt) <= MAX_EXCERPT
    block = parse_block({"kind": "embed", "url": "https://youtu.be/dQw4w9WgXcQ",
                         "title": meta.title, "author": meta.author, "excerpt": meta.excerpt},
                        "b", sanitize_html)
    assert isinstance(block, EmbedBlock)


def test_markup_in_the_oembed_html_is_read_as_text_only() -> None:
    html = ('<blockquote class="twitter-tweet"><p>Roads <b>closed</b> &amp; <script>alert(1)'
            '</script><img src=x onerror=alert(1)> <a href="javascript:x">#Kettleby</a></p>'
            '&mdash; Council (@KettlebyCouncil) <a href="#">Nov 20</a></blockquote>')
    words, handle = quoted_post(html)
    assert words == "Roads closed & alert(1) #Kettleby"
    assert handle == "@KettlebyCouncil"
    meta = from_oembed({"author_name": "Council", "html": html}, BASE)
    assert (meta.excerpt, meta.handle) == (words, handle)


def test_an_oembed_html_that_is_a_player_gives_no_text() -> None:
    meta = from_oembed({"title": "T", "html": '<iframe src="https://x"><p>no</p></iframe>'},
                       BASE)
    assert meta.excerpt == ""


@pytest.mark.parametrize(("name", "expected"), [
    ("Met Office (@metoffice.bsky.social)", ("Met Office", "@metoffice.bsky.social")),
    ("Kettleby Coastguard (@coast@mastodon.social)",
     ("Kettleby Coastguard", "@coast@mastodon.social")),
    ("Plain Name", ("Plain Name", "")),
])
def test_a_handle_in_the_authors_name_is_taken_apart(name: str, expected: tuple[str, str]
                                                     ) -> None:
    meta = from_oembed({"author_name": name}, BASE)
    assert (meta.author, meta.handle) == expected


@pytest.mark.parametrize(("url", "expected"), [
    ("https://twitter.com/KettlebyCouncil", "@KettlebyCouncil"),
    ("https://x.com/KettlebyCouncil", "@KettlebyCouncil"),
    ("https://www.youtube.com/@KettlebyGazette", "@KettlebyGazette"),
    ("https://www.tiktok.com/@scout2015", "@scout2015"),
    ("https://mastodon.social/@coast", "@coast@mastodon.social"),
    ("https://bsky.app/profile/metoffice.bsky.social", "@metoffice.bsky.social"),
    ("https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur", ""),
    ("https://vimeo.com/coastalfilms", ""),
    ("https://www.youtube.com/channel/UC123", ""),
    ("https://x.com/a/b", ""),
    ("not an address", ""),
])
def test_handles_come_from_profile_addresses(url: str, expected: str) -> None:
    assert handle_of(url) == expected
    assert len(handle_of(url)) <= MAX_HANDLE


def test_titles_that_say_nothing_are_dropped() -> None:
    assert from_oembed({"title": "New status by coast"}, BASE).title == ""


def test_a_posts_page_names_its_author_and_a_videos_page_its_title() -> None:
    card = LinkCard(title="Kettleby Coastguard (@coast@mastodon.social)",
                    description="Two people rescued.", image="https://files.example/p.jpg")
    assert from_card(card, "post") == EmbedMeta(
        "", "Kettleby Coastguard", "@coast@mastodon.social", "Two people rescued.",
        "https://files.example/p.jpg")
    assert from_card(card, "video").title == card.title


def test_blanks_are_filled_from_a_second_source_and_nothing_is_overwritten() -> None:
    first = EmbedMeta(author="A", handle="@a")
    second = EmbedMeta(author="B", excerpt="words", picture="https://p.example/x.jpg")
    assert first.filled(second) == EmbedMeta("", "A", "@a", "words", "https://p.example/x.jpg")
    assert not first.complete and first.filled(second).complete


@pytest.mark.parametrize(("url", "oembed", "page"), [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ",
     "https://www.youtube.com/oembed?format=json&url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3F"
     "v%3DdQw4w9WgXcQ", ""),
    ("http://vimeo.com/76979871",  # read over https whatever was pasted
     "https://vimeo.com/api/oembed.json?url=https%3A%2F%2Fvimeo.com%2F76979871", ""),
    ("https://journa.host/@desk/113456789012345678",
     "https://journa.host/api/oembed?url=https%3A%2F%2Fjourna.host%2F%40desk%2F"
     "113456789012345678", "https://journa.host/@desk/113456789012345678"),
    ("https://www.instagram.com/p/C1a2B3c4D5e/", "", "https://www.instagram.com/p/C1a2B3c4D5e/"),
    ("https://www.openstreetmap.org/#map=15/52.52000/13.40500", "", ""),
])
def test_each_provider_is_read_where_it_answers(url: str, oembed: str, page: str) -> None:
    assert embeds.sources(url) == embeds.Sources(oembed, page)


@pytest.mark.parametrize("url", ["https://news.example/a", "https://www.youtube.com/about",
                                 "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ"])
def test_what_is_not_an_embed_has_no_sources(url: str) -> None:
    assert embeds.sources(url) is None
