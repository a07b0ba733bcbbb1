"""Intake API benchmark: what the API itself costs per dossier, beside a bare FastAPI anchor.

    .venv/bin/python bench/api.py [--count 200]

Both servers run uvicorn on loopback in this process and receive the same multipart upload (a 350 kB
birth extract). The anchor only reads the form and answers 201; ours authenticates the key, sniffs and
checks the file (decodes the image), hashes the request, writes the dossier and the work item (SQLite),
stores the original in the folder store and queues the item (the queue is held, so no OCR runs). Then
GET /dossiers/{id} (repository read + audit row) beside an anchor GET that returns a constant. Prints
requests/s, p50 and p95 latency, and the peak RSS of the process.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from fastapi import FastAPI, File, Form, UploadFile  # noqa: E402

from digitize.config import ApiConfig, Config, StorageConfig  # noqa: E402
from storage.repository import intake  # noqa: E402
from tests.servers import asgi_server  # noqa: E402
from web.app import ApiContext, create_app  # noqa: E402
from web.guard import RateLimiter  # noqa: E402
from workers.jobs import open_storage  # noqa: E402
from workers.queue import InlineQueue  # noqa: E402

SCAN = ROOT / "sample_scans" / "birth_extract_clean.png"


def anchor_app() -> FastAPI:
    app = FastAPI()

    @app.post("/dossiers", status_code=201)
    def create(code: Annotated[str, Form()], files: Annotated[list[UploadFile], File()]) -> dict[str, str]:
        for upload in files:
            upload.file.read()
        return {"id": code}

    @app.get("/dossiers/{dossier_id}")
    def read(dossier_id: str) -> dict[str, str]:
        return {"id": dossier_id}

    return app


def timed(count: int, call: Callable[[int], requests.Response]) -> list[float]:
    call(-1)  # warm up
    latencies = []
    for i in range(count):
        started = time.perf_counter()
        response = call(i)
        latencies.append(time.perf_counter() - started)
        if response.status_code >= 300:
            raise SystemExit(f"unexpected {response.status_code}: {response.text[:200]}")
    return latencies


def report(name: str, latencies: list[float]) -> None:
    ordered = sorted(latencies)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    rate = len(latencies) / sum(latencies)
    print(
        f"{name:<34} {rate:8.1f} req/s   p50 {statistics.median(latencies) * 1000:6.1f} ms"
        f"   p95 {p95 * 1000:6.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    scan = SCAN.read_bytes()
    form = {"code": "H29-BENCH", "procedure_code": "1.001193", "agency": "UBND", "channel": "online"}
    with tempfile.TemporaryDirectory() as tmp:
        config = Config(storage=StorageConfig(data_dir=tmp), api=ApiConfig(rate_per_minute=10**9))
        storage = open_storage(config)
        held = InlineQueue(lambda _: None, time.sleep)  # queued, never drained: the API's cost only
        key = intake.create_client(storage.db, "bench", ("submit", "read")).api_key
        auth = {"Authorization": f"Bearer {key}"}
        with (
            asgi_server(anchor_app()) as anchor,
            asgi_server(create_app(ApiContext(config, storage, held, RateLimiter()))) as ours,
        ):
            ids: list[str] = []

            def submit(base: str, i: int) -> requests.Response:
                files = [("files", (f"scan{i}.png", scan + str(i).encode(), "image/png"))]
                return requests.post(f"{base}/dossiers", data=form, files=files, headers=auth, timeout=30)

            def submit_ours(i: int) -> requests.Response:
                response = submit(ours, i)
                ids.append(response.json()["id"])
                return response

            print(f"{args.count} requests each, one client, loopback; 350 kB PNG per dossier")
            report("anchor: bare FastAPI POST", timed(args.count, lambda i: submit(anchor, i)))
            report("ours: POST /dossiers", timed(args.count, submit_ours))
            report(
                "anchor: bare FastAPI GET", timed(args.count, lambda i: requests.get(f"{anchor}/dossiers/x"))
            )
            report(
                "ours: GET /dossiers/{id}",
                timed(
                    args.count, lambda i: requests.get(f"{ours}/dossiers/{ids[i]}", headers=auth, timeout=30)
                ),
            )
        storage.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (both servers and the client): {peak:.0f} MB")


if __name__ == "__main__":
    main()
