"""`digitize worker`: an RQ worker with the services loaded once and a reaper for lost pages.

The worker runs jobs in its own process (rq's SimpleWorker): keys, the OCR engine and the database pool
are loaded once, not per page, and no fork per job. A reaper thread puts back on the queue every item
whose lease ran out (its worker was killed or its machine lost), so another worker finishes it within
about one lease time instead of RQ's job timeout. A webhook dispatcher thread sends due deliveries.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from logging import WARNING
from typing import Any

from sqlalchemy import Engine

from digitize.config import Config
from digitize.executor import tune_process
from workers import tasks
from workers.batches import reconcile, recover
from workers.jobs import build_services, open_storage
from workers.logs import event
from workers.queue import HEARTBEAT_TTL_S, RqQueue
from workers.webhooks import Dispatcher

log = logging.getLogger("sohoa.worker")


def run_worker(config: Config, queues: list[str], burst: bool = False, max_jobs: int | None = None) -> bool:
    """Work until stopped (or, with burst, until the queues are empty); True when any job was run."""
    from rq import Queue, SimpleWorker

    tune_process()
    children_die_with_this_process()
    config = replace(config, ocr=replace(config.ocr, jobs=1))  # RQ is the executor across pages
    queue = RqQueue(config.queue)
    services = build_services(config, open_storage(config))
    identity = tasks.worker_identity()
    tasks.install(tasks.WorkerContext(services, queue, identity))
    stop = threading.Event()
    interval = max(1.0, config.queue.lease_s / 3)
    reaper = threading.Thread(
        target=_reap, args=(services.db, queue, interval, stop), name="reaper", daemon=True
    )
    reaper.start()
    threading.Thread(target=_beat, args=(queue, identity, stop), name="heartbeat", daemon=True).start()
    dispatcher = Dispatcher(services.db, config.api, tasks.worker_identity()).start()
    try:
        names = queues or [config.queue.queue]

        def work() -> bool:
            worker = SimpleWorker(
                [Queue(n, connection=queue.connection) for n in names], connection=queue.connection
            )
            ran = worker.work(burst=burst, max_jobs=max_jobs, with_scheduler=True, logging_level="WARNING")
            return bool(ran)

        return ride_out_outages(work, queue.connection, stop)
    finally:
        stop.set()
        _quietly(lambda: queue.farewell(identity))
        dispatcher.stop()
        reaper.join(5)
        services.close()


def children_die_with_this_process() -> None:
    """Every process this worker forks from Python (RQ's scheduler) is sent SIGTERM when the worker dies,
    even by SIGKILL: otherwise RQ's scheduler lives on, reparented to PID 1, holding its lock. Linux only
    (prctl PR_SET_PDEATHSIG); elsewhere a supervisor must stop the process group. (`subprocess` children
    do not run fork hooks; the default OCR engine runs in-process and starts none.)"""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getpid()

    def in_child() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the worker died before the line above ran
            os._exit(0)

    os.register_at_fork(after_in_child=in_child)


PR_SET_PDEATHSIG = 1

#: Longest wait between attempts to reach Redis again.
RECONNECT_MAX_S = 30.0


def ride_out_outages(
    work: Callable[[], bool],
    connection: Any,
    stop: threading.Event,
    sleep: Callable[[float], None] = time.sleep,
) -> bool:
    """Run the RQ worker; when Redis goes away (RQ then raises out of its loop, even for a job that has
    already been recorded in the repository), wait for it with growing pauses and start working again,
    instead of exiting and leaving the batch without workers."""
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    ran = False
    while not stop.is_set():
        try:
            return work() or ran
        except (RedisConnectionError, RedisTimeoutError) as exc:
            event(
                log,
                WARNING,
                "redis.unreachable",
                "pausing work until Redis is back",
                error=type(exc).__name__,
            )
        pause = 1.0
        while not stop.is_set():
            sleep(pause)
            try:
                connection.ping()
                event(log, WARNING, "redis.back", "working again")
                ran = True
                break
            except (RedisConnectionError, RedisTimeoutError):
                pause = min(RECONNECT_MAX_S, pause * 2)
    return ran


def _beat(queue: RqQueue, identity: str, stop: threading.Event) -> None:
    """The worker's heartbeat for `digitize status`, from a thread: it beats while a long page runs."""
    while True:
        _quietly(lambda: queue.beat(identity))
        if stop.wait(HEARTBEAT_TTL_S / 3):
            return


def _quietly(call: Callable[[], object]) -> None:
    try:
        call()
    except Exception:  # Redis away: the next beat tells, the outage is logged by the work loop
        return


def _reap(repository: Engine, queue: RqQueue, interval: float, stop: threading.Event) -> None:
    """Every few seconds: items of killed workers (expired leases) and items the queue lost (queued in
    the repository, unknown to Redis) go back on the queue, ahead of the rest."""
    while not stop.wait(interval):
        try:
            lost_worker = recover(repository, queue)
            lost_job = reconcile(repository, queue, older_than_s=3 * interval)
        except Exception as exc:  # the database or Redis is away: try again at the next tick
            event(log, WARNING, "reaper.unavailable", "could not check the queue", error=type(exc).__name__)
            continue
        for item in lost_worker:
            event(log, WARNING, "item.lease_expired", "queued again, first", item=item)
        for item in lost_job:
            event(log, WARNING, "item.lost_by_queue", "queued again, first", item=item)
