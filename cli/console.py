"""What the CLI prints for people: failure lines, tables, and progress while a batch runs.

Progress goes to standard error: on a terminal one line redrawn in place (a bar, pages done, pages/min and
ETA); otherwise one plain line per document, so logs of unattended runs stay readable.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from digitize.errors import SohoaError


def fail(error: SohoaError) -> int:
    """Print one failure line naming the file and the fix; returns 1 (to count failures)."""
    print(f"FAILED {error}", file=sys.stderr)
    return 1


def print_table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


def bar(done: int, total: int, width: int = 30) -> str:
    filled = round(width * done / total) if total else 0
    return "#" * filled + "-" * (width - filled)


class Progress:
    """Documents done out of a known total, pages done, pages per minute and an ETA from the rate so far."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self._started = time.monotonic()
        self.documents = 0
        self.pages = 0

    def done(self, name: str, pages: int, note: str) -> None:
        self.documents += 1
        self.pages += pages
        self._show(f"{name}: {note}")

    def failed(self, error: SohoaError) -> None:
        """A failure line of its own (never overwritten), then the progress line again."""
        self.documents += 1
        if self.live:
            self.stream.write("\r\033[K")
        fail(error)
        self._show(f"{error.source or 'a document'}: failed")

    def _show(self, what: str) -> None:
        line = self.line(what)
        if self.live:
            self.stream.write("\r\033[K" + line + ("\n" if self.documents >= self.total else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def line(self, what: str) -> str:
        elapsed = max(time.monotonic() - self._started, 1e-6)
        left = self.total - self.documents
        eta = f" · ETA {duration(elapsed / self.documents * left)}" if left and self.documents else ""
        head = f"[{bar(self.documents, self.total)}] " if self.live else ""
        return (
            f"{head}{self.documents}/{self.total} documents · {self.pages} pages · "
            f"{self.pages * 60 / elapsed:.1f} pages/min{eta} · {what}"
        )
