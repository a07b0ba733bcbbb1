"""Benchmark of the distributed path: queue + object store + repository, on real servers on loopback.

    .venv/bin/python bench/distributed.py [--pages 5000] [--ocr-pages 16] [--only overhead|scaling]

Prints, side by side in one run:
1. Overhead per page of queue + storage + repository: N tiny pages through `digitize worker` with the
   placeholder engine (ocr.engine = "none"). Overhead = busy time per page − time inside the pipeline
   (`digitize_document`: image stages, PDF, signature), both from the repository's own timestamps; what is
   left is claiming, loading the original, storing signed copy and JSON, saving rows, and the queue.
   Anchor: plain RQ (`rq worker --burst`, forking) running the same number of empty jobs.
2. Scaling: the same real pages (Tesseract) with 1 and with 2 workers; efficiency = speed-up / 2.
Peak RSS of each worker process is read from the kernel (wait4).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from redis import Redis
from rq import Queue
from sqlalchemy import func, select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digitize.config import load_config  # noqa: E402
from digitize.model import SourceDocument  # noqa: E402
from storage.repository.models import WorkItem  # noqa: E402
from tests.servers import S3_ACCESS_KEY, S3_SECRET_KEY, postgres_server, redis_server, s3_server  # noqa: E402
from workers.batches import submit  # noqa: E402
from workers.jobs import open_storage  # noqa: E402
from workers.queue import RqQueue  # noqa: E402


@dataclass(frozen=True)
class Run:
    pages: int
    busy_s: float  # first start → last finish, from the repository
    pipeline_ms: float  # mean time inside the pipeline per page
    peak_rss_mb: float
    submit_ms: float


def stack_env(redis_url: str, database_url: str, s3: str, data_dir: Path, engine: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    return env | {
        "SOHOA_QUEUE_REDIS_URL": redis_url,
        "SOHOA_QUEUE_QUEUE": f"bench-{uuid.uuid4().hex[:6]}",
        "SOHOA_STORAGE_DATABASE_URL": database_url,
        "SOHOA_STORAGE_BACKEND": "s3",
        "SOHOA_STORAGE_S3_ENDPOINT": s3,
        "SOHOA_STORAGE_S3_SECURE": "false",
        "SOHOA_STORAGE_S3_ACCESS_KEY": S3_ACCESS_KEY,
        "SOHOA_STORAGE_S3_SECRET_KEY": S3_SECRET_KEY,
        "SOHOA_STORAGE_DATA_DIR": str(data_dir),
        "SOHOA_OCR_ENGINE": engine,
    }


def tiny_pages(count: int, seed: int) -> list[SourceDocument]:
    """Small distinct PNGs (each a different sha256): the pipeline's own work stays small."""
    rng = random.Random(seed)
    pages = []
    for i in range(count):
        image = Image.new("L", (240, 120), 255)
        image.putpixel((rng.randrange(240), rng.randrange(120)), 0)
        image.putpixel((i % 240, (i // 240) % 120), 1)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", dpi=(300, 300))
        pages.append(SourceDocument(f"tiny-{seed}-{i:05d}.png", buffer.getvalue()))
    return pages


def real_pages(count: int, variant: int) -> list[SourceDocument]:
    """Sample scans, each made distinct by one pixel so no run reuses another's results."""
    files = sorted(p for p in (ROOT / "sample_scans").glob("*.png"))
    pages = []
    for i in range(count):
        image = Image.open(files[i % len(files)]).convert("RGB")
        image.putpixel((i, variant), (254, 254, 254))
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", dpi=(300, 300))
        pages.append(SourceDocument(f"page-{variant}-{i:03d}.png", buffer.getvalue()))
    return pages


def run_batch(env: dict[str, str], pages: list[SourceDocument], workers: int) -> Run:
    config = load_config(environ=env)
    storage = open_storage(config)
    batch = f"bench-{uuid.uuid4().hex[:6]}"
    started = time.perf_counter()
    submit(storage, RqQueue(config.queue), pages, batch)
    submit_ms = (time.perf_counter() - started) * 1000 / len(pages)
    procs = [
        subprocess.Popen([sys.executable, "-m", "cli.main", "worker", "--burst"], env=env, cwd=ROOT)
        for _ in range(workers)
    ]
    peak = max(os.wait4(p.pid, 0)[2].ru_maxrss / 1024 for p in procs)
    with Session(storage.db) as session:
        first, last, mean_ms, done = session.execute(
            select(
                func.min(WorkItem.started_at),
                func.max(WorkItem.finished_at),
                func.avg(WorkItem.pipeline_ms),
                func.count(),
            ).where(WorkItem.batch == batch, WorkItem.status.in_(("done", "needs_review")))
        ).one()
    storage.close()
    if done != len(pages):
        raise SystemExit(f"only {done} of {len(pages)} pages finished in batch {batch}")
    return Run(len(pages), (last - first).total_seconds(), float(mean_ms), peak, submit_ms)


def plain_rq_anchor(redis_url: str, jobs: int) -> float:
    """Seconds per empty job for a stock forking `rq worker --burst`."""
    redis = Redis.from_url(redis_url)
    queue = Queue(f"anchor-{uuid.uuid4().hex[:6]}", connection=redis)
    for _ in range(jobs):
        queue.enqueue("os.getpid")
    rq = Path(sys.executable).parent / "rq"
    started = time.perf_counter()
    subprocess.run(
        [str(rq), "worker", "--burst", "--url", redis_url, "-q", queue.name],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return (time.perf_counter() - started) / jobs


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=5000, help="tiny pages for the overhead figure")
    parser.add_argument("--ocr-pages", type=int, default=16, help="real pages for the scaling figure")
    parser.add_argument("--only", choices=("overhead", "scaling"), help="run one part only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        folder = Path(tmp)
        (folder / "s3").mkdir()
        redis_url = stack.enter_context(redis_server(folder))
        database_url = stack.enter_context(postgres_server(folder / "pg"))
        s3 = stack.enter_context(s3_server(folder / "s3"))
        print(f"servers: redis {redis_url}, postgres, s3 {s3}; {os.cpu_count()} cores\n")
        if args.only != "scaling":
            overhead(redis_url, database_url, s3, folder, args.pages)
        if args.only != "overhead":
            scaling(redis_url, database_url, s3, folder, args.ocr_pages)


def overhead(redis_url: str, database_url: str, s3: str, folder: Path, count: int) -> None:
    env = stack_env(redis_url, database_url, s3, folder / "data", "none")
    run = run_batch(env, tiny_pages(count, seed=1), workers=1)
    per_page_ms = run.busy_s * 1000 / run.pages
    anchor_ms = plain_rq_anchor(redis_url, count) * 1000
    print(f"1. overhead, {run.pages} pages, 1 worker, placeholder OCR engine")
    print(f"   {'':38}{'ms/page':>10}")
    print(f"   {'worker busy time per page':38}{per_page_ms:>10.1f}")
    print(f"   {'  of which digitize_document':38}{run.pipeline_ms:>10.1f}")
    print(f"   {'  queue + storage + repository':38}{per_page_ms - run.pipeline_ms:>10.1f}   (target ≤ 50)")
    print(f"   {'submit (upload + row + enqueue)':38}{run.submit_ms:>10.1f}")
    print(f"   {'anchor: plain rq worker, empty job':38}{anchor_ms:>10.1f}")
    print(f"   worker peak RSS {run.peak_rss_mb:.0f} MB\n")


def scaling(redis_url: str, database_url: str, s3: str, folder: Path, count: int) -> None:
    env = stack_env(redis_url, database_url, s3, folder / "data", "tesseract")
    one = run_batch(env, real_pages(count, variant=1), workers=1)
    two = run_batch(env, real_pages(count, variant=2), workers=2)
    rate1, rate2 = one.pages / one.busy_s * 60, two.pages / two.busy_s * 60
    print(f"2. scaling, {count} real pages (Tesseract vie)")
    print(f"   {'workers':>8}{'pages/min':>12}{'s/page':>9}{'peak RSS MB':>13}")
    for n, run, rate in ((1, one, rate1), (2, two, rate2)):
        print(f"   {n:>8}{rate:>12.1f}{run.busy_s / run.pages:>9.2f}{run.peak_rss_mb:>13.0f}")
    print(
        f"   scaling efficiency {rate2 / rate1 / 2:.0%} (target ≥ 90 %); median pipeline "
        f"{statistics.median([one.pipeline_ms, two.pipeline_ms]) / 1000:.2f} s/page"
    )


if __name__ == "__main__":
    main()
