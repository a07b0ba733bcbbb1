"""Rendered pages kept for the review station: each page rendered once, every crop and the page view cut
from it. A few pages at a time (an A4 page at 300 dpi is about 26 MB as RGB), the least recently used
going first; keyed by the signed copy, so a re-signed revision is rendered afresh."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from PIL import Image

from digitize.stages.crops import cut_png, render_page, view_jpeg

T = TypeVar("T")
#: Pages rendered at the same moment, whatever the number of requests asking (memory, not speed).
RENDERS_AT_ONCE = 2


class PageImages:
    def __init__(self, capacity: int = 3) -> None:
        self._capacity = capacity
        self._pages: OrderedDict[tuple[str, int], Image.Image] = OrderedDict()
        self._views: OrderedDict[tuple[str, int], bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._rendering: dict[tuple[str, int], threading.Lock] = {}
        self._renders = threading.BoundedSemaphore(RENDERS_AT_ONCE)

    def page(self, key: str, number: int, dpi: float, pdf: Callable[[], bytes]) -> Image.Image:
        """The page rendered (once: requests for the same page wait for the first render)."""
        with self._lock:
            found = self._pages.get((key, number))
            if found is not None:
                self._pages.move_to_end((key, number))
                return found
            turn = self._rendering.setdefault((key, number), threading.Lock())
        with turn:
            with self._lock:
                found = self._pages.get((key, number))
            if found is None:
                try:
                    with self._renders:  # a full page is tens of MB while it is made: a few at a time
                        found = render_page(pdf(), number, dpi)
                except BaseException:
                    with self._lock:  # not being rendered any more: the next request tries again
                        self._rendering.pop((key, number), None)
                    raise
                self._keep(self._pages, (key, number), found)
        return found

    def has(self, key: str, number: int) -> bool:
        """Whether the page is rendered, or being rendered, already."""
        with self._lock:
            return (key, number) in self._pages or (key, number) in self._rendering

    def crop(
        self, key: str, number: int, dpi: float, pdf: Callable[[], bytes], box: tuple[int, ...]
    ) -> bytes:
        x0, y0, x1, y1 = box
        return cut_png(self.page(key, number, dpi, pdf), (x0, y0, x1, y1))

    def view(self, key: str, number: int, dpi: float, pdf: Callable[[], bytes]) -> bytes:
        with self._lock:
            found = self._views.get((key, number))
        if found is None:
            found = view_jpeg(self.page(key, number, dpi, pdf), dpi)
            self._keep(self._views, (key, number), found, capacity=32)
        return found

    def _keep(
        self, cache: OrderedDict[tuple[str, int], T], where: tuple[str, int], what: T, capacity: int = 0
    ) -> None:
        with self._lock:
            cache[where] = what
            cache.move_to_end(where)
            while len(cache) > (capacity or self._capacity):
                cache.popitem(last=False)
            self._rendering.pop(where, None)
