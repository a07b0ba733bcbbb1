"""The CLI's contract for bad and hostile pages: a clear per-file line, and the batch goes on."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from PIL import Image

from tests.conftest import SAMPLES


def _png(path: Path, size: tuple[int, int], colour: str) -> None:
    buffer = io.BytesIO()
    Image.new("L", size, colour).save(buffer, format="PNG", dpi=(300, 300))
    path.write_bytes(buffer.getvalue())


def test_blank_black_and_tiny_pages_fail_alone(tmp_path: Path) -> None:
    _png(tmp_path / "blank.png", (1200, 1600), "white")
    _png(tmp_path / "black.png", (1200, 1600), "black")
    _png(tmp_path / "dot.png", (1, 1), "white")
    good = tmp_path / "good.png"
    good.write_bytes((SAMPLES / "birth_extract_200dpi.png").read_bytes())
    proc = subprocess.run(
        [sys.executable, "-m", "cli.main", "run", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "SOHOA_STORAGE_DATA_DIR": str(tmp_path / "d"), "OMP_THREAD_LIMIT": "1"},
    )
    assert proc.returncode == 1, proc.stderr
    failed = {
        line.split(":")[0].removeprefix("FAILED ") for line in proc.stderr.splitlines() if "FAILED" in line
    }
    assert failed == {"blank.png", "black.png", "dot.png"}, proc.stderr
    assert "no text was found" in proc.stderr
    assert "1 done, 3 failed" in proc.stdout


def test_bad_configuration_is_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[ocr]\nlanguag = 'vie'\n")
    proc = subprocess.run(
        [sys.executable, "-m", "cli.main", "run", str(SAMPLES), "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "unknown key(s) ['languag'] in [ocr]" in proc.stderr
