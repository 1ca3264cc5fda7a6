"""Which addresses an embed block may hold, and the player each one loads on a reader's click.

Readers first see a static card that makes no request to the provider; only a click puts the
provider's player in a sandboxed iframe. This module is the one list of providers: it turns
an address into provider, id and player URL (privacy-enhanced variants where they exist:
youtube-nocookie.com, Vimeo's `dnt=1`, X's `dnt=true`), refuses look-alike hosts (a host
matches a provider's domain exactly or as a true subdomain), and names the origins a page's
CSP `frame-src` must allow. Players are always built from the recognised id, never copied
from the address, so nothing a journalist pastes reaches an iframe's `src` unchecked.

Pure: no network. So short links that need a redirect followed (vm.tiktok.com, fb.watch)
are refused with a message asking for the full address, and a Bluesky post addressed by a
handle (bsky.app/profile/name.bsky.social/post/…) is recognised but shown as a link only:
Bluesky's embed needs the author's DID (embed.bsky.app/embed/did:plc:…/app.bsky.feed.post/…)
and its embed page asks the AppView's getPosts, which does not resolve handles. An address
with the DID (Bluesky's "Embed post" code uses it) embeds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qs, quote, urlsplit

from bulletin.domain.errors import ValidationError

Kind = Literal["video", "post", "chart", "map"]

#: Mastodon servers whose posts embed unless the `embed_mastodon_hosts` setting says otherwise.
DEFAULT_MASTODON_HOSTS: tuple[str, ...] = (
    "mastodon.social", "mastodon.online", "mstdn.social", "journa.host")
VIDEO_ALLOW = "autoplay; encrypted-media; fullscreen; picture-in-picture"
_HOSTNAME = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
                       r"(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$")


@dataclass(frozen=True, slots=True)
class Embed:
    """A recognised embed: what the card says and what a click loads."""

    provider: str  # the label readers see: "YouTube"
    id: str
    #: The iframe's `src`, always https; empty when the post can only be linked to.
    player: str
    kind: Kind
    #: Size hints for the frame: a CSS aspect ratio ("16 / 9"), else a height in pixels;
    #: `width` caps the width of players that do not stretch (social posts).
    ratio: str = ""
    height: int = 0
    width: int = 0
    #: The iframe's `allow` (permissions policy): only what the player needs.
    allow: str = ""

    @property
    def is_video(self) -> bool:
        return self.kind == "video"

    @property
    def origin(self) -> str:
        parts = urlsplit(self.player)
        return f"{parts.scheme}://{parts.netloc}" if self.player else ""


@dataclass(frozen=True, slots=True)
class Address:
    """A web address taken apart once, for the providers' parsers."""

    host: str  # lower case, without a trailing dot
    path: str  # without a trailing slash ("" for the root)
    query: dict[str, str]  # the first value of each parameter
    fragment: str

    def param(self, name: str) -> str:
        return self.query.get(name, "")


@dataclass(frozen=True, slots=True)
class Provider:
    name: str
    domains: tuple[str, ...]
    #: Origins the player loads from: the page's CSP frame-src lists them.
    origins: tuple[str, ...]
    #: An address that works, for the message when one does not.
    example: str
    noun: str
    parse: Callable[[Address], Embed | None]

    def serves(self, host: str) -> bool:
        return any(host == d or host.endswith("." + d) for d in self.domains)


def _match(pattern: str, text: str) -> re.Match[str] | None:
    """The whole text against the pattern, ASCII only (no Unicode digits or letters in ids)."""
    return re.fullmatch(pattern, text, re.ASCII)


# ---- video --------------------------------------------------------------------------------
_YOUTUBE_ID = r"[A-Za-z0-9_-]{11}"
_START = r"(?:(\d{1,2})h)?(?:(\d{1,4})m)?(?:(\d{1,6})s?)?"


def _seconds(value: str) -> int:
    """YouTube's `t=`: 90, 90s or 1m30s."""
    found = _match(_START, value) if value else None
    if not found:
        return 0
    h, m, s = (int(g or 0) for g in found.groups())
    return h * 3600 + m * 60 + s


