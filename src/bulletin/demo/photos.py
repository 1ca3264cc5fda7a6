"""Photos for the demo live blog, painted on the spot with Pillow.

The demo has to run offline and ship no pictures of uncertain origin, so every photo the demo
story shows is drawn here from gradients, noise, polygons and blur. Each scene is seeded from
its file name, so the same pictures come out on every run; files already present are kept.
"""

from __future__ import annotations

import itertools
import math
import os
import random
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageOps

WIDTH = 1280
HEIGHT = 853
SIZE = (WIDTH, HEIGHT)
JPEG_QUALITY = 82

RGB = tuple[int, int, int]
Point = tuple[float, float]
Vec3 = tuple[float, float, float]
Scene = Callable[[random.Random], Image.Image]
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


# --- small helpers -----------------------------------------------------------------------------


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    t = min(1.0, max(0.0, t))
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _shade(color: RGB, factor: float) -> RGB:
    return (
        min(255, round(color[0] * factor)),
        min(255, round(color[1] * factor)),
        min(255, round(color[2] * factor)),
    )


def _fog(color: RGB, fog: RGB, z: float, distance: float) -> RGB:
    return _mix(color, fog, 1.0 - math.exp(-z / distance))


def _ramp(stops: Sequence[tuple[float, float]], length: int) -> list[float]:
    values: list[float] = []
    for i in range(length):
        t = i / max(1, length - 1)
        values.append(_at(stops, t))
    return values


def _at(stops: Sequence[tuple[float, float]], t: float) -> float:
    if t <= stops[0][0]:
        return stops[0][1]
    for (t0, v0), (t1, v1) in itertools.pairwise(stops):
        if t <= t1:
            return v0 + (v1 - v0) * ((t - t0) / max(1e-9, t1 - t0))
    return stops[-1][1]


def _gradient(stops: Sequence[tuple[float, RGB]], size: tuple[int, int] = SIZE) -> Image.Image:
    """A vertical colour gradient; stops are (position 0..1, colour)."""
    h = size[1]
    column = Image.new("RGB", (1, h))
    channels = [_ramp([(t, float(c[i])) for t, c in stops], h) for i in range(3)]
    column.putdata([(round(r), round(g), round(b)) for r, g, b in zip(*channels, strict=True)])
    return column.resize(size, Image.Resampling.NEAREST)


def _vmask(stops: Sequence[tuple[float, float]], size: tuple[int, int] = SIZE) -> Image.Image:
    """A vertical greyscale ramp; stops are (position 0..1, value 0..255)."""
    h = size[1]
    column = Image.new("L", (1, h))
    column.putdata([round(v) for v in _ramp(stops, h)])
    return column.resize(size, Image.Resampling.NEAREST)


def _noise(
    rng: random.Random,
    size: tuple[int, int],
    cells: tuple[int, int],
    octaves: int = 5,
    persistence: float = 0.55,
) -> Image.Image:
    """Smooth fractal value noise (greyscale), stretched to cover the full range.

    Octaves are summed on a grid a few times finer than the finest octave, then scaled up
    once, which looks the same as summing at full size and is several times faster.
    """
    grid = (min(size[0], cells[0] << (octaves + 1)), min(size[1], cells[1] << (octaves + 1)))
    acc: Image.Image | None = None
    total = 0.0
    weight = 1.0
    cw, ch = cells
    for _ in range(octaves):
        cw, ch = max(2, min(cw, size[0])), max(2, min(ch, size[1]))
        small = Image.frombytes("L", (cw, ch), rng.randbytes(cw * ch))
        layer = small.resize(grid, Image.Resampling.BICUBIC)
        total += weight
        acc = layer if acc is None else Image.blend(acc, layer, weight / total)
        weight *= persistence
        cw, ch = cw * 2, ch * 2
    assert acc is not None
    if acc.size != size:
        acc = acc.resize(size, Image.Resampling.BICUBIC)
    return ImageOps.autocontrast(acc, cutoff=1)


def _levels(mask: Image.Image, low: int, high: int, gain: float = 1.0) -> Image.Image:
    span = max(1, high - low)
    table = [round(min(255, max(0, (v - low) * 255 / span)) * gain) for v in range(256)]
    return mask.point(table)


def _scale_mask(mask: Image.Image, gain: float) -> Image.Image:
    return mask.point([min(255, round(v * gain)) for v in range(256)])


def _fill(img: Image.Image, color: RGB, mask: Image.Image) -> Image.Image:
    return Image.composite(Image.new("RGB", img.size, color), img, mask)


def _overlay(img: Image.Image, layer: Image.Image) -> None:
    img.paste(layer, (0, 0), layer)


