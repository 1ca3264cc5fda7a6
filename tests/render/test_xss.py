"""No script, event handler, dangerous URL, frame, style or foreign markup that a person
typed ever reaches a reader: not the reader page, the permalink page, the front page, the
`/changes` JSON nor the live SSE stream.

Two lists run through the whole path (publish through the API on a real server, then read
every surface back and parse it with a real HTML parser, see `Inspector` in
test_sanitize.py):
* the project's own curated list (CURATED in test_sanitize.py), one test per class of
  attack in ../shared/corpus/xss.index.tsv, and
* every one of the 252 payloads of ../shared/corpus/xss.txt, grouped by that class.

Each payload goes into every text-bearing field at once (headline, text HTML, quote text /
speaker / context, image alt / caption / credit, link title / description, embed title /
author / handle / excerpt, blog title / description), and then into the note of a visible
correction of that post. A field that refuses a payload with a clear 4xx is fine: the field
gets a harmless value and the rest is published and checked.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import shutil
from collections.abc import AsyncIterator, Awaitable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from bulletin.domain.roles import Role
from tests.conftest import App, LiveServer, serve_in_process
from tests.render.test_sanitize import (
    CATEGORIES,
    CURATED,
    Inspector,
    find_unsafe,
    inspect,
    read_corpus,
)

T = TypeVar("T")

# ---------------------------------------------------------------------------------------
# Publishing payloads in every text-bearing field, then reading every surface back
# ---------------------------------------------------------------------------------------

IMAGE_URL = "https://img.example/storm.jpg"
LINK_URL = "https://news.example/report"
EMBED_URL = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


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
            {"kind": "link", "url": LINK_URL, "title": payload, "description": payload,
             "site": payload},
            # An embed's facade text: what a provider said, as the journalist edited it.
            {"kind": "embed", "url": EMBED_URL, "title": payload, "author": payload,
             "handle": payload, "excerpt": payload},
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
    correction = {"correction": payload}
    r = await _send_until_accepted(
        server.client, "PATCH", f"/api/v1/blogs/{posts_slug}/posts/{placed.post_id}",
        {**server.auth(editor), "If-Match": '"1"'}, correction, placed)
    assert r.status_code == 200, r.text
    if "correction" not in placed.refused:
        placed.accepted["correction"] = payload.strip()
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
                    "blocks.2.alt", "blocks.2.credit", "blocks.3.title", "blocks.3.description",
                    "blocks.3.site", "correction")
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
    for kind in ("post.published", "post.updated"):  # each post, then its correction
        assert sorted(e["data"]["id"] for e in events if e["kind"] == kind) == sorted(by_id)
    for event in events:
        report.add(by_id[event["data"]["id"]], f"/changes html of {event['kind']}",
                   find_unsafe(event["data"]["html"]))
    frames = await read_sse(client, posts_slug, events[-1]["seq"])
    assert [int(f["id"]) for f in frames] == [e["seq"] for e in events]
    for frame, event in zip(frames, events, strict=True):
        assert frame["event"] == event["kind"] in ("post.published", "post.updated")
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
    embed = "https://www.youtube.com/watch?v=dQw4w9WgXcQ&x='><script>alert(1)</script>"
    r = await api.client.post("/api/v1/blogs/quotes/posts", headers=api.auth(admin), json={
        "blocks": [{"kind": "image", "url": image, "alt": "A photo"},
                   {"kind": "link", "url": link, "title": "Report"},
                   {"kind": "embed", "url": embed}]})
    assert r.status_code == 201, r.text
    for url in ("/blogs/quotes", f"/blogs/quotes/posts/{r.json()['id']}"):
        page = inspect((await api.client.get(url)).text, page=True)
        assert page.problems == []
        values = {(tag, name, value) for tag, name, value in page.attribute_values}
        assert ("img", "src", image) in values
        assert ("a", "href", link) in values
        assert ("a", "href", embed) in values
    assert find_unsafe(r.json()["html"]) == []


async def test_a_byline_role_never_reaches_a_reader_as_markup(api: App) -> None:
    """The byline's role text ("Political correspondent") is typed by a person and shown on
    every post: each curated payload either is refused with a clear message or arrives as
    plain text on the reader page, the permalink, the live payload and the account page."""
    from tests.web.test_sessions import signed_in, user

    admin = await api.token(Role.ADMIN)
    await user(api, "Rosa Byline", Role.EDITOR)
    browser = await signed_in(api, "Rosa Byline")
    r = await api.client.post("/api/v1/blogs", headers=api.auth(admin),
                              json={"slug": "bylines", "title": "Bylines"})
    assert r.status_code == 201, r.text
    accepted, refused, problems = 0, 0, []
    try:
        # The account page is a newsroom page with its own forms: only what is new counts.
        own = sorted(inspect((await browser.client.get("/account")).text, page=True).problems)
        for category in CATEGORIES:
            for i, payload in enumerate(CURATED[category], start=1):
                label = f"{category}#{i}"
                r = await browser.write("PATCH", "/api/v1/account", json={"title": payload})
                if r.status_code == 422:
                    assert r.json()["error"]["field"] == "title", (label, r.text)
                    refused += 1
                    continue
                assert r.status_code == 200, (label, r.text)
                accepted += 1
                stored = r.json()["title"]
                r = await browser.write("POST", "/api/v1/blogs/bylines/posts", json={
                    "blocks": [{"kind": "text", "html": f"<p>{label}</p>"}]})
                assert r.status_code == 201, (label, r.text)
                post_id = r.json()["id"]
                problems += [f"{label} live payload: {p}" for p in find_unsafe(r.json()["html"])]
                for path in ("/blogs/bylines", f"/blogs/bylines/posts/{post_id}", "/account"):
                    client = browser.client if path == "/account" else api.client
                    page = inspect((await client.get(path)).text, page=True)
                    found = page.problems
                    if path == "/account" and sorted(found) == own:
                        found = []
                    problems += [f"{label} on {path}: {p}" for p in found]
                    shown = {t.strip() for t in page.texts} | {
                        v.strip() for _, _, v in page.attribute_values}
                    if stored not in shown:
                        problems.append(f"{label} on {path}: the role is not there as text")
    finally:
        await browser.client.aclose()
    assert not problems, "\n".join(problems)
    assert accepted > refused  # most payloads were taken and shown as text