def _youtube(a: Address) -> Embed | None:
    if a.host == "youtu.be" or a.host.endswith(".youtu.be"):
        found = _match(rf"/({_YOUTUBE_ID})", a.path)
        video = found.group(1) if found else ""
    elif a.path == "/watch":
        video = a.param("v")
    else:
        found = _match(rf"/(?:shorts|embed|live|v)/({_YOUTUBE_ID})", a.path)
        video = found.group(1) if found else ""
    if not _match(_YOUTUBE_ID, video):
        return None
    start = _seconds(a.param("t") or a.param("start"))
    player = f"https://www.youtube-nocookie.com/embed/{video}?autoplay=1"
    shorts = a.path.startswith("/shorts/")
    return Embed("YouTube", video, player + (f"&start={start}" if start else ""), "video",
                 ratio="9 / 16" if shorts else "16 / 9", width=360 if shorts else 0,
                 allow=VIDEO_ALLOW)


def _vimeo(a: Address) -> Embed | None:
    if a.host == "player.vimeo.com":
        found = _match(r"/video/(\d{6,12})", a.path)
        secret = a.param("h")
    else:
        found = _match(r"/(?:channels/[\w-]{1,80}/|groups/[\w-]{1,80}/videos/|"
                       r"(?:album|showcase)/\d{1,12}/video/)?(\d{6,12})(?:/([0-9a-f]{6,20}))?",
                       a.path)
        secret = (found.group(2) or "") if found else ""
    if not found:
        return None
    video = found.group(1)
    player = f"https://player.vimeo.com/video/{video}?dnt=1&autoplay=1"
    if _match(r"[0-9a-f]{6,20}", secret):
        player += f"&h={secret}"
    return Embed("Vimeo", video, player, "video", ratio="16 / 9", allow=VIDEO_ALLOW)


def _tiktok(a: Address) -> Embed | None:
    found = (_match(r"/@[\w.-]{1,40}/(?:video|photo)/(\d{8,25})", a.path)
             or _match(r"/(?:embed(?:/v2)?|player/v1)/(\d{8,25})", a.path)
             or _match(r"/v/(\d{8,25})\.html", a.path))
    if not found:
        return None
    video = found.group(1)
    return Embed("TikTok", video, f"https://www.tiktok.com/embed/v2/{video}", "video",
                 height=740, width=340, allow=VIDEO_ALLOW)


# ---- social posts -------------------------------------------------------------------------
def _x(a: Address) -> Embed | None:
    found = _match(r"/(?:\w{1,15}|i/web|i)/status(?:es)?/(\d{1,20})(?:/(?:photo|video)/\d)?",
                   a.path)
    if not found:
        return None
    status = found.group(1)
    return Embed("X", status,
                 f"https://platform.twitter.com/embed/Tweet.html?dnt=true&id={status}",
                 "post", height=560, width=550)


def _instagram(a: Address) -> Embed | None:
    found = _match(r"/(?:[\w.]{1,30}/)?(p|reels?|tv)/([\w-]{5,40})", a.path)
    if not found:
        return None
    kind, code = found.groups()
    path = "p" if kind == "p" else "reel" if kind.startswith("reel") else "tv"
    return Embed("Instagram", code, f"https://www.instagram.com/{path}/{code}/embed/",
                 "post" if path == "p" else "video", height=680, width=540)


