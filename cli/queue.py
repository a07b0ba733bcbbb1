"""The queue commands of `digitize`: submit, worker, status, retry (printing for people lives here).

Without `queue.redis_url`, `submit` processes the items in this process (the embedded default), through
the same claim → run → record path the RQ workers take.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace

from cli.console import bar, duration, fail
from cli.documents import find_documents, no_documents, read_documents
from digitize.config import Config
from digitize.errors import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, ConfigError
from storage.repository.work import BatchProgress, progress
from workers.batches import retry, submit, work_on_item
from workers.jobs import build_services, open_storage
from workers.queue import InlineQueue, JobQueue, RqQueue
from workers.tasks import worker_identity


def submit_command(args: argparse.Namespace, config: Config) -> int:
    found = find_documents(args.paths, False)
    if not found:
        raise no_documents(args.paths)
    storage = open_storage(config)
    inline: InlineQueue | None = None
    try:
        if config.queue.redis_url:
            queue: JobQueue = RqQueue(config.queue)
        else:
            services = build_services(config, storage)
            owner = worker_identity()
            inline = InlineQueue(lambda item: work_on_item(services, queue, item, owner), time.sleep)
            queue = inline
        report = submit(storage, queue, read_documents(found), args.batch, args.split_pages)
        for error in report.refused:
            fail(error)
        where = (
            "queued on " + config.queue.queue if inline is None else "processing here (no queue.redis_url)"
        )
        print(
            f"batch {args.batch}: {len(report.items)} item(s), {report.new} new, "
            f"{len(report.refused)} refused; {where}"
        )
        if inline is not None:
            inline.drain()
        state = progress(storage.db, args.batch)
        _print_progress(state)
        refused_or_failed = report.refused or (inline is not None and state.counts["failed"])
        return EXIT_SOME_FAILED if refused_or_failed else EXIT_OK
    finally:
        storage.close()


def worker_command(args: argparse.Namespace, config: Config) -> int:
    import os
    import socket

    from workers import logs
    from workers.worker import run_worker

    # A worker's log is read later, by someone who needs to know when, which worker and which item.
    logs.configure(f"worker:{socket.gethostname()}:{os.getpid()}", json_lines=args.log_json)

    if not config.queue.redis_url:
        raise ConfigError("a worker needs a queue", fix="set queue.redis_url (SOHOA_QUEUE_REDIS_URL)")
    run_worker(config, args.queues, burst=args.burst, max_jobs=args.max_jobs)
    return EXIT_OK


def status_command(args: argparse.Namespace, config: Config) -> int:
    storage = open_storage(config)
    try:
        state = progress(storage.db, args.batch)
    finally:
        storage.close()
    if state.total == 0:
        print(f"batch {args.batch}: no items (check the name and storage.database_url)", file=sys.stderr)
        return EXIT_USAGE
    workers = RqQueue(config.queue).live_workers() if config.queue.redis_url else None
    if workers == [] and state.finished < state.total:
        state = replace(state, eta_s=None)  # nothing is working: no time of arrival to promise
    if args.json:
        print(json.dumps(_progress_dict(state) | {"workers": workers}, ensure_ascii=False, indent=1))
        return EXIT_OK
    _print_progress(state)
    if workers is not None:
        print(
            f"  {len(workers)} live worker(s)"
            if workers
            else "  no live worker: start one with `digitize worker`"
        )
    return EXIT_OK


def _print_progress(state: BatchProgress) -> None:
    print(_progress_line(state))
    for name, error in state.failures:
        print(f"  FAILED {error if error.startswith(name) else f'{name}: {error}'}")


def retry_command(args: argparse.Namespace, config: Config) -> int:
    if not config.queue.redis_url:
        raise ConfigError(
            "retry puts items on the queue", fix="set queue.redis_url, or run `digitize submit` again"
        )
    storage = open_storage(config)
    try:
        items = retry(storage, RqQueue(config.queue), args.batch, include_queued=args.queued)
    finally:
        storage.close()
    print(f"batch {args.batch}: {len(items)} item(s) queued again")
    return EXIT_OK


def _progress_dict(state: BatchProgress) -> dict[str, object]:
    return {
        "batch": state.batch,
        "total": state.total,
        **state.counts,
        "pages_per_min": state.pages_per_min,
        "eta_s": state.eta_s,
        "lost": state.lost,
        "failures": [{"source": n, "error": e} for n, e in state.failures],
    }


def _progress_line(state: BatchProgress) -> str:
    c = state.counts
    rate = f" · {state.pages_per_min:.1f} pages/min" if state.pages_per_min else ""
    eta = f" · ETA {duration(state.eta_s)}" if state.eta_s and state.finished < state.total else ""
    lost = f" ({state.lost} of them lost with their worker)" if state.lost else ""
    return (
        f"{state.batch} [{bar(state.finished, state.total)}] {state.finished}/{state.total} · "
        f"{c['queued']} queued · "
        f"{c['processing']} processing{lost} · {c['done']} done · {c['needs_review']} need review · "
        f"{c['failed']} failed{rate}{eta}"
    )
