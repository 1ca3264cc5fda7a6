"""The reader script stays small enough to load fast on a phone."""

from __future__ import annotations

import gzip
from pathlib import Path

import bulletin

READER_JS = Path(bulletin.__file__).parent / "static" / "reader.js"
BUDGET = 10 * 1024  # bytes, gzipped


def test_reader_script_is_under_10_kb_gzipped() -> None:
    source = READER_JS.read_bytes()
    size = len(gzip.compress(source, compresslevel=9))
    assert 0 < size < BUDGET, f"reader.js is {size} bytes gzipped; the budget is {BUDGET}"