def _facebook(a: Address) -> Embed | None:
    page = r"([\w.-]{1,80})"
    video = True
    if found := _match(rf"/{page}/posts/([A-Za-z0-9]{{1,80}})", a.path):
        item = found.group(2)
        href, video = f"https://www.facebook.com/{found.group(1)}/posts/{item}", False
    elif found := _match(rf"/{page}/videos/(?:[\w.-]{{1,120}}/)?(\d{{1,25}})", a.path):
        item = found.group(2)
        href = f"https://www.facebook.com/{found.group(1)}/videos/{item}/"
    elif found := _match(r"/reel/(\d{1,25})", a.path):
        item = found.group(1)
        href = f"https://www.facebook.com/reel/{item}"
    elif a.path == "/watch" and _match(r"\d{1,25}", a.param("v")):
        item = a.param("v")
        href = f"https://www.facebook.com/watch/?v={item}"
    elif (a.path in ("/permalink.php", "/story.php")
          and _match(r"[A-Za-z0-9]{1,80}", a.param("story_fbid"))
          and _match(r"\d{1,25}", a.param("id"))):
        item = a.param("story_fbid")
        href = (f"https://www.facebook.com/permalink.php?story_fbid={item}"
                f"&id={a.param('id')}")
        video = False
    else:
        return None
    plugin = "video" if video else "post"
    player = (f"https://www.facebook.com/plugins/{plugin}.php?href={quote(href, safe='')}"
              f"&show_text={'false' if video else 'true'}")
    if video:
        reel = href.startswith("https://www.facebook.com/reel/")
        return Embed("Facebook", item, player, "video", ratio="9 / 16" if reel else "16 / 9",
                     width=360 if reel else 0, allow=VIDEO_ALLOW)
    return Embed("Facebook", item, player + "&width=500", "post", height=600, width=500)


_DID = r"did:plc:[a-z2-7]{24}|did:web:[a-z0-9.-]{1,253}"
_HANDLE = r"[A-Za-z0-9][A-Za-z0-9-]{0,62}(?:\.[A-Za-z0-9][A-Za-z0-9-]{0,62})+"


def _bluesky(a: Address) -> Embed | None:
    found = _match(rf"/profile/({_DID}|{_HANDLE})/post/([A-Za-z0-9._~-]{{1,64}})", a.path)
    if not found:
        return None
    author, key = found.groups()
    # A handle cannot be embedded without looking its DID up (see the module's docstring).
    player = (f"https://embed.bsky.app/embed/{author}/app.bsky.feed.post/{key}"
              if author.startswith("did:") else "")
    return Embed("Bluesky", f"{author}/{key}", player, "post", height=480, width=550)


def _mastodon(a: Address) -> Embed | None:
    found = (_match(r"/@(\w{1,30})/(\d{1,20})(?:/embed)?", a.path)
             or _match(r"/users/(\w{1,30})/statuses/(\d{1,20})", a.path))
    if not found:
        return None
    user, status = found.groups()
    return Embed("Mastodon", status, f"https://{a.host}/@{user}/{status}/embed", "post",
                 height=480, width=550)


def _threads(a: Address) -> Embed | None:
    found = _match(r"/@([\w.]{1,30})/post/([\w-]{5,40})", a.path)
    if not found:
        return None
    user, code = found.groups()
    return Embed("Threads", code, f"https://www.threads.net/@{user}/post/{code}/embed",
                 "post", height=600, width=550)


# ---- charts and maps ----------------------------------------------------------------------
def _datawrapper(a: Address) -> Embed | None:
    if a.host.endswith("dwcdn.net"):
        found = _match(r"/([A-Za-z0-9]{5})(?:/(\d{1,4}))?(?:/index\.html)?", a.path)
    else:
        found = (_match(r"/_/([A-Za-z0-9]{5})()", a.path)
                 or _match(r"/(?:chart|map|table)/([A-Za-z0-9]{5})()(?:/[\w-]{1,40})?", a.path))
    if not found:
        return None
    chart, version = found.groups()
    player = f"https://datawrapper.dwcdn.net/{chart}/" + (f"{version}/" if version else "")
    return Embed("Datawrapper", chart, player, "chart", height=500)


def _flourish(a: Address) -> Embed | None:
    found = _match(r"/(visualisation|story)/(\d{1,12})(?:/[\w-]{1,40})?", a.path)
    if not found:
        return None
    kind, number = found.groups()
    return Embed("Flourish", number, f"https://flo.uri.sh/{kind}/{number}/embed", "chart",
                 height=600)


_NUMBER = r"-?\d{1,3}(?:\.\d{1,10})?"


