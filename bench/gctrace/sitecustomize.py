"""Loaded by the benchmark's server when `bench/fanout.py --gc-trace` puts this folder on
PYTHONPATH: logs the time the garbage collector takes, per generation, every few seconds."""

from __future__ import annotations

import gc
import sys
import time
from typing import Any

_INTERVAL = 2.0
_state: dict[str, Any] = {"start": 0.0, "last": time.monotonic(), "max": 0.0,
                          "runs": [0, 0, 0], "secs": [0.0, 0.0, 0.0]}


def _trace(phase: str, info: dict[str, int]) -> None:
    if phase == "start":
        _state["start"] = time.perf_counter()
        return
    took = time.perf_counter() - _state["start"]
    gen = info["generation"]
    _state["runs"][gen] += 1
    _state["secs"][gen] += took
    _state["max"] = max(_state["max"], took)
    now = time.monotonic()
    if now - _state["last"] >= _INTERVAL:
        _state["last"] = now
        secs = ", ".join(f"{s:.3f}" for s in _state["secs"])
        print(f"gc-trace runs={_state['runs']} seconds=[{secs}] longest={_state['max']:.3f} "
              f"counts={gc.get_count()} frozen={gc.get_freeze_count()}",
              file=sys.stderr, flush=True)
        _state["max"] = 0.0


gc.callbacks.append(_trace)
