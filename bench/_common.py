"""Helpers for the benchmarks: process sampling, CPU/clock choice, and a lean SSE reader.

Standard library only. Every socket this module opens goes to a loopback address.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import re
import resource
import socket
import subprocess
import sys
import time
from array import array
from collections import Counter
from dataclasses import dataclass

MARKER_RE = re.compile(rb"BENCH run=(\w+) id=(\d+) ts=([0-9.]+)")


def assert_loopback(host: str) -> None:
    """Refuse any target that is not this machine's loopback."""
    for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP):
        if not ipaddress.ip_address(info[4][0]).is_loopback:
            raise SystemExit(f"refusing non-loopback target {host}")


def raise_nofile(need: int) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = need if hard == resource.RLIM_INFINITY else min(max(need, soft), hard)
    if want > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def pct(sorted_values: list[float], q: float) -> float | None:
    if not sorted_values:
        return None
    i = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[i]


@dataclass
class ProcSample:
    rss_kib: int
    cpu_s: float


def proc_sample(pid: int) -> ProcSample:
    """RSS (KiB, /proc/<pid>/status VmRSS) and CPU seconds (utime+stime, /proc/<pid>/stat)."""
    rss = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
                break
    with open(f"/proc/{pid}/stat", "rb") as f:
        stat = f.read()
    fields = stat[stat.rindex(b")") + 2:].split()
    return ProcSample(rss, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"))


def clock_step_us(cpu: int, want: int = 25, max_iter: int = 3_000_000) -> float:
    """Median step of CLOCK_REALTIME seen from `cpu` (some vCPUs tick in 4-50 ms steps)."""
    old = os.sched_getaffinity(0)
    try:
        os.sched_setaffinity(0, {cpu})
        time.sleep(0.002)
        steps: list[int] = []
        last = time.time_ns()
        for _ in range(max_iter):
            now = time.time_ns()
            if now != last:
                steps.append(now - last)
                last = now
                if len(steps) >= want:
                    break
        if len(steps) < 5:
            return float("inf")
        steps.sort()
        return steps[len(steps) // 2] / 1000.0
    finally:
        os.sched_setaffinity(0, old)


def cpu_share(cpu: int | None, seconds: float = 0.5) -> float:
    """The fraction of `cpu` a busy process gets right now (1.0 on an idle machine): other
    work on the machine slows every figure down by about this much."""
    code = (f"import time\nw=time.perf_counter()+{seconds!r}\nc=time.process_time()\n"
            "while time.perf_counter()<w: pass\nprint(time.process_time()-c)")
    prefix = ["taskset", "-c", str(cpu)] if cpu is not None else []
    out = subprocess.run([*prefix, sys.executable, "-c", code], capture_output=True,
                         text=True, timeout=30)
    return min(1.0, float(out.stdout.strip()) / seconds)


def pick_cpus(client: str, server: str) -> tuple[int | None, int | None, dict[int, float]]:
    """(client cpu, server cpu, clock steps): the client gets a CPU with a fine clock, the
    server another one. 'auto' chooses, 'any' leaves that side unpinned."""
    allowed = sorted(os.sched_getaffinity(0))
    steps = {c: clock_step_us(c) for c in allowed} if "auto" in (client, server) else {}
    if client == "auto":
        fine = [c for c in allowed if steps[c] <= 50.0] or allowed
        client_cpu: int | None = fine[-1] if len(allowed) > 1 else None
    else:
        client_cpu = None if client == "any" else int(client)
    if server == "auto":
        others = [c for c in allowed if c != client_cpu]
        server_cpu: int | None = others[-1] if others and client_cpu is not None else None
    else:
        server_cpu = None if server == "any" else int(server)
    return client_cpu, server_cpu, steps


class Readers:
    """Many SSE readers in one event loop, scored against the posts' markers."""

    def __init__(self, run: str, posts: int, host: str, port: int, path: str) -> None:
        self.run = run.encode()
        self.posts = posts
        self.host, self.port = host, port
        self.request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                        "Accept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n").encode()
        self.latencies = [array("d") for _ in range(posts)]
        self.received = 0
        self.duplicates = 0
        self.foreign = 0
        self.live = 0
        self.dropped = 0
        self.failures: Counter[str] = Counter()
        self.protocols: list[SSEReader] = []
        self.all_done: asyncio.Future[None] | None = None
        self.expected = 0

    async def connect(self, count: int, concurrency: int, timeout: float) -> float:
        loop = asyncio.get_running_loop()
        gate = asyncio.Semaphore(concurrency)
        started = time.perf_counter()

        async def one() -> None:
            async with gate:
                reader = SSEReader(self)
                try:
                    await asyncio.wait_for(
                        loop.create_connection(lambda: reader, self.host, self.port), timeout)
                    await asyncio.wait_for(reader.ready, timeout)
                except TimeoutError:
                    self.failures["timeout"] += 1
                    reader.abort()
                except OSError as exc:
                    self.failures[f"OSError {exc.errno} {exc.strerror}"] += 1
                except ConnectionError as exc:
                    self.failures[str(exc)] += 1
                else:
                    self.live += 1
                    self.protocols.append(reader)

        await asyncio.gather(*(one() for _ in range(count)))
        return time.perf_counter() - started

    def expect(self, posts_sent: int) -> asyncio.Future[None]:
        self.expected = posts_sent
        self.all_done = asyncio.get_running_loop().create_future()
        self._check_done()
        return self.all_done

    def _check_done(self) -> None:
        done = self.all_done
        if done is not None and not done.done() and self.received >= self.expected * self.live:
            done.set_result(None)

    def close(self) -> None:
        for reader in self.protocols:
            reader.abort()

    def on_event(self, reader: SSEReader, data: bytes, now: float) -> None:
        match = MARKER_RE.search(data)
        if match is None or match.group(1) != self.run:
            self.foreign += 1
            return
        post = int(match.group(2))
        if not 0 <= post < self.posts:
            self.foreign += 1
            return
        if reader.seen[post]:
            self.duplicates += 1
            return
        reader.seen[post] = 1
        self.latencies[post].append(now - float(match.group(3)))
        self.received += 1
        self._check_done()

    def on_drop(self) -> None:
        self.live -= 1
        self.dropped += 1
        self._check_done()


class SSEReader(asyncio.Protocol):
    """HTTP/1.1 response head, chunked decoding and SSE event splitting — nothing more."""

    __slots__ = ("alive", "body", "chunk_left", "head", "owner", "raw", "ready", "seen",
                 "transport")

    def __init__(self, owner: Readers) -> None:
        self.owner = owner
        self.transport: asyncio.Transport | None = None
        self.head = b""
        self.raw = b""  # undecoded chunked bytes
        self.body = b""  # decoded bytes not yet split into events
        self.chunk_left = -1  # -1: expecting a size line; else bytes left in this chunk
        self.seen = bytearray(owner.posts)
        self.ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.alive = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's is no subclass
        transport.write(self.owner.request)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.ready.done():
            self.ready.set_exception(ConnectionError("closed before the response head"))
        elif self.alive:
            self.alive = False
            self.owner.on_drop()

    def abort(self) -> None:
        self.alive = False
        if self.transport is not None:
            self.transport.abort()

    def data_received(self, data: bytes) -> None:
        now = time.time()
        if not self.alive:
            if self.ready.done():
                return
            self.head += data
            end = self.head.find(b"\r\n\r\n")
            if end < 0:
                return
            head, data = self.head[:end], self.head[end + 4:]
            self.head = b""
            status = head.split(b" ", 2)[1]
            if status != b"200" or b"chunked" not in head.lower():
                self.ready.set_exception(ConnectionError(f"HTTP {status.decode()}"))
                self.abort()
                return
            self.alive = True
            self.ready.set_result(None)
            if not data:
                return
        self._dechunk(data, now)

    def _dechunk(self, data: bytes, now: float) -> None:
        buf = self.raw + data if self.raw else data
        pos, end = 0, len(buf)
        out: list[bytes] = []
        while pos < end:
            if self.chunk_left < 0:
                eol = buf.find(b"\r\n", pos)
                if eol < 0:
                    break
                size_text = buf[pos:eol]
                pos = eol + 2
                if not size_text:
                    continue
                self.chunk_left = int(size_text.split(b";", 1)[0], 16)
                if self.chunk_left == 0:
                    self.abort()  # the server ended the stream
                    return
            elif self.chunk_left > 0:
                take = min(self.chunk_left, end - pos)
                out.append(buf[pos:pos + take])
                pos += take
                self.chunk_left -= take
            elif end - pos >= 2:  # the CRLF after a chunk
                pos += 2
                self.chunk_left = -1
            else:
                break
        self.raw = buf[pos:]
        if out:
            self._split(b"".join(out), now)

    def _split(self, data: bytes, now: float) -> None:
        body = self.body + data if self.body else data
        cut = body.rfind(b"\n\n")
        if cut < 0:
            self.body = body
            return
        self.body = body[cut + 2:]
        for event in body[:cut].split(b"\n\n"):
            if b"data:" in event:
                self.owner.on_event(self, event, now)