def _openstreetmap(a: Address) -> Embed | None:
    view = re.search(rf"(?:^|&)map=(\d{{1,2}})/({_NUMBER})/({_NUMBER})(?:&|$)", a.fragment,
                     re.ASCII)
    marker: tuple[float, float] | None = None
    if _match(_NUMBER, a.param("mlat")) and _match(_NUMBER, a.param("mlon")):
        marker = float(a.param("mlat")), float(a.param("mlon"))
    if view:
        zoom, lat, lon = int(view.group(1)), float(view.group(2)), float(view.group(3))
    elif marker:
        zoom, (lat, lon) = 15, marker
    else:
        return None
    if not (0 <= zoom <= 19 and -85.06 <= lat <= 85.06 and -180 <= lon <= 180):
        return None
    # The view of a 640 × 450 px map at this zoom: 256 px tiles span 360° / 2^zoom.
    half_lon = 360 / 2 ** zoom * 640 / 256 / 2
    half_lat = half_lon * 450 / 640 * math.cos(math.radians(lat))
    box = (max(lon - half_lon, -180), max(lat - half_lat, -85.06),
           min(lon + half_lon, 180), min(lat + half_lat, 85.06))
    player = ("https://www.openstreetmap.org/export/embed.html?bbox="
              + "%2C".join(f"{v:.5f}" for v in box) + "&layer=mapnik")
    if marker:
        player += f"&marker={marker[0]:.5f}%2C{marker[1]:.5f}"
    return Embed("OpenStreetMap", f"{zoom}/{lat:.5f}/{lon:.5f}", player, "map", height=450)


PROVIDERS: tuple[Provider, ...] = (
    Provider("YouTube", ("youtube.com", "youtu.be", "youtube-nocookie.com"),
             ("https://www.youtube-nocookie.com",),
             "https://www.youtube.com/watch?v=… or https://youtu.be/…", "video", _youtube),
    Provider("Vimeo", ("vimeo.com",), ("https://player.vimeo.com",),
             "https://vimeo.com/123456789", "video", _vimeo),
    Provider("X", ("x.com", "twitter.com"), ("https://platform.twitter.com",),
             "https://x.com/name/status/1234567890", "post", _x),
    Provider("Instagram", ("instagram.com",), ("https://www.instagram.com",),
             "https://www.instagram.com/p/… or …/reel/…", "post", _instagram),
    Provider("TikTok", ("tiktok.com",), ("https://www.tiktok.com",),
             "https://www.tiktok.com/@name/video/1234567890 (open a vm.tiktok.com short link "
             "and copy the full address)", "video", _tiktok),
    Provider("Facebook", ("facebook.com",), ("https://www.facebook.com",),
             "https://www.facebook.com/name/posts/… or …/videos/… (open an fb.watch short "
             "link and copy the full address)", "post", _facebook),
    Provider("Bluesky", ("bsky.app",), ("https://embed.bsky.app",),
             "https://bsky.app/profile/did:plc:…/post/…", "post", _bluesky),
    Provider("Threads", ("threads.net", "threads.com"),
             # threads.net now redirects to threads.com, inside the frame too.
             ("https://www.threads.net", "https://www.threads.com"),
             "https://www.threads.net/@name/post/…", "post", _threads),
    Provider("Datawrapper", ("datawrapper.dwcdn.net", "datawrapper.de"),
             ("https://datawrapper.dwcdn.net",),
             "https://datawrapper.dwcdn.net/AbC12/1/ or https://www.datawrapper.de/_/AbC12/",
             "chart", _datawrapper),
    Provider("Flourish", ("flo.uri.sh", "flourish.studio"), ("https://flo.uri.sh",),
             "https://public.flourish.studio/visualisation/1234567/", "chart", _flourish),
    Provider("OpenStreetMap", ("openstreetmap.org",), ("https://www.openstreetmap.org",),
             "https://www.openstreetmap.org/#map=15/52.52000/13.40500", "map",
             _openstreetmap),
)
MASTODON = Provider("Mastodon", (), (), "https://mastodon.social/@name/1234567890", "post",
                    _mastodon)
