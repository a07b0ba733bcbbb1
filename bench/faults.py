"""Fault benchmark: a batch on the real stack (Redis with its append-only file, PostgreSQL, an S3 server, two
`digitize worker` processes, Tesseract) under each fault the issue names, beside a run without faults.

    .venv/bin/python bench/faults.py [--pages 40] [--only none,kill,redis,redis-empty,postgres]

Prints per scenario: pages/min of the whole batch, recovery time (kill: from each kill -9 to that page
finished; outages: from the server's return to the next page finished), pages lost, documents saved twice,
processes left behind by killed workers, and jobs RQ filed as failed. Defaults as shipped (lease 30 s).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from redis import Redis
from rq import Queue
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.distributed import real_pages, stack_env  # noqa: E402
from digitize.config import load_config  # noqa: E402
from storage.repository.models import AuditEntry, WorkItem  # noqa: E402
from storage.repository.work import as_utc  # noqa: E402
from tests.servers import (  # noqa: E402
    RestartableRedis,
    alive,
    child_pids,
    pg_start,
    pg_stop,
    postgres_server,
    s3_server,
)
from workers.batches import submit  # noqa: E402
from workers.jobs import open_storage  # noqa: E402
from workers.queue import RqQueue  # noqa: E402

FINISHED = ("done", "needs_review", "failed")


@dataclass
class Outcome:
    name: str
    pages_per_min: float
    recovery_s: list[float]
    lost: int
    saved_twice: int
    orphans: int
    rq_failed: int


class Stack:
    def __init__(self, folder: Path, stack: ExitStack) -> None:
        self.folder = folder
        self.pg_folder = folder / "pg"
        self.database_url = stack.enter_context(postgres_server(self.pg_folder))
        self.pg_port = int(self.database_url.rsplit(":", 1)[1].split("/")[0])
        (folder / "s3").mkdir()
        self.s3 = stack.enter_context(s3_server(folder / "s3"))

    def env(self, redis: RestartableRedis, name: str) -> dict[str, str]:
        env = stack_env(
            f"redis://127.0.0.1:{redis.port}/0", self.database_url, self.s3, self.folder / name, "tesseract"
        )
        return env | {"OMP_THREAD_LIMIT": "1"}


def worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "cli.main", "worker"],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stderr=subprocess.DEVNULL,
    )


def batch_items(engine: object, batch: str) -> list[WorkItem]:
    with Session(engine) as session:  # type: ignore[arg-type]
        return list(session.scalars(select(WorkItem).where(WorkItem.batch == batch)))


def until(condition: Callable[[], bool], timeout: float = 900) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise SystemExit("timed out: the batch did not finish")
        time.sleep(0.2)
    return time.monotonic()


def scenario(
    stack: Stack, name: str, pages: int, fault: Callable[..., list[float]], appendonly: bool = True
) -> Outcome:
    redis = RestartableRedis(stack.folder / f"redis-{name}", appendonly)
    redis.start()
    env = stack.env(redis, f"data-{name}")
    config = load_config(environ=env)
    storage = open_storage(config)
    batch = f"faults-{name}"
    submit(storage, RqQueue(config.queue), real_pages(pages, variant=hash(name) % 1000), batch)
    engine = create_engine(stack.database_url, pool_pre_ping=True)
    procs = [worker(env), worker(env)]
    left_behind: list[int] = []
    try:
        recovery = fault(
            engine=engine, batch=batch, procs=procs, env=env, redis=redis, stack=stack, orphans=left_behind
        )
        until(lambda: all(i.status in FINISHED for i in batch_items(engine, batch)))
    finally:
        for proc in procs:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
    items = batch_items(engine, batch)
    firsts = [as_utc(i.started_at) for i in items if i.started_at]
    lasts = [as_utc(i.finished_at) for i in items if i.finished_at]
    span = (max(lasts) - min(firsts)).total_seconds()
    with Session(engine) as session:
        saves = session.scalar(
            select(func.count()).where(
                AuditEntry.action == "digitized",
                AuditEntry.detail["source"].as_string().like(f"page-{hash(name) % 1000}-%"),
            )
        )
    failed = len(
        Queue(config.queue.queue, connection=Redis(port=redis.port)).failed_job_registry.get_job_ids()
    )
    redis.stop()
    storage.close()
    engine.dispose()
    lost = sum(1 for i in items if i.status == "failed")
    return Outcome(
        name,
        len(items) / span * 60,
        recovery,
        lost,
        int(saves or 0) - len(items),
        sum(map(alive, left_behind)),
        failed,
    )


def no_fault(**_: object) -> list[float]:
    return []


def kill_nine(
    engine: object,
    batch: str,
    procs: list[subprocess.Popen[bytes]],
    env: dict[str, str],
    orphans: list[int],
    **_: object,
) -> list[float]:
    """8 × kill -9 of the worker holding a page that started less than a second ago (mid-page: a page takes
    longer); a new worker is started at once, as the compose file's restart policy would."""
    rng = random.Random(22)
    kills: list[tuple[int, float]] = []
    while len(kills) < 8:
        now = datetime.now(UTC)
        fresh = [
            i
            for i in batch_items(engine, batch)
            if i.status == "processing"
            and i.started_at
            and (now - as_utc(i.started_at)).total_seconds() < 1.0
            and i.lease_owner
        ]
        if not fresh:
            if all(i.status in FINISHED for i in batch_items(engine, batch)):
                break
            time.sleep(0.05)
            continue
        victim = rng.choice(fresh)
        pid = int(str(victim.lease_owner).split(":")[1])
        proc = next((p for p in procs if p.pid == pid), None)
        if proc is None or proc.poll() is not None:
            continue
        orphans.extend(child_pids(pid))
        os.kill(pid, signal.SIGKILL)
        proc.wait(10)
        kills.append((victim.id, time.time()))
        procs.append(worker(env))
        time.sleep(rng.uniform(1, 3))
    until(lambda: all(i.status in FINISHED for i in batch_items(engine, batch)))
    done = {i.id: as_utc(i.finished_at).timestamp() for i in batch_items(engine, batch) if i.finished_at}
    return [done[item] - killed for item, killed in kills]


