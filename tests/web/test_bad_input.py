"""Bad input through the API: every case gets a clear 4xx JSON error
`{"error": {"code", "message", "field"}}` whose message names what to fix, and leaves the
database exactly as it was (every table's rows, the blog's counters and the posts)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field as default
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update

from bulletin.actions.users import hash_token
from bulletin.domain.roles import Role
from bulletin.feed.hub import encode
from bulletin.store import blogs as blog_rows
from bulletin.store import events as event_rows
from bulletin.store import tables
from tests.conftest import App

OK_TEXT = {"kind": "text", "html": "<p>Power is out in the harbour district.</p>"}
SSE_FORGERY = "x\r\nevent: blog.ended\r\ndata: {}"


@dataclass
class World:
    """A live blog 'storm' with one published post, an ended blog 'done', and tokens."""

    api: App
    editor: str
    admin: str
    revoked: str
    post_id: int


@dataclass(frozen=True)
class Case:
    """One bad request and what its answer must say."""

    method: str
    path: str
    status: int
    words: tuple[str, ...]  # each must appear in the message (case-insensitive)
    field: str | None = None  # the field the error must name (None: not checked)
    json: Any = None
    content: bytes | None = None
    headers: dict[str, str] = default(default_factory=dict)
    who: str = "editor"  # editor | admin | none | revoked
    code: str | None = None


@pytest.fixture
async def world(api: App) -> World:
    admin = await api.token(Role.ADMIN, "Ada Admin")
    editor = await api.token(Role.EDITOR, "Erin Editor")
    for slug, title in (("storm", "Storm night"), ("done", "Yesterday's storm")):
        r = await api.client.post("/api/v1/blogs", headers=api.auth(admin),
                                  json={"slug": slug, "title": title})
        assert r.status_code == 201, r.text
    r = await api.client.post("/api/v1/blogs/storm/posts", headers=api.auth(editor),
                              json={"headline": "Landfall", "blocks": [OK_TEXT]})
    assert r.status_code == 201, r.text
    post_id = r.json()["id"]
    r = await api.client.post("/api/v1/blogs/done/end", headers=api.auth(admin))
    assert r.status_code == 200, r.text
    revoked = await api.token(Role.EDITOR, "Rex Revoked")
    async with api.newsroom.db.transaction() as conn:
        await conn.execute(update(tables.tokens)
                           .where(tables.tokens.c.token_hash == hash_token(revoked))
                           .values(revoked_at=api.newsroom.now()))
    return World(api=api, editor=editor, admin=admin, revoked=revoked, post_id=post_id)


async def snapshot(api: App) -> dict[str, Any]:
    """Everything the database holds: row counts, the blogs' counters, and every row."""
    async with api.newsroom.db.read() as conn:
        counts = {t.name: (await conn.execute(select(func.count()).select_from(t))).scalar_one()
                  for t in tables.metadata.sorted_tables}
        counters = {row.slug: (row.last_seq, row.last_position, row.status)
                    for row in await conn.execute(select(tables.blogs))}
        rows = {}
        for table in tables.metadata.sorted_tables:
            query = select(table).order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(r) for r in await conn.execute(query)]
    return {"counts": counts, "counters": counters, "rows": rows}


def _headers(world: World, case: Case) -> dict[str, str]:
    token = {"editor": world.editor, "admin": world.admin, "revoked": world.revoked,
             "none": None}[case.who]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return {**headers, **case.headers}


async def send(world: World, case: Case) -> httpx.Response:
    path = case.path.format(post=world.post_id)
    kwargs: dict[str, Any] = {"headers": _headers(world, case)}
    if case.content is not None:
        kwargs["content"] = case.content
    elif case.json is not None:
        kwargs["json"] = case.json
    return await world.api.client.request(case.method, path, **kwargs)


