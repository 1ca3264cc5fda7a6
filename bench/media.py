"""Media benchmark: what a 12-megapixel photo costs to take in, and what a blog page weighs.

1. Upload. A photo-like 4000 x 3000 JPEG (gradients, shapes, texture and sensor-like
   noise, so it compresses like a real photo; EXIF with camera and GPS tags) is generated
   here, nothing binary is committed.
   (a) `bulletin.media.images.process` in this process: median/min/max over `--runs` runs
       (after one warm-up run), and the size of each variant it makes;
   (b) end to end: the real server (`python -m bulletin serve` on a free port, fresh SQLite
       database and data folder in a temporary directory, an admin from
       `python -m bulletin createuser`), a blog made through the API, then `--runs` uploads
       (after one warm-up) to `POST /api/v1/media` (multipart `file` + `blog`), one at a
       time: median/p90/max wall time per upload as the client sees it, the server's CPU
       per upload and its peak RSS, the input size and the bytes of the stored variants
       (fetched back through the server).
2. Page weight. On that server, `--posts` posts go into the blog: `--photo-posts` with an
   uploaded photo, one per `--embed` URL with that embed, the rest text or quote, spread
   evenly. Headless Chromium (Debian's /usr/bin/chromium, driven by Playwright; a fresh
   context, so an empty cache, per viewport) opens the blog page on a phone (390 x 844,
   DPR 3) and a desktop (1366 x 900, DPR 1) viewport, waits until the network is idle (no
   request in flight for `--quiet` seconds; the page's open live stream does not count),
   and counts every request the page made, by type, with the bytes transferred; then it
   scrolls through to the bottom (lazy photos load then), waits again, and counts again.
   Requests to any host other than the server's (third-party) are listed; there must be
   none (the exit status is 1 otherwise). Chromium is told that every other host name
   does not exist, so the benchmark never talks to the internet: such a request still
   shows up, as a failed one.

Bytes transferred are Chrome DevTools Protocol `Network.loadingFinished.encodedDataLength`
per request: what came over the wire, response headers plus the body as sent
(compressed, if it was), i.e. DevTools' "transferred". The live stream (EventSource) never
finishes; it counts as one request with the bytes received so far
(`Network.dataReceived.encodedDataLength`). Body bytes after decoding are summed too.
Requests from another target than the page itself (a cross-site frame, a worker) are not
in the page's DevTools session: Playwright's context-wide request events catch them, and
they are listed and checked for third parties.

Loopback only; every phase has a deadline; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from PIL import ExifTags, Image, ImageChops, ImageDraw, ImageFilter
from PIL.TiffImagePlugin import IFDRational

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import assert_loopback, cpu_share, pct, proc_sample
from fanout import HOST, Server

from bulletin.media import images

SLUG = "bench-media"
CHROMIUM = "/usr/bin/chromium"
# As tests/e2e/conftest.py launches it, and every host name but loopback unresolvable.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
VIEWPORTS: dict[str, dict[str, Any]] = {
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3,
              "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1366, "height": 900}, "device_scale_factor": 1},
}
EMBEDS = [
    "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
    "https://vimeo.com/76979871",
    "https://x.com/metoffice/status/1798345032316072311",
    "https://www.instagram.com/p/C7vGd2RNq5L/",
    "https://www.openstreetmap.org/#map=15/51.5072/-0.1276",
]
TYPES = ("document", "script", "css", "image", "other")
CDP_TYPES = {"Document": "document", "Script": "script", "Stylesheet": "css", "Image": "image"}
STREAMING = {"EventSource", "WebSocket"}


# ---- the photo ------------------------------------------------------------------------

def _vertical(width: int, height: int, top: tuple[int, ...], bottom: tuple[int, ...]
              ) -> Image.Image:
    ramp = Image.linear_gradient("L").resize((1, height))
    bands = [ramp.point(lambda v, a=a, b=b: round(a + (b - a) * v / 255))
             for a, b in zip(top, bottom, strict=True)]
    return Image.merge("RGB", bands).resize((width, height))


def _scene(width: int, height: int, rnd: random.Random) -> Image.Image:
    """Sky, clouds, a skyline with lit windows, a road and a crowd: edges and flat areas."""
    horizon = int(height * rnd.uniform(0.45, 0.6))
    img = Image.new("RGB", (width, height))
    img.paste(_vertical(width, horizon, (70, 120, 190), (200, 215, 230)), (0, 0))
    img.paste(_vertical(width, height - horizon, (95, 90, 70), (45, 40, 35)), (0, horizon))
    d = ImageDraw.Draw(img)
    for _ in range(25):
        x, y = rnd.randrange(width), rnd.randrange(horizon // 2)
        rx, ry, c = rnd.randint(150, 600), rnd.randint(40, 140), rnd.randint(215, 250)
        d.ellipse((x - rx, y - ry, x + rx, y + ry), fill=(c, c, min(255, c + 5)))
    x = 0
    while x < width:
        w, h, base = rnd.randint(120, 420), rnd.randint(200, 900), rnd.randint(60, 170)
        d.rectangle((x, horizon - h, x + w, horizon + 20),
                    fill=(base, base - rnd.randint(0, 20), base - rnd.randint(0, 40)))
        for wy in range(horizon - h + 30, horizon - 20, 60):
            for wx in range(x + 15, x + w - 30, 45):
                if rnd.random() < 0.7:
                    lit = rnd.randint(150, 255)
                    d.rectangle((wx, wy, wx + 22, wy + 32), fill=(lit, lit - 20, lit - 80))
        x += w + rnd.randint(0, 60)
    d.polygon([(width * 0.35, height), (width * 0.48, horizon + 20),
               (width * 0.52, horizon + 20), (width * 0.65, height)], fill=(70, 70, 75))
    for _ in range(40):
        px, py = rnd.randrange(width), rnd.randint(horizon + 100, height - 50)
        near = (py - horizon) / (height - horizon)
        ph, pw = int(600 * near) + 40, int(180 * near) + 12
        colour = (rnd.randint(20, 200), rnd.randint(20, 200), rnd.randint(20, 200))
        d.rounded_rectangle((px, py - ph, px + pw, py), radius=pw // 3, fill=colour)
        d.ellipse((px + pw * 0.2, py - ph - pw * 0.7, px + pw * 0.8, py - ph + 5),
                  fill=(200, 160, 130))
    return img.filter(ImageFilter.GaussianBlur(2.0))  # a lens is never that sharp


def _texture(img: Image.Image, rnd: random.Random) -> Image.Image:
    """Surface detail at several scales, strong near the camera, faint in the sky, so the
    smaller variants keep detail to encode (pixel noise alone averages away)."""
    width, height = img.size
    textured = img
    for scale, amp in ((3, 40), (12, 40), (48, 30)):
        sw, sh = width // scale + 1, height // scale + 1
        small = Image.frombytes("L", (sw, sh), rnd.randbytes(sw * sh))
        grain = small.resize((width, height), Image.Resampling.BICUBIC)
        grain = grain.point(lambda v, amp=amp: v * amp // 255)
        textured = ImageChops.add(textured, Image.merge("RGB", [grain] * 3), 1.0, -amp // 2)
    mask = (Image.linear_gradient("L").resize((1, height))
            .point(lambda v: 40 + v * 215 // 255).resize((width, height)))
    return Image.composite(textured, img, mask)


def _exif() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Bulletin"
    exif[ExifTags.Base.Model] = "Bench Camera 12"
    exif[ExifTags.Base.Orientation] = 1
    exif[ExifTags.Base.DateTime] = "2024:06:01 18:42:07"
    exif[ExifTags.Base.Software] = "bench/media.py"
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    sub[ExifTags.Base.DateTimeOriginal] = "2024:06:01 18:42:07"
    sub[ExifTags.Base.ExposureTime] = IFDRational(1, 250)
    sub[ExifTags.Base.FNumber] = IFDRational(18, 10)
    sub[ExifTags.Base.ISOSpeedRatings] = 100
    sub[ExifTags.Base.FocalLength] = IFDRational(52, 10)
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSVersionID] = b"\x02\x03\x00\x00"
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (IFDRational(51), IFDRational(30), IFDRational(2634, 100))
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (IFDRational(0), IFDRational(7), IFDRational(3996, 100))
    gps[ExifTags.GPS.GPSAltitudeRef] = b"\x00"
    gps[ExifTags.GPS.GPSAltitude] = IFDRational(2150, 100)
    return exif.tobytes()


def make_photo(width: int, height: int, seed: int, quality: int) -> bytes:
    """A camera-like JPEG: the same bytes for the same arguments."""
    rnd = random.Random(seed)
    img = _texture(_scene(width, height, rnd), rnd)
    noise = Image.frombytes("RGB", (width, height), rnd.randbytes(width * height * 3))
    img = ImageChops.add(img, noise.point(lambda v: v * 24 // 255), 1.0, -12)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality, exif=_exif())
    return out.getvalue()


# ---- 1a: processing alone ---------------------------------------------------------------

def bench_process(data: bytes, runs: int, max_bytes: int) -> dict[str, Any]:
    images.process(data, max_bytes=max_bytes)  # warm-up: codecs loaded, caches filled
    times = []
    done = None
    for _ in range(runs):
        t0 = time.perf_counter()
        done = images.process(data, max_bytes=max_bytes)
        times.append(time.perf_counter() - t0)
    assert done is not None
    return {
        "runs": runs, "median_s": round(statistics.median(times), 3),
        "min_s": round(min(times), 3), "max_s": round(max(times), 3),
        "width": done.width, "height": done.height,
        "variants": [{"name": v.suffix, "width": v.width, "height": v.height,
                      "bytes": len(v.data)} for v in done.variants],
        "variant_bytes": sum(len(v.data) for v in done.variants),
    }


# ---- 1b: through the server --------------------------------------------------------------

def peak_rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def upload(client: httpx.Client, data: bytes) -> dict[str, Any]:
    r = client.post("/api/v1/media", data={"blog": SLUG},
                    files={"file": ("harbour-front.jpg", data, "image/jpeg")})
    if r.status_code != 201:
        raise SystemExit(f"upload refused: {r.status_code} {r.text}")
    return dict(r.json())


def stored_bytes(client: httpx.Client, media: dict[str, Any]) -> int:
    """The size of every stored variant, fetched back from the server."""
    urls = {part.strip().rsplit(" ", 1)[0]
            for srcset in media["srcset"].values() for part in srcset.split(",")}
    total = 0
    for url in sorted(urls):
        r = client.get(url)
        r.raise_for_status()
        total += len(r.content)
    return total


def bench_uploads(server: Server, client: httpx.Client, data: bytes, runs: int
                  ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    idle = proc_sample(server.pid).rss_kib
    uploaded = [upload(client, data)]  # warm-up: thread pool, codecs, first write
    before = proc_sample(server.pid)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        uploaded.append(upload(client, data))
        times.append(time.perf_counter() - t0)
    after = proc_sample(server.pid)
    times.sort()
    return {
        "runs": runs, "input_bytes": len(data),
        "median_s": round(statistics.median(times), 3), "p90_s": round(pct(times, 0.9) or 0, 3),
        "min_s": round(times[0], 3), "max_s": round(times[-1], 3),
        "server_cpu_per_upload_s": round((after.cpu_s - before.cpu_s) / runs, 3),
        # RSS before the first upload, the peak (VmHWM) over all of them, RSS at the end
        "server_rss_mib": {"before": round(idle / 1024, 1),
                           "peak": round(peak_rss_kib(server.pid) / 1024, 1),
                           "after": round(after.rss_kib / 1024, 1)},
        "stored_bytes": stored_bytes(client, uploaded[-1]),
        "response": {k: uploaded[-1][k] for k in ("url", "width", "height")},
    }, uploaded


# ---- 2: the posts --------------------------------------------------------------------------

TEXTS = [
    "<p>Crews have reopened the coast road between the harbour and the old lighthouse, "
    "but one lane stays closed near the bridge while engineers check the railings. "
    "Drivers are asked to allow an extra <strong>twenty minutes</strong>.</p>",
    "<p>The council says 140 homes are still without power on the east side. Engineers "
    "expect to restore most of them by the evening; the rest depend on a substation that "
    "is still under water.</p><p>A rest centre is open at the sports hall.</p>",
    "<p>Trains are running again between the two central stations, at half the usual "
    "frequency. <a href=\"https://example.org/travel\">Live departures</a> are updated "
    "every few minutes.</p>",
]
QUOTES = [
    {"text": "We have never seen the water come up this fast in thirty years.",
     "speaker": "Maria Lindqvist", "context": "harbour master, speaking at the quay"},
    {"text": "Please stay away from the sea front until we have checked every wall.",
     "speaker": "Chief Inspector Daniel Okafor", "context": "at the evening briefing"},
]


def post_plan(photos: int, embeds: list[str], total: int) -> list[tuple[str, int]]:
    """(kind, index within its kind) for each post in publishing order, kinds spread evenly."""
    counts = {"photo": photos, "embed": len(embeds), "text": total - photos - len(embeds)}
    items = [(kind, i) for kind, n in counts.items() for i in range(n)]
    return sorted(items, key=lambda item: (item[1] + 0.5) / counts[item[0]])


def post_body(kind: str, i: int, media: list[dict[str, Any]], embeds: list[str]
              ) -> dict[str, Any]:
    if kind == "photo":
        m = media[i]
        return {"headline": f"Photos from the sea front, {18 + i // 4}:{(i * 13) % 60:02d}",
                "blocks": [
                    {"kind": "image", "url": m["url"], "width": m["width"],
                     "height": m["height"], "alt": "People walk along the flooded road "
                     "below the skyline, under a cloudy sky.",
                     "caption": "The coast road this evening, as the water went down.",
                     "credit": "Photo: Bench Camera 12 / Bulletin"},
                    {"kind": "text", "html": "<p>Residents came out to look at the damage "
                     "once the rain eased.</p>"}]}
    if kind == "embed":
        return {"headline": f"What people are sharing ({i + 1})",
                "blocks": [{"kind": "text", "html": "<p>Seen online this evening:</p>"},
                           {"kind": "embed", "url": embeds[i]}]}
    if i % 2:
        return {"blocks": [{"kind": "quote", **QUOTES[(i // 2) % len(QUOTES)]}]}
    return {"headline": "Latest from the council",
            "blocks": [{"kind": "text", "html": TEXTS[(i // 2) % len(TEXTS)]}]}


def publish(client: httpx.Client, media: list[dict[str, Any]], args: argparse.Namespace
            ) -> dict[str, int]:
    counts: dict[str, int] = {}
    for kind, i in post_plan(args.photo_posts, args.embed, args.posts):
        r = client.post(f"/api/v1/blogs/{SLUG}/posts", json=post_body(kind, i, media, args.embed))
        if r.status_code != 201:
            raise SystemExit(f"the {kind} post {i + 1} was refused: {r.status_code} {r.text}\n"
                             "(for embeds the API refuses, pass others with --embed URL)")
        counts[kind] = counts.get(kind, 0) + 1
    return counts


# ---- 2: the browser -----------------------------------------------------------------------

@dataclass
class Request:
    url: str
    kind: str  # CDP resource type: Document, Script, Image, EventSource, ...
    transferred: int = 0
    body: int = 0
    done: bool = False
    failed: str = ""


@dataclass
class Traffic:
    """Every request of one page, from its DevTools session."""

    origin: str
    requests: dict[str, Request] = field(default_factory=dict)
    redirected: list[Request] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)  # seen by Playwright only
    last_change: float = field(default_factory=time.monotonic)

    def attach(self, cdp: Any) -> None:
        handlers: dict[str, Callable[[dict[str, Any]], None]] = {
            "Network.requestWillBeSent": self._sent,
            "Network.responseReceived": self._response,
            "Network.dataReceived": self._data,
            "Network.loadingFinished": self._finished,
            "Network.loadingFailed": self._failed,
        }
        for event, handler in handlers.items():
            cdp.on(event, handler)
        cdp.send("Network.enable")

    def _sent(self, e: dict[str, Any]) -> None:
        self.last_change = time.monotonic()
        old = self.requests.get(e["requestId"])
        if old is not None and "redirectResponse" in e:
            old.transferred = int(e["redirectResponse"].get("encodedDataLength", 0))
            old.done = True
            self.redirected.append(old)
        self.requests[e["requestId"]] = Request(e["request"]["url"], e.get("type", "Other"))

    def _response(self, e: dict[str, Any]) -> None:
        if (r := self.requests.get(e["requestId"])) is not None:
            r.kind = e.get("type", r.kind)

    def _data(self, e: dict[str, Any]) -> None:
        if (r := self.requests.get(e["requestId"])) is not None:
            r.transferred += int(e.get("encodedDataLength", 0))
            r.body += int(e.get("dataLength", 0))

    def _finished(self, e: dict[str, Any]) -> None:
        self.last_change = time.monotonic()
        if (r := self.requests.get(e["requestId"])) is not None:
            r.transferred = int(e["encodedDataLength"])
            r.done = True

    def _failed(self, e: dict[str, Any]) -> None:
        self.last_change = time.monotonic()
        if (r := self.requests.get(e["requestId"])) is not None:
            r.done, r.failed = True, e.get("errorText", "failed")

    def all(self) -> list[Request]:
        return [*self.redirected, *self.requests.values()]

    def busy(self) -> bool:
        return any(not r.done and r.kind not in STREAMING for r in self.requests.values())

    def third_party(self) -> list[str]:
        return sorted({url for url in [r.url for r in self.all()] + self.elsewhere
                       if urlsplit(url).scheme in ("http", "https", "ws", "wss")
                       and f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" != self.origin})

    def summary(self) -> dict[str, Any]:
        by_type = {t: {"requests": 0, "bytes": 0} for t in TYPES}
        for r in self.all():
            row = by_type[CDP_TYPES.get(r.kind, "other")]
            row["requests"] += 1
            row["bytes"] += r.transferred
        everything = self.all()
        third = self.third_party()
        return {
            "requests": len(everything),
            "bytes": sum(r.transferred for r in everything),
            "body_bytes": sum(r.body for r in everything),
            "by_type": by_type,
            "failed": sorted(f"{r.url} ({r.failed})" for r in everything if r.failed),
            "open_streams": sorted(r.url for r in everything if not r.done),
            "other_targets": sorted(self.elsewhere),
            "third_party": len(third), "third_party_urls": third,
            "list": [f"{r.kind} {r.transferred} {r.url}" for r in everything],
        }


def wait_idle(page: Any, traffic: Traffic, quiet: float, timeout: float) -> float:
    """Wait until no request (but streams) is in flight and none has started or ended for
    `quiet` seconds; the seconds it took."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        page.wait_for_timeout(50)  # lets Playwright deliver the events
        if not traffic.busy() and time.monotonic() - traffic.last_change >= quiet:
            return time.monotonic() - t0
    raise SystemExit(f"the page was still loading after {timeout}s: "
                     f"{[r.url for r in traffic.all() if not r.done]}")