def _layer(color: RGB = (0, 0, 0)) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A transparent RGBA layer whose hidden colour matches what is drawn (clean blur edges)."""
    layer = Image.new("RGBA", SIZE, (*color, 0))
    return layer, ImageDraw.Draw(layer)


def _blob_mask(
    boxes: Sequence[tuple[float, float, float, float]], blur: float, value: int = 255
) -> Image.Image:
    mask = Image.new("L", SIZE, 0)
    draw = ImageDraw.Draw(mask)
    for box in boxes:
        draw.ellipse(box, fill=value)
    return mask.filter(ImageFilter.GaussianBlur(blur))


def _glow(img: Image.Image, spots: Sequence[tuple[Point, float]], color: RGB, blur: float,
          strength: float = 1.0) -> Image.Image:
    """Screen-blend soft light around each (centre, radius) spot."""
    mask = Image.new("L", SIZE, 0)
    draw = ImageDraw.Draw(mask)
    for (x, y), r in spots:
        draw.ellipse((x - r, y - r, x + r, y + r), fill=255)
    mask = _scale_mask(mask.filter(ImageFilter.GaussianBlur(blur)), strength)
    light = ImageChops.multiply(Image.new("RGB", SIZE, color), mask.convert("RGB"))
    return ImageChops.screen(img, light)


def _spray(img: Image.Image, rng: random.Random,
           boxes: Sequence[tuple[float, float, float, float]], color: RGB = (236, 240, 242),
           opacity: float = 0.9) -> Image.Image:
    """Wind-blown spray: a veil of mist around a bright core whose edges tear into wisps."""
    shape = _blob_mask(boxes, 14)
    mist = _scale_mask(shape.filter(ImageFilter.GaussianBlur(30)), 0.45 * opacity)
    img = _fill(img, color, mist)
    ragged = ImageOps.invert(_noise(rng, SIZE, (64, 44), octaves=5, persistence=0.75))
    mask = ImageChops.subtract(_scale_mask(shape, 1.5), _scale_mask(ragged, 1.05))
    mask = _scale_mask(mask.filter(ImageFilter.GaussianBlur(1.2)), opacity)
    return _fill(img, color, mask)


def _fountain(rng: random.Random, x: float, y: float, height: float, lean: float,
              spread: float, count: int = 40) -> list[tuple[float, float, float, float]]:
    """Ellipses for a plume of spray thrown up from (x, y), widening and leaning as it rises."""
    boxes = []
    for _ in range(count):
        t = rng.random() ** 0.8
        cx = x + lean * t + rng.gauss(0, spread * (0.25 + t))
        cy = y - height * t
        r = spread * (0.3 + 0.7 * t) * rng.uniform(0.5, 1.0)
        boxes.append((cx - r * 1.3, cy - r, cx + r * 1.3, cy + r))
    return boxes


def _rain(img: Image.Image, rng: random.Random, count: int, slant: float, length: float,
          alpha: int, color: RGB = (214, 222, 230)) -> None:
    layer, draw = _layer(color)
    for _ in range(count):
        x = rng.uniform(-150, WIDTH + 50)
        y = rng.uniform(-80, HEIGHT)
        n = length * rng.uniform(0.5, 1.4)
        draw.line(
            [(x, y), (x + slant * n, y + n)],
            fill=(*color, rng.randint(alpha // 3, alpha)),
            width=1 if rng.random() < 0.85 else 2,
        )
    _overlay(img, layer.filter(ImageFilter.GaussianBlur(0.7)))


def _grain_and_vignette(img: Image.Image, rng: random.Random, grain: int = 14,
                        vignette: float = 0.38) -> Image.Image:
    noise = Image.frombytes("L", SIZE, rng.randbytes(WIDTH * HEIGHT))
    noise = noise.point([v * grain // 255 for v in range(256)]).convert("RGB")
    img = ImageChops.add(img, noise, scale=1.0, offset=-(grain // 2))
    ring = Image.radial_gradient("L").resize(SIZE, Image.Resampling.BILINEAR)
    keep = ring.point([255 - round(min(255, max(0, v - 90) * 1.5) * vignette) for v in range(256)])
    return ImageChops.multiply(img, keep.convert("RGB"))


def _font(size: int) -> Font:
    return ImageFont.load_default(size=size)


@dataclass(frozen=True)
class _Camera:
    """A pinhole camera looking down +z; y is up in the world and down on the picture."""

    focal: float
    cx: float
    cy: float
    height: float
    mirror_at: float | None = None

    def at(self, x: float, y: float, z: float) -> Point:
        if self.mirror_at is not None:
            y = 2 * self.mirror_at - y
        return (self.cx + x * self.focal / z, self.cy - (y - self.height) * self.focal / z)

    def poly(self, points: Sequence[Vec3]) -> list[Point]:
        return [self.at(*p) for p in points]

    def px(self, metres: float, z: float) -> float:
        return metres * self.focal / z

    def mirrored(self, level: float) -> _Camera:
        return replace(self, mirror_at=level)


# --- recurring elements ------------------------------------------------------------------------


def _storm_sky(rng: random.Random, horizon: int, top: RGB, low: RGB, cloud: RGB, light: RGB,
               density: float = 0.6) -> Image.Image:
    h = horizon / HEIGHT
    sky = _gradient([(0.0, top), (h, low), (1.0, low)])
    heavy = _noise(rng, SIZE, (5, 4), octaves=6)
    fade = _vmask([(0.0, 255), (h * 0.85, 150), (h, 90), (1.0, 90)])
    mask = ImageChops.multiply(_levels(heavy, round(150 - 110 * density), 240), fade)
    sky = _fill(sky, cloud, mask)
    darker = _levels(_noise(rng, SIZE, (7, 5), octaves=5), 120, 250, gain=0.7)
    sky = _fill(sky, _shade(cloud, 0.7), ImageChops.multiply(darker, fade))
    bright = _levels(_noise(rng, SIZE, (9, 6), octaves=5), 165, 250, gain=0.55)
    return _fill(sky, light, bright)


def _tileable_noise(rng: random.Random, tile: int, cells: tuple[int, int], octaves: int = 5,
                    persistence: float = 0.55) -> Image.Image:
    """Fractal value noise that wraps seamlessly at its edges (tile must be a power of two)."""
    acc: Image.Image | None = None
    total = 0.0
    weight = 1.0
    cw, ch = cells
    for _ in range(octaves):
        cw, ch = min(cw, tile), min(ch, tile)
        small = Image.frombytes("L", (cw, ch), rng.randbytes(cw * ch))
        pad = 2
        wrapped = Image.new("L", (cw + 2 * pad, ch + 2 * pad))
        for ox in (-cw, 0, cw):
            for oy in (-ch, 0, ch):
                wrapped.paste(small, (pad + ox, pad + oy))
        sx, sy = tile // cw, tile // ch
        big = wrapped.resize((wrapped.width * sx, wrapped.height * sy), Image.Resampling.BICUBIC)
        layer = big.crop((pad * sx, pad * sy, pad * sx + tile, pad * sy + tile))
        total += weight
        acc = layer if acc is None else Image.blend(acc, layer, weight / total)
        weight *= persistence
        cw, ch = cw * 2, ch * 2
    assert acc is not None
    return ImageOps.autocontrast(acc, cutoff=1)


def _ground_warp(texture: Image.Image, depth: int, focal: float, scale: float,
                 shift: float = 0.0) -> Image.Image:
    """Lay a square tileable texture flat on the ground below the horizon, in perspective.

    Row d pixels below the horizon lies at a distance proportional to 1/d, so it samples
    texture row focal*scale/d and a span of WIDTH*scale/d texels; a mip pyramid keeps the
    distant rows from aliasing.
    """
    tile = texture.width
    levels: list[Image.Image] = []
    level = texture
    while level.width >= 8:
        reps = 2 + (4 * WIDTH) // level.width
        strip = Image.new(texture.mode, (level.width * reps, level.height))
        for i in range(reps):
            strip.paste(level, (i * level.width, 0))
        levels.append(strip)
        level = level.resize((level.width // 2, level.height // 2), Image.Resampling.BOX)
    out = Image.new(texture.mode, (WIDTH, depth))
    for row in range(depth):
        d = row + 0.75
        span = WIDTH * scale / d
        lv = max(0, min(len(levels) - 1, math.floor(math.log2(max(1.0, span / WIDTH)))))
        size = tile >> lv
        span_l = min(span / (1 << lv), 3.0 * WIDTH)
        v = int(focal * scale / d / (1 << lv)) % size
        x0 = ((shift - span / 2) / (1 << lv)) % size
        strip = levels[lv].crop((round(x0), v, round(x0 + span_l), v + 1))
        out.paste(strip.resize((WIDTH, 1), Image.Resampling.BILINEAR), (0, row))
    return out


def _ridges(noise: Image.Image, sharpness: int = 3) -> Image.Image:
    """Turn smooth noise into thin bright lines along its mid-level contour (wave crests)."""
    return noise.point([round(255 * (1 - abs(v - 128) / 128) ** sharpness) for v in range(256)])


def _sea(img: Image.Image, rng: random.Random, horizon: int, far: RGB, near: RGB, crest: RGB,
         roughness: float, foam: float) -> Image.Image:
    depth = HEIGHT - horizon
    swell = _tileable_noise(rng, 1024, (8, 32), octaves=5, persistence=0.55)
    chop = _tileable_noise(rng, 1024, (32, 128), octaves=3, persistence=0.5)
    crests = ImageChops.multiply(_ridges(chop, 4), _levels(swell, 90, 200))
    whites = _levels(ImageChops.multiply(chop, swell), round(230 - 110 * foam), 255)
    body = Image.merge("RGB", (swell, crests, whites))
    body = _ground_warp(body, depth, focal=700, scale=0.32 * depth, shift=rng.uniform(0, 1024))
    swell_w, crest_w, white_w = body.split()
    water = _gradient([(0.0, far), (1.0, near)], (WIDTH, depth))
    water = _fill(water, _shade(near, 0.55), _levels(swell_w, 110, 255, gain=0.75 * roughness))
    water = _fill(water, _mix(far, crest, 0.4), _levels(ImageOps.invert(swell_w), 150, 255, 0.5))
    water = _fill(water, crest, _scale_mask(crest_w, 0.55 * roughness))
    water = _fill(water, (238, 242, 243), white_w.filter(ImageFilter.GaussianBlur(1.2)))
    fade = _vmask([(0.0, 230), (0.04, 120), (0.18, 0), (1.0, 0)], (WIDTH, depth))
    water = _fill(water, _mix(far, (200, 206, 210), 0.15), fade)
    img = img.copy()
    img.paste(water, (0, horizon))
    return img


# --- scenes ------------------------------------------------------------------------------------


def _harbour_wall_waves(rng: random.Random) -> Image.Image:
    horizon = 330
    img = _storm_sky(rng, horizon, (46, 52, 60), (150, 156, 160), (70, 76, 86), (176, 180, 184),
                     density=0.75)
    img = _sea(img, rng, horizon, (96, 108, 112), (28, 44, 50), (196, 204, 204),
               roughness=1.0, foam=0.7)
    cam = _Camera(focal=700, cx=420, cy=horizon, height=6.0)
    draw = ImageDraw.Draw(img)
    stone = (118, 114, 104)
    far_z, near_z = 260.0, 1.2
    # the harbour wall runs away from us on the right; its sea face looks towards the camera
    face = cam.poly([(2.0, 4.0, near_z), (2.0, 4.0, far_z), (2.0, -1.0, far_z),
                     (2.0, -1.0, near_z)])
    top = cam.poly([(2.0, 4.0, near_z), (2.0, 4.0, far_z), (10.0, 4.0, far_z),
                    (10.0, 4.0, near_z)])
    draw.polygon(top, fill=(136, 134, 126))
    draw.polygon(face, fill=stone)
    texture = _levels(_noise(rng, SIZE, (60, 40), octaves=4), 60, 255, gain=0.55)
    mask = Image.new("L", SIZE, 0)
    ImageDraw.Draw(mask).polygon(face, fill=255)
    img = _fill(img, (70, 70, 66), ImageChops.multiply(texture, mask))
    wet = _vmask([(0.0, 0), (0.55, 0), (1.0, 160)])
    img = _fill(img, (52, 54, 52), ImageChops.multiply(wet, mask))
    draw = ImageDraw.Draw(img, "RGBA")
    for course in (0.0, 1.0, 2.0, 3.0):
        draw.line(cam.poly([(2.0, course, near_z), (2.0, course, far_z)]),
                  fill=(40, 40, 38, 120), width=2)
    z = near_z
    while z < far_z:
        step = 2.2 + 0.01 * z
        w = max(1, round(cam.px(0.025, z)))
        for course in (0.0, 1.0, 2.0, 3.0):
            shift = 0.0 if course % 2 == 0 else step / 2
            a = cam.at(2.0, course, z + shift)
            b = cam.at(2.0, course + 1.0, z + shift)
            draw.line([a, b], fill=(40, 40, 38, 100), width=w)
        z += step
    # railing and lamp posts along the top
    for zz in range(2, 240, 3):
        draw.line([cam.at(2.4, 4.0, zz), cam.at(2.4, 5.1, zz)], fill=(30, 32, 34, 230),
                  width=max(1, round(cam.px(0.045, zz))))
    for rail in (4.6, 5.1):
        draw.line(cam.poly([(2.4, rail, 1.5), (2.4, rail, 240.0)]), fill=(30, 32, 34, 230),
                  width=2)
    # a small light at the end of the wall
    base = cam.at(3.0, 4.0, 240)
    draw.rectangle((base[0] - 4, base[1] - 34, base[0] + 4, base[1]), fill=(226, 226, 220))
    draw.rectangle((base[0] - 5, base[1] - 40, base[0] + 5, base[1] - 34), fill=(150, 30, 30))
    img = _glow(img, [((base[0], base[1] - 37), 4)], (255, 214, 150), 10, 0.9)
    # white water against the foot of the wall, and a wave bursting over it
    foam = []
    for zz in range(3, 220, 1):
        x, y = cam.at(2.0, 0.0, zz)
        foam.append((x - cam.px(rng.uniform(0.6, 1.8), zz), y - cam.px(0.4, zz), x,
                     y + cam.px(0.2, zz)))
    img = _spray(img, rng, foam, opacity=0.6)
    bx, by = cam.at(2.0, 4.0, 16)
    img = _spray(img, rng, _fountain(rng, bx - 40, by + 20, 420, 160, 90, 60), opacity=0.6)
    img = _spray(img, rng, _fountain(rng, bx - 20, by + 30, 190, 60, 60, 40), opacity=1.0)
    top_mask = Image.new("L", SIZE, 0)
    ImageDraw.Draw(top_mask).polygon(top, fill=255)
    puddles = _levels(_noise(rng, SIZE, (12, 30), octaves=4), 150, 230, gain=0.5)
    img = _fill(img, (96, 100, 104), ImageChops.multiply(puddles, top_mask))
    _rain(img, rng, 2600, 0.35, 46, 70)
    return img


def _hgradient(stops: Sequence[tuple[float, RGB]], size: tuple[int, int] = SIZE) -> Image.Image:
    """A horizontal colour gradient; stops are (position 0..1, colour)."""
    w = size[0]
    row = Image.new("RGB", (w, 1))
    channels = [_ramp([(t, float(c[i])) for t, c in stops], w) for i in range(3)]
    row.putdata([(round(r), round(g), round(b)) for r, g, b in zip(*channels, strict=True)])
    return row.resize(size, Image.Resampling.NEAREST)


def _poly_mask(points: Sequence[Point]) -> Image.Image:
    mask = Image.new("L", SIZE, 0)
    ImageDraw.Draw(mask).polygon(list(points), fill=255)
    return mask


def _texture(img: Image.Image, rng: random.Random, mask: Image.Image, color: RGB,
             cells: tuple[int, int], strength: float) -> Image.Image:
    grain = _levels(_noise(rng, SIZE, cells, octaves=4), 80, 255, gain=strength)
    return _fill(img, color, ImageChops.multiply(grain, mask))


def _skyline(draw: ImageDraw.ImageDraw, rng: random.Random, base: float, x0: float, x1: float,
             color: RGB, scale: float, lit: list[Point], lit_chance: float) -> None:
    """A row of terraced houses with pitched roofs and chimneys, drawn as a silhouette."""
    x = x0
    while x < x1:
        w = rng.uniform(26, 58) * scale
        h = rng.uniform(24, 56) * scale
        shade = _shade(color, rng.uniform(0.85, 1.12))
        draw.rectangle((x, base - h, x + w, base), fill=shade)
        if rng.random() < 0.7:
            draw.polygon([(x - 2, base - h), (x + w / 2, base - h - w * 0.38),
                          (x + w + 2, base - h)], fill=_shade(shade, 0.9))
        if rng.random() < 0.5:
            cx = x + w * rng.uniform(0.2, 0.8)
            draw.rectangle((cx - 3 * scale, base - h - 14 * scale, cx + 3 * scale,
                            base - h), fill=shade)
        for fy in (0.3, 0.65):
            for fx in (0.25, 0.7):
                if rng.random() < lit_chance:
                    wx, wy = x + w * fx, base - h * (1 - fy)
                    draw.rectangle((wx - 2.5 * scale, wy - 3 * scale, wx + 2.5 * scale,
                                    wy + 3 * scale), fill=(255, 206, 128))
                    lit.append((wx, wy))
        x += w + rng.uniform(-2, 3) * scale


def _halvard_sky(rng: random.Random) -> Image.Image:
    horizon = 560
    img = _storm_sky(rng, horizon, (34, 38, 48), (176, 164, 150), (58, 62, 72), (196, 190, 182),
                     density=0.85)
    img = _glow(img, [((930, 600), 160)], (236, 190, 140), 120, 0.55)
    draw = ImageDraw.Draw(img)
    hills = [(0.0, 520.0)]
    for x in range(0, WIDTH + 40, 40):
        hills.append((float(x), 508 + 18 * math.sin(x / 230) + rng.uniform(-4, 4)))
    hills += [(float(WIDTH), 600.0), (0.0, 600.0)]
    draw.polygon(hills, fill=(104, 104, 110))
    lit: list[Point] = []
    _skyline(draw, rng, 548, -10, WIDTH, (74, 74, 82), 0.8, lit, 0.1)
    # church tower and spire
    draw.rectangle((818, 470, 846, 560), fill=(58, 58, 66))
    draw.polygon([(814, 470), (832, 380), (850, 470)], fill=(58, 58, 66))
    _skyline(draw, rng, 568, -10, WIDTH, (44, 46, 54), 1.1, lit, 0.22)
    draw.rectangle((0, 566, WIDTH, 584), fill=(38, 40, 44))
    img = _glow(img, [(p, 3) for p in lit], (255, 196, 120), 6, 0.9)
    water = _sea(img, rng, 584, (92, 90, 92), (20, 26, 32), (170, 168, 160), 0.55, 0.05)
    img.paste(water.crop((0, 584, WIDTH, HEIGHT)), (0, 584))
    layer, draw = _layer((255, 200, 130))
    for lx, _ in lit:
        streak = rng.uniform(30, 110)
        draw.rectangle((lx - 2, 588, lx + 2, 588 + streak), fill=(255, 200, 130, 90))
    _overlay(img, layer.filter(ImageFilter.GaussianBlur(2.5)))
    # moored fishing boats with their reflections
    for bx, by, s, stripe in ((120, 655, 1.0, (150, 36, 34)), (430, 690, 1.3, (36, 70, 120)),
                              (800, 640, 0.8, (40, 100, 70)), (1040, 720, 1.6, (170, 120, 30))):
        boat = Image.new("RGBA", (int(300 * s), int(220 * s)), (0, 0, 0, 0))
        bd = ImageDraw.Draw(boat)

        def p(x: float, y: float, s: float = s) -> Point:
            return (x * s, y * s)

        hull = [p(10, 146), p(150, 152), p(240, 144), p(296, 122), p(282, 160), p(258, 196),
                p(60, 200), p(18, 184)]
        bd.polygon(hull, fill=(30, 32, 38))
        bd.line([p(10, 150), p(150, 156), p(240, 148), p(294, 127)], fill=stripe,
                width=max(2, int(9 * s)))
        bd.polygon([p(40, 186), p(270, 180), p(258, 196), p(60, 200)], fill=(22, 22, 26))
        bd.rectangle((*p(60, 100), *p(130, 150)), fill=(208, 206, 198))
        bd.rectangle((*p(68, 110), *p(122, 124)), fill=(40, 44, 52))
        bd.line([p(96, 100), p(100, 10)], fill=(40, 40, 44), width=max(1, int(3 * s)))
        bd.line([p(100, 30), p(230, 140)], fill=(40, 40, 44), width=1)
        x0, y0 = int(bx - 150 * s), int(by - 200 * s)
        img.paste(boat, (x0, y0), boat)
        mirror = boat.transpose(Image.Transpose.FLIP_TOP_BOTTOM).filter(
            ImageFilter.GaussianBlur(3))
        alpha = mirror.getchannel("A").point([v * 45 // 100 for v in range(256)])
        img.paste(mirror, (x0, y0 + int(2 * 200 * s) - 4), alpha)
    _rain(img, rng, 1200, 0.25, 36, 45)
    return img


def _lighthouse(rng: random.Random) -> Image.Image:
    horizon = 600
    img = _storm_sky(rng, horizon, (22, 26, 36), (92, 98, 108), (42, 46, 56), (118, 122, 130),
                     density=0.8)
    img = _sea(img, rng, horizon, (70, 80, 88), (16, 24, 30), (170, 180, 182), 1.0, 1.0)
    land = [(600.0, float(HEIGHT)), (640.0, 760.0), (690.0, 690.0), (760.0, 640.0),
            (830.0, 600.0), (880.0, 556.0), (960.0, 546.0)]
    for x in range(980, WIDTH + 40, 40):
        land.append((float(x), 540 + rng.uniform(-6, 6)))
    land += [(float(WIDTH), float(HEIGHT))]
    jagged = [(x + rng.uniform(-10, 10), y + rng.uniform(-8, 8)) for x, y in land]
    draw = ImageDraw.Draw(img)
    draw.polygon(jagged, fill=(38, 36, 34))
    mask = _poly_mask(jagged)
    img = _texture(img, rng, mask, (86, 80, 72), (40, 30), 0.7)
    grass = [(870.0, 560.0)] + [(x, y - 2) for x, y in jagged[6:-1]] + [(1280.0, 575.0),
                                                                      (900.0, 575.0)]
    draw = ImageDraw.Draw(img)
    draw.polygon(grass, fill=(46, 56, 40))
    # keeper's cottage
    draw.rectangle((1090, 492, 1240, 548), fill=(190, 190, 186))
    draw.polygon([(1080, 494), (1165, 450), (1250, 494)], fill=(46, 44, 48))
    for wx in (1112, 1190):
        draw.rectangle((wx, 508, wx + 22, 528), fill=(250, 204, 130))
    # tower: white with two red bands, shaded from the left
    cx, base, top, bw, tw = 1000.0, 548.0, 178.0, 52.0, 34.0

    def edge(t: float) -> tuple[float, float, float]:
        y = base + (top - base) * t
        half = bw + (tw - bw) * t
        return cx - half, cx + half, y

    def band(t0: float, t1: float) -> list[Point]:
        l0, r0, y0 = edge(t0)
        l1, r1, y1 = edge(t1)
        return [(l0, y0), (r0, y0), (r1, y1), (l1, y1)]

    draw.polygon(band(0, 1), fill=(236, 236, 230))
    for t0, t1 in ((0.22, 0.36), (0.58, 0.72)):
        draw.polygon(band(t0, t1), fill=(176, 40, 38))
    shade = Image.new("RGB", SIZE, (255, 255, 255))
    ramp = _hgradient([(0.0, (255, 255, 255)), ((cx - 60) / WIDTH, (255, 255, 255)),
                       ((cx + 60) / WIDTH, (120, 124, 140)), (1.0, (120, 124, 140))])
    shade.paste(ramp, (0, 0), _poly_mask(band(0, 1)))
    img = ImageChops.multiply(img, shade)
    draw = ImageDraw.Draw(img)
    draw.rectangle((cx - 46, top - 8, cx + 46, top), fill=(34, 34, 36))
    for x in range(int(cx - 44), int(cx + 46), 9):
        draw.line([(x, top - 24), (x, top - 8)], fill=(34, 34, 36), width=2)
    draw.line([(cx - 46, top - 24), (cx + 46, top - 24)], fill=(34, 34, 36), width=2)
    draw.rectangle((cx - 24, top - 64, cx + 24, top - 10), fill=(255, 240, 196))
    for mx in (cx - 24, cx - 8, cx + 8, cx + 24):
        draw.line([(mx, top - 64), (mx, top - 10)], fill=(50, 44, 40), width=3)
    draw.pieslice((cx - 28, top - 92, cx + 28, top - 40), 180, 360, fill=(78, 22, 22))
    draw.ellipse((cx - 5, top - 100, cx + 5, top - 90), fill=(60, 20, 20))
    beam, bdraw = _layer((255, 238, 200))
    lamp = (cx, top - 38)
    bdraw.polygon([lamp, (-200, 40), (-200, 330)], fill=(255, 238, 200, 70))
    bdraw.polygon([lamp, (-200, 140), (-200, 240)], fill=(255, 238, 200, 70))
    _overlay(img, beam.filter(ImageFilter.GaussianBlur(18)))
    img = _glow(img, [(lamp, 26)], (255, 230, 170), 30, 1.0)
    img = _glow(img, [(lamp, 90)], (255, 220, 160), 90, 0.5)
    img = _spray(img, rng, _fountain(rng, 650, 760, 230, 120, 55, 70), opacity=0.85)
    img = _spray(img, rng, [(560, 700, 760, 760), (600, 730, 700, 800)], opacity=0.9)
    _rain(img, rng, 3000, 0.42, 50, 60)
    return img


_PAINT = [(204, 186, 158), (158, 172, 180), (214, 204, 184), (156, 122, 108), (180, 196, 190),
          (126, 134, 148), (218, 206, 194), (190, 160, 120), (120, 140, 130)]


@dataclass(frozen=True)
class _House:
    side: float  # x of the facade plane
    z0: float
    z1: float
    height: float
    color: RGB
    lit: tuple[bool, ...]


def _street_houses(rng: random.Random, half_width: float, z_end: float) -> list[_House]:
    houses = []
    for side in (-half_width, half_width):
        z = 2.0
        while z < z_end:
            length = rng.uniform(5.0, 9.0)
            lit = tuple(rng.random() < 0.18 for _ in range(12))
            houses.append(_House(side, z, z + length, rng.uniform(7.0, 11.5),
                                 rng.choice(_PAINT), lit))
            z += length
    return houses


def _draw_houses(draw: ImageDraw.ImageDraw, cam: _Camera, houses: Sequence[_House], fog: RGB,
                 lights: list[Point]) -> None:
    for h in sorted(houses, key=lambda h: -h.z0):
        mid = (h.z0 + h.z1) / 2
        color = _fog(h.color, fog, mid, 70)
        x = h.side
        draw.polygon(cam.poly([(x, 0, h.z0), (x, h.height, h.z0), (x, h.height, h.z1),
                               (x, 0, h.z1)]), fill=color)
        draw.line(cam.poly([(x, h.height, h.z0), (x, h.height, h.z1)]),
                  fill=_fog((60, 56, 54), fog, mid, 70), width=max(1, round(cam.px(0.3, mid))))
        chimney = h.z0 + (h.z1 - h.z0) * 0.3
        draw.polygon(cam.poly([(x, h.height, chimney), (x, h.height + 1.2, chimney),
                               (x, h.height + 1.2, chimney + 0.8), (x, h.height, chimney + 0.8)]),
                     fill=_fog((90, 70, 62), fog, mid, 70))
        # shopfront on the ground floor, sash windows above
        draw.polygon(cam.poly([(x, 0.3, h.z0 + 0.6), (x, 2.8, h.z0 + 0.6), (x, 2.8, h.z1 - 2.0),
                               (x, 0.3, h.z1 - 2.0)]), fill=_fog((40, 46, 54), fog, mid, 70))
        draw.polygon(cam.poly([(x, 3.0, h.z0 + 0.3), (x, 3.5, h.z0 + 0.3), (x, 3.5, h.z1 - 0.3),
                               (x, 3.0, h.z1 - 0.3)]), fill=_fog(_shade(h.color, 0.55), fog,
                                                                mid, 70))
        draw.polygon(cam.poly([(x, 0.0, h.z1 - 1.6), (x, 2.4, h.z1 - 1.6), (x, 2.4, h.z1 - 0.6),
                               (x, 0.0, h.z1 - 0.6)]), fill=_fog((54, 40, 36), fog, mid, 70))
        i = 0
        floor = 4.2
        while floor + 1.6 < h.height - 0.5:
            for frac in (0.25, 0.68):
                wz = h.z0 + (h.z1 - h.z0) * frac
                glass = (255, 204, 126) if h.lit[i % len(h.lit)] else (42, 48, 58)
                draw.polygon(cam.poly([(x, floor, wz), (x, floor + 1.6, wz),
                                       (x, floor + 1.6, wz + 1.1), (x, floor, wz + 1.1)]),
                             fill=_fog(glass, fog, wz, 90))
                if h.lit[i % len(h.lit)]:
                    lights.append(cam.at(x, floor + 0.8, wz + 0.55))
                i += 1
            floor += 2.9


def _draw_lamps(draw: ImageDraw.ImageDraw, cam: _Camera, xs: Sequence[float],
                zs: Sequence[float], height: float, fog: RGB, lights: list[Point]) -> None:
    for z in sorted(zs, reverse=True):
        for x in xs:
            arm = -0.7 if x > 0 else 0.7
            color = _fog((28, 34, 32), fog, z, 80)
            width = max(1, round(cam.px(0.14, z)))
            draw.line([cam.at(x, 0, z), cam.at(x, height, z)], fill=color, width=width)
            draw.line([cam.at(x, height, z), cam.at(x + arm, height + 0.2, z)], fill=color,
                      width=width)
            lx, ly = cam.at(x + arm, height, z)
            r = max(1.5, cam.px(0.16, z))
            draw.ellipse((lx - r, ly - r * 0.7, lx + r, ly + r * 0.7), fill=(255, 226, 170))
            lights.append((lx, ly))


def _flooded_street(rng: random.Random) -> Image.Image:
    cam = _Camera(focal=640, cx=610, cy=400, height=1.8)
    fog = (150, 150, 150)
    sky = _storm_sky(rng, 400, (70, 74, 82), (156, 156, 156), (92, 96, 104), (180, 180, 178),
                     density=0.6)
    houses = _street_houses(rng, 5.5, 150)
    lamp_z = list(range(7, 140, 13))

    def scene(camera: _Camera, base: Image.Image) -> tuple[Image.Image, list[Point]]:
        img = base.copy()
        draw = ImageDraw.Draw(img)
        end = camera.poly([(-5.5, 0, 150), (-5.5, 12, 150), (5.5, 12, 150), (5.5, 0, 150)])
        draw.polygon(end, fill=_fog((120, 120, 124), fog, 150, 70))
        lights: list[Point] = []
        _draw_houses(draw, camera, houses, fog, lights)
        _draw_lamps(draw, camera, (-4.9, 4.9), lamp_z, 5.0, fog, lights)
        return img, lights

    img, lights = scene(cam, sky)
    img = _glow(img, [(p, 2) for p in lights], (255, 200, 130), 9, 0.9)
    level = 0.75
    mirror_base = Image.new("RGB", SIZE, (150, 150, 150))
    mirror_base.paste(sky.crop((0, 0, WIDTH, 400)).transpose(Image.Transpose.FLIP_TOP_BOTTOM),
                      (0, 400))
    reflection, rlights = scene(cam.mirrored(level), mirror_base)
    reflection = _glow(reflection, [(p, 3) for p in rlights], (255, 200, 130), 12, 0.8)
    ripples = _noise(rng, SIZE, (6, 90), octaves=4)
    reflection = reflection.filter(ImageFilter.GaussianBlur(2.5))
    reflection = _fill(reflection, (70, 64, 52), _scale_mask(ripples, 0.55))
    reflection = _fill(reflection, (200, 196, 186), _levels(ripples, 215, 255, gain=0.5))
    left = [cam.at(-5.5, level, z) for z in (3.5, 150.0)]
    right = [cam.at(5.5, level, z) for z in (150.0, 3.5)]
    water = [(0.0, float(HEIGHT)), (0.0, left[0][1]), *left, *right,
             (float(WIDTH), right[-1][1]), (float(WIDTH), float(HEIGHT))]
    img.paste(reflection, (0, 0), _poly_mask(water).filter(ImageFilter.GaussianBlur(1)))
    layer, draw = _layer((226, 222, 210))
    for side in (-5.5, 5.5):
        for zi in range(3, 150):
            a = cam.at(side, level + 0.05, zi)
            b = cam.at(side, level + 0.05, zi + 1)
            draw.line([a, b], fill=(226, 222, 210, 80), width=max(1, round(cam.px(0.06, zi))))
    for _ in range(40):
        z = rng.uniform(3, 40)
        x = rng.uniform(-4.5, 4.5)
        cx, cy = cam.at(x, level, z)
        rx, ry = cam.px(rng.uniform(0.3, 1.2), z), cam.px(0.08, z)
        draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), outline=(226, 222, 210, 70), width=1)
    _overlay(img, layer.filter(ImageFilter.GaussianBlur(1)))
    _rain(img, rng, 1800, 0.2, 40, 55)
    return img


def _lifeboat(rng: random.Random) -> Image.Image:
    horizon = 360
    img = _storm_sky(rng, horizon, (58, 64, 72), (162, 166, 170), (84, 90, 98), (190, 194, 196),
                     density=0.7)
    img = _sea(img, rng, horizon, (104, 114, 118), (30, 44, 52), (196, 206, 206), 1.0, 0.9)
    draw = ImageDraw.Draw(img)
    draw.polygon([(760, 352), (1280, 340), (1280, 366), (760, 362)], fill=(74, 76, 80))
    draw.rectangle((790, 318, 798, 354), fill=(220, 220, 214))
    draw.rectangle((788, 312, 800, 318), fill=(150, 36, 34))
    boat = Image.new("RGBA", (760, 420), (0, 0, 0, 0))
    bd = ImageDraw.Draw(boat)
    bd.polygon([(40, 214), (360, 206), (600, 196), (718, 166), (690, 240), (650, 306), (100, 312),
                (44, 290)], fill=(30, 44, 80))
    bd.line([(40, 214), (360, 206), (600, 196), (718, 166)], fill=(24, 24, 26), width=10)
    bd.line([(46, 246), (360, 240), (600, 232), (700, 210)], fill=(236, 236, 232), width=3)
    bd.polygon([(160, 206), (186, 124), (432, 114), (486, 146), (526, 200)], fill=(236, 112, 30))
    bd.polygon([(196, 134), (430, 126), (472, 160), (190, 166)], fill=(34, 40, 48))
    for x in (250, 310, 370, 420):
        bd.line([(x, 128), (x + 6, 166)], fill=(236, 112, 30), width=5)
    bd.polygon([(236, 116), (248, 84), (380, 80), (404, 114)], fill=(240, 124, 40))
    bd.polygon([(254, 90), (376, 86), (390, 104), (250, 106)], fill=(40, 46, 54))
    bd.line([(318, 82), (330, 8)], fill=(210, 212, 214), width=5)
    bd.line([(304, 40), (352, 38)], fill=(210, 212, 214), width=3)
    bd.ellipse((340, 46, 372, 62), fill=(226, 228, 230))
    bd.line([(160, 204), (40, 210)], fill=(230, 230, 226), width=2)
    bd.line([(526, 198), (700, 172)], fill=(230, 230, 226), width=2)
    bd.text((560, 214), "17-44", fill=(236, 236, 232), font=_font(22))
    angle = math.radians(6)
    boat = boat.rotate(-6, resample=Image.Resampling.BICUBIC, expand=False)
    before = img.copy()
    img.paste(boat, (250, 250), boat)

    def placed(x: float, y: float) -> Point:
        dx, dy = x - 380, y - 210
        return (630 + dx * math.cos(angle) - dy * math.sin(angle),
                460 + dx * math.sin(angle) + dy * math.cos(angle))

    line = [placed(x, 282 + 8 * math.sin(x / 37) + rng.uniform(-3, 3)) for x in range(0, 761, 20)]
    water = _poly_mask([*line, (line[-1][0], float(HEIGHT)), (line[0][0], float(HEIGHT))])
    img.paste(before, (0, 0), water.filter(ImageFilter.GaussianBlur(1.5)))
    img = _glow(img, [(placed(330, 10), 4)], (120, 170, 255), 16, 1.0)
    img = _spray(img, rng, [(x - 30, y - 10, x + 30, y + 14) for x, y in line[1:-1]],
                 opacity=0.8)
    img = _spray(img, rng, _fountain(rng, 900, 540, 110, 60, 40, 36), opacity=0.85)
    wake = [(rng.uniform(60, 300), rng.uniform(530, 590), 0.0, 0.0) for _ in range(16)]
    img = _spray(img, rng, [(x, y, x + rng.uniform(80, 200), y + rng.uniform(10, 30))
                            for x, y, _, _ in wake], opacity=0.7)
    _rain(img, rng, 2200, 0.3, 40, 60)
    return img


def _sandbag(draw: ImageDraw.ImageDraw, rng: random.Random, x: float, y: float, w: float,
             h: float) -> None:
    base = _mix((186, 164, 120), (150, 130, 96), rng.random())
    wet = _shade(base, rng.uniform(0.62, 0.85))
    draw.rounded_rectangle((x, y, x + w, y + h), radius=h * 0.45, fill=_shade(wet, 0.7))
    draw.rounded_rectangle((x + 1, y, x + w - 1, y + h * 0.82), radius=h * 0.42, fill=wet)
    draw.rounded_rectangle((x + w * 0.08, y + h * 0.08, x + w * 0.9, y + h * 0.38),
                           radius=h * 0.2, fill=_shade(wet, 1.15))
    draw.line([(x + w * 0.86, y + h * 0.2), (x + w * 0.86, y + h * 0.75)],
              fill=_shade(wet, 0.55), width=max(1, round(h / 12)))


def _sandbags(rng: random.Random) -> Image.Image:
    img = _gradient([(0.0, (150, 152, 154)), (1.0, (120, 122, 126))])
    draw = ImageDraw.Draw(img)
    shops = [(0, 430, (52, 86, 80), "HARBOUR BAKERY", (214, 204, 184)),
             (430, 850, (128, 38, 42), "QUAYSIDE CHANDLERY", (166, 100, 80)),
             (850, 1280, (36, 48, 80), "KETTLEBY NEWS", (198, 196, 188))]
    ground = 600
    font = _font(30)
    for x0, x1, paint, sign, wall in shops:
        draw.rectangle((x0, 0, x1, ground), fill=wall)
        for wx in (x0 + 60, x0 + (x1 - x0) // 2 - 40, x1 - 140):
            draw.rectangle((wx - 6, 60, wx + 86, 228), fill=_shade(wall, 0.8))
            draw.rectangle((wx, 66, wx + 80, 222), fill=(56, 62, 72))
            draw.line([(wx, 144), (wx + 80, 144)], fill=(230, 228, 222), width=5)
            draw.line([(wx + 40, 66), (wx + 40, 222)], fill=(230, 228, 222), width=3)
        draw.rectangle((x0 + 16, 262, x1 - 16, 322), fill=paint)
        tw = draw.textlength(sign, font=font)
        draw.text(((x0 + x1 - tw) / 2, 274), sign, fill=(236, 226, 196), font=font)
        draw.rectangle((x0 + 16, 322, x1 - 16, ground), fill=_shade(paint, 0.9))
        door = (x0 + x1) // 2 + 60
        glass = _gradient([(0.0, (70, 84, 96)), (1.0, (36, 40, 48))], (x1 - x0 - 64, 230))
        img.paste(glass, (x0 + 32, 340))
        draw.rectangle((door - 50, 330, door + 50, ground), fill=_shade(paint, 0.75))
        draw.rectangle((door - 38, 346, door + 38, 520), fill=(44, 50, 58))
        for gx in range(x0 + 32, x1 - 32, 90):
            if not door - 60 < gx < door + 60:
                draw.line([(gx, 340), (gx, 570)], fill=_shade(paint, 0.9), width=6)
        draw.rectangle((x0, 0, x0 + 14, ground), fill=(206, 200, 188))
    glare, gdraw = _layer((255, 255, 255))
    for x in range(60, WIDTH, 260):
        gdraw.polygon([(x, 340), (x + 70, 340), (x - 40, 570), (x - 110, 570)],
                      fill=(255, 255, 255, 34))
    _overlay(img, glare.filter(ImageFilter.GaussianBlur(6)))
    # wet pavement reflecting the shopfronts
    pavement = _gradient([(0.0, (86, 88, 92)), (1.0, (58, 60, 64))], (WIDTH, HEIGHT - ground))
    mirror = img.crop((0, ground - (HEIGHT - ground), WIDTH, ground)).transpose(
        Image.Transpose.FLIP_TOP_BOTTOM).filter(ImageFilter.GaussianBlur(4))
    pavement = Image.blend(pavement, mirror, 0.35)
    img.paste(pavement, (0, ground))
    draw = ImageDraw.Draw(img, "RGBA")
    vx, vy = 640, 380
    for x in range(-1200, 2600, 110):
        t = (HEIGHT - vy) / (ground - vy)
        draw.line([(x, ground), (vx + (x - vx) * t, HEIGHT)], fill=(40, 42, 46, 120), width=2)
    y = ground + 8.0
    step = 10.0
    while y < HEIGHT:
        draw.line([(0, y), (WIDTH, y)], fill=(40, 42, 46, 110), width=2)
        step *= 1.45
        y += step
    # sandbag walls across each doorway, and a loose pile in front
    for x0, x1, *_ in shops:
        door = (x0 + x1) // 2 + 60
        for row in range(5):
            offset = 0 if row % 2 == 0 else 36
            for k in range(4):
                bx = door - 150 + offset + k * 72
                _sandbag(draw, rng, bx, ground + 6 - (row + 1) * 26, 78, 32)
    for row in range(3):
        for k in range(6 - row * 2):
            _sandbag(draw, rng, 700 + row * 70 + k * 140 + rng.uniform(-8, 8),
                     HEIGHT - 40 - (row + 1) * 58, 150, 64)
    _rain(img, rng, 1500, 0.15, 34, 50)
    return img


def _promenade(rng: random.Random) -> Image.Image:
    horizon = 420
    cam = _Camera(focal=660, cx=560, cy=horizon, height=1.7)
    img = _storm_sky(rng, horizon, (10, 14, 24), (42, 48, 62), (24, 28, 40), (60, 66, 80),
                     density=0.7)
    img = _sea(img, rng, horizon, (44, 50, 60), (10, 14, 20), (96, 104, 112), 1.0, 0.6)
    draw = ImageDraw.Draw(img)
    far = 240.0
    deck = cam.poly([(-3.0, 0, 1.2), (-3.0, 0, far), (7.0, 0, far), (7.0, 0, 1.2)])
    draw.polygon(deck, fill=(34, 34, 38))
    img = _texture(img, rng, _poly_mask(deck), (54, 56, 64), (10, 60), 0.6)
    draw = ImageDraw.Draw(img)
    fog = (40, 44, 54)
    houses = [h for h in _street_houses(rng, 7.0, far) if h.side > 0]
    lights: list[Point] = []
    _draw_houses(draw, cam, houses, fog, lights)
    lamps: list[Point] = []
    _draw_lamps(draw, cam, (-2.7,), list(range(6, 230, 14)), 4.6, fog, lamps)
    for z in range(2, int(far), 2):
        color = _fog((24, 28, 28), fog, z, 90)
        draw.line([cam.at(-3.0, 0, z), cam.at(-3.0, 1.1, z)], fill=color,
                  width=max(1, round(cam.px(0.05, z))))
    for rail in (0.55, 1.1):
        draw.line(cam.poly([(-3.0, rail, 1.5), (-3.0, rail, far)]), fill=(24, 28, 28),
                  width=3)
    img = _glow(img, [(p, 2) for p in lights], (255, 196, 120), 7, 0.8)
    img = _glow(img, [(p, 4) for p in lamps], (255, 206, 140), 10, 1.0)
    img = _glow(img, [(p, 30) for p in lamps], (255, 190, 120), 40, 0.35)
    streaks, sdraw = _layer((255, 200, 140))
    for (lx, _), z in zip(lamps, sorted(range(6, 230, 14), reverse=True), strict=True):
        gy = cam.at(-2.0, 0, z)[1]
        half = max(1.0, cam.px(0.25, z))
        sdraw.ellipse((lx - half * 2, gy - cam.px(0.5, z), lx + half * 2, gy + cam.px(7, z)),
                      fill=(255, 200, 140, 90))
    _overlay(img, streaks.filter(ImageFilter.GaussianBlur(7)))
    _rain(img, rng, 2600, 0.35, 44, 60, color=(190, 196, 206))
    return img


def _rest_centre(rng: random.Random) -> Image.Image:
    cam = _Camera(focal=620, cx=640, cy=330, height=2.8)
    img = Image.new("RGB", SIZE, (90, 94, 100))
    draw = ImageDraw.Draw(img)
    near, back, half, roof = 1.0, 44.0, 14.0, 9.0
    draw.polygon(cam.poly([(-half, roof, near), (-half, roof, back), (half, roof, back),
                           (half, roof, near)]), fill=(74, 78, 86))
    for side in (-half, half):
        draw.polygon(cam.poly([(side, 0, near), (side, roof, near), (side, roof, back),
                               (side, 0, back)]), fill=(176, 184, 190))
        for zi in range(4, 40, 4):
            for k in range(6):
                draw.line([cam.at(side, 0, zi + k * 0.25), cam.at(side, 3.2, zi + k * 0.25)],
                          fill=(150, 112, 70), width=max(1, round(cam.px(0.06, zi))))
            draw.line([cam.at(side, 3.2, zi), cam.at(side, 3.2, zi + 1.25)],
                      fill=(150, 112, 70), width=max(1, round(cam.px(0.08, zi))))
    wall = cam.poly([(-half, 0, back), (-half, roof, back), (half, roof, back), (half, 0, back)])
    draw.polygon(wall, fill=(198, 186, 166))
    img = _texture(img, rng, _poly_mask(wall), (160, 140, 120), (90, 30), 0.5)
    draw = ImageDraw.Draw(img)
    for xi in range(-12, 12, 4):
        draw.polygon(cam.poly([(xi + 0.4, 6.2, back), (xi + 0.4, 8.2, back),
                               (xi + 3.6, 8.2, back), (xi + 3.6, 6.2, back)]), fill=(30, 40, 62))
    floor = cam.poly([(-half, 0, near), (-half, 0, back), (half, 0, back), (half, 0, near)])
    draw.polygon(floor, fill=(182, 130, 82))
    img = _texture(img, rng, _poly_mask(floor), (150, 100, 60), (4, 120), 0.6)
    draw = ImageDraw.Draw(img)
    for x in (-9.0, 9.0):
        draw.line(cam.poly([(x, 0, 2.0), (x, 0, back)]), fill=(236, 232, 220), width=3)
    for z in (8.0, 36.0):
        draw.line(cam.poly([(-9, 0, z), (9, 0, z)]), fill=(236, 232, 220), width=3)
    draw.line(cam.poly([(-9, 0, 22.0), (9, 0, 22.0)]), fill=(200, 60, 50), width=3)
    circle = [cam.at(3 * math.cos(a / 20 * math.pi), 0, 22 + 3 * math.sin(a / 20 * math.pi))
              for a in range(41)]
    draw.line(circle, fill=(200, 60, 50), width=2)
    lights: list[Point] = []
    for x in (-8.0, 0.0, 8.0):
        for z in (6.0, 13.0, 20.0, 27.0, 34.0, 41.0):
            panel = cam.poly([(x - 1, roof, z), (x + 1, roof, z), (x + 1, roof, z + 0.6),
                              (x - 1, roof, z + 0.6)])
            draw.polygon(panel, fill=(250, 250, 240))
            lights.append(cam.at(x, roof, z + 0.3))
    draw.rectangle((*cam.at(10.5, 2.6, back - 0.1), *cam.at(12.0, 2.2, back - 0.1)),
                   fill=(40, 190, 90))
    table = cam.poly([(-6, 0.8, 40), (6, 0.8, 40), (6, 0.8, 41), (-6, 0.8, 41)])
    draw.polygon(table, fill=(236, 236, 232))
    draw.polygon(cam.poly([(-6, 0.8, 40), (6, 0.8, 40), (6, 0.1, 40), (-6, 0.1, 40)]),
                 fill=(214, 214, 210))
    urn = cam.at(-3, 0.8, 40.2)
    draw.rectangle((urn[0] - 7, urn[1] - 22, urn[0] + 7, urn[1]), fill=(170, 174, 180))
    beds = [(x, z) for x in (-11.0, -8.5, -6.0, 6.0, 8.5, 11.0) for z in range(5, 35, 3)]
    canvas_colours = [(44, 70, 100), (58, 96, 66), (44, 70, 100)]
    for x, z in sorted(beds, key=lambda b: (-b[1], -abs(b[0]))):
        if rng.random() < 0.12:
            continue
        w, length, top = 0.38, 1.9, 0.42
        colour = canvas_colours[int(x) % 3]
        inner = x - w if x > 0 else x + w
        draw.polygon(cam.poly([(inner, 0.05, z), (inner, top, z), (inner, top, z + length),
                               (inner, 0.05, z + length)]), fill=_shade(colour, 0.6))
        draw.polygon(cam.poly([(x - w, top, z), (x + w, top, z), (x + w, top, z + length),
                               (x - w, top, z + length)]), fill=colour)
        draw.polygon(cam.poly([(x - w, 0.05, z), (x - w, top, z), (x + w, top, z),
                               (x + w, 0.05, z)]), fill=_shade(colour, 0.45))
        blanket = _mix((150, 150, 156), (120, 90, 80), rng.random())
        draw.polygon(cam.poly([(x - w - 0.02, top + 0.06, z + 0.5), (x + w + 0.02, top + 0.06,
                               z + 0.5), (x + w + 0.02, top + 0.06, z + 1.5),
                               (x - w - 0.02, top + 0.06, z + 1.5)]), fill=blanket)
        draw.polygon(cam.poly([(x - w + 0.05, top + 0.1, z + 1.55), (x + w - 0.05, top + 0.1,
                               z + 1.55), (x + w - 0.05, top + 0.1, z + 1.85),
                               (x - w + 0.05, top + 0.1, z + 1.85)]), fill=(236, 236, 240))
        if rng.random() < 0.3:
            bag = _mix((40, 40, 46), (140, 40, 40), rng.random())
            bx = x - w - 0.5 if x > 0 else x + w + 0.5
            draw.polygon(cam.poly([(bx - 0.25, 0, z + 0.3), (bx - 0.25, 0.4, z + 0.3),
                                   (bx + 0.25, 0.4, z + 0.3), (bx + 0.25, 0, z + 0.3)]),
                         fill=bag)
    img = _glow(img, [(p, 6) for p in lights], (255, 250, 230), 30, 0.5)
    warm = _vmask([(0.0, 30), (1.0, 60)])
    img = _fill(img, (255, 220, 170), warm)
    return img.filter(ImageFilter.GaussianBlur(0.6))


def _morning_after(rng: random.Random) -> Image.Image:
    horizon = 430
    h = horizon / HEIGHT
    img = _gradient([(0.0, (62, 92, 136)), (h * 0.55, (150, 148, 170)), (h * 0.9, (244, 190, 150)),
                     (h, (255, 222, 178)), (1.0, (255, 222, 178))])
    clouds = _noise(rng, SIZE, (4, 8), octaves=6)
    band = _vmask([(0.0, 200), (h * 0.7, 140), (h * 0.95, 0), (1.0, 0)])
    img = _fill(img, (112, 104, 128), ImageChops.multiply(_levels(clouds, 150, 230), band))
    rim = _levels(clouds, 130, 160)
    img = _fill(img, (255, 200, 170), ImageChops.multiply(_scale_mask(rim, 0.5), band))
    sun = (880.0, float(horizon - 6))
    img = _glow(img, [(sun, 160)], (255, 200, 140), 160, 0.6)
    img = _glow(img, [(sun, 18)], (255, 250, 230), 8, 1.0)
    img = _sea(img, rng, horizon, (226, 186, 160), (70, 92, 116), (255, 226, 190), 0.35, 0.02)
    layer, draw = _layer((255, 240, 210))
    for _ in range(700):
        t = rng.random() ** 1.4
        y = horizon + 3 + t * 190
        spread = 10 + 170 * t
        x = sun[0] + rng.gauss(0, spread * 0.5)
        length = 4 + 40 * t
        draw.line([(x - length / 2, y), (x + length / 2, y)],
                  fill=(255, 240, 210, rng.randint(80, 220)), width=1 if t < 0.5 else 2)
    _overlay(img, layer.filter(ImageFilter.GaussianBlur(0.6)))
    shore = [(float(x), 612 + 10 * math.sin(x / 140) + rng.uniform(-2, 2))
             for x in range(0, WIDTH + 20, 20)]
    sand = _gradient([(0.0, (150, 140, 136)), (0.15, (192, 168, 132)), (1.0, (176, 150, 112))])
    beach = _poly_mask([*shore, (float(WIDTH), float(HEIGHT)), (0.0, float(HEIGHT))])
    wet = _blend_band(img, horizon)
    img.paste(sand, (0, 0), beach)
    img.paste(wet, (0, 0), ImageChops.multiply(beach, _vmask([(0.0, 0), (0.7, 0), (0.72, 170),
                                                              (0.86, 0), (1.0, 0)])))
    img = _texture(img, rng, beach, (130, 108, 80), (30, 160), 0.35)
    draw = ImageDraw.Draw(img, "RGBA")
    draw.line(shore, fill=(250, 246, 236, 200), width=3)
    for x, y in shore[::2]:
        draw.ellipse((x - 18, y - 2, x + 18, y + 3), fill=(250, 246, 236, 120))
    # a groyne of old timber posts running into the sea
    tops: list[Point] = []
    for k in range(22, -1, -1):
        t = k / 22
        x = 250 + 220 * t
        y = HEIGHT + 30 - (HEIGHT + 30 - 604) * t ** 0.6
        w = 26 * (1 - t) ** 1.3 + 3
        hgt = (130 * (1 - t) ** 1.3 + 10) * rng.uniform(0.8, 1.1)
        draw.rectangle((x - w / 2, y - hgt, x + w / 2, y), fill=(62, 48, 38))
        draw.rectangle((x - w / 2, y - hgt, x - w / 6, y), fill=(92, 74, 56))
        tops.append((x, y - hgt * 0.6))
    draw.line(tops, fill=(74, 58, 44), width=6)
    for _ in range(26):
        x, y = rng.uniform(0, WIDTH), rng.uniform(640, HEIGHT)
        s = 0.4 + (y - 620) / 230
        if rng.random() < 0.6:
            pts = [(x + math.cos(a) * rng.uniform(10, 30) * s * 1.8,
                    y + math.sin(a) * rng.uniform(4, 10) * s) for a in
                   [i * math.pi / 5 for i in range(10)]]
            draw.polygon(pts, fill=(48, 54, 30, 230))
        else:
            angle = rng.uniform(-0.4, 0.4)
            length = rng.uniform(60, 160) * s
            dx, dy = math.cos(angle) * length, math.sin(angle) * length
            draw.line([(x, y), (x + dx, y + dy)], fill=(112, 88, 64), width=max(2, round(9 * s)))
    draw.ellipse((1010, 700, 1052, 736), fill=(232, 110, 40))
    return img


def _blend_band(img: Image.Image, horizon: int) -> Image.Image:
    """The sky, flipped about the horizon: what wet sand mirrors."""
    flipped = img.crop((0, 0, WIDTH, horizon)).transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    out = Image.new("RGB", SIZE, (200, 170, 150))
    out.paste(flipped.resize((WIDTH, HEIGHT - 600)), (0, 600))
    return out.filter(ImageFilter.GaussianBlur(3))


def _storm_map(rng: random.Random) -> Image.Image:
    img = _gradient([(0.0, (20, 46, 76)), (1.0, (28, 66, 100))])
    img = _fill(img, (40, 84, 120), _levels(_noise(rng, SIZE, (6, 4)), 100, 255, gain=0.4))
    draw = ImageDraw.Draw(img, "RGBA")
    for gx in range(0, WIDTH, 160):
        draw.line([(gx, 0), (gx, HEIGHT)], fill=(255, 255, 255, 22), width=1)
    for gy in range(0, HEIGHT, 160):
        draw.line([(0, gy), (WIDTH, gy)], fill=(255, 255, 255, 22), width=1)
    # a fictional coastline, roughened by midpoint displacement
    coast = _rough_line(rng, [(700.0, 853.0), (760.0, 600.0), (840.0, 260.0), (980.0, 120.0),
                              (1100.0, -10.0)], 6, 40)
    land = [*coast, (1290.0, -10.0), (1290.0, 863.0)]
    draw.polygon(land, fill=(64, 82, 66))
    island = _rough_line(rng, [(560.0, 640.0), (620.0, 600.0), (660.0, 650.0), (600.0, 700.0),
                               (560.0, 640.0)], 4, 14)
    draw.polygon(island, fill=(64, 82, 66))
    draw.line(coast, fill=(150, 176, 150, 200), width=2)
    draw.line(island, fill=(150, 176, 150, 200), width=2)
    centre = (540.0, 330.0)
    heat = Image.new("L", SIZE, 0)
    hd = ImageDraw.Draw(heat)
    for r, v in ((300, 60), (200, 110), (120, 170), (60, 230)):
        hd.ellipse((centre[0] - r * 1.2, centre[1] - r, centre[0] + r * 1.2, centre[1] + r),
                   fill=v)
    heat = heat.filter(ImageFilter.GaussianBlur(50))
    img = _fill(img, (240, 170, 40), _scale_mask(heat, 0.55))
    img = _fill(img, (220, 60, 40), _levels(heat, 120, 255, gain=0.6))
    draw = ImageDraw.Draw(img, "RGBA")
    phase = rng.uniform(0, math.pi)
    for r in range(50, 520, 52):
        pts = [(centre[0] + r * 1.15 * math.cos(a / 60 * math.tau) *
                (1 + 0.1 * math.sin(2 * a / 60 * math.tau + phase)),
                centre[1] + r * math.sin(a / 60 * math.tau) *
                (1 + 0.08 * math.cos(3 * a / 60 * math.tau + phase)))
               for a in range(61)]
        draw.line(pts, fill=(255, 255, 255, 70), width=2)
    past = [(40.0, 780.0), (180.0, 640.0), (300.0, 520.0), (420.0, 410.0), centre]
    future = [centre, (700.0, 262.0), (872.0, 216.0), (1060.0, 176.0), (1200.0, 154.0)]
    cone: list[Point] = []
    for i, (x, y) in enumerate(future):
        cone.append((x, y - 12 - i * 26))
    for i, (x, y) in reversed(list(enumerate(future))):
        cone.append((x, y + 12 + i * 26))
    draw.polygon(cone, fill=(255, 255, 255, 40))
    draw.line(past, fill=(255, 255, 255, 230), width=4, joint="curve")
    for (x0, y0), (x1, y1) in itertools.pairwise(future):
        n = int(math.hypot(x1 - x0, y1 - y0) // 18)
        for k in range(0, n, 2):
            a, b = k / n, (k + 1) / n
            draw.line([(x0 + (x1 - x0) * a, y0 + (y1 - y0) * a),
                       (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b)], fill=(255, 255, 255, 230),
                      width=4)
    small = _font(20)
    stamps = [((180.0, 640.0), "Sat 09:00"), ((300.0, 520.0), "Sat 15:00"),
              ((420.0, 410.0), "Sat 18:00"), ((700.0, 262.0), "Sat 22:00"),
              ((872.0, 216.0), "Sun 00:00"), ((1060.0, 176.0), "Sun 03:00"),
              ((1200.0, 154.0), "Sun 06:00")]
    for (x, y), label in stamps:
        draw.ellipse((x - 7, y - 7, x + 7, y + 7), fill=(255, 255, 255, 255))
        draw.text((min(x - 30, WIDTH - 110), y + 16), label, fill=(236, 240, 244), font=small)
    draw.text((centre[0] + 34, centre[1] - 10), "Sat 21:00", fill=(255, 255, 255), font=small)
    cx, cy = centre
    draw.ellipse((cx - 18, cy - 18, cx + 18, cy + 18), outline=(250, 80, 60), width=6)
    draw.arc((cx - 40, cy - 40, cx + 10, cy + 10), 200, 330, fill=(250, 80, 60), width=6)
    draw.arc((cx - 10, cy - 10, cx + 40, cy + 40), 20, 150, fill=(250, 80, 60), width=6)
    towns = [((872.0, 216.0), "KETTLEBY"), ((800.0, 470.0), "Marrow Bay"),
             ((1000.0, 330.0), "Brindle"), ((780.0, 700.0), "Holt Sands")]
    for (x, y), name in towns:
        big = name.isupper()
        r = 8 if big else 5
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, 255),
                     outline=(20, 30, 40), width=2)
        if big:
            draw.text((x - 40, y - 58), name, fill=(255, 255, 255), font=_font(30))
        else:
            draw.text((x + 14, y - 12), name, fill=(255, 255, 255), font=small)
    draw.rounded_rectangle((30, 30, 470, 150), radius=10, fill=(10, 20, 32, 200))
    draw.text((52, 44), "STORM HALVARD", fill=(255, 255, 255), font=_font(40))
    draw.text((54, 98), "Observed track and forecast, Saturday 21:00", fill=(200, 210, 220),
              font=_font(20))
    lx, ly = 950, 700
    draw.rounded_rectangle((lx - 20, ly, lx + 290, ly + 120), radius=10, fill=(10, 20, 32, 200))
    draw.line([(lx, ly + 30), (lx + 60, ly + 30)], fill=(255, 255, 255), width=4)
    draw.text((lx + 74, ly + 18), "Observed track", fill=(230, 236, 240), font=small)
    for k in range(0, 60, 24):
        draw.line([(lx + k, ly + 62), (lx + 12 + k, ly + 62)], fill=(255, 255, 255), width=4)
    draw.text((lx + 74, ly + 50), "Forecast track", fill=(230, 236, 240), font=small)
    draw.rectangle((lx, ly + 84, lx + 60, ly + 100), fill=(255, 255, 255, 60))
    draw.text((lx + 74, ly + 80), "Forecast uncertainty", fill=(230, 236, 240), font=small)
    return img


def _rough_line(rng: random.Random, points: Sequence[Point], depth: int,
                amplitude: float) -> list[Point]:
    line = list(points)
    for _ in range(depth):
        out = [line[0]]
        for (x0, y0), (x1, y1) in itertools.pairwise(line):
            mx, my = (x0 + x1) / 2, (y0 + y1) / 2
            nx, ny = -(y1 - y0), x1 - x0
            norm = math.hypot(nx, ny) or 1.0
            shift = rng.uniform(-amplitude, amplitude)
            out += [(mx + nx / norm * shift, my + ny / norm * shift), (x1, y1)]
        line = out
        amplitude *= 0.55
    return line


_SCENES: dict[str, Scene] = {
    "halvard-sky-over-kettleby.jpg": _halvard_sky,
    "storm-track-map.jpg": _storm_map,
    "harbour-wall-waves.jpg": _harbour_wall_waves,
    "sandbags-market-square.jpg": _sandbags,
    "rest-centre-sports-hall.jpg": _rest_centre,
    "kettleby-lighthouse.jpg": _lighthouse,
    "flooded-quay-street.jpg": _flooded_street,
    "lifeboat-launch.jpg": _lifeboat,
    "promenade-rain-night.jpg": _promenade,
    "morning-after-beach.jpg": _morning_after,
}

PHOTO_NAMES: tuple[str, ...] = tuple(_SCENES)


def render_photo(name: str) -> Image.Image:
    """Paint one demo photo in memory (deterministic for a given name)."""
    rng = random.Random(zlib.crc32(name.encode()))
    return _grain_and_vignette(_SCENES[name](rng).convert("RGB"), rng)


def generate_photos(directory: Path) -> list[str]:
    """Write every demo photo into `directory` as progressive JPEG; keep files already there."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in PHOTO_NAMES:
        target = directory / name
        if target.exists():
            continue
        partial = target.with_name(f".{name}.{os.getpid()}.part")
        render_photo(name).save(partial, "JPEG", quality=JPEG_QUALITY, progressive=True,
                                optimize=True)
        os.replace(partial, target)
    return list(PHOTO_NAMES)
