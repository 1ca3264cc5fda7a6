"""The HTML allow-list for text blocks (nh3): what it keeps, what it removes, and that no
payload of the project's XSS list or of the shared corpus survives it."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from bulletin.render.sanitize import TAGS, sanitize_html
from tests.render.test_xss import CATEGORIES, CURATED, find_unsafe, read_corpus

REL = 'rel="noopener noreferrer nofollow ugc"'
# nh3 also keeps its generic `lang` and `title` attributes: plain text, never executed.
ALLOWED_ATTRIBUTES = {"a": {"href", "rel", "lang", "title"}}
GENERIC_ATTRIBUTES = {"lang", "title"}


@pytest.mark.parametrize(("html", "expected"), [
    ("<p>Plain <strong>bold</strong> and <em>italic</em>.</p>",
     "<p>Plain <strong>bold</strong> and <em>italic</em>.</p>"),
    ("<p><b>b</b> <i>i</i></p>", "<p><b>b</b> <i>i</i></p>"),
    ("<ul><li>One</li></ul><ol><li>Two</li></ol>", "<ul><li>One</li></ul><ol><li>Two</li></ol>"),
    ("<blockquote>Quoted</blockquote>", "<blockquote>Quoted</blockquote>"),
    ("Line<br>break", "Line<br>break"),
    ('<a href="https://news.example/a?b=1&amp;c=2">report</a>',
     f'<a href="https://news.example/a?b=1&amp;c=2" {REL}>report</a>'),
    ('<a href="mailto:desk@news.example">Tip us</a>',
     f'<a href="mailto:desk@news.example" {REL}>Tip us</a>'),
    ("AT&amp;T says a &lt; b", "AT&amp;T says a &lt; b"),
], ids=["strong-em", "b-i", "lists", "blockquote", "br", "link", "mailto", "entities"])
def test_the_text_subset_is_kept(html: str, expected: str) -> None:
    assert sanitize_html(html) == expected


@pytest.mark.parametrize(("html", "expected"), [
    ("<script>alert(1)</script>Safe", "Safe"),
    ("<style>p{color:red}</style>Safe", "Safe"),
    ("<iframe src='https://e.example/'>inside</iframe>After", "After"),
    ("<svg><circle onload=alert(1)></circle>text</svg>After", "After"),
    ("<!-- a comment -->Text", "Text"),
    ("<h1>Big</h1><div>Box</div>", "BigBox"),
    ('<p onclick="x()" style="color:red" class="c" id="i">Hi</p>', "<p>Hi</p>"),
    ('<img src="x" onerror="alert(1)">Caption', "Caption"),
    ('<a href="javascript:alert(1)">x</a>', f"<a {REL}>x</a>"),
    ('<a href=" JaVaScRiPt:alert(1)">x</a>', f"<a {REL}>x</a>"),
    ('<a href="data:text/html,<script>alert(1)</script>">x</a>', f"<a {REL}>x</a>"),
    ('<a href="vbscript:msgbox(1)">x</a>', f"<a {REL}>x</a>"),
    ('<a href="&#xA0;javascript:alert(1)">x</a>', f"<a {REL}>x</a>"),
    ('<a href="&#x2000;javascript:alert(1)">x</a>', f"<a {REL}>x</a>"),
    ('<a href="https://news.example/" target="_blank" rel="opener">x</a>',
     f'<a href="https://news.example/" {REL}>x</a>'),
], ids=["script", "style", "iframe", "svg", "comment", "unknown-tags", "attributes", "img",
        "javascript-href", "mixed-case-href", "data-href", "vbscript-href", "nbsp-href",
        "en-quad-href", "target-and-rel"])
def test_everything_else_is_removed(html: str, expected: str) -> None:
    assert sanitize_html(html) == expected


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, set[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name for name, _ in attrs}))


def outside_the_allow_list(html: str) -> list[str]:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return [f"<{tag} {sorted(names)}>" for tag, names in parser.found
            if tag not in TAGS or names - ALLOWED_ATTRIBUTES.get(tag, GENERIC_ATTRIBUTES)]


def assert_neutralised(label: str, payload: str) -> None:
    clean = sanitize_html(payload)
    assert find_unsafe(clean) == [], (label, payload, clean)
    assert outside_the_allow_list(clean) == [], (label, payload, clean)
    # Sanitising its own output changes nothing: the sanitiser and the browser's parser
    # agree on the markup, so nothing mutates into live markup when it is parsed again.
    assert sanitize_html(clean) == clean, (label, payload, clean)


@pytest.mark.parametrize("category", CATEGORIES)
def test_curated_payloads_are_neutralised(category: str) -> None:
    for i, payload in enumerate(CURATED[category], start=1):
        assert_neutralised(f"{category}#{i}", payload)


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_corpus_payload_is_neutralised(repo_root: Path, category: str) -> None:
    payloads = [(line, payload) for line, cat, _, payload in read_corpus(repo_root)
                if cat == category]
    assert payloads
    for line, payload in payloads:
        assert_neutralised(f"xss.txt:{line}", payload)


def test_the_inspector_sees_what_it_must() -> None:
    """The checker used by the XSS suites is not blind (each line is one unsafe thing)."""
    unsafe = [
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
        '<a href=" java\tscript:alert(1)">x</a>', '<a href="&#106;avascript:x">x</a>',
        '<a href="&#xA0;javascript:x">x</a>', '<a href="VBSCRIPT:x">x</a>',
        '<iframe src="https://e.example/"></iframe>', '<p style="color:red">x</p>',
        '<meta http-equiv="refresh" content="0">', "<base href=/>", "<svg></svg>",
        "<math></math>", "<style></style>", '<object data="x"></object>', "<embed src=x>",
        '<form action="https://e.example/"></form>', '<button formaction="data:x">b</button>',
        '<svg><a xlink:href="javascript:x">x</a></svg>', "<!-- c -->",
        '<script src="/static/reader.js"></script>',
    ]
    for html in unsafe:
        assert find_unsafe(html), html
    page = ('<!doctype html><html><head><link rel="stylesheet" href="/static/reader.css">'
            '<link rel="stylesheet" href="https://evil.example/x.css"></head><body>'
            '<script src="/static/reader.js" defer></script>'
            '<script src="/static/reader.js">alert(1)</script>'
            '<script src="//evil.example/static/x.js"></script></body></html>')
    assert len(find_unsafe(page, page=True)) == 3
    safe = ('<p>Hi <a href="https://news.example/" rel="nofollow">x</a> <a href="/blogs/x">y'
            '</a> <a href="#post-1">z</a> <a href="mailto:a@b.example">m</a></p>')
    assert find_unsafe(safe) == []