def check_error(r: httpx.Response, case: Case) -> dict[str, Any]:
    assert r.status_code == case.status, r.text
    assert 400 <= r.status_code < 500
    assert r.headers["content-type"].startswith("application/json"), r.headers
    body = r.json()
    error = body["error"]
    assert set(error) == {"code", "message", "field"}, error
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and len(error["message"]) > 10
    message = error["message"].lower()
    for word in case.words:
        assert word.lower() in message, (word, error["message"])
    if case.field is not None:
        assert error["field"] == case.field, error
    if case.code is not None:
        assert error["code"] == case.code, error
    if r.status_code == 401:
        assert r.headers["www-authenticate"] == "Bearer"
    return error


def publish(body: Any, **kw: Any) -> dict[str, Any]:
    return {"method": "POST", "path": "/api/v1/blogs/storm/posts", "json": body, **kw}


def blocks(*items: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"blocks": list(items), **extra}


def link(url: str) -> dict[str, Any]:
    return blocks({"kind": "link", "url": url, "title": "Full report"})


PATCH = "/api/v1/blogs/storm/posts/{post}"
BIG_TEXT = {"kind": "text", "html": "<p>" + "a" * 99_000 + "</p>"}

CASES: dict[str, Case] = {
    # --- wrong JSON types -------------------------------------------------------------
    "blocks-as-string": Case(**publish({"blocks": "<p>hello</p>"}), status=422,
                             field="blocks", words=("blocks", "list")),
    "headline-as-number": Case(**publish(blocks(OK_TEXT, headline=42)), status=422,
                               field="headline", words=("headline", "text")),
    "key-event-as-yes": Case(**publish(blocks(OK_TEXT, key_event="yes")), status=422,
                             field="key_event", words=("true or false",)),
    "block-as-string": Case(**publish({"blocks": ["just text"]}), status=422,
                            field="blocks.0", words=("object", "kind")),
    "speaker-as-list": Case(**publish(blocks({"kind": "quote", "text": "We are safe.",
                                              "speaker": ["Mayor"]})),
                            status=422, field="blocks.0.speaker", words=("speaker", "text")),
    "body-is-a-list": Case(**publish([OK_TEXT]), status=422, words=("JSON object",)),
    # --- missing, empty and unknown -------------------------------------------------------
    "missing-blocks": Case(**publish({"headline": "Only a headline"}), status=422,
                           field="blocks", words=("blocks",)),
    "empty-blocks": Case(**publish(blocks()), status=422, field="blocks",
                         words=("at least one block",)),
    "unknown-block-kind": Case(**publish(blocks({"kind": "poll", "question": "?"})),
                               status=422, field="blocks.0.kind",
                               words=("unknown block kind", "'poll'", "text, quote")),
    "block-without-kind": Case(**publish(blocks({"html": "<p>x</p>"})), status=422,
                               field="blocks.0.kind", words=("block kind",)),
    "unknown-post-field": Case(**publish(blocks(OK_TEXT, author="Somebody else")),
                               status=422, field="author",
                               words=("unknown field", "'author'")),
    "unknown-block-field": Case(**publish(blocks({**OK_TEXT, "style": "color:red"})),
                                status=422, words=("text block", "'style'")),
    "text-only-unsafe-markup": Case(**publish(blocks({"kind": "text",
                                                      "html": "<script>alert(1)</script>"})),
                                    status=422, field="blocks.0",
                                    words=("empty", "unsafe markup")),
    "empty-patch": Case(method="PATCH", path=PATCH, json={}, headers={"If-Match": '"1"'},
                        status=422, words=("nothing to change",)),
    "patch-unknown-field": Case(method="PATCH", path=PATCH, json={"pinned": True},
                                headers={"If-Match": '"1"'}, status=422, field="pinned",
                                words=("unknown field",)),
    # --- visible corrections: one line of plain text, never stored when wrong ----------
    "correction-empty": Case(method="PATCH", path=PATCH, json={"correction": "  "},
                             headers={"If-Match": '"1"'}, status=422, field="correction",
                             words=("needs a note",)),
    "correction-with-newline": Case(method="PATCH", path=PATCH,
                                    json={"headline": "Fixed", "correction": "Age\nwas 24"},
                                    headers={"If-Match": '"1"'}, status=422,
                                    field="correction", words=("single line",)),
    "correction-over-300": Case(method="PATCH", path=PATCH,
                                json={"headline": "Fixed", "correction": "c" * 10_000},
                                headers={"If-Match": '"1"'}, status=422, field="correction",
                                words=("10,000", "300")),
    "correction-not-text": Case(method="PATCH", path=PATCH,
                                json={"headline": "Fixed", "correction": ["24", "23"]},
                                headers={"If-Match": '"1"'}, status=422, field="correction",
                                words=("must be text",)),
    "correction-lone-surrogate": Case(
        method="PATCH", path=PATCH, content=b'{"headline":"Fixed","correction":"Age \\ud800"}',
        headers={"If-Match": '"1"', "Content-Type": "application/json"}, status=422,
        field="correction", words=("broken character",)),
    "correction-without-version": Case(method="PATCH", path=PATCH,
                                       json={"correction": "The suspect was 24, not 23."},
                                       status=428, field="If-Match", words=("If-Match",)),
    "headline-lone-surrogate": Case(
        method="POST", path="/api/v1/blogs/storm/posts", status=422, field="headline",
        content=b'{"headline":"\\udc00","blocks":[{"kind":"text","html":"<p>x</p>"}]}',
        headers={"Content-Type": "application/json"}, words=("broken",)),
    # --- over the limits --------------------------------------------------------------
    "headline-over-300": Case(**publish(blocks(OK_TEXT, headline="h" * 301)), status=422,
                              field="headline", words=("301", "300")),
    "text-html-over-100000": Case(**publish(blocks({"kind": "text",
                                                    "html": "<p>" + "a" * 100_000 + "</p>"})),
                                  status=422, field="blocks.0.html", words=("100,000",)),
    "post-over-512kb": Case(**publish(blocks(*[BIG_TEXT] * 6)), status=422, field="blocks",
                            words=("512 KB", "split")),
    "over-50-blocks": Case(**publish(blocks(*[OK_TEXT] * 51)), status=422, field="blocks",
                           words=("50 blocks", "51")),
    # --- control characters and forged SSE lines ------------------------------------------
    "null-byte-in-headline": Case(**publish(blocks(OK_TEXT, headline="Land\x00fall")),
                                  status=422, field="headline",
                                  words=("control characters",)),
    "bell-in-quote": Case(**publish(blocks({"kind": "quote", "text": "Run\x07now"})),
                          status=422, field="blocks.0.text", words=("control characters",)),
    "crlf-sse-forgery-in-headline": Case(**publish(blocks(OK_TEXT, headline=SSE_FORGERY)),
                                         status=422, field="headline",
                                         words=("single line",)),
    "crlf-in-link-title": Case(**publish(blocks({"kind": "link", "url": "https://e.example/",
                                                 "title": "a\nevent: x"})),
                               status=422, field="blocks.0.title", words=("single line",)),
    # --- bad URLs ---------------------------------------------------------------------
    "javascript-url": Case(**publish(link("javascript:alert(document.cookie)")), status=422,
                           field="blocks.0.url", words=("https://",)),
    "data-url-image": Case(**publish(blocks({"kind": "image", "alt": "Flooded road",
                                             "url": "data:image/png;base64,iVBORw0KGgo="})),
                           status=422, field="blocks.0.url", words=("image address",
                                                                    "https://")),
    "protocol-relative-url": Case(**publish(blocks({"kind": "image", "alt": "A road",
                                                    "url": "//evil.example/x.png"})),
                                  status=422, field="blocks.0.url", words=("https://",)),
    "credentials-in-url": Case(**publish(link("http://user:pw@news.example/report")),
                               status=422, field="blocks.0.url",
                               words=("user name or password",)),
    "url-without-scheme": Case(**publish(link("news.example/report")), status=422,
                               field="blocks.0.url", words=("https://",)),
    "url-with-spaces": Case(**publish(link("https://news.example/full report")),
                            status=422, field="blocks.0.url", words=("spaces",)),
    "embed-vbscript-url": Case(**publish(blocks({"kind": "embed",
                                                 "url": "vbscript:msgbox(1)"})),
                               status=422, field="blocks.0.url", words=("embed address",)),
    "image-without-alt": Case(**publish(blocks({"kind": "image",
                                                "url": "https://img.example/a.jpg"})),
                              status=422, field="blocks.0.alt", words=("alt text",)),
    # --- blogs: slugs, languages, time zones --------------------------------------------
    "bad-slug": Case(method="POST", path="/api/v1/blogs", who="admin",
                     json={"slug": "Storm Night!", "title": "Storm"}, status=422,
                     field="slug", words=("lowercase",)),
    "taken-slug": Case(method="POST", path="/api/v1/blogs", who="admin",
                       json={"slug": "storm", "title": "Again"}, status=409, field="slug",
                       words=("taken",)),
    "bad-timezone": Case(method="POST", path="/api/v1/blogs", who="admin",
                         json={"slug": "mars", "title": "Mars", "timezone": "Mars/Olympus"},
                         status=422, field="timezone", words=("time zone", "Europe/Berlin")),
    "bad-blog-language": Case(method="PATCH", path="/api/v1/blogs/storm",
                              json={"language": "english please"}, status=422,
                              field="language", words=("language tag",)),
    "bad-post-language": Case(**publish(blocks(OK_TEXT, language="x")), status=422,
                              field="language", words=("language tag",)),
    "blog-title-missing": Case(method="POST", path="/api/v1/blogs", who="admin",
                               json={"slug": "untitled"}, status=422, field="title",
                               words=("title", "required")),
    "blog-poll-after-as-text": Case(method="PATCH", path="/api/v1/blogs/storm",
                                    json={"poll_after": "fast"}, status=422,
                                    field="poll_after", words=("seconds",)),
    "unknown-blog-slug": Case(**publish(blocks(OK_TEXT), path="/api/v1/blogs/nope/posts"),
                              status=404, field="slug", words=("no blog", "nope")),
    "unknown-blog-slug-read": Case(method="GET", path="/api/v1/blogs/nope", status=404,
                                   field="slug", words=("no blog",)),
    # --- bad seqs, cursors and ids ------------------------------------------------------
    "changes-since-yesterday": Case(method="GET", path="/blogs/storm/changes?since=yesterday",
                                    status=422, field="since", words=("whole number",)),
    "changes-since-negative": Case(method="GET", path="/blogs/storm/changes?since=-1",
                                   status=422, field="since", words=("at least 0",)),
    "changes-since-beyond-the-store": Case(method="GET",
                                           path="/blogs/storm/changes?since=99999999999",
                                           status=422, field="since",
                                           words=("no larger than",)),
    "permalink-id-too-large": Case(method="GET", path="/blogs/storm/posts/99999999999999",
                                   status=422, field="post_id", words=("no larger than",)),
    "live-last-event-id-abc": Case(method="GET", path="/blogs/storm/live",
                                   headers={"Last-Event-ID": "abc"}, status=422,
                                   field="last_event_id", words=("last event",)),
    "posts-before-zero": Case(method="GET", path="/api/v1/blogs/storm/posts?before=0",
                              status=422, field="before", words=("at least 1",)),
    "post-id-not-a-number": Case(method="GET", path="/api/v1/blogs/storm/posts/first",
                                 status=422, field="post_id", words=("whole number",)),
    "post-id-too-large": Case(method="GET",
                              path="/api/v1/blogs/storm/posts/99999999999999999999",
                              status=422, field="post_id", words=("no larger than",)),
    "posts-before-too-large": Case(method="GET",
                                   path="/api/v1/blogs/storm/posts?before=1" + "0" * 20,
                                   status=422, field="before", words=("no larger than",)),
    "unknown-post-id": Case(method="PATCH", path="/api/v1/blogs/storm/posts/424242",
                            json={"headline": "x"}, headers={"If-Match": '"1"'}, status=404,
                            field="post_id", words=("424242",)),
    # --- versions -----------------------------------------------------------------------
    "stale-version": Case(method="PATCH", path=PATCH, json={"headline": "Mine"},
                          headers={"If-Match": '"7"'}, status=409, field="If-Match",
                          words=("version 7", "version 1")),
    "missing-version": Case(method="PATCH", path=PATCH, json={"headline": "Mine"},
                            status=428, field="If-Match", words=("If-Match",)),
    "malformed-if-match": Case(method="PATCH", path=PATCH, json={"headline": "Mine"},
                               headers={"If-Match": "latest"}, status=422, field="If-Match",
                               words=("version",)),
    "malformed-if-match-on-delete": Case(method="DELETE", path=PATCH,
                                         headers={"If-Match": '"1'}, status=422,
                                         field="If-Match", words=("version",)),
    # --- tokens -------------------------------------------------------------------------
    "missing-token": Case(**publish(blocks(OK_TEXT)), who="none", status=401,
                          code="unauthenticated", words=("Authorization", "Bearer")),
    "invalid-token": Case(**publish(blocks(OK_TEXT)), who="none",
                          headers={"Authorization": "Bearer not-a-real-token"}, status=401,
                          words=("not valid",)),
    "revoked-token": Case(**publish(blocks(OK_TEXT)), who="revoked", status=401,
                          words=("revoked",)),
    "basic-auth-scheme": Case(**publish(blocks(OK_TEXT)), who="none",
                              headers={"Authorization": "Basic dXNlcjpwdw=="}, status=401,
                              words=("Bearer",)),
    "bearer-without-token": Case(**publish(blocks(OK_TEXT)), who="none",
                                 headers={"Authorization": "Bearer "}, status=401,
                                 words=("Bearer",)),
    # --- bodies -------------------------------------------------------------------------
    "text-plain-body": Case(method="POST", path="/api/v1/blogs/storm/posts",
                            content=json.dumps(blocks(OK_TEXT)).encode(),
                            headers={"Content-Type": "text/plain"}, status=415,
                            field="Content-Type", words=("application/json", "text/plain")),
    "form-encoded-body": Case(method="POST", path="/api/v1/blogs/storm/posts",
                              content=b"headline=Hi&html=%3Cp%3Ex%3C%2Fp%3E",
                              headers={"Content-Type": "application/x-www-form-urlencoded"},
                              status=415, words=("application/json",)),
    "invalid-json": Case(method="POST", path="/api/v1/blogs/storm/posts",
                         content=b'{"blocks": [', headers={"Content-Type": "application/json"},
                         status=400, code="invalid_json", words=("not valid JSON",)),
    "invalid-utf8": Case(method="POST", path="/api/v1/blogs/storm/posts",
                         content=b'{"headline": "\xff\xfe"}',
                         headers={"Content-Type": "application/json"}, status=400,
                         words=("JSON",)),
    "deeply-nested-json": Case(method="POST", path="/api/v1/blogs/storm/posts",
                               content=b"[" * 100_000 + b"]" * 100_000,
                               headers={"Content-Type": "application/json"}, status=400,
                               words=("nested",)),
    "body-over-1mb": Case(method="POST", path="/api/v1/blogs/storm/posts",
                          content=json.dumps(blocks(*[BIG_TEXT] * 11)).encode(),
                          headers={"Content-Type": "application/json"}, status=413,
                          code="too_large", words=("1 MB",)),
    "idempotency-key-too-long": Case(**publish(blocks(OK_TEXT)),
                                     headers={"Idempotency-Key": "k" * 201}, status=422,
                                     field="Idempotency-Key", words=("200",)),
    # --- ended coverage -----------------------------------------------------------------
    "publish-into-ended-blog": Case(**publish(blocks(OK_TEXT), path="/api/v1/blogs/done/posts"),
                                    status=409, code="blog_ended", field="slug",
                                    words=("has ended", "reopen")),
    "end-with-bad-closing-post": Case(method="POST", path="/api/v1/blogs/storm/end",
                                      json={"closing_post": {"blocks": []}}, status=422,
                                      field="blocks", words=("at least one block",)),
    "end-with-unknown-field": Case(method="POST", path="/api/v1/blogs/storm/end",
                                   json={"closing": "bye"}, status=422, field="closing",
                                   words=("closing_post",)),
    "end-with-empty-title": Case(method="POST", path="/api/v1/blogs/storm/end",
                                 json={"title": " "}, status=422, field="title",
                                 words=("title is required",)),
    "end-with-two-line-title": Case(method="POST", path="/api/v1/blogs/storm/end",
                                    json={"title": "Storm\n— as it happened"}, status=422,
                                    field="title", words=("single line",)),
    "end-with-unpin-as-text": Case(method="POST", path="/api/v1/blogs/storm/end",
                                   json={"unpin": "yes"}, status=422, field="unpin",
                                   words=("true or false",)),
    "end-not-an-object": Case(method="POST", path="/api/v1/blogs/storm/end",
                              json=["closing_post"], status=422, words=("json object",)),
    "end-an-ended-blog-with-a-title": Case(method="POST", path="/api/v1/blogs/done/end",
                                           json={"title": "Done — as it happened"},
                                           status=409, code="blog_ended",
                                           words=("already ended", "reopen")),
}