NAMES: tuple[str, ...] = (*(p.name for p in PROVIDERS), MASTODON.name)


def mastodon_hosts(setting: str | Iterable[str]) -> tuple[str, ...]:
    """The `embed_mastodon_hosts` setting as clean host names: comma- or space-separated;
    anything that is not a plain host name (a scheme, a path, a `;`) is left out, so the
    setting can never smuggle a source into the CSP."""
    items = re.split(r"[\s,]+", setting) if isinstance(setting, str) else list(setting)
    hosts = (h.strip().lower().rstrip(".") for h in items)
    return tuple(dict.fromkeys(h for h in hosts if _HOSTNAME.match(h)))


def _address(url: str) -> Address | None:
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not _HOSTNAME.match(host):
        return None
    query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    return Address(host, parts.path.rstrip("/"), query, parts.fragment)


def provider_of(url: str, mastodon: Collection[str] = DEFAULT_MASTODON_HOSTS
                ) -> Provider | None:
    """The provider whose host this is, whether or not the address points at something."""
    address = _address(url)
    if address is None:
        return None
    return _provider(address, lambda host: host in mastodon)


def _provider(address: Address, is_mastodon: Callable[[str], bool]) -> Provider | None:
    found = next((p for p in PROVIDERS if p.serves(address.host)), None)
    if found is None and is_mastodon(address.host):
        return MASTODON
    return found


def _recognise(url: str, is_mastodon: Callable[[str], bool]) -> Embed | None:
    address = _address(url)
    provider = address and _provider(address, is_mastodon)
    return provider.parse(address) if provider and address else None


def recognise(url: str, mastodon_hosts: Collection[str] = DEFAULT_MASTODON_HOSTS
              ) -> Embed | None:
    """The embed an address points at, or None: unknown host, look-alike, no id, not http(s).
    Mastodon posts count on the servers listed (exact host names)."""
    hosts = frozenset(mastodon_hosts)
    return _recognise(url, hosts.__contains__)


def recognise_stored(url: str) -> Embed | None:
    """The embed of a stored block. Its address passed `recognise` with the site's Mastodon
    servers when it was saved, so a Mastodon-shaped post is taken on any server here; the
    page's CSP frame-src still decides which servers' players may load."""
    return _recognise(url, lambda host: True)


def check(url: str, field: str, mastodon_hosts: Collection[str] = DEFAULT_MASTODON_HOSTS
          ) -> Embed:
    """`recognise`, with a message a journalist can act on when the address does not work."""
    hosts = frozenset(mastodon_hosts)
    address = _address(url)
    provider = _provider(address, hosts.__contains__) if address else None
    embed = provider.parse(address) if provider and address else None
    if embed is not None:
        return embed
    if provider is not None and address is not None:
        example = (f"https://{address.host}/@name/1234567890" if provider is MASTODON
                   else provider.example)
        raise ValidationError(
            f"This {provider.name} address does not point at a {provider.noun} Bulletin can "
            f"embed. Use an address such as {example}, or add the page as a link card "
            "instead.", field=field)
    host = address.host if address else url[:60]
    message = (f"Bulletin can embed videos, posts, charts and maps from "
               f"{', '.join(NAMES)}; {host} is not one of them. Add the page as a link card "
               "instead.")
    if address and MASTODON.parse(address) is not None:
        servers = ", ".join(mastodon_hosts) or "none"
        message += (f" Mastodon posts embed from these servers only: {servers}; an admin "
                    f"can add {host} with the BULLETIN_EMBED_MASTODON_HOSTS setting.")
    raise ValidationError(message, field=field)


def frame_origins(mastodon_hosts: Collection[str] = DEFAULT_MASTODON_HOSTS
                  ) -> tuple[str, ...]:
    """Every origin a player may load from: the exact `frame-src` of a reader page."""
    origins = {o for p in PROVIDERS for o in p.origins}
    origins.update(f"https://{h}" for h in mastodon_hosts)
    return tuple(sorted(origins))
