"""The one HTML allow-list for text a person supplies (nh3, i.e. the Ammonia sanitiser)."""

from __future__ import annotations

import re

import nh3

TAGS = {"p", "a", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "br"}
ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
# nh3 takes "\u00a0javascript:…" for a relative URL and keeps it; some browsers and tools
# skip such leading blanks. Judge the scheme with every blank and control character removed.
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u2060\ufeff]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")


def _drop_unsafe_url(element: str, attribute: str, value: str) -> str | None:
    if attribute == "href":
        scheme = _SCHEME.match(_INVISIBLE.sub("", value).lower())
        if scheme and scheme.group(1) not in URL_SCHEMES:
            return None
    return value


def sanitize_html(html: str) -> str:
    """Keep the small text subset; drop scripts, handlers, styles and unsafe URLs."""
    return str(nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags={"script", "style", "template", "noscript", "textarea", "title",
                            "iframe", "object", "embed", "svg", "math", "xmp", "noembed",
                            "noframes", "plaintext"},
        attributes=ATTRIBUTES,
        attribute_filter=_drop_unsafe_url,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow ugc",
        strip_comments=True,
    ))
