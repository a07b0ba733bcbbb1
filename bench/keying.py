"""Keying station benchmark: what a clerk waits for per cell, in Chromium, on generated hand-filled pages.

    .venv/bin/python bench/keying.py [PAGES]      # default 3 pages (tuning-split seeds 7, 8, …)

Generates hand-filled register pages, digitizes them with `digitize run` into a fresh repository, serves
the station on loopback and keys every cell of every page with the keyboard from the generator's truth
(Debian's Chromium driven by Playwright). Per cell it times, inside the page, from the key going down to
the next cell focused with its crop shown (what the clerk waits for), and to the decision saved as well
(saves are queued in the background; the page's last one signs the re-issued copy, and the first page
also pays the process's first queries): the station's own
time, request and render, without human typing time (the value is typed before the clock starts).
First screen: from asking for the page to the page image and the first crop shown. The anchor, in the
same browser and run: a static file fetched from the same server. Prints p50/p95 of each.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digitize.config import ApiConfig, Config, StorageConfig  # noqa: E402
from samplegen.sets import hand_register  # noqa: E402
from storage.repository import review  # noqa: E402
from tests.servers import asgi_server, headless_chromium, sign_in_page, wait_in_page  # noqa: E402
from web.app import create_app, serving  # noqa: E402

#: Set up in the page before a key is pressed: resolves with the milliseconds from that key going down
#: to the next cell focused, its crop loaded and no decision still being saved.
ARM = """() => {
  const start = document.activeElement;
  window.__cell = new Promise((resolve) => {
    let t0 = 0;
    addEventListener('keydown', () => { t0 = performance.now(); }, {capture: true, once: true});
    const zoom = document.getElementById('zoom');
    const check = () => {
      const moved = document.activeElement !== start || document.body.dataset.done === '1';
      const shown = moved && (zoom.hidden || zoom.complete);
      if (t0 && shown && !window.__shown) window.__shown = performance.now() - t0;
      if (t0 && moved && (zoom.hidden || zoom.complete) && document.body.dataset.saving === '0') {
        resolve(performance.now() - t0);
      } else { setTimeout(check, 1); }
    };
    check();
  });
}"""
ANCHOR = """async () => {
  const t0 = performance.now();
  await (await fetch('/static/keying.css', {cache: 'no-store'})).text();
  return performance.now() - t0;
}"""


def _ms(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    median = statistics.median(ordered)
    return f"p50 {median:.1f} ms, p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms (n={len(values)})"


def _typed(field: str, value: str) -> str:
    if field in ("date_of_birth", "registration_date") and len(value) == 10 and value[4] == "-":
        return f"{value[8:]}/{value[5:7]}/{value[:4]}"
    return value


def _key_page(page: Any, truth: list[dict[str, str]], cells: list[float], shown: list[float]) -> None:
    while page.evaluate("document.body.dataset.done !== '1'"):
        cell = page.evaluate(
            "(i => ({name: i.dataset.name, row: +i.dataset.row,"
            " pending: i.classList.contains('pending')}))(document.activeElement)"
        )
        expected = truth[max(cell["row"], 0)].get(cell["name"])
        if cell["pending"] and expected is not None:
            page.keyboard.type(_typed(cell["name"], expected))
        page.evaluate(ARM)
        page.keyboard.press("F8" if cell["pending"] and expected is None else "Enter")
        cells.append(page.evaluate("window.__cell"))
        shown.append(page.evaluate("window.__shown"))
        page.evaluate("window.__shown = 0")
        if os.environ.get("DEBUG_KEYING"):
            print(cell, f"shown {shown[-1]:.0f} ms, saved {cells[-1]:.0f} ms")


def main(pages: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="sohoa-keying-"))
    truths = {}
    for seed in range(7, 7 + pages):
        path, truth = hand_register(work / "scans", seed)
        truths[path.name] = truth["records"]
    env = {**os.environ, "SOHOA_STORAGE_DATA_DIR": str(work / "data")}
    subprocess.run([str(ROOT / ".venv/bin/digitize"), "run", str(work / "scans")], env=env, check=False)
    config = replace(
        Config(), storage=StorageConfig(data_dir=str(work / "data")), api=ApiConfig(secure_cookies=False)
    )
    first: list[float] = []
    cells: list[float] = []
    shown: list[float] = []
    pages: list[tuple[int, int]] = []  # where each page's cells start and end in `cells`
    anchor: list[float] = []
    with (
        serving(config) as context,
        asgi_server(create_app(context)) as url,
        headless_chromium(work) as browser,
    ):
        review.add_staff(context.storage.db, "bench", "benchmark-password", "reviewer")
        page = browser.new_page()
        sign_in_page(page, url, "bench", "benchmark-password")
        for entry in review.review_queue(context.storage.db):
            started = time.perf_counter()
            page.goto(f"{url}/review/documents/{entry.document_id}/key")
            wait_in_page(page, "(p => p.complete && p.naturalWidth > 0)(document.getElementById('page'))"
                         " && document.getElementById('zoom').complete")  # fmt: skip
            first.append((time.perf_counter() - started) * 1000)
            anchor.extend(page.evaluate(ANCHOR) for _ in range(20))
            start = len(cells)
            _key_page(page, truths[entry.source_name], cells, shown)
            pages.append((start, len(cells)))
    print(f"pages keyed: {len(first)}, cells: {len(cells)}")
    print(f"anchor: a static file from the same server, fetched in the page:  {_ms(anchor)}")
    print(f"ours: per cell, key down to the next cell shown with its crop: {_ms(shown)}")
    print(f"ours: per cell, key down to that and the decision saved:       {_ms(cells)}")
    steady = [c for a, b in pages[1:] for c in cells[a : b - 1]]
    print(f"  the same after the first page, its last cell apart:           {_ms(steady)}")
    last = [cells[b - 1] for _, b in pages]
    print(f"  a page's last cell (its e-result signed again):               {_ms(last)}")
    print(f"ours: first screen (page asked → page image and first crop):   {_ms(first)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
