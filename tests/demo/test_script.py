"""The demo story is well-formed, and its photos are drawn, valid and left alone once made."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image

from bulletin.demo.photos import HEIGHT, PHOTO_NAMES, WIDTH, generate_photos, render_photo
from bulletin.demo.script import DEMO_BLOG, DEMO_POSTS

KEYS = {
    "text": {"kind", "html"},
    "quote": {"kind", "text", "speaker", "context"},
    "image": {"kind", "url", "caption", "credit", "alt"},
    "embed": {"kind", "url"},
    "link": {"kind", "url", "title", "description"},
}
HTML_TAGS = {"p", "a", "strong", "em", "ul", "ol", "li", "blockquote", "br"}
EMBED_PATTERNS = [
    re.compile(r"https://www\.youtube\.com/watch\?v=[A-Za-z0-9_-]{11}"),
    re.compile(r"https://mastodon\.social/@[a-z0-9_]+/\d{18}"),
    re.compile(r"https://bsky\.app/profile/[a-z0-9.-]+\.bsky\.social/post/[2-7a-z]{13}"),
    re.compile(r"https://x\.com/[A-Za-z0-9_]+/status/\d{19}"),
]


def _post_blocks(post: dict[str, object]) -> list[dict[str, str]]:
    blocks = post["blocks"]
    assert isinstance(blocks, list)
    return blocks


def _blocks() -> list[dict[str, str]]:
    return [block for post in DEMO_POSTS for block in _post_blocks(post)]


def _of_kind(kind: str) -> list[dict[str, str]]:
    return [b for b in _blocks() if b["kind"] == kind]


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def test_blog_metadata() -> None:
    assert set(DEMO_BLOG) == {"slug", "title", "description", "language", "timezone"}
    assert DEMO_BLOG["slug"] == "storm-halvard"
    assert DEMO_BLOG["language"] == "en"
    assert DEMO_BLOG["timezone"] == "Europe/London"
    assert "\n" not in DEMO_BLOG["title"] and len(DEMO_BLOG["title"]) <= 300
    assert 100 < len(DEMO_BLOG["description"]) < 1000


def test_post_shape() -> None:
    assert len(DEMO_POSTS) == 36
    for i, post in enumerate(DEMO_POSTS):
        assert set(post) == {"headline", "blocks", "key_event", "pin"}, i
        headline = post["headline"]
        assert headline is None or (isinstance(headline, str) and headline.strip()), i
        assert isinstance(post["key_event"], bool) and isinstance(post["pin"], bool), i
        blocks = post["blocks"]
        assert isinstance(blocks, list) and len(blocks) >= 1, i


def test_only_documented_kinds_and_keys() -> None:
    for block in _blocks():
        assert block["kind"] in KEYS, block
        assert set(block) == KEYS[block["kind"]], block
        assert all(isinstance(v, str) and v.strip() for v in block.values()), block


def test_every_kind_is_used_several_times() -> None:
    for kind in KEYS:
        assert len(_of_kind(kind)) >= 3, kind
    assert len(_of_kind("image")) >= 8


def test_text_html_uses_the_allowed_subset() -> None:
    for block in _of_kind("text"):
        parser = _TagCollector()
        parser.feed(block["html"])
        parser.close()
        assert parser.tags, block["html"]
        for tag, attrs in parser.tags:
            assert tag in HTML_TAGS, (tag, block["html"])
            if tag == "a":
                assert [name for name, _ in attrs] == ["href"]
                href = dict(attrs)["href"]
                assert href is not None and href.startswith("https://")
            else:
                assert attrs == [], (tag, block["html"])


def test_images_name_generated_photos() -> None:
    used = set()
    for block in _of_kind("image"):
        assert block["url"].startswith("/media/demo/"), block["url"]
        name = block["url"].removeprefix("/media/demo/")
        assert name in PHOTO_NAMES, name
        used.add(name)
        assert "\n" not in block["credit"] and len(block["credit"]) <= 300
    assert used == set(PHOTO_NAMES)


def test_embeds_are_plausible_and_varied() -> None:
    urls = [b["url"] for b in _of_kind("embed")]
    for url in urls:
        assert any(p.fullmatch(url) for p in EMBED_PATTERNS), url
    hosts = {urlsplit(url).hostname for url in urls}
    assert hosts == {"www.youtube.com", "mastodon.social", "bsky.app", "x.com"}


def test_links_point_at_reserved_example_domains() -> None:
    for block in _of_kind("link"):
        parts = urlsplit(block["url"])
        assert parts.scheme == "https" and parts.hostname in {"example.org", "example.com"}
        assert "\n" not in block["title"] and len(block["title"]) <= 300
    for block in _of_kind("text"):
        for href in re.findall(r'href="([^"]+)"', block["html"]):
            assert urlsplit(href).hostname in {"example.org", "example.com"}, href


def test_exactly_one_pinned_recap_early_on() -> None:
    pinned = [i for i, post in enumerate(DEMO_POSTS) if post["pin"]]
    assert len(pinned) == 1
    assert pinned[0] < 6
    headline = DEMO_POSTS[pinned[0]]["headline"]
    assert isinstance(headline, str) and headline.startswith("Quick recap")


def test_key_events() -> None:
    assert 5 <= sum(1 for post in DEMO_POSTS if post["key_event"]) <= 8


def test_story_beats() -> None:
    text = " ".join(b["html"] for b in _of_kind("text"))
    assert "unconfirmed" in text.lower()
    assert "Correction:" in text


def test_last_post_closes_the_coverage() -> None:
    last = DEMO_POSTS[-1]
    assert not last["pin"]
    html = " ".join(b["html"] for b in _post_blocks(last) if b["kind"] == "text")
    assert "This concludes our live coverage" in html
    for post in DEMO_POSTS[:-1]:
        assert not any("concludes our live coverage" in b.get("html", "")
                       for b in _post_blocks(post))


def test_posts_pass_the_publishing_rules() -> None:
    """The same validation and sanitiser every door uses accept the script unchanged."""
    from bulletin.domain.blog import (
        validate_description,
        validate_language,
        validate_slug,
        validate_timezone,
        validate_title,
    )
    from bulletin.domain.post import parse_content
    from bulletin.render.sanitize import sanitize_html

    validate_slug(DEMO_BLOG["slug"])
    validate_title(DEMO_BLOG["title"])
    validate_description(DEMO_BLOG["description"])
    validate_language(DEMO_BLOG["language"])
    validate_timezone(DEMO_BLOG["timezone"])
    for post in DEMO_POSTS:
        content = parse_content(post, sanitize_html)
        assert len(content.blocks) == len(_post_blocks(post))
    for block in _of_kind("text"):
        cleaned = re.sub(r' rel="[^"]*"', "", sanitize_html(block["html"]))
        assert cleaned == block["html"]


def test_generate_photos(tmp_path: Path) -> None:
    target = tmp_path / "media" / "demo"
    names = generate_photos(target)
    assert names == list(PHOTO_NAMES)
    assert len(set(names)) == len(names) >= 8
    stamps = {}
    for name in names:
        path = target / name
        with Image.open(path) as img:
            img.verify()
        with Image.open(path) as img:
            assert img.format == "JPEG"
            assert img.size == (WIDTH, HEIGHT) == (1280, 853)
            assert img.mode == "RGB"
            assert img.info.get("progressive") or img.info.get("progression")
            assert 40 < sum(img.convert("L").resize((8, 8)).tobytes()) / 64 < 220
        stamps[name] = (path.stat().st_mtime_ns, path.read_bytes())
    assert sorted(p.name for p in target.iterdir()) == sorted(names)

    assert generate_photos(target) == names
    for name in names:
        path = target / name
        assert (path.stat().st_mtime_ns, path.read_bytes()) == stamps[name]

    (target / names[0]).write_bytes(b"already here")
    generate_photos(target)
    assert (target / names[0]).read_bytes() == b"already here"


def test_photos_are_deterministic() -> None:
    name = "storm-track-map.jpg"
    assert render_photo(name).tobytes() == render_photo(name).tobytes()
