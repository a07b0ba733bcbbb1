"""What the CLI shows people: progress while a batch runs, the empty-folder refusal, the serve banner."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from cli.console import Progress
from cli.main import REPORT_FORMATS, exit_code_for, parser
from cli.report_render import RENDERERS
from cli.serve import ready_message
from digitize.errors import ConfigError, InputError, RateLimitedError


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_prints_one_plain_line_per_document_when_not_a_terminal() -> None:
    out = io.StringIO()
    progress = Progress(3, out)
    progress.done("a.png", 2, "birth_registration, 1 to review")
    progress.failed(InputError("the image is damaged", fix="rescan", source="b.jpg"))
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("1/3 documents · 2 pages · ") and "pages/min · ETA " in lines[0]
    assert lines[0].endswith("a.png: birth_registration, 1 to review")
    assert lines[1].startswith("2/3 documents · 2 pages") and lines[1].endswith("b.jpg: failed")
    assert "\r" not in out.getvalue()


def test_progress_redraws_one_line_with_a_bar_on_a_terminal() -> None:
    out = _Terminal()
    progress = Progress(2, out)
    progress.done("a.png", 1, "done")
    progress.done("b.png", 1, "done")
    text = out.getvalue()
    assert text.count("\r\033[K") == 2 and text.endswith("\n") and text.count("\n") == 1
    assert "[" + "#" * 30 + "] 2/2 documents" in text and "ETA" not in text.split("\r")[-1]


def test_a_folder_without_supported_files_says_so_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a scan")
    proc = subprocess.run(
        [sys.executable, "-m", "cli.main", "run", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "SOHOA_STORAGE_DATA_DIR": str(tmp_path / "d")},
    )
    assert proc.returncode == 1
    assert "no supported file found" in proc.stderr and str(tmp_path) in proc.stderr
    assert not (tmp_path / "d" / "repository.sqlite3").exists()  # nothing was started


def test_errors_become_the_exit_code_their_class_carries(capsys: object) -> None:
    assert exit_code_for(ConfigError("bad key")) == 2
    assert exit_code_for(InputError("bad file")) == 1
    assert exit_code_for(RateLimitedError("slow down")) == 1
    assert exit_code_for(ValueError("a bug")) == 1


def test_serve_says_where_it_listens() -> None:
    text = ready_message("0.0.0.0", 8080)
    assert "http://0.0.0.0:8080" in text and "/login" in text and "/docs" in text
    assert "http://[::1]:9000/health" in ready_message("::1", 9000)


def test_the_parser_offers_every_report_format_there_is() -> None:
    assert set(REPORT_FORMATS) == set(RENDERERS)
    args = parser().parse_args(["report", "--format", "html", "--by", "week"])
    assert args.command == "report" and args.format == "html"
