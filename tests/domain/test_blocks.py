"""Blocks: what a journalist may put in a post, and the messages when it is wrong."""

from __future__ import annotations

import pytest

from bulletin.domain.blocks import (
    MAX_BLOCKS,
    EmbedBlock,
    ImageBlock,
    LinkBlock,
    QuoteBlock,
    TextBlock,
    block_to_dict,
    parse_blocks,
)
from bulletin.domain.errors import ValidationError
from bulletin.render.sanitize import sanitize_html


def parse(raw: object) -> tuple[object, ...]:
    return parse_blocks(raw, sanitize_html)


def test_every_kind_parses_into_its_dataclass() -> None:
    blocks = parse([
        {"kind": "text", "html": "<p>Winds of <strong>120 km/h</strong></p>"},
        {"kind": "quote", "text": "Stay indoors.", "speaker": "The mayor", "context": "at 9pm"},
        {"kind": "image", "url": "https://img.example/a.jpg", "alt": "Waves", "caption": "Pier",
         "credit": "Jo Lens/Agency"},
        {"kind": "embed", "url": "https://www.youtube.com/watch?v=abcdefghijk"},
        {"kind": "link", "url": "https://example.org/report", "title": "Full report"},
    ])
    assert [type(b) for b in blocks] == [TextBlock, QuoteBlock, ImageBlock, EmbedBlock, LinkBlock]


def test_text_is_sanitised_on_the_way_in() -> None:
    (block,) = parse([{"kind": "text", "html": '<p onclick="x()">Hi<script>bad()</script></p>'}])
    assert isinstance(block, TextBlock)
    assert block.html == "<p>Hi</p>"


def test_text_that_is_only_unsafe_markup_is_refused() -> None:
    with pytest.raises(ValidationError, match="empty once unsafe markup is removed"):
        parse([{"kind": "text", "html": "<script>alert(1)</script>"}])


def test_round_trip_through_dict() -> None:
    raw = {"kind": "quote", "text": "We will rebuild.", "speaker": "Harbourmaster",
           "context": ""}
    (block,) = parse([raw])
    assert block_to_dict(block) == raw  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "field", "words"),
    [
        ("not a list", "blocks", "must be a list"),
        ([], "blocks", "at least one block"),
        ([{"kind": "text", "html": "<p>x</p>"}] * (MAX_BLOCKS + 1), "blocks", "up to 50"),
        (["text"], "blocks.0", "object with a kind"),
        ([{"kind": "video", "url": "https://x.example"}], "blocks.0.kind", "Unknown block kind"),
        ([{"kind": "text", "html": "<p>x</p>", "colour": "red"}], "blocks.0.colour", "no field"),
        ([{"kind": "image", "url": "https://a.example/x.jpg"}], "blocks.0.alt", "Alt text"),
        ([{"kind": "image", "url": "javascript:alert(1)", "alt": "x"}], "blocks.0.url",
         "https://"),
        ([{"kind": "link", "url": "//evil.example/x"}], "blocks.0.url", "https://"),
        ([{"kind": "embed", "url": "https://user:pw@example.org/"}], "blocks.0.url",
         "user name"),
        ([{"kind": "quote", "text": "a\x00b"}], "blocks.0.text", "control characters"),
        ([{"kind": "quote", "text": "x", "speaker": "a\nb"}], "blocks.0.speaker", "single line"),
        ([{"kind": "text", "html": 42}], "blocks.0.html", "must be text"),
    ],
)
def test_bad_blocks_are_explained(raw: object, field: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse(raw)
    assert caught.value.field == field
    assert words in caught.value.message


def test_images_may_point_at_this_site() -> None:
    (block,) = parse([{"kind": "image", "url": "/media/demo/pier.jpg", "alt": "Pier"}])
    assert isinstance(block, ImageBlock)
    assert block.url == "/media/demo/pier.jpg"


def test_a_photo_keeps_its_pixel_size_so_the_page_can_reserve_its_space() -> None:
    (block,) = parse([{"kind": "image", "url": "/media/uploads/a-640w.jpg", "alt": "Pier",
                       "width": 4000, "height": 3000}])
    assert isinstance(block, ImageBlock)
    assert (block.width, block.height, block.decorative) == (4000, 3000, False)


def test_a_decorative_photo_needs_no_alt_text() -> None:
    (block,) = parse([{"kind": "image", "url": "https://a.example/rule.png", "decorative": True}])
    assert isinstance(block, ImageBlock)
    assert block.decorative and block.alt == ""


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"decorative": True, "alt": "Waves"}, "blocks.0.alt", "decorative photo has no alt"),
        ({"alt": "x", "decorative": "yes"}, "blocks.0.decorative", "true or false"),
        ({"alt": "x", "width": 640}, "blocks.0.height", "both width and height"),
        ({"alt": "x", "height": 480}, "blocks.0.width", "both width and height"),
        ({"alt": "x", "width": -1, "height": 480}, "blocks.0.width", "whole number"),
        ({"alt": "x", "width": 1.5, "height": 480}, "blocks.0.width", "whole number"),
        ({"alt": "x", "width": True, "height": 480}, "blocks.0.width", "whole number"),
        ({"alt": "x", "width": 10**9, "height": 480}, "blocks.0.width", "whole number"),
    ],
)
def test_bad_photo_details_are_explained(extra: dict[str, object], field: str,
                                         words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse([{"kind": "image", "url": "https://a.example/x.jpg", **extra}])
    assert caught.value.field == field
    assert words in caught.value.message


def test_a_link_card_carries_the_site_name_and_a_stored_picture() -> None:
    (block,) = parse([{"kind": "link", "url": "https://news.example/story", "title": "Story",
                       "site": "News Example", "image": "/media/uploads/abc-640w.jpg"}])
    assert isinstance(block, LinkBlock)
    assert (block.site, block.image) == ("News Example", "/media/uploads/abc-640w.jpg")


@pytest.mark.parametrize("image", [
    "https://news.example/picture.jpg",  # readers would call the other site
    "/media/demo/pier.jpg",
    "/media/uploads/../../etc/passwd",
    "javascript:alert(1)",
    42,
])
def test_a_link_cards_picture_must_be_stored_by_bulletin(image: object) -> None:
    with pytest.raises(ValidationError) as caught:
        parse([{"kind": "link", "url": "https://news.example/story", "image": image}])
    assert caught.value.field == "blocks.0.image"
    assert "stored by Bulletin" in caught.value.message
