"""Every setting in one frozen dataclass, read from the environment (BULLETIN_*) or the CLI."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Settings:
    #: Where the data lives: `sqlite:///./data/bulletin.db` (default) or `postgresql://…`.
    database_url: str = "sqlite:///./data/bulletin.db"
    #: Redis URL for multi-node live updates (`redis://127.0.0.1:6379/0`); empty = in-process.
    redis_url: str = ""
    #: Redis pub/sub channel the nodes of one site share (separate sites on one Redis, or
    #: test runs, use separate channels).
    redis_channel: str = "bulletin:events"
    #: Folder for uploads and generated files.
    data_dir: Path = field(default_factory=lambda: Path("data"))
    host: str = "127.0.0.1"
    port: int = 8000
    #: Proxies trusted to say who the client is (X-Forwarded-For / -Proto): comma-separated
    #: addresses or networks, "*" for any. Sign-in throttling counts by that client address.
    forwarded_allow_ips: str = "127.0.0.1"
    #: Connections the listening socket queues before accepting (a burst of readers).
    backlog: int = 2048
    #: Public address used in links that leave the site (feeds, canonical URLs).
    base_url: str = ""
    #: Seconds a polling client waits between `changes` requests (per blog: `poll_after`).
    poll_after: int = 2
    #: Seconds between each node's look at the change feed for writes from other processes.
    feed_poll_interval: float = 0.5
    #: Seconds between SSE heartbeat comments.
    sse_heartbeat: float = 15.0
    #: Milliseconds a disconnected EventSource waits before reconnecting (`retry:`).
    sse_retry_ms: int = 2000
    #: Bytes queued for one slow reader before it is cut off (it resumes by id).
    sse_buffer_bytes: int = 256 * 1024
    #: Events kept per blog for readers who reconnect; older ones are pruned.
    event_history: int = 50_000
    #: Seconds between the scheduler's looks for scheduled posts that are due.
    scheduler_interval: float = 1.0
    #: Hosts that webhooks may reach even though they resolve to private or loopback
    #: addresses (comma-separated); by default such addresses are refused.
    webhook_allow_hosts: str = ""
    #: A PEM file of extra certificate authorities to trust for webhook endpoints.
    webhook_ca_file: str = ""
    #: Who may frame the embeddable widget (`/blogs/{slug}/embed`): CSP frame-ancestors,
    #: e.g. "https://news.example https://*.news.example"; "*" lets any site embed it.
    embed_frame_ancestors: str = "*"
    #: Largest photo upload accepted, in bytes (bigger files get 413).
    media_max_bytes: int = 20 * 1024 * 1024
    #: Largest photo accepted, in pixels (width × height): refuses decompression bombs.
    media_max_pixels: int = 50_000_000
    #: Mastodon servers whose posts can be embedded (comma-separated host names); posts on
    #: other servers become link cards. Each one is listed in the pages' CSP frame-src.
    embed_mastodon_hosts: str = "mastodon.social,mastodon.online,mstdn.social,journa.host"
    #: Hosts that link cards may read even though they resolve to private or loopback
    #: addresses (comma-separated); by default such addresses are refused.
    link_allow_hosts: str = ""
    #: A PEM file of extra certificate authorities to trust when reading link cards.
    link_ca_file: str = ""
    #: Seconds a link-card fetch may take in all (every redirect included).
    link_timeout: float = 5.0
    #: Bytes of a page read for its link card (its head is enough), and of its picture.
    link_max_bytes: int = 1024 * 1024
    #: Where link-card and embed reads for a host really connect (comma-separated
    #: `host[:port]=host:port`, like curl's --connect-to): an egress proxy or a staging copy
    #: of a site. TLS still checks the original host's certificate; the place connected to
    #: must be public unless it is in `link_allow_hosts`.
    link_connect_to: str = ""
    #: Publish a demo post every few seconds into the demo blog while someone watches.
    demo: bool = False
    demo_interval: float = 6.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        source = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = source.get(f"BULLETIN_{f.name.upper()}")
            if raw is None:
                continue
            values[f.name] = _convert(f.type, raw)
        return replace(cls(**values), **overrides)


def _convert(kind: Any, raw: str) -> Any:
    name = kind if isinstance(kind, str) else getattr(kind, "__name__", str(kind))
    if name == "bool":
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if name == "int":
        return int(raw)
    if name == "float":
        return float(raw)
    if name == "Path":
        return Path(raw)
    return raw
