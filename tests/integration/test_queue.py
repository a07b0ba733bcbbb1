"""Distributed batches: `digitize submit/worker/status` on real Redis + RQ, PostgreSQL and S3 (weed mini).

Workers are real subprocesses started the way users start them; one of them is killed with SIGKILL in
the middle of a page.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from minio import Minio
from redis import Redis
from rq import Queue
from rq.job import Job
from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.orm import Session

from digitize.config import Config, OcrConfig, QueueConfig, StorageConfig
from digitize.model import SourceDocument
from samplegen.register import birth_register_volume
from storage.repository.models import AuditEntry, Document, Volume, WorkItem
from storage.repository.work import as_utc
from tests.conftest import ROOT, SAMPLES
from tests.servers import S3_ACCESS_KEY, S3_SECRET_KEY, alive, child_pids, s3_ports, s3_server
from workers.batches import submit, work_on_item
from workers.jobs import build_services, open_storage
from workers.queue import InlineQueue

EXTRACTS = [
    "birth_extract_clean.png",
    "birth_extract_skewed.png",
    "birth_extract_200dpi.png",
    "death_extract_rotated90.png",
]


@pytest.fixture
def stack_env(tmp_path: Path, redis_url: str, pg_database: str, s3_endpoint: str) -> dict[str, str]:
    """Environment of every command in a test: one Redis queue, database and bucket of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    return env | {
        "SOHOA_QUEUE_REDIS_URL": redis_url,
        "SOHOA_QUEUE_QUEUE": f"q-{uuid.uuid4().hex[:8]}",
        "SOHOA_QUEUE_LEASE_S": "6",
        "SOHOA_STORAGE_DATABASE_URL": pg_database,
        "SOHOA_STORAGE_BACKEND": "s3",
        "SOHOA_STORAGE_S3_ENDPOINT": s3_endpoint,
        "SOHOA_STORAGE_S3_SECURE": "false",
        "SOHOA_STORAGE_S3_BUCKET": f"b-{uuid.uuid4().hex[:12]}",
        "SOHOA_STORAGE_S3_ACCESS_KEY": S3_ACCESS_KEY,
        "SOHOA_STORAGE_S3_SECRET_KEY": S3_SECRET_KEY,
        "SOHOA_STORAGE_DATA_DIR": str(tmp_path / "data"),
    }


def digitize(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def start_worker(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "cli.main", "worker", *args], env=env, cwd=ROOT, start_new_session=True
    )


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def items(engine: Engine) -> list[WorkItem]:
    with Session(engine) as session:
        return list(session.scalars(select(WorkItem).order_by(WorkItem.id)))


def just_started(engine: Engine, seconds: float) -> bool:
    now = datetime.now(UTC)
    return any(
        i.status == "processing" and i.started_at and (now - as_utc(i.started_at)).total_seconds() < seconds
        for i in items(engine)
    )


