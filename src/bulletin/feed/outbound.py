"""Requests Bulletin makes to other servers must not be turned against our own network
(SSRF): a destination that resolves to a loopback, private, link-local, metadata or other
special address is refused unless an operator allow-listed its host."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from bulletin.domain.errors import ValidationError

_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
                or ip.is_reserved or ip.is_unspecified or ip in _SHARED)


def allowed_hosts(setting: str) -> frozenset[str]:
    return frozenset(h.strip().lower() for h in setting.split(",") if h.strip())


async def check_destination(url: str, allow: frozenset[str]) -> None:
    """Raise ValidationError unless every address the URL's host resolves to is public
    (or the host is allow-listed)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host:
        raise ValidationError("The address has no host name.", field="url")
    if host in allow:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port,
                                                             type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise ValidationError(f"The host {host!r} cannot be found.", field="url") from None
    for info in infos:
        if not is_public(str(info[4][0])):
            raise ValidationError(
                f"The host {host!r} points into a private network ({info[4][0]}); Bulletin "
                "only calls public addresses.", field="url")
