"""Helpers for the phone and photo specs: screenshots to look at, and photos whose halves
tell which way up they were stored."""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page

SHOTS = Path(os.environ.get("BULLETIN_SHOTS", "/tmp/bulletin-shots"))
RED, BLUE = (220, 20, 20), (20, 40, 220)


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def halves(width: int, height: int, orientation: int | None = None) -> bytes:
    """A JPEG whose left half (as stored) is red and right half blue."""
    img = Image.new("RGB", (width, height), BLUE)
    img.paste(RED, (0, 0, width // 2, height))
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif, quality=92)
    return out.getvalue()
