"""Reading a page's card from its head: OpenGraph first, then Twitter cards, then plain HTML;
every value fits a link block, whatever the page sends."""

from __future__ import annotations

import random

import pytest

from bulletin.domain.blocks import MAX_CAPTION, MAX_SHORT, LinkBlock, parse_block
from bulletin.domain.linkcard import (
    LinkCard,
    card_title,
    charset,
    decode,
    is_address,
    one_line,
    parse_card,
)
from bulletin.render.sanitize import sanitize_html

PAGE = "https://news.example/world/2024/flood-report"


def head(*tags: str, title: str | None = None) -> str:
    inner = "".join(tags) + (f"<title>{title}</title>" if title is not None else "")
    return f"<!doctype html><html><head>{inner}</head><body><p>Body text</p></body></html>"


def meta(key: str, content: str, attr: str = "property") -> str:
    return f'<meta {attr}="{key}" content="{content}">'


def test_opengraph_gives_every_field() -> None:
    card = parse_card(head(
        meta("og:title", "River breaks its banks"),
        meta("og:description", "Hundreds evacuated overnight."),
        meta("og:site_name", "The Daily Example"),
        meta("og:image", "https://img.news.example/flood.jpg"),
        title="River breaks its banks | The Daily Example"), PAGE)
    assert card == LinkCard(title="River breaks its banks",
                            description="Hundreds evacuated overnight.",
                            site="The Daily Example",
                            image="https://img.news.example/flood.jpg")


def test_twitter_cards_fill_in_when_opengraph_is_missing() -> None:
    card = parse_card(head(
        meta("twitter:title", "Tweet title", "name"),
        meta("twitter:description", "Tweet description", "name"),
        meta("twitter:image", "https://img.news.example/t.png", "name"),
        title="Page title"), PAGE)
    assert (card.title, card.description, card.image) == (
        "Tweet title", "Tweet description", "https://img.news.example/t.png")


def test_plain_html_head_is_the_last_resort() -> None:
    card = parse_card(head(meta("description", "Plain description", "name"),
                           title="  Plain\n   title  "), PAGE)
    assert card == LinkCard(title="Plain title", description="Plain description",
                            site="news.example", image="")


def test_opengraph_wins_over_twitter_and_html() -> None:
    card = parse_card(head(meta("twitter:title", "Twitter", "name"), meta("og:title", "OG"),
                           title="HTML"), PAGE)
    assert card.title == "OG"


def test_the_site_name_falls_back_to_the_host_without_www() -> None:
    card = parse_card(head(title="x"), "https://www.Example.ORG/a")
    assert card.site == "example.org"


def test_a_page_without_any_metadata_gives_an_empty_card_named_after_its_host() -> None:
    assert parse_card("", PAGE) == LinkCard(site="news.example")
    assert parse_card("<p>No head at all", PAGE) == LinkCard(site="news.example")


def test_entities_and_character_references_are_decoded() -> None:
    card = parse_card(head(meta("og:title", "Caf&eacute; &amp; bar &#8211; &quot;open&quot;"),
                           meta("og:site_name", "Tom &amp; Jerry&#39;s")), PAGE)
    assert card.title == 'Café & bar – "open"'
    assert card.site == "Tom & Jerry's"


def test_markup_in_values_stays_text() -> None:
    card = parse_card(head(meta("og:title", "&lt;script&gt;alert(1)&lt;/script&gt;"),
                           title="<b>ignored</b>"), PAGE)
    assert card.title == "<script>alert(1)</script>"  # escaped by the template, never run


def test_the_first_title_counts_and_only_the_heads() -> None:
    html = ("<html><head><title>Head title</title><title>Second</title></head>"
            "<body><svg><title>Icon</title></svg>"
            '<meta property="og:title" content="In the body"></body></html>')
    assert parse_card(html, PAGE).title == "Head title"


def test_a_page_without_head_tags_still_gives_its_title() -> None:
    html = "<title>Bare title</title><meta name=description content=Bare><p>text"
    card = parse_card(html, PAGE)
    assert (card.title, card.description) == ("Bare title", "Bare")


def test_keys_and_attributes_are_case_insensitive() -> None:
    card = parse_card('<HEAD><META PROPERTY="OG:TITLE" CONTENT="Shouting"></HEAD>', PAGE)
    assert card.title == "Shouting"


