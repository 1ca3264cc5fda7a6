"""Reader pages speak their blog's language: German interface for a German blog, English for
any language without a catalogue, and right-to-left for Arabic."""

from __future__ import annotations

import json
from typing import Any

from bulletin.domain.paging import PAGE_SIZE
from bulletin.domain.roles import Role
from tests.conftest import App
from tests.web.test_pages import open_blog, page, pager_label, publish

TWO_PAGES = 2 * PAGE_SIZE  # the front page holds up to 2 × PAGE_SIZE − 1 posts


async def test_a_german_blog_page_has_a_german_interface(api: App) -> None:
    editor = await open_blog(api, language="de")
    for i in range(TWO_PAGES):
        await publish(api, editor, f"Meldung {i}")
    doc = await page(api, "/blogs/storm")
    assert doc.find("html").attrs["lang"] == "de"
    assert doc.find("span", class_="badge").content == "Live"
    assert doc.find("span", class_="blog__updated").content.startswith("Aktualisiert ")
    assert pager_label(doc) == "Seite 2 von 2 · neueste"
    assert doc.find("a", class_="pager__older").content == "Ältere Meldungen →"
    assert doc.find("a", class_="skip").content == "Zum Inhalt springen"
    assert doc.find("button", id="pause").content == "Live-Updates anhalten"
    assert doc.find("a", class_="post__share").attrs["aria-label"] == "Link zu dieser Meldung"
    strings = json.loads(doc.find("div", id="live").attrs["data-strings"])
    assert strings["1 new update"] == "1 neue Meldung"
    older = await page(api, "/blogs/storm?page=1")
    assert older.find("title").content == "Storm night — Seite 1 von 2"
    assert pager_label(older) == "Seite 1 von 2 · älteste"
    newer = older.find("a", class_="pager__newer")
    assert newer.text.strip() == "Neuere Meldungen" and newer.find("span").content == "←"


async def test_an_ended_regional_german_blog_says_so_in_german(api: App) -> None:
    editor = await open_blog(api, language="de-AT")
    await publish(api, editor, "Schluss für heute.")
    admin = await api.token(Role.ADMIN)
    r = await api.client.post("/api/v1/blogs/storm/end", headers=api.auth(admin), json={})
    assert r.status_code == 200, r.text
    doc = await page(api, "/blogs/storm")
    assert doc.find("span", class_="badge").content == "Beendet"
    assert doc.find("p", id="ended-banner").content == "Diese Live-Berichterstattung ist beendet."


async def test_an_english_post_in_a_german_blog_keeps_its_language(api: App) -> None:
    editor = await open_blog(api, language="de")
    post = await publish(api, editor, "A statement in English.", language="en")
    doc = await page(api, "/blogs/storm")
    article = doc.find("article", id=f"post-{post['id']}")
    assert article.attrs["lang"] == "en"
    assert doc.find("html").attrs["lang"] == "de"
    permalink = await page(api, f"/blogs/storm/posts/{post['id']}")
    assert permalink.find("html").attrs["lang"] == "en"
    assert permalink.find("a", class_="button").content == "Den neuesten Meldungen folgen →"


async def test_the_live_payload_of_a_german_blog_is_german(api: App) -> None:
    editor = await open_blog(api, language="de")
    post = await publish(api, editor, "Erste Fassung.", key_event=True)
    r = await api.client.patch(
        f"/api/v1/blogs/storm/posts/{post['id']}", headers={
            **api.auth(editor), "If-Match": f'"{post["version"]}"'},
        json={"blocks": [{"kind": "text", "html": "<p>Zweite Fassung.</p>"}]})
    assert r.status_code == 200, r.text
    changes = await api.client.get("/blogs/storm/changes", params={"since": 0})
    events: list[dict[str, Any]] = changes.json()["events"]
    edited = [e["data"]["html"] for e in events if e["kind"] == "post.updated"]
    assert edited and "Aktualisiert" in edited[-1] and "Wichtiges Ereignis" in edited[-1]
    assert "Updated" not in edited[-1]


async def test_an_arabic_blog_is_right_to_left_with_flipped_pager_arrows(api: App) -> None:
    editor = await open_blog(api, language="ar")
    for i in range(TWO_PAGES):
        await publish(api, editor, f"تحديث {i}")
    doc = await page(api, "/blogs/storm")
    html = doc.find("html")
    assert (html.attrs["lang"], html.attrs["dir"]) == ("ar", "rtl")
    older = doc.find("a", class_="pager__older")
    assert older.text.strip() == "Older updates" and older.find("span").content == "←"
    embed = await page(api, "/blogs/storm/embed")
    assert embed.find("html").attrs["dir"] == "rtl"


async def test_a_language_without_a_catalogue_reads_english(api: App) -> None:
    editor = await open_blog(api, language="xx")
    for i in range(TWO_PAGES):
        await publish(api, editor, f"Update {i}")
    doc = await page(api, "/blogs/storm")
    assert doc.find("html").attrs["lang"] == "xx"
    assert pager_label(doc) == "Page 2 of 2 · latest"
    assert doc.find("span", class_="blog__updated").content.startswith("Updated ")
    strings = json.loads(doc.find("div", id="live").attrs["data-strings"])
    assert strings["{n} new updates"] == "{n} new updates"


async def test_a_german_embed_is_german(api: App) -> None:
    editor = await open_blog(api, language="de")
    await publish(api, editor, "Erste Meldung.")
    doc = await page(api, "/blogs/storm/embed")
    footer = doc.find("p", class_="embed__footer")
    assert footer.find("a").content == "Zur vollständigen Berichterstattung"
    assert "Veröffentlicht mit Bulletin" in footer.content
    assert doc.find("button", id="pause").content == "Live-Updates anhalten"


async def test_a_key_event_without_headline_or_text_is_listed_as_a_key_update(api: App) -> None:
    editor = await open_blog(api, language="de")
    r = await api.client.post("/api/v1/blogs/storm/posts", headers=api.auth(editor), json={
        "key_event": True,
        "blocks": [{"kind": "quote", "text": "Wir beobachten die Lage.", "speaker": "Landrat"}]})
    assert r.status_code == 201, r.text
    doc = await page(api, "/blogs/storm")
    item = doc.find("ol", id="key-events").find("li", data_id=str(r.json()["id"]))
    assert item.find("span").content == "Wichtige Meldung"