def wait_until(condition: object, timeout: float, what: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():  # type: ignore[operator]
            return time.monotonic() - started
        time.sleep(0.25)
    raise AssertionError(f"{what} did not happen within {timeout} s")


def test_batch_with_volume_runs_on_two_workers_and_reports(
    tmp_path: Path, stack_env: dict[str, str], workers: list[subprocess.Popen[bytes]]
) -> None:
    volume, _ = birth_register_volume(random.Random(7), pages=3, rows=4, first_number=21)
    (tmp_path / "book.tif").write_bytes(volume)
    shutil.copy(SAMPLES / "birth_extract_clean.png", tmp_path)
    (tmp_path / "scan.png").write_text("not an image: a text file named .png")
    files = [str(tmp_path / n) for n in ("book.tif", "birth_extract_clean.png", "scan.png")]

    submitted = digitize(stack_env, "submit", *files, "--batch", "b1", "--split-pages")
    assert submitted.returncode == 0, submitted.stderr
    assert "5 item(s), 5 new" in submitted.stdout

    workers += [start_worker(stack_env, "--burst") for _ in range(2)]
    for proc in workers:
        assert proc.wait(240) == 0

    status = json.loads(digitize(stack_env, "status", "b1", "--json").stdout)
    assert status["total"] == 5 and status["queued"] == status["processing"] == 0
    assert status["done"] + status["needs_review"] == 4 and status["failed"] == 1
    (failure,) = status["failures"]
    assert failure["source"] == "scan.png" and "not a PNG, JPEG, TIFF or PDF" in failure["error"]
    text = digitize(stack_env, "status", "b1").stdout
    assert "5/5" in text and "FAILED scan.png: not a PNG" in text

    # RQ keeps the permanent failure in its failed registry, with the reason.
    redis = Redis.from_url(stack_env["SOHOA_QUEUE_REDIS_URL"])
    failed = Queue(stack_env["SOHOA_QUEUE_QUEUE"], connection=redis).failed_job_registry
    (job_id,) = failed.get_job_ids()
    result = Job.fetch(job_id, connection=redis).latest_result()
    assert result is not None and "not a PNG" in str(result.exc_string)

    engine = create_engine(stack_env["SOHOA_STORAGE_DATABASE_URL"])
    with Session(engine) as session:
        book = session.scalars(select(Volume)).one()
        assert (book.page_count, book.status, book.problems) == (3, "joined", [])
        assert session.scalar(select(func.count()).select_from(Document)) == 4
    pages = [i for i in items(engine) if i.volume_key]
    assert [p.page_number for p in pages] == [1, 2, 3] and all(p.attempts == 1 for p in pages)

    again = digitize(stack_env, "submit", *files, "--batch", "b1", "--split-pages")
    assert "5 item(s), 0 new" in again.stdout  # same originals: no new work


def test_worker_killed_mid_page_is_recovered_without_duplicates(
    tmp_path: Path, stack_env: dict[str, str], workers: list[subprocess.Popen[bytes]]
) -> None:
    submitted = digitize(stack_env, "submit", *(str(SAMPLES / n) for n in EXTRACTS), "--batch", "k")
    assert submitted.returncode == 0, submitted.stderr
    engine = create_engine(stack_env["SOHOA_STORAGE_DATABASE_URL"])

    victim = start_worker(stack_env)
    workers.append(victim)
    # Kill within half a second of a page starting: well inside it, since a page takes over a second.
    wait_until(lambda: just_started(engine, 0.5), 60, "a page starting")
    children = child_pids(victim.pid)  # RQ's scheduler, maybe a Tesseract
    os.kill(victim.pid, signal.SIGKILL)  # the worker alone, as the OOM killer would: not its group
    victim.wait(10)
    killed_at = time.monotonic()
    (lost,) = [i for i in items(engine) if i.status == "processing"]
    try:
        wait_until(lambda: not any(alive(pid) for pid in children), 10, "the worker's children ending")
    finally:
        os.killpg(victim.pid, signal.SIGKILL)  # whatever is left, so the test leaves no orphan
    assert children, "the worker had no scheduler child to check"

    workers.append(start_worker(stack_env))
    wait_until(
        lambda: all(i.status in ("done", "needs_review") for i in items(engine)), 90, "the batch finishing"
    )
    assert time.monotonic() - killed_at < 60

    finished = items(engine)
    assert len({i.document_id for i in finished}) == len(EXTRACTS)  # one document per page
    assert next(i for i in finished if i.id == lost.id).attempts == 2
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Document)) == len(EXTRACTS)
        saves = session.scalar(select(func.count()).where(AuditEntry.action == "digitized"))
        assert saves == len(EXTRACTS)
    # `status` lists by heartbeat: the killed worker drops out within its time to live, the new one stays.
    listed = lambda: json.loads(digitize(stack_env, "status", "k", "--json").stdout)["workers"]  # noqa: E731
    wait_until(
        lambda: len(listed()) == 1, max(5.0, killed_at + 30 - time.monotonic()), "the killed one unlisted"
    )
    # RQ agrees: the killed attempt's job is neither running nor filed as a failure (AbandonedJobError).
    queue = Queue(
        stack_env["SOHOA_QUEUE_QUEUE"], connection=Redis.from_url(stack_env["SOHOA_QUEUE_REDIS_URL"])
    )
    registries = (queue.started_job_registry, queue.failed_job_registry)
    assert lost.job_id and not any(lost.job_id in r.get_job_ids() for r in registries)


def wait_for_object(endpoint: str, bucket: str, repository: Engine, timeout: float = 30) -> None:
    """Until every original the repository knows of can be read from the restarted server."""
    client = Minio(endpoint, access_key=S3_ACCESS_KEY, secret_key=S3_SECRET_KEY, secure=False)
    deadline = time.monotonic() + timeout
    for item in items(repository):
        while True:
            try:
                client.get_object(bucket, item.original_key).read()
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)


def test_transient_storage_outage_is_retried_with_backoff(tmp_path: Path) -> None:
    """The object store goes away after submit; the page is retried and finishes once it is back."""
    folder, ports = tmp_path / "s3", s3_ports()
    folder.mkdir()
    with ExitStack() as stack:
        endpoint = stack.enter_context(s3_server(folder, ports))
        config = replace(
            Config(),
            ocr=OcrConfig(engine="none"),
            queue=QueueConfig(lease_s=30, retry_backoff_s=0.5),
            storage=StorageConfig(
                data_dir=str(tmp_path / "data"),
                backend="s3",
                s3_endpoint=endpoint,
                s3_secure=False,
                s3_access_key=S3_ACCESS_KEY,
                s3_secret_key=S3_SECRET_KEY,
            ),
        )
        storage = open_storage(config)
        services = build_services(config, storage)
        delays: list[float] = []

        def wait_and_restart(delay: float) -> None:
            delays.append(delay)
            back = stack.enter_context(s3_server(folder, ports))
            # The S3 API answers before the volume server holding the earlier objects has re-registered.
            wait_for_object(back, config.storage.s3_bucket, storage.db)

        queue = InlineQueue(lambda item: work_on_item(services, queue, item, "test-worker"), wait_and_restart)
        data = (SAMPLES / "birth_extract_clean.png").read_bytes()
        report = submit(storage, queue, [SourceDocument("scan.png", data)], "outage")
        stack.close()  # the server stops with the page on the queue
        queue.drain()

        (item,) = items(storage.db)
        assert (item.status, item.attempts, item.error) == ("needs_review", 2, "")
        assert delays == [0.5] and report.new == 1
        services.close()