def scroll_through(page: Any, traffic: Traffic, quiet: float, timeout: float) -> int:
    """Scroll down a screen at a time, as a reader would, pausing for what each step loads."""
    steps = 0
    while steps < 500:
        steps += 1
        bottom = page.evaluate(
            "() => { window.scrollBy({top: Math.round(window.innerHeight * 0.8), "
            "behavior: 'instant'}); const d = document.documentElement; "
            "return window.scrollY + window.innerHeight >= d.scrollHeight - 2; }")
        page.wait_for_timeout(100)
        wait_idle(page, traffic, 0.1, timeout)
        if bottom:
            break
    return steps


def one_viewport(browser: Any, base: str, slug: str, name: str, args: argparse.Namespace
                 ) -> dict[str, Any]:
    """The blog page in a fresh context (empty cache): after load, and after scrolling."""
    context = browser.new_context(**VIEWPORTS[name])
    try:
        everywhere: set[str] = set()  # Playwright sees requests of every frame and worker
        context.on("request", lambda r: everywhere.add(r.url))
        page = context.new_page()
        traffic = Traffic(base)
        traffic.attach(context.new_cdp_session(page))
        t0 = time.monotonic()
        page.goto(f"{base}/blogs/{slug}", wait_until="load", timeout=args.page_timeout * 1000)
        wait_idle(page, traffic, args.quiet, args.page_timeout)
        loaded_s = time.monotonic() - t0
        traffic.elsewhere = sorted(everywhere - {r.url for r in traffic.all()})
        loaded = traffic.summary()
        loaded["seconds"] = round(loaded_s, 2)
        steps = scroll_through(page, traffic, args.quiet, args.page_timeout)
        wait_idle(page, traffic, args.quiet, args.page_timeout)
        traffic.elsewhere = sorted(everywhere - {r.url for r in traffic.all()})
        scrolled = traffic.summary()
        scrolled["scroll_steps"] = steps
        return {"loaded": loaded, "scrolled": scrolled}
    finally:
        context.close()


