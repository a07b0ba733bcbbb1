"""The one place that decides parallelism. Stage code never starts processes or threads."""

from __future__ import annotations

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


def _limit_engine_threads() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"


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
            self._pool = ProcessPoolExecutor(self.workers, initializer=_limit_engine_threads)
        return list(self._pool.map(fn, listed))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def make_executor(jobs: int) -> Executor:
    return PoolExecutor(jobs) if jobs > 1 else SerialExecutor()
