"""CPU time per pipeline stage, for the benchmark's per-stage table (`bench/ocr.py`).

`stage(name)` adds the process CPU time spent inside it to the totals of the innermost `measured()`
block, and costs nothing outside one. Process time includes Tesseract's (it runs in-process through
tesserocr) but not that of child processes. Stages are not nested, so the totals add up.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_current: ContextVar[dict[str, float] | None] = ContextVar("stage_cpu", default=None)


@contextmanager
def measured() -> Iterator[dict[str, float]]:
    """Collect stage CPU seconds of everything run inside (in this thread) into the yielded dict."""
    totals: dict[str, float] = {}
    token = _current.set(totals)
    try:
        yield totals
    finally:
        _current.reset(token)


@contextmanager
def stage(name: str) -> Iterator[None]:
    totals = _current.get()
    if totals is None:
        yield
        return
    started = time.process_time()
    try:
        yield
    finally:
        totals[name] = totals.get(name, 0.0) + time.process_time() - started