def page_weight(base: str, slug: str, args: argparse.Namespace) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: install Debian's chromium (make browser).")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                    headless=True)
        try:
            return {name: one_viewport(browser, base, slug, name, args)
                    for name in args.viewports}
        finally:
            browser.close()


# ---- output ----------------------------------------------------------------------------------

def kb(n: int) -> str:
    return f"{n / 1000:,.1f} kB"


def report_process(r: dict[str, Any]) -> None:
    print(f"process(): {r['width']}x{r['height']}, {len(r['variants'])} variants "
          f"({kb(r['variant_bytes'])}); median {r['median_s']}s, min {r['min_s']}s, "
          f"max {r['max_s']}s over {r['runs']} runs")
    print("   variants: " + ", ".join(f"{v['name']} {kb(v['bytes'])}" for v in r["variants"]))


def report_uploads(r: dict[str, Any]) -> None:
    print(f"POST /api/v1/media: input {kb(r['input_bytes'])}; per upload median "
          f"{r['median_s']}s, p90 {r['p90_s']}s, min {r['min_s']}s, max {r['max_s']}s over "
          f"{r['runs']} uploads; server CPU {r['server_cpu_per_upload_s']}s per upload; "
          f"server RSS {r['server_rss_mib']['before']} MiB before the first upload, peak "
          f"{r['server_rss_mib']['peak']}, after {r['server_rss_mib']['after']} MiB; "
          f"stored variants {kb(r['stored_bytes'])}")


