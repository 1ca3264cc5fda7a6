"""The embed providers' public endpoints for specs: one real HTTPS server on 127.0.0.1 whose
certificate (a trustme test CA, trusted through `link_ca_file`) names the providers' hosts,
and which answers by the Host asked for, the way those hosts answer: YouTube's, Vimeo's, X's,
Bluesky's, TikTok's and Mastodon's oEmbed JSON, Mastodon's and Instagram's OpenGraph pages,
and the thumbnails they point at. The app under test reaches it through the documented
`link_connect_to` setting (`Providers.connect_to()`), exactly as an operator would send those
hosts to a proxy; nothing in Bulletin knows it is being tested.

`Providers.down` makes a host answer 503 and `Providers.stall` makes it hang, for the specs of
a provider that fails."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tests.feed.linksite import photo
from tests.tls import https_server

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
VIMEO = "https://vimeo.com/76979871"
X_POST = "https://x.com/KettlebyCouncil/status/1859012345678901234"
BLUESKY = "https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3kkrqzuydho2v"
MASTODON = "https://mastodon.social/@kettlebycoastguard/113456789012345678"
TIKTOK = "https://www.tiktok.com/@scout2015/video/6718335390845095173"
INSTAGRAM = "https://www.instagram.com/p/C1a2B3c4D5e/"

HOSTS = ("www.youtube.com", "i.ytimg.com", "vimeo.com", "i.vimeocdn.com",
         "publish.twitter.com", "embed.bsky.app", "mastodon.social", "files.mastodon.social",
         "www.tiktok.com", "p16-sign.tiktokcdn-us.com", "www.instagram.com",
         "scontent.cdninstagram.com")

_YT = {
    "title": "Storm surge tops the harbour wall at Kettleby",
    "author_name": "Kettleby Gazette", "author_url": "https://www.youtube.com/@KettlebyGazette",
    "type": "video", "height": 113, "width": 200, "version": "1.0",
    "provider_name": "YouTube", "provider_url": "https://www.youtube.com/",
    "thumbnail_height": 360, "thumbnail_width": 480,
    "thumbnail_url": "https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg",
    "html": '<iframe width="200" height="113" src="https://www.youtube.com/embed/dQw4w9WgXcQ'
            '?feature=oembed" frameborder="0" allowfullscreen title="Storm surge"></iframe>',
}
_VIMEO = {
    "type": "video", "version": "1.0", "provider_name": "Vimeo",
    "provider_url": "https://vimeo.com/", "title": "The lifeboat launch, filmed from the pier",
    "author_name": "Coastal Films", "author_url": "https://vimeo.com/coastalfilms",
    "is_plus": "0", "account_type": "basic",
    "html": '<iframe src="https://player.vimeo.com/video/76979871?h=8272103f6e&amp;app_id=122963"'
            ' width="640" height="360" frameborder="0"></iframe>',
    "width": 640, "height": 360, "duration": 62,
    "description": "The crew of the Kettleby lifeboat\nlaunch into a force 9 gale at dawn.",
    "thumbnail_url": "https://i.vimeocdn.com/video/452001751-8216e0571c251a09d8f0-d_640",
    "thumbnail_width": 640, "thumbnail_height": 360, "upload_date": "2024-11-20 06:12:01",
    "video_id": 76979871, "uri": "/videos/76979871",
}
_X = {
    "url": "https://twitter.com/KettlebyCouncil/status/1859012345678901234",
    "author_name": "Kettleby Council", "author_url": "https://twitter.com/KettlebyCouncil",
    "html": '<blockquote class="twitter-tweet" data-dnt="true"><p lang="en" dir="ltr">The '
            'coast road is closed between <a href="https://twitter.com/hashtag/Kettleby?src='
            'hash&amp;ref_src=twsrc%5Etfw">#Kettleby</a> and Marsh End. Please don&#39;t '
            'drive through flood water. <a href="https://t.co/AbCdEf">pic.twitter.com/AbCdEf'
            '</a></p>&mdash; Kettleby Council (@KettlebyCouncil) <a href="https://twitter.com/'
            'KettlebyCouncil/status/1859012345678901234?ref_src=twsrc%5Etfw">November 20, 2024'
            '</a></blockquote>\n',
    "width": 550, "height": None, "type": "rich", "cache_age": "3153600000",
    "provider_name": "Twitter", "provider_url": "https://twitter.com", "version": "1.0",
}
_BLUESKY = {
    "type": "rich", "version": "1.0", "author_name": "Met Office Watch",
    "author_url": "https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur",
    "provider_name": "Bluesky Social", "provider_url": "https://bsky.app", "cache_age": 86400,
    "width": 550, "height": None,
    "html": '<blockquote class="bluesky-embed" data-bluesky-uri="at://did:plc:z72i7hdynmk6r22z'
            '27h6tvur/app.bsky.feed.post/3kkrqzuydho2v" data-bluesky-cid="bafyreie37qtk6l"><p '
            'lang="en">Red warning for wind extended to 18:00.<br><br><a href="https://bsky.app'
            '/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3kkrqzuydho2v?ref_src=embed">[image'
            ' or embed]</a></p>&mdash; Met Office Watch (<a href="https://bsky.app/profile/did:'
            'plc:z72i7hdynmk6r22z27h6tvur?ref_src=embed">@metwatch.bsky.social</a>) <a href="'
            'https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3kkrqzuydho2v?ref_'
            'src=embed">November 20, 2024 at 6:58 AM</a></blockquote><script async src="https:/'
            '/embed.bsky.app/static/embed.js" charset="utf-8"></script>',
}
_MASTODON = {
    "type": "rich", "version": "1.0", "title": "New status by kettlebycoastguard",
    "author_name": "Kettleby Coastguard",
    "author_url": "https://mastodon.social/@kettlebycoastguard",
    "provider_name": "mastodon.social", "provider_url": "https://mastodon.social/",
    "cache_age": 86400, "width": 400, "height": None,
    "html": '<blockquote class="mastodon-embed" data-embed-url="https://mastodon.social/@kettl'
            'ebycoastguard/113456789012345678/embed"><a href="https://mastodon.social/@kettleby'
            'coastguard/113456789012345678" target="_blank"><div>Post by @kettlebycoastguard@'
            'mastodon.social</div><div>View on Mastodon</div></a></blockquote><script data-allo'
            'wed-prefixes="https://mastodon.social/" async src="https://mastodon.social/embed.js'
            '"></script>',
}
_MASTODON_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    "<title>Kettleby Coastguard: &quot;Two people rescued from the pier…&quot; - Mastodon</title>"
    '<meta content="Mastodon" property="og:site_name">'
    '<meta content="article" property="og:type">'
    '<meta content="Kettleby Coastguard (@kettlebycoastguard@mastodon.social)" '
    'property="og:title">'
    '<meta content="https://mastodon.social/@kettlebycoastguard/113456789012345678" '
    'property="og:url">'
    '<meta content="Two people rescued from the pier after a wave knocked them over. Please stay'
    ' away from the sea front tonight." name="description">'
    '<meta content="Two people rescued from the pier after a wave knocked them over. Please stay'
    ' away from the sea front tonight." property="og:description">'
    '<meta content="https://files.mastodon.social/media_attachments/files/113/456/original/'
    'pier.jpeg" property="og:image">'
    '</head><body><div id="mastodon"></div></body></html>')
_TIKTOK = {
    "version": "1.0", "type": "video",
    "title": "Waves over the prom this morning 🌊 #storm #kettleby",
    "author_url": "https://www.tiktok.com/@scout2015", "author_name": "Scout",
    "width": "100%", "height": "100%",
    "html": '<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@scout2015/video/'
            '6718335390845095173" data-video-id="6718335390845095173"><section></section>'
            '</blockquote>',
    "thumbnail_width": 360, "thumbnail_height": 640,
    "thumbnail_url": "https://p16-sign.tiktokcdn-us.com/obj/tos-useast5-p-0068-tx/cover.jpeg"
                     "?x-expires=1732190400&x-signature=abc",
    "provider_url": "https://www.tiktok.com", "provider_name": "TikTok",
    "author_unique_id": "scout2015", "embed_product_id": "6718335390845095173",
    "embed_type": "video",
}
_INSTAGRAM_PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Instagram</title>'
    '<meta property="og:site_name" content="Instagram">'
    '<meta property="og:title" content="Harbour Café on Instagram: &quot;Sandbags at the door'
    ' again&quot;">'
    '<meta property="og:description" content="214 likes, 12 comments - harbourcafe on November'
    ' 20, 2024: &quot;Sandbags at the door again&quot;.">'
    '<meta property="og:image" content="https://scontent.cdninstagram.com/v/t51.29350-15/'
    'sandbags.jpg?stp=dst-jpg">'
    "</head><body></body></html>")

OEMBED: dict[tuple[str, str], tuple[dict[str, Any], str]] = {
    ("www.youtube.com", "/oembed"): (_YT, YOUTUBE),
    ("vimeo.com", "/api/oembed.json"): (_VIMEO, VIMEO),
    ("publish.twitter.com", "/oembed"): (_X, X_POST),
    ("embed.bsky.app", "/oembed"): (_BLUESKY, BLUESKY),
    ("mastodon.social", "/api/oembed"): (_MASTODON, MASTODON),
    ("www.tiktok.com", "/oembed"): (_TIKTOK, TIKTOK),
}
PAGES = {
    ("mastodon.social", "/@kettlebycoastguard/113456789012345678"): _MASTODON_PAGE,
    ("www.instagram.com", "/p/C1a2B3c4D5e/"): _INSTAGRAM_PAGE,
}
PICTURES = {
    ("i.ytimg.com", "/vi/dQw4w9WgXcQ/hqdefault.jpg"): (480, 360),
    ("i.vimeocdn.com", "/video/452001751-8216e0571c251a09d8f0-d_640"): (640, 360),
    ("files.mastodon.social", "/media_attachments/files/113/456/original/pier.jpeg"): (800, 600),
    ("p16-sign.tiktokcdn-us.com", "/obj/tos-useast5-p-0068-tx/cover.jpeg"): (360, 640),
    ("scontent.cdninstagram.com", "/v/t51.29350-15/sandbags.jpg"): (1080, 1080),
}


@dataclass
class Providers:
    port: int
    ca_file: str
    seen: list[str] = field(default_factory=list)  # "host/path?query" per request
    down: set[str] = field(default_factory=set)  # hosts answering 503
    stall: set[str] = field(default_factory=set)  # hosts that never answer
    release: asyncio.Event = field(default_factory=asyncio.Event)

    def connect_to(self) -> str:
        """The `link_connect_to` setting that sends every provider host here."""
        return ",".join(f"{host}:443=localhost:{self.port}" for host in HOSTS)

    def asked(self, host: str) -> list[str]:
        return [s for s in self.seen if s.startswith(host + "/")]


async def _answer(providers: Providers, request: Request) -> Response:
    host = (request.headers.get("host") or "").split(":")[0]
    path = request.url.path
    providers.seen.append(f"{host}{path}?{request.url.query}")
    if host in providers.stall:
        await providers.release.wait()
    if host in providers.down:
        return Response("Service Unavailable", status_code=503)
    if (host, path) in OEMBED:
        data, address = OEMBED[host, path]
        asked = parse_qs(request.url.query).get("url", [""])[0]
        if asked != address:  # providers answer 404 for an address they do not know
            return Response("Not Found", status_code=404)
        return JSONResponse(data)
    if (host, path) in PAGES:
        return Response(PAGES[host, path], media_type="text/html; charset=utf-8")
    if (host, path) in PICTURES:
        width, height = PICTURES[host, path]
        return Response(photo(width, height), media_type="image/jpeg")
    return Response("Not Found", status_code=404)


@contextlib.asynccontextmanager
async def running_providers(tmp_path: Path) -> AsyncIterator[Providers]:
    """The providers' endpoints on 127.0.0.1, with a certificate naming their hosts."""
    state: list[Providers] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        response = await _answer(state[0], Request(scope, receive))
        await response(scope, receive, send)

    async with https_server(tmp_path, app, *HOSTS) as https:
        providers = Providers(port=https.port, ca_file=https.ca_file)
        state.append(providers)
        try:
            yield providers
        finally:
            providers.release.set()

