"""Requests Bulletin makes to other servers must not be turned against our own network
(SSRF): a destination that resolves to a loopback, private, link-local, metadata or other
special address is refused unless an operator allow-listed its host.

`check_destination` gives a journalist or admin a clear answer before anything is sent;
`PublicTransport` checks again at the moment of connecting and dials the very address it
checked, so a host that resolves elsewhere a moment later (DNS rebinding) cannot slip
through. Link cards and webhooks both go out through it."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import typing
from urllib.parse import urlsplit

import httpcore
import httpx

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


class PublicNetwork(httpcore.AsyncNetworkBackend):
    """Dials only public addresses (or allow-listed hosts): the host is resolved here and
    each address checked before it is connected to, for every connection httpx opens."""

    def __init__(self, allow: frozenset[str]) -> None:
        self.allow = allow
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
                          ) -> httpcore.AsyncNetworkStream:
        if host.lower() in self.allow:
            return await self.inner.connect_tcp(host, port, timeout, local_address,
                                                socket_options)
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port,
                                                                 type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host!r}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        for address in addresses:
            if not is_public(address):
                raise ValidationError(f"The host {host!r} points into a private network "
                                      f"({address}); Bulletin only calls public addresses.",
                                      field="url")
        failure: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(address, port, timeout, local_address,
                                                    socket_options)
            except httpcore.ConnectError as exc:
                failure = exc
        raise failure or httpcore.ConnectError(f"no address for {host!r}")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class PublicTransport(httpx.AsyncHTTPTransport):
    """httpx's transport on the `PublicNetwork` (TLS still checks the site's own name)."""

    def __init__(self, allow: frozenset[str], verify: ssl.SSLContext) -> None:
        super().__init__(verify=verify, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(ssl_context=verify,
                                                  network_backend=PublicNetwork(allow))


def ssl_context(ca_file: str = "") -> ssl.SSLContext:
    """The usual certificate authorities, plus the operator's own (`link_ca_file`)."""
    context = httpx.create_ssl_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context
