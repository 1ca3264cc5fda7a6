"""Requests Bulletin makes to other servers must not be turned against our own network
(SSRF): a destination that resolves to a loopback, private, link-local, metadata or other
special address is refused unless an operator allow-listed its host.

`check_destination` gives a journalist or admin a clear answer before anything is sent;
`PublicTransport` checks again at the moment of connecting and dials the very address it
checked, so a host that resolves elsewhere a moment later (DNS rebinding) cannot slip
through. Link cards and webhooks both go out through it.

An operator may send the link reader's connections for a host elsewhere (`connect_routes`,
the `link_connect_to` setting, like curl's `--connect-to`): to an egress proxy, a staging
copy of a site, or the local servers the specs run. Only where the TCP connection goes
changes: TLS still checks the original host's certificate, and the place connected to is
checked against private networks like any other (unless allow-listed)."""

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


Routes = dict[tuple[str, int], tuple[str, int]]


def _host_port(text: str) -> tuple[str, int]:
    host, colon, port = text.strip().lower().rpartition(":")
    if not colon:
        host, port = port, "443"
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"{text.strip()!r} is not host:port")
    return host.strip("[]"), int(port)


def connect_routes(setting: str) -> Routes:
    """`link_connect_to` as {(host, port): (host, port)}: comma-separated
    `host[:port]=host:port` (port 443 when left out). Raises ValueError, naming the entry,
    for anything else, so a typo stops the server at start rather than routing nowhere."""
    routes: Routes = {}
    for entry in (e for e in setting.split(",") if e.strip()):
        source, equals, target = entry.partition("=")
        if not equals:
            raise ValueError(f"link_connect_to: {entry.strip()!r} is not host:port=host:port")
        routes[_host_port(source)] = _host_port(target)
    return routes


def _route(routes: Routes, host: str, port: int) -> tuple[str, int]:
    return routes.get((host.lower(), port), (host, port))


async def check_destination(url: str, allow: frozenset[str], routes: Routes | None = None
                            ) -> None:
    """Raise ValidationError unless every address the URL's host resolves to is public
    (or the host is allow-listed)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host:
        raise ValidationError("The address has no host name.", field="url")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host, port = _route(routes or {}, host, port)
    if host in allow:
        return
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

    def __init__(self, allow: frozenset[str], routes: Routes | None = None) -> None:
        self.allow = allow
        self.routes = routes or {}
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
                          ) -> httpcore.AsyncNetworkStream:
        host, port = _route(self.routes, host, port)
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

    def __init__(self, allow: frozenset[str], verify: ssl.SSLContext,
                 routes: Routes | None = None) -> None:
        super().__init__(verify=verify, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=verify, network_backend=PublicNetwork(allow, routes))


def ssl_context(ca_file: str = "") -> ssl.SSLContext:
    """The usual certificate authorities, plus the operator's own (`link_ca_file`)."""
    context = httpx.create_ssl_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context