def report_page(name: str, phase: str, s: dict[str, Any], verbose: bool) -> None:
    spec = VIEWPORTS[name]
    vp = f"{name} {spec['viewport']['width']}x{spec['viewport']['height']}@" \
         f"{spec['device_scale_factor']}x"
    types = ", ".join(f"{t} {row['requests']} / {kb(row['bytes'])}"
                      for t, row in s["by_type"].items())
    streams = f" ({len(s['open_streams'])} still open: the live stream)" \
        if s["open_streams"] else ""
    print(f"{vp:<22} {phase:<9} {s['requests']:>3} requests{streams}, {kb(s['bytes'])} "
          f"transferred (bodies {kb(s['body_bytes'])}): {types}; "
          f"third-party {s['third_party']}")
    for url in s["third_party_urls"]:
        print(f"   THIRD-PARTY: {url}")
    for label in ("failed", "other_targets"):
        if s[label]:
            print(f"   {label.replace('_', ' ')}: {', '.join(s[label])}")
    if verbose:
        print("   " + "\n   ".join(s["list"]))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--runs", type=int, default=10,
                   help="timed runs of process() and timed uploads (each after a warm-up)")
    p.add_argument("--width", type=int, default=4000)
    p.add_argument("--height", type=int, default=3000)
    p.add_argument("--quality", type=int, default=92, help="JPEG quality of the input photo")
    p.add_argument("--seed", type=int, default=1, help="the photo's random seed")
    p.add_argument("--posts", type=int, default=20, help="posts on the blog page")
    p.add_argument("--photo-posts", type=int, default=10, help="posts with an uploaded photo")
    p.add_argument("--embed", action="append", help="an embed URL, one post each "
                   "(repeat; default: a YouTube, a Vimeo, an X, an Instagram and an "
                   "OpenStreetMap URL)")
    p.add_argument("--viewports", default="phone,desktop", help="comma separated: "
                   + ", ".join(VIEWPORTS))
    p.add_argument("--quiet", type=float, default=0.5,
                   help="network idle = no request in flight for this many seconds")
    p.add_argument("--page-timeout", type=float, default=60.0, help="per wait (s)")
    p.add_argument("--skip", choices=["process", "uploads", "page"], action="append",
                   default=[], help="leave out a part (repeat)")
    p.add_argument("--server-log", type=Path, help="keep the server's output in this file")
    p.add_argument("--json", type=Path, help="also write the figures to this file")
    p.add_argument("-v", "--verbose", action="store_true", help="list every request "
                   "(type, bytes transferred, URL)")
    args = p.parse_args(argv)
    args.embed = args.embed or EMBEDS
    args.viewports = [v.strip() for v in args.viewports.split(",") if v.strip()]
    if not 1 <= args.runs <= 200 or not 0 <= args.photo_posts + len(args.embed) <= args.posts:
        p.error("runs must be 1..200, and photo posts + embeds at most --posts")
    if unknown := set(args.viewports) - set(VIEWPORTS):
        p.error(f"unknown viewport(s) {sorted(unknown)}; known: {', '.join(VIEWPORTS)}")
    assert_loopback(HOST)
    print("command: " + " ".join(shlex.quote(a) for a in
                                 [os.path.relpath(sys.executable), *sys.argv]))
    print(f"machine: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}, a busy process "
          f"gets {cpu_share(None):.0%} of a CPU", flush=True)
    t0 = time.perf_counter()
    data = make_photo(args.width, args.height, args.seed, args.quality)
    print(f"photo: {args.width}x{args.height} JPEG q{args.quality} with EXIF (camera, GPS), "
          f"{kb(len(data))}, made in {time.perf_counter() - t0:.1f}s", flush=True)
    results: dict[str, Any] = {"input_bytes": len(data)}
    max_bytes = 20 * 1024 * 1024
    if "process" not in args.skip:
        results["process"] = bench_process(data, args.runs, max_bytes)
        report_process(results["process"])
    if {"uploads", "page"} <= set(args.skip):
        return 0
    with tempfile.TemporaryDirectory(prefix="bulletin-bench-media-") as tmp:
        server = Server(Path(tmp), None, {}, args.server_log)
        token = server.createuser()
        server.start()
        try:
            client = httpx.Client(base_url=server.base, timeout=120,
                                  headers={"Authorization": f"Bearer {token}"})
            with client:
                r = client.post("/api/v1/blogs", json={"slug": SLUG, "title": "Storm night",
                                                       "description": "Live: the flood."})
                r.raise_for_status()
                media: list[dict[str, Any]] = []
                if "uploads" not in args.skip:
                    results["uploads"], media = bench_uploads(server, client, data, args.runs)
                    report_uploads(results["uploads"])
                if "page" not in args.skip:
                    while len(media) < args.photo_posts:
                        media.append(upload(client, data))
                    results["posts"] = publish(client, media, args)
                    print(f"blog {server.base}/blogs/{SLUG}: {results['posts']}", flush=True)
                    results["page"] = page_weight(server.base, SLUG, args)
                    for name, phases in results["page"].items():
                        for phase, summary in phases.items():
                            report_page(name, phase, summary, args.verbose)
        finally:
            server.stop()
    print(f"load after the run: {os.getloadavg()[0]:.2f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    third = sum(ph["third_party"] for v in results.get("page", {}).values() for ph in v.values())
    return 1 if third else 0


if __name__ == "__main__":
    sys.exit(main())
