"""The one HTML allow-list for text a person supplies (nh3, i.e. the Ammonia sanitiser)."""

from __future__ import annotations

import nh3

TAGS = {"p", "a", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "br"}
ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html: str) -> str:
    """Keep the small text subset; drop scripts, handlers, styles and unsafe URLs."""
    return str(nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags={"script", "style", "template", "noscript", "textarea", "title",
                            "iframe", "object", "embed", "svg", "math", "xmp", "noembed",
                            "noframes", "plaintext"},
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow ugc",
        strip_comments=True,
    ))
