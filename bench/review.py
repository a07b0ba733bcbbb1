"""Review station benchmark: what a clerk waits for, on a repository made by `digitize run sample_scans/`.

    .venv/bin/python bench/review.py DATA_DIR      # a copy: the reviews are written into it
    .venv/bin/python bench/review.py --keying 4    # the keying station in Chromium (bench/keying.py)

Serves the app on loopback, signs in, and for every document in the queue times the page, every crop on
it, and one decision per field waiting (Enter on each), as the browser would send them; then the anchor:
a static file of the same size from a bare Starlette app. Prints p50/p95 per kind and the time per
document without human thinking time.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from starlette.applications import Starlette  # noqa: E402
from starlette.responses import Response  # noqa: E402
from starlette.routing import Route  # noqa: E402

from digitize.config import ApiConfig, Config, StorageConfig  # noqa: E402
from storage.repository import review  # noqa: E402
from tests.servers import asgi_server  # noqa: E402
from web.app import create_app, serving  # noqa: E402


def _ms(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"p50 {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms (n={len(values)})"


def _timed(call: object) -> tuple[float, requests.Response]:
    started = time.perf_counter()
    response = call()  # type: ignore[operator]
    return time.perf_counter() - started, response


def main(data_dir: Path) -> None:
    config = replace(
        Config(), storage=StorageConfig(data_dir=str(data_dir)), api=ApiConfig(secure_cookies=False)
    )
    timings: dict[str, list[float]] = {"page": [], "crop": [], "decision": [], "document": []}
    with serving(config) as context, asgi_server(create_app(context)) as url:
        name = f"bench{time.monotonic_ns()}"
        review.add_staff(context.storage.db, name, "benchmark-password", "reviewer")
        web = requests.Session()
        web.post(f"{url}/login", data={"username": name, "password": "benchmark-password"}, timeout=10)
        queue = re.findall(r'href="/review/documents/(\d+)"', web.get(f"{url}/review", timeout=10).text)
        for doc_id in queue:
            started = time.perf_counter()
            seconds, page = _timed(lambda d=doc_id: web.get(f"{url}/review/documents/{d}", timeout=30))
            timings["page"].append(seconds)
            for src in re.findall(r'class="crop"[^>]*src="([^"]+)"', page.text):
                timings["crop"].append(
                    _timed(lambda s=src: web.get(url + s.replace("&amp;", "&"), timeout=30))[0]
                )
            for field_id in re.findall(r'class="field pending[^"]*" data-field="(\d+)"', page.text):
                body = {"decisions": [{"field_id": int(field_id), "action": "accept"}]}
                timings["decision"].append(
                    _timed(
                        lambda b=body, d=doc_id: web.post(
                            f"{url}/review/documents/{d}/decisions",
                            json=b,
                            headers={"X-Sohoa-Review": "1"},
                            timeout=60,
                        )
                    )[0]
                )
            timings["document"].append(time.perf_counter() - started)
        crop_size = len(web.get(url + src.replace("&amp;", "&"), timeout=30).content) if queue else 1000
    anchor = Starlette(
        routes=[Route("/x.png", lambda _r: Response(b"\0" * crop_size, media_type="image/png"))]
    )
    with asgi_server(anchor) as anchor_url:
        static = [_timed(lambda: requests.get(f"{anchor_url}/x.png", timeout=10))[0] for _ in range(200)]
    print(f"documents reviewed: {len(queue)}")
    print(f"anchor: static {crop_size:,}-byte file from bare Starlette: {_ms(static)}")
    for kind in ("page", "crop", "decision"):
        print(f"ours: {kind:<9} {_ms(timings[kind])}")
    print(
        f"ours: every crop and every decision of one document, no thinking time: {_ms(timings['document'])}"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--keying"]:
        import runpy

        sys.argv = [str(ROOT / "bench" / "keying.py"), *sys.argv[2:]]
        runpy.run_path(sys.argv[0], run_name="__main__")
    else:
        main(Path(sys.argv[1]))