def test_empty_values_fall_through_to_the_next_source() -> None:
    card = parse_card(head(meta("og:title", "   "), meta("twitter:title", "Second", "name")),
                      PAGE)
    assert card.title == "Second"


@pytest.mark.parametrize(("value", "expected"), [
    ("https://cdn.example/a.jpg", "https://cdn.example/a.jpg"),
    ("/images/a.jpg", "https://news.example/images/a.jpg"),
    ("../a.jpg", "https://news.example/world/a.jpg"),
    ("//cdn.example/b.jpg", "https://cdn.example/b.jpg"),
    ("http://cdn.example/insecure.jpg", ""),
    ("javascript:alert(1)", ""),
    ("data:image/png;base64,AAAA", ""),
    ("https://user:pw@cdn.example/a.jpg", ""),
    ("https://cdn.example:notaport/a.jpg", ""),
    ("https://cdn.example/a b.jpg", ""),
    ("https://cdn.example/" + "a" * 3000, ""),
])
def test_the_picture_is_an_absolute_https_address(value: str, expected: str) -> None:
    assert parse_card(head(meta("og:image", value)), PAGE).image == expected


def test_the_secure_picture_is_preferred_and_an_unusable_one_is_skipped() -> None:
    card = parse_card(head(meta("og:image", "https://cdn.example/plain.jpg"),
                           meta("og:image:secure_url", "https://cdn.example/secure.jpg")), PAGE)
    assert card.image == "https://cdn.example/secure.jpg"
    card = parse_card(head(meta("og:image", "http://cdn.example/insecure.jpg"),
                           meta("twitter:image", "https://cdn.example/t.jpg", "name")), PAGE)
    assert card.image == "https://cdn.example/t.jpg"


def test_the_first_of_several_pictures_is_taken() -> None:
    card = parse_card(head(meta("og:image", "/one.jpg"), meta("og:image", "/two.jpg")), PAGE)
    assert card.image == "https://news.example/one.jpg"


def test_a_base_address_in_the_head_resolves_relative_pictures() -> None:
    card = parse_card(head('<base href="https://static.example/assets/">',
                           meta("og:image", "pic.jpg")), PAGE)
    assert card.image == "https://static.example/assets/pic.jpg"


def test_absurd_lengths_are_cut_to_the_link_blocks_limits() -> None:
    words = " ".join(["flood"] * 2000)
    card = parse_card(head(meta("og:title", words), meta("og:description", words),
                           meta("og:site_name", "x" * 5000)), PAGE)
    assert len(card.title) <= MAX_SHORT and card.title.endswith("flood…")
    assert len(card.description) <= MAX_CAPTION and card.description.endswith("…")
    assert len(card.site) == MAX_SHORT and card.site.endswith("x…")


def test_line_breaks_and_control_characters_never_reach_the_card() -> None:
    card = parse_card(head(meta("og:title", "One&#10;two\u2028three\x85four\x07five"),
                           meta("og:description", "a&#13;&#10;&#10;b\tc"),
                           meta("og:site_name", "Site\x00Name")), PAGE)
    assert card.title == "One two three fourfive"
    assert card.description == "a b c"
    assert card.site == "SiteName"


def test_every_card_is_a_valid_link_block() -> None:
    rng = random.Random(4)
    alphabet = "ab <>&;#\"'=/\n\t\x00\x85\u2028é漢字x&amp;&#0;&#x85;og:title content meta"
    for _ in range(300):
        junk = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))
        card = parse_card(head(meta("og:title", junk), meta("og:description", junk),
                               meta("og:site_name", junk), junk, title=junk), PAGE)
        block = parse_block({"kind": "link", "url": PAGE, "title": card.title,
                             "description": card.description, "site": card.site},
                            "block", sanitize_html)
        assert isinstance(block, LinkBlock)


def test_one_line_keeps_short_text_as_it_is() -> None:
    assert one_line("  Short  text ", 20) == "Short text"
    assert one_line("abcdefghij", 5) == "abcd…"


