"""Workers ride out a Redis outage on the real stack (a redis-server of the test's own, restarted without
its data, and a worker subprocess started as users start it): the worker stays up, the items Redis
forgot are queued again from the repository, and the batch finishes with nothing lost or done twice."""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from digitize.config import Config, OcrConfig, QueueConfig, StorageConfig
from digitize.model import SourceDocument
from storage.repository.models import AuditEntry, Document, WorkItem
from tests.conftest import SAMPLES
from tests.integration.test_queue import EXTRACTS, digitize, items, start_worker, wait_until
from tests.servers import RestartableRedis, pg_start, pg_stop, postgres_server
from workers import tasks
from workers.batches import submit
from workers.jobs import build_services, open_storage
from workers.queue import InlineQueue

MORE = ["birth_extract_rotated180.jpg", "birth_register_page_clean.png"]


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[RestartableRedis]:
    server = RestartableRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def test_a_redis_restart_without_its_data_loses_nothing(tmp_path: Path, redis: RestartableRedis) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")} | {
        "SOHOA_QUEUE_REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
        "SOHOA_QUEUE_QUEUE": f"q-{uuid.uuid4().hex[:8]}",
        "SOHOA_QUEUE_LEASE_S": "6",
        "SOHOA_STORAGE_DATA_DIR": str(tmp_path / "data"),
        "OMP_THREAD_LIMIT": "1",
    }
    for name in [*EXTRACTS, *MORE]:
        shutil.copy(SAMPLES / name, tmp_path / name)
    submitted = digitize(env, "submit", *(str(tmp_path / n) for n in [*EXTRACTS, *MORE]), "--batch", "o")
    assert submitted.returncode == 0, submitted.stderr
    engine = create_engine(f"sqlite:///{tmp_path / 'data' / 'repository.sqlite3'}")
    worker = start_worker(env)
    try:
        wait_until(
            lambda: any(i.status in ("done", "needs_review") for i in items(engine)), 120, "a page done"
        )
        redis.stop()  # mid-batch: the worker may be inside a page
        time.sleep(5)
        redis.start()  # empty: every queued id is gone
        finished_in = wait_until(
            lambda: all(i.status in ("done", "needs_review", "failed") for i in items(engine)),
            150,
            "the batch",
        )
        assert worker.poll() is None, "the worker exited instead of waiting for Redis"
        status = json.loads(digitize(env, "status", "o", "--json").stdout)
        assert len(status["workers"]) == 1 and status["done"] + status["needs_review"] == len(EXTRACTS) + len(
            MORE
        )
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
    done = items(engine)
    assert [i.status for i in done].count("failed") == 0
    assert len({i.document_id for i in done}) == len(done) == len(EXTRACTS) + len(MORE)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Document)) == len(done)
        assert all(n <= 2 for n in session.scalars(select(WorkItem.attempts)))
    assert finished_in < 150


class StopsTheDatabaseWhenSigning:
    """A fault injector, not a fake: the real signer signs, then the real PostgreSQL cluster is stopped
    (the first time only), so the page's copy is stored but cannot be recorded."""

    def __init__(self, signer: Any, stop: Any) -> None:
        self.signer, self.stop, self.copies = signer, stop, []

    def sign(self, pdf: bytes) -> Any:
        signed = self.signer.sign(pdf)
        self.copies.append(signed[0])
        if len(self.copies) == 1:  # once: a page done again would sign a second copy, and be seen
            self.stop()
        return signed


def test_a_page_stored_while_the_database_was_away_is_recorded_not_redone(tmp_path: Path) -> None:
    folder = Path(tempfile.mkdtemp(prefix="sohoa-pg-outage-")) / "pg"  # postgres must reach it (see conftest)
    with postgres_server(folder) as url:
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        config = replace(
            Config(),
            ocr=OcrConfig(engine="none"),
            queue=QueueConfig(lease_s=60, retry_backoff_s=0.5),
            storage=StorageConfig(data_dir=str(tmp_path / "data"), database_url=url),
        )
        storage = open_storage(config)
        services = build_services(config, storage)
        injector = StopsTheDatabaseWhenSigning(services.signer, lambda: pg_stop(folder))
        services.signer = injector
        restarts: list[float] = []

        def database_back(delay: float) -> None:
            restarts.append(delay)
            pg_start(folder, port)

        queue = InlineQueue(tasks.rq_job, database_back)
        tasks.install(tasks.WorkerContext(services, queue, "outage-worker"))
        data = (SAMPLES / "birth_extract_clean.png").read_bytes()
        report = submit(storage, queue, [SourceDocument("scan.png", data)], "pg-outage")
        queue.drain()

        (item,) = items(storage.db)
        with Session(storage.db) as session:
            documents = session.scalars(select(Document)).all()
        assert item.status in ("done", "needs_review") and report.new == 1, item.error
        assert len(injector.copies) == 1, "the page was done again after its copy was stored"
        assert len(documents) == 1 and documents[0].signed_key
        assert storage.store.get(documents[0].signed_key) == injector.copies[0]
        assert restarts, "the database never went away: the fault was not injected"
        services.close()


def test_two_workers_ride_out_a_database_stop_and_a_redis_restart_mid_batch(tmp_path: Path) -> None:
    """The compose stack's faults, one after the other, on real servers: PostgreSQL stopped for 15 s, then
    Redis (with its append-only file) for 15 s; the same two workers finish the batch on their own."""
    folder = Path(tempfile.mkdtemp(prefix="sohoa-pg-faults-")) / "pg"
    redis = RestartableRedis(tmp_path / "redis", appendonly=True)
    redis.start()
    names = [*EXTRACTS, *MORE]
    with postgres_server(folder) as url:
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")} | {
            "SOHOA_QUEUE_REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
            "SOHOA_QUEUE_QUEUE": f"q-{uuid.uuid4().hex[:8]}",
            "SOHOA_QUEUE_LEASE_S": "6",
            "SOHOA_QUEUE_RETRY_BACKOFF_S": "2",
            "SOHOA_STORAGE_DATA_DIR": str(tmp_path / "data"),
            "SOHOA_STORAGE_DATABASE_URL": url,
            "OMP_THREAD_LIMIT": "1",
        }
        submitted = digitize(env, "submit", *(str(SAMPLES / n) for n in names), "--batch", "f")
        assert submitted.returncode == 0, submitted.stderr
        engine = create_engine(url, pool_pre_ping=True)
        workers = [start_worker(env), start_worker(env)]
        try:
            finished = lambda: [i for i in items(engine) if i.status in ("done", "needs_review")]  # noqa: E731
            wait_until(lambda: finished(), 120, "a page done")
            pg_stop(folder)
            time.sleep(15)
            pg_start(folder, port)
            engine.dispose()
            wait_until(lambda: len(finished()) < len(names), 1, "pages left for the Redis stop")
            redis.stop()
            time.sleep(15)
            redis.start()
            took = wait_until(lambda: len(finished()) == len(names), 180, "the batch after both outages")
            assert [w.poll() for w in workers] == [None, None], "a worker exited instead of waiting"
        finally:
            for worker in workers:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait(10)
            redis.stop()
        done = items(engine)
        with Session(engine) as session:
            documents = session.scalar(select(func.count()).select_from(Document))
            saves = session.scalar(select(func.count()).where(AuditEntry.action == "digitized"))
        engine.dispose()
    assert [i.status for i in done].count("failed") == 0
    assert len({i.document_id for i in done}) == len(done) == documents == saves == len(names)
    assert took < 180
