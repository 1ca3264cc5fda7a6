"""Share links per post (plain links through `/share/{network}` to each network's own share
page, with the post's absolute permalink) and the blog page's "Key events only" filter."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from bulletin.domain.roles import Role
from tests.conftest import App, running_app
from tests.render.test_sanitize import inspect

TEXT = {"blocks": [{"kind": "text", "html": "<p>The bridge is closed.</p>"}]}


async def setup(api: App) -> tuple[str, list[dict[str, object]]]:
    token = await api.token(Role.ADMIN)
    r = await api.client.post("/api/v1/blogs", headers=api.auth(token),
                              json={"slug": "storm", "title": "Storm night — live"})
    assert r.status_code == 201, r.text
    posts = []
    for i in range(5):
        body = {**TEXT, "headline": f"Update {i + 1} & more", "key_event": i in (1, 3)}
        r = await api.client.post("/api/v1/blogs/storm/posts", headers=api.auth(token),
                                  json=body)
        assert r.status_code == 201, r.text
        posts.append(r.json())
    return token, posts


async def test_every_post_has_share_links_to_its_permalink(api: App) -> None:
    _, posts = await setup(api)
    post_id = posts[2]["id"]
    html = (await api.client.get("/blogs/storm")).text
    article = html.split(f'id="post-{post_id}"', 1)[1].split("</article>", 1)[0]
    permalink = f"/blogs/storm/posts/{post_id}"
    assert f'<details class="share" data-url="{permalink}"' in article
    for network in ("whatsapp", "x", "facebook", "email"):
        assert f'href="{permalink}/share/{network}"' in article
    assert "<summary" in article and ">Share<" in article
    # Nothing from another site on the page: the links go through this site.
    assert "wa.me" not in html and "facebook.com" not in html and "twitter.com" not in html

    base = "http://bulletin.test"
    title = "Update 3 & more — Storm night — live"
    url = f"{base}{permalink}"
    expected = {
        "whatsapp": ("https://wa.me/", {"text": [f"{title} {url}"]}),
        "x": ("https://twitter.com/intent/tweet", {"url": [url], "text": [title]}),
        "facebook": ("https://www.facebook.com/sharer/sharer.php", {"u": [url]}),
        "email": ("mailto:", {"subject": [title], "body": [f"{title}\n\n{url}"]}),
    }
    for network, (where, query) in expected.items():
        r = await api.client.get(f"{permalink}/share/{network}")
        assert r.status_code == 303, r.text
        location = r.headers["location"]
        parts = urlsplit(location)
        assert location.startswith(where + "?"), location
        assert parse_qs(parts.query) == query, location
        assert " " not in location and "\n" not in location


async def test_share_links_use_the_configured_public_address(sqlite_url: str, tmp_path: object
                                                             ) -> None:
    async for api in running_app(sqlite_url, tmp_path,  # type: ignore[arg-type]
                                 base_url="https://live.news.example/"):
        _, posts = await setup(api)
        r = await api.client.get(f"/blogs/storm/posts/{posts[0]['id']}/share/facebook")
        query = parse_qs(urlsplit(r.headers["location"]).query)
        assert query["u"] == [f"https://live.news.example/blogs/storm/posts/{posts[0]['id']}"]


@pytest.mark.parametrize(("path", "status"), [
    ("/blogs/storm/posts/{id}/share/myspace", 404),
    ("/blogs/storm/posts/{id}/share/", 404),
    ("/blogs/storm/posts/999999/share/x", 404),
    ("/blogs/nowhere/posts/{id}/share/x", 404),
    ("/blogs/storm/posts/0/share/x", 422),
])
async def test_bad_share_addresses_get_a_clear_error(api: App, path: str, status: int) -> None:
    _, posts = await setup(api)
    r = await api.client.get(path.format(id=posts[0]["id"]), headers={"Accept": "text/html"})
    assert r.status_code == status, r.text


async def test_a_deleted_post_is_not_shared(api: App) -> None:
    token, posts = await setup(api)
    await api.client.delete(f"/api/v1/blogs/storm/posts/{posts[0]['id']}",
                            headers=api.auth(token))
    r = await api.client.get(f"/blogs/storm/posts/{posts[0]['id']}/share/x")
    assert r.status_code == 404


async def test_key_events_only_shows_only_key_events_and_works_without_javascript(
        api: App) -> None:
    _, posts = await setup(api)
    page = (await api.client.get("/blogs/storm")).text
    assert 'href="/blogs/storm?filter=key"' in page
    assert '<a class="filter__option" href="/blogs/storm" aria-current="page">' in page

    r = await api.client.get("/blogs/storm?filter=key")
    assert r.status_code == 200
    doc = inspect(r.text, page=True)
    assert not doc.problems
    ids = [int(v) for tag, name, v in doc.attribute_values
           if tag == "article" and name == "data-id"]
    assert ids == [posts[3]["id"], posts[1]["id"]]  # newest first, key events only
    assert 'data-filter="key"' in r.text
    assert ('<a class="filter__option" href="/blogs/storm?filter=key" aria-current="page">'
            in r.text)
    assert 'class="pager' not in r.text  # one list, no pages
    assert 'id="key-events"' not in r.text  # the side list would only repeat the stream
    assert '<link rel="canonical" href="http://bulletin.test/blogs/storm">' in r.text

    # ?page is ignored under the filter (one list); an unknown filter is a clear 4xx.
    assert (await api.client.get("/blogs/storm?filter=key&page=1")).status_code == 200
    r = await api.client.get("/blogs/storm?filter=everything", headers={"Accept": "text/html"})
    assert 400 <= r.status_code < 500


async def test_a_blog_without_key_events_offers_no_filter_but_the_filter_page_explains(
        api: App) -> None:
    token = await api.token(Role.ADMIN)
    await api.client.post("/api/v1/blogs", headers=api.auth(token),
                          json={"slug": "quiet", "title": "Quiet night"})
    await api.client.post("/api/v1/blogs/quiet/posts", headers=api.auth(token), json=TEXT)
    assert 'class="filter"' not in (await api.client.get("/blogs/quiet")).text
    page = (await api.client.get("/blogs/quiet?filter=key")).text
    assert "No key events yet." in page and 'class="filter"' in page


async def test_share_and_filter_speak_the_blogs_language(api: App) -> None:
    token = await api.token(Role.ADMIN)
    await api.client.post("/api/v1/blogs", headers=api.auth(token),
                          json={"slug": "sturm", "title": "Sturmnacht", "language": "de"})
    await api.client.post("/api/v1/blogs/sturm/posts", headers=api.auth(token),
                          json={**TEXT, "key_event": True})
    page = (await api.client.get("/blogs/sturm")).text
    for words in ("Teilen", "diese Meldung", "Link kopieren", "Teilen über…", "E-Mail",
                  "Alle Meldungen", "Nur wichtige Ereignisse"):
        assert f">{words}<" in page or f"> {words}<" in page, words
    assert '"Resume live updates":"Live-Updates fortsetzen"' in page.replace("&#34;", '"')
