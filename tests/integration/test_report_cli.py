"""`digitize report` as a user runs it, and its HTML opened in headless Chromium with the network cut off."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storage.repository import open_repository
from tests.conftest import ROOT
from tests.servers import headless_chromium
from tests.storage.report_seed import seed

ARTIFACTS = Path(os.environ.get("SOHOA_TEST_ARTIFACTS", ROOT / "test-artifacts"))


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("report") / "data"
    data.mkdir()
    engine = open_repository(f"sqlite:///{data / 'repository.sqlite3'}")
    seed(engine)
    engine.dispose()
    return data


def report(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "report", "--from", "2026-10-01", "--to", "2026-10-31", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=data_dir.parent,
        env={"PATH": "/usr/bin:/bin", "SOHOA_STORAGE_DATA_DIR": str(data_dir)},
    )


def test_json_csv_and_table_agree(data_dir: Path) -> None:
    as_json = report(data_dir, "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    total = json.loads(as_json.stdout)["total"]
    assert (total["digitized_share"], total["e_result_share"], total["reuse_share"]) == (0.3333, 0.5, 0.3333)
    rows = {r["agency"]: r for r in csv.DictReader(io.StringIO(report(data_dir, "--format", "csv").stdout))}
    assert set(rows) == {"UBND-A", "UBND-B", "000.00.00.H00", "total"}
    assert (rows["UBND-A"]["e_result_share"], rows["total"]["dossiers_received"]) == ("0.75", "6")
    assert rows["UBND-B"]["failures_by_reason"] == "page N is only N×N pixels: 1"
    table = report(data_dir).stdout
    total_line = next(line for line in table.splitlines() if line.startswith("total"))
    assert total_line.split()[1:5] == ["6", "33.33", "%", "50.00"]


def test_a_period_that_ends_before_it_starts_is_refused(data_dir: Path) -> None:
    proc = report(data_dir, "--to", "2026-09-01")
    assert proc.returncode == 2
    assert "after it ends" in proc.stderr and "swap the dates" in proc.stderr


def test_html_report_opens_offline_with_its_charts(data_dir: Path, tmp_path: Path) -> None:
    page_file = tmp_path / "report.html"
    proc = report(data_dir, "--format", "html", "--by", "week", "--output", str(page_file))
    assert proc.returncode == 0, proc.stderr
    outside: list[str] = []
    with headless_chromium(tmp_path) as browser:
        page = browser.new_page()
        page.route("**/*", lambda route: _local_only(route, outside))
        page.goto(page_file.as_uri())
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3")
        traces = page.evaluate(
            "['shares', 'backlog', 'pages'].map(n => document.getElementById('chart-' + n).data.length)"
        )
        table = page.inner_text("#figures")
        title = page.text_content("#chart-shares .gtitle") or ""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    assert outside == []  # self-contained: nothing fetched from anywhere
    # shares: 3 panels × (UBND-A, UBND-B, total); backlog: in progress, needs review; pages: 3 agencies
    assert traces == [9, 2, 3]
    assert "UBND-A" in table and "75.00 %" in table and "33.33 %" in table
    assert title.startswith("Tỷ lệ theo tuần")  # Vietnamese drawn as such, weekly as asked


def _local_only(route: object, outside: list[str]) -> None:
    url = route.request.url  # type: ignore[attr-defined]
    if url.startswith(("file:", "data:", "blob:")):
        route.continue_()  # type: ignore[attr-defined]
    else:
        outside.append(url)
        route.abort()  # type: ignore[attr-defined]
