"""Share links for a post: plain addresses of each network's own share page (no script of
theirs on ours, nothing loaded from them until a reader clicks), built from the post's
absolute permalink. Pages link to `/blogs/{slug}/posts/{id}/share/{network}`, which
redirects here: post HTML is rendered once for every reader and every site address, so it
holds site paths only (web/pages.py knows the public address)."""

from __future__ import annotations

from urllib.parse import quote, urlencode

NETWORKS: dict[str, str] = {  # the path segment -> the name shown to readers
    "whatsapp": "WhatsApp",
    "x": "X",
    "facebook": "Facebook",
    "email": "Email",
}


def share_url(network: str, url: str, title: str) -> str:
    """Where `network`'s share page takes the permalink `url` with the text `title`."""
    if network == "whatsapp":
        return "https://wa.me/?" + urlencode({"text": f"{title} {url}"}, quote_via=quote)
    if network == "x":
        return "https://twitter.com/intent/tweet?" + urlencode(
            {"url": url, "text": title}, quote_via=quote)
    if network == "facebook":
        return "https://www.facebook.com/sharer/sharer.php?" + urlencode(
            {"u": url}, quote_via=quote)
    if network == "email":
        return "mailto:?" + urlencode({"subject": title, "body": f"{title}\n\n{url}"},
                                      quote_via=quote)
    raise KeyError(network)