@pytest.mark.parametrize(("body", "content_type", "expected"), [
    (b"<html>", "text/html; charset=ISO-8859-2", "iso8859-2"),
    (b"<html>", 'text/html; charset="utf-8"', "utf-8"),
    (b'<meta charset="windows-1251"><title>', "text/html", "cp1251"),
    (b'<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">', "", "shift_jis"),
    (b"<html>", "text/html", "utf-8"),
    (b"<html>", "text/html; charset=no-such-thing", "utf-8"),
    (b"<html>", "text/html; charset=base64", "utf-8"),
    (b"<html>", "text/html; charset=iso-8859-1", "cp1252"),
    (b'<meta charset="utf-16">', "", "utf-8"),
    (b"\xef\xbb\xbf<html>", "text/html; charset=iso-8859-1", "utf-8-sig"),
])
def test_the_charset_comes_from_bom_header_meta_then_utf8(body: bytes, content_type: str,
                                                          expected: str) -> None:
    assert charset(body, content_type) == expected


def test_pages_in_other_encodings_read_correctly() -> None:
    body = head(meta("og:title", "Überschwemmung in Köln"),
                '<meta charset="iso-8859-1">').encode("latin-1")
    assert parse_card(decode(body, "text/html"), PAGE).title == "Überschwemmung in Köln"
    body = head(meta("og:title", "Наводнение")).encode("koi8-r")
    assert parse_card(decode(body, "text/html; charset=KOI8-R"), PAGE).title == "Наводнение"


def test_a_page_cut_mid_character_still_decodes() -> None:
    body = head(meta("og:title", "Zürich")).encode()[:-3] + "ü".encode()[:1]
    assert decode(body).endswith("\ufffd")
    assert parse_card(decode(body), PAGE).title == "Zürich"


@pytest.mark.parametrize(("title", "site", "url", "expected"), [
    ("Floods close the coast road | BBC News", "BBC News", "https://www.bbc.co.uk/news/1",
     "Floods close the coast road"),
    ("Floods close the coast road - BBC News", "BBC News", "https://www.bbc.co.uk/news/1",
     "Floods close the coast road"),
    ("Floods close the coast road – bbc news", "BBC News", "https://www.bbc.co.uk/news/1",
     "Floods close the coast road"),
    ("BBC News: Floods close the coast road", "BBC News", "https://www.bbc.co.uk/news/1",
     "Floods close the coast road"),
    ("Floods close the coast road · example.org", "", "https://example.org/a",
     "Floods close the coast road"),
    # The site's name inside the title, or without a separator, is the title's own.
    ("BBC News presenter rescued", "BBC News", "https://www.bbc.co.uk/news/2",
     "BBC News presenter rescued"),
    ("Why Reuters moved", "Reuters", "https://www.reuters.com/a", "Why Reuters moved"),
    # Nothing left but the site, or an address: no title (the card names the site).
    ("BBC News", "BBC News", "https://www.bbc.co.uk/news/1", ""),
    ("https://www.bbc.co.uk/news/1", "BBC News", "https://www.bbc.co.uk/news/1", ""),
    ("www.bbc.co.uk/news/1", "", "https://www.bbc.co.uk/news/1", ""),
    ("bbc.co.uk/news/uk-123", "", "https://www.bbc.co.uk/news/uk-123", ""),
    ("bbc.co.uk", "", "https://www.bbc.co.uk/", ""),
    ("", "BBC News", "https://www.bbc.co.uk/news/1", ""),
    # A title that merely has a dot in it is still a title.
    ("Node.js 24 released", "", "https://nodejs.org/en/blog", "Node.js 24 released"),
])
def test_a_card_title_never_repeats_the_site_nor_is_an_address(
        title: str, site: str, url: str, expected: str) -> None:
    assert card_title(title, site, url) == expected


def test_a_read_card_has_its_title_without_the_site_name() -> None:
    card = parse_card('<meta property="og:title" content="Floods | The Daily Example">'
                      '<meta property="og:site_name" content="The Daily Example">',
                      "https://news.example/a")
    assert (card.title, card.site) == ("Floods", "The Daily Example")
    assert parse_card("<title>https://news.example/a</title>", "https://news.example/a"
                      ).title == ""


@pytest.mark.parametrize(("text", "expected"), [
    ("https://x.example/a", True), ("http://x", True), ("www.x.example", True),
    ("x.example/path", True), ("Storm hits coast", False), ("Node.js", False),
    ("3.5 million without power", False),
])
def test_is_address(text: str, expected: bool) -> None:
    assert is_address(text) is expected
