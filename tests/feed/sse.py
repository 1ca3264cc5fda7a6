"""A small SSE client over a raw socket, for tests that need to see exactly what the server
wrote: the status and headers, each frame's lines (`id:`, `event:`, `data:`, `retry:`,
comments), and the end of the stream. It speaks just enough HTTP/1.1 (chunked bodies)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Frame:
    """One SSE block (the text between blank lines), with its fields."""

    raw: bytes
    id: int | None = None
    event: str | None = None
    data: list[str] = field(default_factory=list)
    retry: int | None = None
    comments: list[str] = field(default_factory=list)

    @property
    def json(self) -> Any:
        assert len(self.data) == 1, f"expected one data line, got {self.data!r}"
        return json.loads(self.data[0])

    @property
    def is_event(self) -> bool:
        return self.event is not None or bool(self.data)


def parse_frame(raw: bytes) -> Frame:
    frame = Frame(raw=raw)
    for line in raw.decode().split("\n"):
        if line.startswith(":"):
            frame.comments.append(line[1:].strip())
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "id":
            frame.id = int(value)
        elif name == "event":
            frame.event = value
        elif name == "data":
            frame.data.append(value)
        elif name == "retry":
            frame.retry = int(value)
        else:
            raise AssertionError(f"unexpected SSE line {line!r} in {raw!r}")
    return frame


def request_bytes(base_url: str, path: str, headers: dict[str, str] | None = None) -> bytes:
    host = urlsplit(base_url).netloc
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Accept: text/event-stream",
             *(f"{k}: {v}" for k, v in (headers or {}).items()), "", ""]
    return "\r\n".join(lines).encode()


def stalled_socket(base_url: str, path: str, headers: dict[str, str] | None = None, *,
                   rcvbuf: int = 4096, maxseg: int = 1200) -> socket.socket:
    """A connected socket that has sent its GET and reads nothing until handed to
    `SSEClient.take_over`. Its receive buffer is small, and so is its segment size: the
    server's kernel sizes its send buffer from the segment size, so with loopback's 64 KB
    segments the kernel alone would swallow megabytes before the server felt the stall."""
    parts = urlsplit(base_url)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    if maxseg:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, maxseg)
    sock.connect((parts.hostname, parts.port))
    sock.sendall(request_bytes(base_url, path, headers))
    sock.setblocking(False)
    return sock


class SSEClient:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.status = 0
        self.headers: dict[str, str] = {}
        self.body = b""  # the whole body, when the answer is not a stream
        self.ended = False
        self._buffer = b""

    @classmethod
    async def open(cls, base_url: str, path: str, headers: dict[str, str] | None = None
                   ) -> SSEClient:
        parts = urlsplit(base_url)
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        writer.write(request_bytes(base_url, path, headers))
        await writer.drain()
        client = cls(reader, writer)
        await client._read_head()
        return client

    @classmethod
    async def take_over(cls, sock: socket.socket) -> SSEClient:
        reader, writer = await asyncio.open_connection(sock=sock)
        client = cls(reader, writer)
        await client._read_head()
        return client

    async def _read_head(self) -> None:
        status_line = await self.reader.readuntil(b"\r\n")
        self.status = int(status_line.split()[1])
        while (line := await self.reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.decode().partition(":")
            self.headers[name.strip().lower()] = value.strip()
        if "content-length" in self.headers:
            self.body = await self.reader.readexactly(int(self.headers["content-length"]))
            self.ended = True
            return
        assert self.headers.get("transfer-encoding") == "chunked", self.headers
        if not self.headers.get("content-type", "").startswith("text/event-stream"):
            while (chunk := await self._chunk()) is not None:  # an error answer: read it all
                self.body += chunk
            self.ended = True

    async def _chunk(self) -> bytes | None:
        size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
        if size == 0:
            await self.reader.readuntil(b"\r\n")
            return None
        data = await self.reader.readexactly(size + 2)
        return data[:-2]

    async def next_frame(self) -> Frame | None:
        """The next SSE block, or None when the server ended the stream."""
        while b"\n\n" not in self._buffer:
            if self.ended:
                assert self._buffer == b"", f"stream ended inside a frame: {self._buffer!r}"
                return None
            chunk = await self._chunk()
            if chunk is None:
                self.ended = True
            else:
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\n\n", 1)
        return parse_frame(raw)

    async def events(self, count: int, timeout: float = 10.0) -> list[Frame]:
        """The next `count` frames that are events (comments and `retry:` skipped)."""
        got: list[Frame] = []
        async with asyncio.timeout(timeout):
            while len(got) < count:
                frame = await self.next_frame()
                if frame is None:
                    raise AssertionError(f"stream ended after {[f.id for f in got]}")
                if frame.is_event:
                    got.append(frame)
        return got

    async def until_end(self, timeout: float = 30.0) -> list[Frame]:
        """Every frame left, up to the end of the stream."""
        got: list[Frame] = []
        async with asyncio.timeout(timeout):
            while (frame := await self.next_frame()) is not None:
                got.append(frame)
        return got

    def error(self) -> Any:
        return json.loads(self.body)

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(OSError):
            await self.writer.wait_closed()
