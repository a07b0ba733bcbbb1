"""Where item ids go to be worked on: RQ on Redis when configured, otherwise this process.

A queue carries nothing but item ids; the repository holds the items and their progress. That is what
makes a lost Redis message or a killed worker recoverable: `requeue_expired` and `digitize retry` can
always rebuild the queue's content from the repository.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Protocol

from digitize.config import QueueConfig
from digitize.errors import ConfigError, TransientStorageError

log = logging.getLogger("sohoa.queue")

#: Import path of the RQ job function; workers import it by this name.
TASK = "workers.tasks.rq_job"


class JobQueue(Protocol):
    def enqueue(self, item_id: int, delay_s: float = 0.0, at_front: bool = False) -> str | None:
        """Ask for the item to be processed (after delay_s; before everything waiting with at_front, for
        work that was lost and is owed); returns the queue's job id, if any."""
        ...


class InlineQueue:
    """The embedded default: items are processed right here, in the order they are enqueued.

    Enqueueing from inside a job (a retry) appends to the pending list instead of recursing; `drain`
    works through the list, waiting out retry delays.
    """

    def __init__(self, run: Callable[[int], object], sleep: Callable[[float], None]) -> None:
        self._run = run
        self._sleep = sleep
        self._pending: list[tuple[int, float]] = []

    def enqueue(self, item_id: int, delay_s: float = 0.0, at_front: bool = False) -> str | None:
        if at_front:
            self._pending.insert(0, (item_id, delay_s))
        else:
            self._pending.append((item_id, delay_s))
        return None

    def drain(self) -> None:
        while self._pending:
            item_id, delay = self._pending.pop(0)
            if delay > 0:
                self._sleep(delay)
            self._run(item_id)


#: A worker not heard of for this long is not listed as alive.
HEARTBEAT_TTL_S = 15.0


class RqQueue:
    def __init__(self, config: QueueConfig, connection: Any | None = None) -> None:
        from redis import Redis
        from rq import Queue

        if not config.redis_url:
            raise ConfigError(
                "queue.redis_url is empty", fix="set it (SOHOA_QUEUE_REDIS_URL=redis://host:6379/0)"
            )
        self.connection = connection or Redis.from_url(config.redis_url, socket_connect_timeout=5)
        self.config = config
        self.queue = Queue(config.queue, connection=self.connection)

    def enqueue(self, item_id: int, delay_s: float = 0.0, at_front: bool = False) -> str | None:
        from redis.exceptions import RedisError

        options: dict[str, Any] = {
            "job_timeout": self.config.job_timeout_s,
            "result_ttl": 86400,
            "failure_ttl": 30 * 86400,
            "description": f"item {item_id}",
        }
        try:
            if delay_s > 0:
                job = self.queue.enqueue_in(timedelta(seconds=delay_s), TASK, item_id, **options)
            else:
                job = self.queue.enqueue(TASK, item_id, at_front=at_front, **options)
        except RedisError as exc:
            raise TransientStorageError(
                f"cannot reach Redis to queue item {item_id} ({exc.__class__.__name__})",
                fix="check queue.redis_url; `digitize retry BATCH` queues what is left once it is back",
            ) from None
        return str(job.id)

    def depth(self) -> int:
        return int(self.queue.count)

    def live_workers(self) -> list[str]:
        """Workers of this queue whose heartbeat is fresh (`beat`, every few seconds): a killed worker
        drops out within HEARTBEAT_TTL_S, a Redis restarted without its data lists the workers again as
        soon as they beat."""
        prefix = f"sohoa:alive:{self.config.queue}:"
        names = [
            k.decode() if isinstance(k, bytes) else str(k) for k in self.connection.scan_iter(f"{prefix}*")
        ]
        return sorted(name.removeprefix(prefix) for name in names)

    def beat(self, identity: str, ttl_s: float = HEARTBEAT_TTL_S) -> None:
        """This worker is alive (called every HEARTBEAT_TTL_S / 3 seconds)."""
        self.connection.set(f"sohoa:alive:{self.config.queue}:{identity}", "1", px=int(ttl_s * 1000))

    def farewell(self, identity: str) -> None:
        self.connection.delete(f"sohoa:alive:{self.config.queue}:{identity}")

    def forget(self, job_ids: list[str]) -> None:
        """Jobs of attempts whose worker was lost (their items are queued again under new jobs): out of
        RQ's started registry, so its cleanup does not file them as failures (AbandonedJobError), and out
        of the failed registry if it already did; the job itself expires after a day."""
        from rq.exceptions import NoSuchJobError
        from rq.job import Job
        from rq.registry import FailedJobRegistry, StartedJobRegistry

        started = StartedJobRegistry(queue=self.queue)
        failed = FailedJobRegistry(queue=self.queue)
        for job_id in job_ids:
            try:
                job = Job.fetch(job_id, connection=self.connection)
            except NoSuchJobError:
                continue
            started.remove_executions(job)
            failed.remove(job_id)
            self.connection.expire(job.key, 86400)

    def held_job_ids(self) -> set[str]:
        """Jobs Redis still holds for this queue: waiting, scheduled for later, or being worked on."""
        from rq.registry import ScheduledJobRegistry, StartedJobRegistry

        held = set(self.queue.get_job_ids())
        registries = (ScheduledJobRegistry(queue=self.queue), StartedJobRegistry(queue=self.queue))  # type: ignore[no-untyped-call]
        for registry in registries:
            held |= set(registry.get_job_ids())
        return held


class ThreadQueue:
    """`digitize serve` without Redis: one background thread of this process works through the items.

    Delays (retry backoff) are kept with a timer; items still queued when the process stops stay queued
    in the repository and are picked up by `digitize retry BATCH --queued` or the next start.
    """

    def __init__(self, run: Callable[[int], object]) -> None:
        self._run = run
        self._items: queue.Queue[int | None] = queue.Queue()
        self._timers: list[threading.Timer] = []
        self._thread = threading.Thread(target=self._loop, name="inline-worker", daemon=True)
        self._thread.start()

    def enqueue(self, item_id: int, delay_s: float = 0.0, at_front: bool = False) -> str | None:
        if delay_s > 0:
            timer = threading.Timer(delay_s, self._items.put, args=(item_id,))
            timer.daemon = True
            self._timers.append(timer)
            timer.start()
        else:
            self._items.put(item_id)
        return None

    def depth(self) -> int:
        return self._items.qsize()

    def close(self) -> None:
        for timer in self._timers:
            timer.cancel()
        self._items.put(None)
        self._thread.join(30)

    def _loop(self) -> None:
        while (item_id := self._items.get()) is not None:
            try:
                self._run(item_id)
            except Exception:  # work_on_item records failures itself; never let the thread die
                log.exception(
                    "inline worker: item %d was not recorded; `digitize retry` re-queues it", item_id
                )
