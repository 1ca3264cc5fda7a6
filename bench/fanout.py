"""Live fan-out benchmark: N SSE readers on one blog, K posts one second apart.

For each N it starts the real server (`python -m bulletin serve`, pinned with `taskset` to
one CPU) on a fresh SQLite database in a temporary folder, creates an editor with
`python -m bulletin createuser`, opens a blog through the API, connects N readers from this
process (raw asyncio sockets, uvloop when importable, pinned to another CPU), publishes K
posts through the API and prints:

- p50/p99/max publish-to-delivery latency over every (reader, post) pair — each post's
  headline carries `BENCH run=<run> id=<i> ts=<time the POST was sent>`;
- the time until the LAST reader got each post (p50 and max over posts);
- missing and duplicate deliveries, readers dropped by the server;
- server RSS per connection: (RSS with N readers - RSS before) / N, from /proc/<pid>/status;
- server CPU per delivery: utime+stime during the publish window / deliveries.

`--client reference` drives the same servers with the reference load client
(`../shared/tools/fanout.py`) instead of the built-in readers.

Loopback only; every phase has a deadline; every server it starts is stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    Readers,
    assert_loopback,
    cpu_share,
    pct,
    pick_cpus,
    proc_sample,
    raise_nofile,
)

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "tools" / "fanout.py"
HOST = "127.0.0.1"
SLUG = "bench"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class Server:
    """`python -m bulletin serve` in a subprocess, on its own database and CPU."""

    def __init__(self, workdir: Path, cpu: int | None, env: dict[str, str],
                 log_path: Path | None = None) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.db_url = f"sqlite:///{workdir}/bench.db"
        self.base = f"http://{HOST}:{self.port}"
        prefix = ["taskset", "-c", str(cpu)] if cpu is not None and shutil.which("taskset") else []
        self.command = [*prefix, sys.executable, "-m", "bulletin", "serve", "--host", HOST,
                        "--port", str(self.port), "--database-url", self.db_url,
                        "--data-dir", str(workdir)]
        self.env = {**os.environ, **env}
        self.log = open(log_path or workdir / "server.log", "wb")  # noqa: SIM115
        self.proc: subprocess.Popen[bytes] | None = None

    def createuser(self) -> str:
        out = subprocess.run(
            [sys.executable, "-m", "bulletin", "createuser", "bench", "--role", "admin",
             "--database-url", self.db_url], env=self.env, capture_output=True, check=True,
            timeout=60)
        return out.stdout.decode().strip().splitlines()[-1]

    def start(self) -> None:
        self.proc = subprocess.Popen(self.command, stdout=self.log, stderr=subprocess.STDOUT,
                                     env=self.env, cwd=self.workdir)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited: see {self.workdir / 'server.log'}")
            try:
                if httpx.get(self.base + "/api/v1/blogs", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise SystemExit("server did not start within 60 s")

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.log.close()


def post_body(run: str, i: int, ts: float) -> dict[str, Any]:
    marker = f"BENCH run={run} id={i} ts={ts:.6f}"
    return {"headline": marker, "blocks": [{"kind": "text", "html": f"<p>Update {i}.</p>"}]}


REF_TEMPLATE = ('{"headline": "{marker}", '
                '"blocks": [{"kind": "text", "html": "<p>Update.</p>"}]}')


async def prepare(server: Server, token: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=server.base, timeout=30,
                               headers={"Authorization": f"Bearer {token}"})
    r = await client.post("/api/v1/blogs", json={"slug": SLUG, "title": "Benchmark"})
    r.raise_for_status()
    # Warm the paths a reader and a publish take, so "RSS before" is a steady baseline.
    r = await client.post(f"/api/v1/blogs/{SLUG}/posts", json=post_body("warmup", 0, 0.0))
    r.raise_for_status()
    warm = Readers("warmup", 1, HOST, server.port, f"/blogs/{SLUG}/live")
    await warm.connect(20, 20, 30)
    warm.close()
    await asyncio.sleep(1.0)
    return client


async def run_ours(server: Server, token: str, n: int, args: argparse.Namespace
                   ) -> dict[str, Any]:
    client = await prepare(server, token)
    run = secrets.token_hex(4)
    readers = Readers(run, args.posts, HOST, server.port, f"/blogs/{SLUG}/live")
    try:
        before = proc_sample(server.pid)
        connect_s = await asyncio.wait_for(
            readers.connect(n, args.connect_concurrency, args.conn_timeout),
            args.connect_timeout)
        gc.collect()
        gc.freeze()  # keep this client's own collector from pausing the readers it measures
        await asyncio.sleep(args.settle)
        connected = proc_sample(server.pid)
        client0 = time.process_time()
        sent: list[float] = []
        statuses: list[int] = []
        t0 = time.time()
        for i in range(args.posts):
            delay = t0 + i * args.interval - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            ts = time.time()
            r = await client.post(f"/api/v1/blogs/{SLUG}/posts", json=post_body(run, i, ts))
            sent.append(time.time() - ts)  # the POST's round trip
            statuses.append(r.status_code)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(readers.expect(len(sent)), args.timeout)
        after = proc_sample(server.pid)
        client_cpu = time.process_time() - client0
    finally:
        readers.close()
        await client.aclose()
    result = score(n, readers, connect_s, before, connected, after, statuses)
    result["client_cpu_publish_s"] = round(client_cpu, 2)
    result["per_post"] = [
        {"post": i, "post_rtt_ms": ms(rtt), "delivered": len(lat),
         "p50_ms": ms(pct(sorted(lat), 0.5)), "last_ms": ms(max(lat) if len(lat) else None)}
        for i, (rtt, lat) in enumerate(zip(sent, readers.latencies, strict=False))]
    return result


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def score(n: int, readers: Readers, connect_s: float, before: Any, connected: Any, after: Any,
          statuses: list[int]) -> dict[str, Any]:
    live = readers.live + readers.dropped
    everything = sorted(x for lat in readers.latencies for x in lat)
    lasts = sorted(max(lat) for lat in readers.latencies[:len(statuses)] if len(lat))
    cpu = after.cpu_s - connected.cpu_s
    return {
        "readers": n, "connected": live, "connect_failures": dict(readers.failures),
        "connect_s": round(connect_s, 2), "dropped": readers.dropped,
        "posts_ok": sum(1 for s in statuses if s in (200, 201)), "posts_sent": len(statuses),
        "deliveries": readers.received, "missing": live * len(statuses) - readers.received,
        "duplicates": readers.duplicates, "foreign": readers.foreign,
        "p50_ms": ms(pct(everything, 0.5)), "p99_ms": ms(pct(everything, 0.99)),
        "max_ms": ms(everything[-1] if everything else None),
        "last_reader_p50_ms": ms(pct(lasts, 0.5)),
        "last_reader_max_ms": ms(lasts[-1] if lasts else None),
        "rss_before_mib": round(before.rss_kib / 1024, 1),
        "rss_connected_mib": round(connected.rss_kib / 1024, 1),
        "rss_per_conn_kb": round((connected.rss_kib - before.rss_kib) * 1.024 / max(live, 1), 2),
        "cpu_connect_s": round(connected.cpu_s - before.cpu_s, 2),
        "cpu_publish_s": round(cpu, 2),
        "cpu_per_delivery_us": round(cpu * 1e6 / readers.received, 1) if readers.received
        else None,
    }


def run_reference(server: Server, token: str, n: int, args: argparse.Namespace
                  ) -> dict[str, Any]:
    asyncio.run(_prepare_only(server, token))
    out = server.workdir / f"reference-{n}.json"
    cmd = [sys.executable, str(args.reference_tool),
           "--sub-url", f"{server.base}/blogs/{SLUG}/live",
           "--pub-url", f"{server.base}/api/v1/blogs/{SLUG}/posts",
           "--pub-header", f"Authorization: Bearer {token}", "--pub-template", REF_TEMPLATE,
           "-n", str(n), "-k", str(args.posts), "--interval", str(args.interval),
           "--timeout", str(args.timeout), "--server-pid", str(server.pid),
           "--max-runtime", str(args.connect_timeout + args.posts * args.interval + 120),
           "--json", str(out), "--label", f"bulletin N={n}"]
    if args.pinned_client_cpu is not None:
        cmd += ["--client-cpus", str(args.pinned_client_cpu)]
    subprocess.run(cmd, timeout=args.connect_timeout + args.posts * args.interval + 180)
    result = json.loads(out.read_text())
    d, c, s = result["delivery"], result["connections"], result["server"]
    cpu = s["cpu_s_publish_phase"]
    return {
        "readers": n, "connected": c["established"], "connect_failures": c["fail_reasons"],
        "connect_s": c["connect_wall_s"], "dropped": c["dropped_after_connect"],
        "posts_ok": d["publishes_ok"], "posts_sent": d["publishes_sent"],
        "deliveries": d["received_pairs"], "missing": d["missing_pairs"],
        "duplicates": d["duplicates"], "foreign": d["foreign_events"],
        "p50_ms": d["p50_ms"], "p99_ms": d["p99_ms"], "max_ms": d["max_ms"],
        "last_reader_p50_ms": d["last_client_ms_p50"],
        "last_reader_max_ms": d["last_client_ms_max"],
        "rss_before_mib": round(s["rss_kib_before"] / 1024, 1),
        "rss_connected_mib": round(s["rss_kib_connected"] / 1024, 1),
        "rss_per_conn_kb": round(s.get("rss_bytes_per_conn", 0) / 1000, 2),
        "cpu_connect_s": s["cpu_s_connect_phase"],
        "cpu_publish_s": cpu,
        "cpu_per_delivery_us": round(cpu * 1e6 / d["received_pairs"], 1)
        if d["received_pairs"] else None,
    }


async def _prepare_only(server: Server, token: str) -> None:
    client = await prepare(server, token)
    await client.aclose()


def one_size(n: int, args: argparse.Namespace, server_cpu: int | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bulletin-bench-") as tmp:
        env = dict(e.split("=", 1) for e in args.server_env)
        if args.gc_trace:
            env["PYTHONPATH"] = os.pathsep.join(
                [str(Path(__file__).resolve().parent / "gctrace"),
                 *filter(None, [os.environ.get("PYTHONPATH")])])
        log = args.server_log.with_suffix(f".{n}.log") if args.server_log else None
        server = Server(Path(tmp), server_cpu, env, log)
        token = server.createuser()
        server.start()
        try:
            if args.client == "reference":
                return run_reference(server, token, n, args)
            return _run_loop(run_ours(server, token, n, args))
        finally:
            server.stop()


def _run_loop(coro: Any) -> Any:
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    return uvloop.run(coro)


def report(r: dict[str, Any], verbose: bool = False) -> None:
    if "server_cpu_share" in r:
        print(f"N={r['readers']:>6}: machine load {r['load_average']}, a busy process got "
              f"{r['server_cpu_share']:.0%} of the server's CPU just before this run")
    print(f"N={r['readers']:>6}: connected {r['connected']} in {r['connect_s']}s "
          f"(server CPU {r.get('cpu_connect_s')}s) "
          f"(failures {r['connect_failures'] or 0}, dropped {r['dropped']}); "
          f"posts {r['posts_ok']}/{r['posts_sent']}")
    print(f"   latency p50={r['p50_ms']}ms p99={r['p99_ms']}ms max={r['max_ms']}ms; "
          f"last reader per post p50={r['last_reader_p50_ms']}ms "
          f"max={r['last_reader_max_ms']}ms")
    print(f"   deliveries {r['deliveries']} missing {r['missing']} duplicates "
          f"{r['duplicates']}; server RSS {r['rss_before_mib']} -> {r['rss_connected_mib']} MiB "
          f"= {r['rss_per_conn_kb']} KB/conn; CPU {r['cpu_publish_s']}s = "
          f"{r['cpu_per_delivery_us']} us/delivery"
          + (f"; client CPU {r['client_cpu_publish_s']}s" if "client_cpu_publish_s" in r else ""),
          flush=True)
    if verbose and r.get("per_post"):
        print("   per post: " + "; ".join(
            f"{p['post']}: rtt {p['post_rtt_ms']} p50 {p['p50_ms']} last {p['last_ms']}"
            for p in r["per_post"]), flush=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--readers", default="1000,5000,10000", help="reader counts, comma separated")
    p.add_argument("--posts", type=int, default=20)
    p.add_argument("--interval", type=float, default=1.0, help="seconds between posts")
    p.add_argument("--timeout", type=float, default=15.0,
                   help="seconds to wait after the last post for late deliveries")
    p.add_argument("--settle", type=float, default=1.0,
                   help="seconds between the last connect and sampling RSS")
    p.add_argument("--connect-concurrency", type=int, default=200)
    p.add_argument("--conn-timeout", type=float, default=30.0, help="per reader (s)")
    p.add_argument("--connect-timeout", type=float, default=180.0, help="whole connect phase")
    p.add_argument("--client-cpu", default="auto", help="CPU for the readers ('any': unpinned)")
    p.add_argument("--server-cpu", default="auto", help="CPU for the server ('any': unpinned)")
    p.add_argument("--client", choices=["ours", "reference"], default="ours",
                   help="built-in readers, or the reference load client")
    p.add_argument("--reference-tool", type=Path, default=REFERENCE)
    p.add_argument("--server-env", action="append", default=[], metavar="NAME=VALUE",
                   help="extra environment for the server (e.g. BULLETIN_SSE_BUFFER_BYTES=…)")
    p.add_argument("--json", type=Path, help="also write the figures to this file")
    p.add_argument("--server-log", type=Path,
                   help="keep the server's output in <this>.<N>.log (default: discarded)")
    p.add_argument("-v", "--verbose", action="store_true", help="print figures per post")
    p.add_argument("--gc-trace", action="store_true",
                   help="the server logs its garbage-collection time (bench/gctrace)")
    args = p.parse_args(argv)
    sizes = [int(x) for x in args.readers.split(",") if x.strip()]
    if not sizes or min(sizes) < 1 or max(sizes) > 18_000 or not 1 <= args.posts <= 1000:
        p.error("readers must be 1..18000 each and posts 1..1000")
    assert_loopback(HOST)
    client_cpu, server_cpu, steps = pick_cpus(args.client_cpu, args.server_cpu)
    if client_cpu is not None:
        os.sched_setaffinity(0, {client_cpu})
    args.pinned_client_cpu = client_cpu
    raise_nofile(max(sizes) + 256)
    print("command: " + " ".join(shlex.quote(a) for a in
                                 [os.path.relpath(sys.executable), *sys.argv]))
    print(f"client cpu {client_cpu}, server cpu {server_cpu}; clock step (us) by cpu: "
          f"{ {c: round(v, 2) for c, v in steps.items()} }; posts {args.posts} every "
          f"{args.interval}s; client {args.client}", flush=True)
    results = []
    for n in sizes:
        share = cpu_share(server_cpu)
        result = one_size(n, args, server_cpu)
        result["server_cpu_share"] = round(share, 2)
        result["load_average"] = round(os.getloadavg()[0], 2)
        results.append(result)
        report(result, args.verbose)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    bad = any(r["missing"] or r["duplicates"] or r["connected"] < r["readers"] for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