def test_the_suite_has_at_least_30_distinct_cases() -> None:
    assert len(CASES) >= 30
    assert len({(c.method, c.path, repr(c.json), c.content, repr(c.headers), c.who)
                for c in CASES.values()}) == len(CASES)


@pytest.mark.parametrize("name", list(CASES))
async def test_bad_input_gets_a_clear_error_and_changes_nothing(world: World, name: str
                                                                ) -> None:
    case = CASES[name]
    before = await snapshot(world.api)
    r = await send(world, case)
    check_error(r, case)
    assert await snapshot(world.api) == before


async def test_unauthenticated_answers_say_how_to_authenticate(world: World) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Token abc"}):
        r = await world.api.client.post("/api/v1/blogs/storm/posts", headers=headers,
                                        json=blocks(OK_TEXT))
        assert r.status_code == 401
        assert r.headers["www-authenticate"] == "Bearer"


async def test_a_forged_sse_line_never_reaches_the_stream(world: World) -> None:
    """Where a line break is allowed (inside a text block) the event is still one SSE frame
    of exactly one id, one event and one data line."""
    api = world.api
    r = await api.client.post("/api/v1/blogs/storm/posts", headers=api.auth(world.editor),
                              json=blocks({"kind": "text", "html": f"<p>{SSE_FORGERY}</p>"}))
    assert r.status_code == 201, r.text
    async with api.newsroom.db.read() as conn:
        blog = await blog_rows.get_by_slug(conn, "storm")
        assert blog is not None
        events = await event_rows.since(conn, blog.id, 0)
    frame = encode(events[-1])
    assert frame.endswith(b"\n\n") and b"\r" not in frame
    lines = frame[:-2].split(b"\n")
    assert [line.split(b":", 1)[0] for line in lines] == [b"id", b"event", b"data"]
    assert lines[1] == b"event: post.published"
    changes = (await api.client.get("/blogs/storm/changes")).json()
    assert changes["ended"] is False
    assert "event: blog.ended" in changes["events"][-1]["data"]["blocks"][0]["html"]
