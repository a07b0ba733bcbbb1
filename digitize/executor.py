"""The one place that decides parallelism. Stage code never starts processes or threads."""

from __future__ import annotations

import ctypes
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from typing import Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]: ...

    def close(self) -> None: ...


class SerialExecutor:
    """Everything in this process, in order: tests, single-page documents, RQ workers."""

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        return [fn(item) for item in items]

    def close(self) -> None:
        return None


_M_MMAP_THRESHOLD = -3  # mallopt parameter numbers from glibc's malloc.h
_M_TRIM_THRESHOLD = -1


def tune_process() -> None:
    """Settings every process that runs pages needs: the CLI, RQ workers, the API and the page pool."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    _return_page_buffers()


def _return_page_buffers() -> None:
    """Make page-sized buffers go back to the system when freed.

    glibc raises its mmap threshold (up to 32 MB) each time a large block is freed; from then on the
    17–52 MB arrays of an A3 page come from the heap, which does not shrink, and a worker that ran 44
    pages sat at about 550 MB. A fixed threshold keeps every buffer of 1 MiB or more in its own mapping.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to tune
        return
    libc.mallopt(_M_MMAP_THRESHOLD, 1 << 20)
    libc.mallopt(_M_TRIM_THRESHOLD, 8 << 20)


class PoolExecutor:
    """Pages of a document spread over worker processes (started once, reused for every document)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        listed = list(items)
        if len(listed) < 2:
            return [fn(item) for item in listed]
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, initializer=tune_process)
        return list(self._pool.map(fn, listed))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def make_executor(jobs: int) -> Executor:
    return PoolExecutor(jobs) if jobs > 1 else SerialExecutor()
