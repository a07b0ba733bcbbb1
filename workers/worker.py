"""`digitize worker`: an RQ worker with the services loaded once and a reaper for lost pages.

The worker runs jobs in its own process (rq's SimpleWorker): keys, the OCR engine and the database pool
are loaded once, not per page, and no fork per job. A reaper thread puts back on the queue every item
whose lease ran out (its worker was killed or its machine lost), so another worker finishes it within
about one lease time instead of RQ's job timeout. A webhook dispatcher thread sends due deliveries.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace

from sqlalchemy import Engine

from digitize.config import Config
from digitize.executor import tune_process
from workers import tasks
from workers.batches import recover
from workers.jobs import build_services, open_storage
from workers.queue import RqQueue
from workers.webhooks import Dispatcher

log = logging.getLogger("sohoa.worker")


def run_worker(config: Config, queues: list[str], burst: bool = False, max_jobs: int | None = None) -> bool:
    """Work until stopped (or, with burst, until the queues are empty); True when any job was run."""
    from rq import Queue, SimpleWorker

    tune_process()
    config = replace(config, ocr=replace(config.ocr, jobs=1))  # RQ is the executor across pages
    queue = RqQueue(config.queue)
    services = build_services(config, open_storage(config))
    tasks.install(tasks.WorkerContext(services, queue, tasks.worker_identity()))
    stop = threading.Event()
    interval = max(1.0, config.queue.lease_s / 3)
    reaper = threading.Thread(
        target=_reap, args=(services.db, queue, interval, stop), name="reaper", daemon=True
    )
    reaper.start()
    dispatcher = Dispatcher(services.db, config.api, tasks.worker_identity()).start()
    try:
        names = queues or [config.queue.queue]
        worker = SimpleWorker(
            [Queue(n, connection=queue.connection) for n in names], connection=queue.connection
        )
        return bool(worker.work(burst=burst, max_jobs=max_jobs, with_scheduler=True, logging_level="WARNING"))
    finally:
        stop.set()
        dispatcher.stop()
        reaper.join(5)
        services.close()


def _reap(repository: Engine, queue: RqQueue, interval: float, stop: threading.Event) -> None:
    while not stop.wait(interval):
        try:
            items = recover(repository, queue)
        except Exception as exc:  # the database or Redis is away: try again at the next tick
            log.warning("reaper could not check leases: %s", exc.__class__.__name__)
            continue
        if items:
            log.warning("re-queued %d item(s) whose worker was lost: %s", len(items), items)
