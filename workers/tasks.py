"""The RQ job function and the worker's process-wide context.

RQ imports `rq_job` by name and calls it with an item id. The services (keys, OCR engine,
database engine) are built once per worker process by `digitize worker` and installed here; a job never
builds them. This module is the workers' one mapping of the exception tree: a page that failed for good
raises a `ProcessingError`, so RQ keeps it in its failed registry with the reason; everything else returns.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass

from digitize.errors import ProcessingError, TransientStorageError
from storage.repository import database_errors_as_transient
from workers.batches import work_on_item
from workers.jobs import Services
from workers.queue import JobQueue


@dataclass
class WorkerContext:
    services: Services
    queue: JobQueue
    owner: str


_context: WorkerContext | None = None


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def install(context: WorkerContext) -> None:
    global _context
    _context = context


def rq_job(item_id: int) -> dict[str, object]:
    if _context is None:
        raise RuntimeError("no worker context: start workers with `digitize worker`, not `rq worker`")
    try:
        with database_errors_as_transient(f"record item {item_id}"):
            outcome = work_on_item(_context.services, _context.queue, item_id, _context.owner)
    except TransientStorageError as exc:
        # The repository was away before the item was claimed (or while recording it): ask again later.
        # A claimed item whose outcome could not be recorded is also re-queued by its expiring lease.
        delay = _context.services.config.queue.retry_backoff_s
        _context.queue.enqueue(item_id, delay)
        return {"item": item_id, "status": "retrying", "note": str(exc)}
    if outcome.status == "failed":
        raise ProcessingError(outcome.error, fix="see the item's error; `digitize retry BATCH` tries again")
    return {"item": outcome.item_id, "status": outcome.status, "note": outcome.error}
