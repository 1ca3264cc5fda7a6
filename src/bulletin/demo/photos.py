"""Photos for the demo live blog, painted on the spot with Pillow.

The demo has to run offline and ship no pictures of uncertain origin, so every photo the demo
story shows is drawn here from gradients, noise, polygons and blur. Each scene is seeded from
its file name, so the same pictures come out on every run; files already present are kept.
"""

from __future__ import annotations

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
    for (t0, v0), (t1, v1) in zip(stops, stops[1:], strict=False):
        if t <= t1:
            return v0 + (v1 - v0) * ((t - t0) / max(1e-9, t1 - t0))
    return stops[-1][1]


def _gradient(stops: Sequence[tuple[float, RGB]], size: tuple[int, int] = SIZE) -> Image.Image:
    """A vertical colour gradient; stops are (position 0..1, colour)."""
    w, h = size
    column = Image.new("RGB", (1, h))
    channels = [_ramp([(t, float(c[i])) for t, c in stops], h) for i in range(3)]
    column.putdata([(round(r), round(g), round(b)) for r, g, b in zip(*channels, strict=True)])
    return column.resize(size, Image.Resampling.NEAREST)


def _vmask(stops: Sequence[tuple[float, float]], size: tuple[int, int] = SIZE) -> Image.Image:
    """A vertical greyscale ramp; stops are (position 0..1, value 0..255)."""
    w, h = size
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
    """Smooth fractal value noise (greyscale), stretched to cover the full range."""
    acc: Image.Image | None = None
    total = 0.0
    weight = 1.0
    cw, ch = cells
    for _ in range(octaves):
        cw, ch = max(2, min(cw, size[0])), max(2, min(ch, size[1]))
        small = Image.frombytes("L", (cw, ch), rng.randbytes(cw * ch))
        layer = small.resize(size, Image.Resampling.BICUBIC)
        total += weight
        acc = layer if acc is None else Image.blend(acc, layer, weight / total)
        weight *= persistence
        cw, ch = cw * 2, ch * 2
    assert acc is not None
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
    """Wind-blown spray: a soft solid core whose edges break up into ragged wisps."""
    shape = _blob_mask(boxes, 16)
    ragged = ImageOps.invert(_noise(rng, SIZE, (48, 32), octaves=5, persistence=0.7))
    mask = ImageChops.subtract(_scale_mask(shape, 1.7), _scale_mask(ragged, 0.9))
    mask = _scale_mask(mask.filter(ImageFilter.GaussianBlur(1.5)), opacity)
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
        w = max(1, round(cam.px(0.06, z)))
        for course in (0.0, 1.0, 2.0, 3.0):
            shift = 0.0 if course % 2 == 0 else step / 2
            a = cam.at(2.0, course, z + shift)
            b = cam.at(2.0, course + 1.0, z + shift)
            draw.line([a, b], fill=(40, 40, 38, 100), width=w)
        z += step
    # railing and lamp posts along the top
    for zz in range(2, 240, 3):
        draw.line([cam.at(2.4, 4.0, zz), cam.at(2.4, 5.1, zz)], fill=(30, 32, 34, 230),
                  width=max(1, round(cam.px(0.07, zz))))
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
    w, h = size
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
    for x, _ in lit:
        streak = rng.uniform(30, 110)
        draw.rectangle((x - 2, 588, x + 2, 588 + streak), fill=(255, 200, 130, 90))
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
    for x in (cx - 24, cx - 8, cx + 8, cx + 24):
        draw.line([(x, top - 64), (x, top - 10)], fill=(50, 44, 40), width=3)
    draw.pieslice((cx - 28, top - 92, cx + 28, top - 40), 180, 360, fill=(78, 22, 22))
    draw.ellipse((cx - 5, top - 100, cx + 5, top - 90), fill=(60, 20, 20))
    beam, bdraw = _layer((255, 238, 200))
    lamp = (cx, top - 38)
    bdraw.polygon([lamp, (-200, 40), (-200, 330)], fill=(255, 238, 200, 70))
    bdraw.polygon([lamp, (-200, 140), (-200, 240)], fill=(255, 238, 200, 70))
    _overlay(img, beam.filter(ImageFilter.GaussianBlur(18)))
    img = _glow(img, [(lamp, 26)], (255, 230, 170), 30, 1.0)
    img = _glow(img, [(lamp, 90)], (255, 220, 160), 90, 0.5)
    img = _spray(img, rng, _fountain(rng, 640, 700, 300, 110, 70, 50), opacity=0.85)
    img = _spray(img, rng, [(560, 700, 760, 760), (600, 730, 700, 800)], opacity=0.9)
    _rain(img, rng, 3000, 0.42, 50, 60)
    return img


_SCENES: dict[str, Scene] = {
    "halvard-sky-over-kettleby.jpg": _halvard_sky,
    "harbour-wall-waves.jpg": _harbour_wall_waves,
    "kettleby-lighthouse.jpg": _lighthouse,
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
