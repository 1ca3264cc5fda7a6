"""One Jinja environment for pages and live payloads, so a post looks the same everywhere."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from bulletin.domain import embeds
from bulletin.domain.blocks import LinkBlock
from bulletin.domain.blog import Blog
from bulletin.domain.linkcard import card_title
from bulletin.domain.paging import page_count, page_of_position
from bulletin.domain.post import Post
from bulletin.render.i18n import context_language, full_date, gettext, reader_strings
from bulletin.render.pictures import stored_sources, upload_sources
from bulletin.render.sanitize import sanitize_html
from bulletin.render.share import NETWORKS


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local(value: datetime, tz: str) -> datetime:
    return value.astimezone(_zone(tz))


def zone_name(moment: datetime) -> str:
    """The zone's abbreviation at that moment ("GMT", "BST", "CET"); zones that have none
    in the tz database (their name is an offset like "-03") read "UTC-3", "UTC+5:45"."""
    name = moment.tzname() or "UTC"
    if name[:1] not in "+-":
        return name
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def clock(value: datetime, tz: str) -> str:
    """Hours and minutes in the blog's zone, unlabelled: only where the zone is said
    next to it."""
    return local(value, tz).strftime("%H:%M")


def stamp(value: datetime, tz: str) -> str:
    """The time as readers see it on a post: "21:40 GMT", in the blog's zone."""
    moment = local(value, tz)
    return f"{moment:%H:%M} {zone_name(moment)}"


def dateline(value: datetime, tz: str) -> str:
    moment = local(value, tz)
    return f"{moment.day} {moment:%b %Y, %H:%M} {zone_name(moment)}"


@pass_context
def long_date(context: Context, value: datetime, tz: str) -> str:
    """The full date in the blog's zone and language, for a post's own page."""
    moment = local(value, tz)
    return full_date(moment, zone_name(moment), context_language(context))


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def html_iso(value: datetime) -> str:
    """UTC ISO 8601 as HTML's `datetime` attribute accepts it: milliseconds at most."""
    spec = "milliseconds" if value.microsecond else "seconds"
    return value.astimezone(UTC).isoformat(timespec=spec).replace("+00:00", "Z")


def host(url: str) -> str:
    name = (urlsplit(url).hostname or "").lower()
    return name.removeprefix("www.").removeprefix("m.")


def embed(url: str) -> embeds.Embed | None:
    """A stored embed block's provider, id and player (`domain/embeds`), or None."""
    return embeds.recognise_stored(url)


def provider(url: str) -> str:
    """The service an address belongs to ("YouTube"), else its real host: a look-alike is
    never labelled as the service it imitates."""
    found = embeds.recognise_stored(url)
    if found is not None:
        return found.provider
    known = embeds.provider_of(url)
    return known.name if known else host(url)


def link_title(block: LinkBlock) -> str:
    """A link card's title as readers see it: never the site's name again, never an
    address ("" then: the card names the site instead)."""
    return card_title(block.title, block.site, block.url)


#: Words a credit may already begin with ("Photo: AP", "© Reuters", "Foto: dpa"): such a
#: credit is printed as it is, any other gets "Photograph: " in the page's language.
_CREDIT_WORD = re.compile(
    r"^\s*(?:©|\(c\)|copyright\b|(?:photo(?:graph)?s?|pic(?:ture)?s?|images?|illustrations?|"
    r"graphics?|video|still|footage|screen(?:shot|grab)|credit|courtesy|source|handout|"
    r"fotos?|bild(?:er)?|grafik|quelle|aufnahme|abbildung)\b)", re.IGNORECASE)


def labelled(credit: str) -> bool:
    """Whether a photo credit already says what it credits."""
    return bool(_CREDIT_WORD.match(credit))


def safe_html(html: str) -> Markup:
    """Text blocks are sanitised on the way in; sanitising again on the way out is cheap
    insurance against rows written by older versions or by hand."""
    return Markup(sanitize_html(html))


def in_stream(post: Post, blog: Blog) -> str:
    """Where a post stands in the stream: its page (the front page has no ?page) and anchor."""
    page = page_of_position(post.position or 1, blog.last_position)
    front = page == page_count(blog.last_position)
    return f"/blogs/{blog.slug}{'' if front else f'?page={page}'}#post-{post.id}"


def initials(name: str) -> str:
    parts = [p for p in name.replace("-", " ").replace("_", " ").split() if p]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("bulletin", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        enable_async=False,
        auto_reload=False,  # templates ship with the package; no stat() per render
    )
    env.filters.update(in_stream=in_stream, clock=clock, stamp=stamp, dateline=dateline,
                       long_date=long_date, iso=html_iso,
                       host=host, provider=provider, embed=embed, safe_html=safe_html,
                       initials=initials, upload_sources=upload_sources,
                       stored_sources=stored_sources, link_title=link_title)
    env.tests.update(labelled=labelled)
    env.globals.update(_=gettext, reader_strings=reader_strings, share_networks=NETWORKS)
    return env