def outage(stop: Callable[..., None], start: Callable[..., None]) -> Callable[..., list[float]]:
    def fault(engine: object, batch: str, **servers: object) -> list[float]:
        until(lambda: any(i.status in FINISHED for i in batch_items(engine, batch)))
        stop(**servers)
        time.sleep(15)
        start(**servers)
        back = time.time()
        seen = {i.id for i in batch_items(engine, batch) if i.status in FINISHED}
        until(lambda: any(i.status in FINISHED and i.id not in seen for i in batch_items(engine, batch)))
        return [time.time() - back]

    return fault


def _redis_stop(redis: RestartableRedis, **_: object) -> None:
    redis.stop()


def _redis_start(redis: RestartableRedis, **_: object) -> None:
    redis.start()


def _pg_stop(stack: Stack, **_: object) -> None:
    pg_stop(stack.pg_folder)


def _pg_start(stack: Stack, **_: object) -> None:
    pg_start(stack.pg_folder, stack.pg_port)


SCENARIOS: dict[str, tuple[Callable[..., list[float]], bool]] = {
    "none": (no_fault, True),
    "kill": (kill_nine, True),
    "redis": (outage(_redis_stop, _redis_start), True),
    "redis-empty": (outage(_redis_stop, _redis_start), False),
    "postgres": (outage(_pg_stop, _pg_start), True),
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--only", default=",".join(SCENARIOS), help="comma-separated scenarios")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sohoa-faults-") as tmp, ExitStack() as stack:
        os.chmod(tmp, 0o755)
        servers = Stack(Path(tmp), stack)
        print(f"{args.pages} real pages, 2 workers, {os.cpu_count()} cores; lease 30 s (default)\n")
        print(
            f"{'scenario':<13}{'pages/min':>10}{'recovery s (max)':>18}{'lost':>6}{'twice':>7}"
            f"{'orphans':>9}{'rq failed':>11}"
        )
        for name in args.only.split(","):
            fault, appendonly = SCENARIOS[name]
            out = scenario(servers, name, args.pages, fault, appendonly)
            worst = f"{max(out.recovery_s):.0f}" if out.recovery_s else "-"
            shown = f"{worst} ({len(out.recovery_s)})" if out.recovery_s else "-"
            print(
                f"{out.name:<13}{out.pages_per_min:>10.1f}{shown:>18}{out.lost:>6}{out.saved_twice:>7}{out.orphans:>9}{out.rq_failed:>11}",
                flush=True,
            )


if __name__ == "__main__":
    main()
