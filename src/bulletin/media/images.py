"""Turning an uploaded file into safe, metadata-free, responsive image variants.

The real format is read from the content (never the file name); decompression bombs,
over-size, empty and truncated files are refused; the EXIF orientation is applied and then
every piece of metadata (EXIF, GPS, XMP, comments, ICC profiles) is dropped by re-encoding
from the pixels alone.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pillow_heif
from PIL import Image, ImageCms, ImageOps

from bulletin.domain.errors import ValidationError

WIDTHS = (320, 640, 1280, 2048)
MAX_PIXELS = 50_000_000
# Phones shoot HEIC (iPhone) and AVIF: both are read (pillow-heif; Pillow's own AVIF).
pillow_heif.register_heif_opener()
Image.init()
FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "HEIF", "AVIF"} & set(Image.OPEN))
ACCEPTED = "JPEG, PNG, WebP, GIF, HEIC or AVIF"
ENCODINGS = {"webp": ("WEBP", "image/webp"), "jpg": ("JPEG", "image/jpeg")}
# Pillow's own bomb check warns through the (process-wide, not thread-safe) warnings module;
# `_open` applies the site's `media_max_pixels` to the header before anything is decoded.
Image.MAX_IMAGE_PIXELS = None


class TooLarge(ValidationError):
    status = 413
    code = "too_large"


@dataclass(frozen=True, slots=True)
class Variant:
    suffix: str  # "640w.webp": the stored name is "<id>-<suffix>"
    width: int
    height: int
    mime: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Processed:
    width: int
    height: int
    variants: tuple[Variant, ...]


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, field="file")


def _open(data: bytes, max_pixels: int) -> Image.Image:
    """Read the header only (with the accepted decoders only), check the pixel count against
    the site's limit, and only then decode."""
    try:
        img = Image.open(io.BytesIO(data), formats=sorted(FORMATS))
    except (OSError, SyntaxError, ValueError):
        raise _refuse("This file is not an image Bulletin can read; upload a photo as "
                      f"{ACCEPTED}.") from None
    if img.format not in FORMATS:
        raise _refuse(f"{img.format or 'This'} images are not accepted; upload a photo as "
                      f"{ACCEPTED}.")
    width, height = img.size
    if width < 1 or height < 1 or width * height > max_pixels:
        raise _refuse(f"This image is {width} × {height} pixels; the limit is "
                      f"{max_pixels // 1_000_000} megapixels.")
    try:
        img.load()
    except (OSError, SyntaxError, ValueError):
        raise _refuse("This image file is damaged or incomplete (truncated); "
                      "upload it again.") from None
    return img


def _to_srgb(img: Image.Image) -> Image.Image:
    """Pixels in sRGB (R, G, B[, A]), with any embedded colour profile applied."""
    icc = img.info.get("icc_profile")
    has_alpha = img.mode in ("RGBA", "LA", "PA") or (
        img.mode == "P" and "transparency" in img.info)
    target = "RGBA" if has_alpha else "RGB"
    if icc and img.mode in ("RGB", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(img, source, ImageCms.createProfile("sRGB"),
                                                  outputMode="RGB")
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass
    return img.convert(target)


def _bare(img: Image.Image) -> Image.Image:
    """A new image made from the pixels alone: no info, no EXIF, no profile."""
    return Image.frombytes(img.mode, img.size, img.tobytes())


def _encode(img: Image.Image, kind: str) -> bytes:
    out = io.BytesIO()
    if kind == "jpg":
        if img.mode == "RGBA":
            flat = Image.new("RGB", img.size, (255, 255, 255))
            flat.paste(img, mask=img.getchannel("A"))
            img = flat
        img.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    else:
        img.save(out, "WEBP", quality=80, method=4)
    return out.getvalue()


def widths_for(width: int) -> list[int]:
    """The variant widths for an image `width` pixels wide: never upscaled."""
    chosen = [w for w in WIDTHS if w < width]
    if width <= WIDTHS[-1]:
        chosen.append(width)
    elif WIDTHS[-1] not in chosen:
        chosen.append(WIDTHS[-1])
    return chosen


def _square(img: Image.Image, size: int) -> Image.Image:
    """The centre square of a photo, at most `size` pixels a side (never upscaled)."""
    side = min(img.size)
    return ImageOps.fit(img, (min(side, size),) * 2, Image.Resampling.LANCZOS)


def process(data: bytes, *, max_bytes: int, max_pixels: int = MAX_PIXELS,
            square: int | None = None) -> Processed:
    """Check an upload and make its variants (WebP and JPEG at each width). With `square`,
    one variant of each: the centre square at most that many pixels a side (an avatar)."""
    if not data:
        raise _refuse("The file is empty (0 bytes).")
    if len(data) > max_bytes:
        raise TooLarge(f"The file is {len(data) / 1_048_576:.1f} MB; the limit is "
                       f"{max_bytes / 1_048_576:.1f} MB.", field="file")
    original = _open(data, max_pixels)
    try:
        upright = ImageOps.exif_transpose(original)
        pixels = _bare(_to_srgb(upright))
    except (OSError, SyntaxError, ValueError):
        raise _refuse("This image file is damaged or incomplete; upload it again.") from None
    finally:
        original.close()
    if square is not None:
        pixels = _square(pixels, square)
    width, height = pixels.size
    variants: list[Variant] = []
    for w in [width] if square is not None else widths_for(width):
        h = max(1, round(height * w / width))
        sized = pixels if w == width else pixels.resize((w, h), Image.Resampling.LANCZOS)
        for ext, (_, mime) in ENCODINGS.items():
            variants.append(Variant(f"{w}w.{ext}", w, sized.height, mime, _encode(sized, ext)))
    return Processed(width, height, tuple(variants))
