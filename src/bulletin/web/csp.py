"""Content-Security-Policy for the reader's pages: the blog page, a post's permalink, the
embeddable widget, and the index of blogs.

What the pages load, and so what the policy allows:
- scripts only from this site (/static/reader.js, /static/embed-frame.js). There is no inline
  script: the JSON-LD block is data, which a policy never runs, so no 'unsafe-inline' and no
  'unsafe-eval' is needed;
- styles from this site, and inline ones: the widget carries a small <style> of its own and
  nothing a person writes can hold style (text is sanitised), so inline CSS is no way in;
- photos from anywhere on the web (an image block may hold any http(s) address a journalist
  gave) and from this site's uploads;
- live updates (SSE, polling) from this site only;
- frames: only the embed providers' players (`domain/embeds.frame_origins`, with the Mastodon
  servers of the `embed_mastodon_hosts` setting), which load when a reader clicks a facade;
  a page without posts frames nothing;
- no plugins (<object>, <embed>), no <base> pointing elsewhere, forms post to this site only.
"""

from __future__ import annotations

from functools import lru_cache

from bulletin.domain.embeds import frame_origins, mastodon_hosts
from bulletin.settings import Settings

_BASE: tuple[tuple[str, str], ...] = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self' https: http:"),
    ("connect-src", "'self'"),
    ("font-src", "'self'"),
    ("media-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)


@lru_cache(maxsize=32)
def policy(frames: tuple[str, ...] = (), frame_ancestors: str = "") -> str:
    """The policy with `frames` as its frame-src ('none' when empty) and, for pages that other
    sites may frame, their `frame-ancestors`."""
    directives = [*_BASE, ("frame-src", " ".join(frames) or "'none'")]
    if frame_ancestors:
        directives.append(("frame-ancestors", frame_ancestors))
    return "; ".join(f"{name} {value}" for name, value in directives)


def reader_policy(settings: Settings, frame_ancestors: str = "") -> str:
    """For pages that show posts: their embeds' players may load."""
    frames = frame_origins(mastodon_hosts(settings.embed_mastodon_hosts))
    return policy(frames, frame_ancestors)


def plain_policy() -> str:
    """For reader pages without posts (the index): nothing to frame."""
    return policy()
