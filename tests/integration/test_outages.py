"""Workers ride out a Redis outage on the real stack (a redis-server of the test's own, restarted without
its data, and a worker subprocess started as users start it): the worker stays up, the items Redis
forgot are queued again from the repository, and the batch finishes with nothing lost or done twice."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from storage.repository.models import Document, WorkItem
from tests.conftest import SAMPLES
from tests.integration.test_queue import EXTRACTS, digitize, items, start_worker, wait_until
from tests.servers import free_port, redis_command, wait_for_port

MORE = ["birth_extract_rotated180.jpg", "birth_register_page_clean.png"]


class Redis:
    """A redis-server that can be stopped and started again on the same port, without persistence."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(redis_command(self.port, self.folder), stdout=subprocess.DEVNULL)
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[Redis]:
    server = Redis(tmp_path)
    server.start()
    yield server
    server.stop()


def test_a_redis_restart_without_its_data_loses_nothing(tmp_path: Path, redis: Redis) -> None:
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
