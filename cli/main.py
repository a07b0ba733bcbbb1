"""The `digitize` command: arguments, dispatch, and the CLI's one mapping of the error tree to exit codes.

Exit status: 0 every document done (some fields may need review), 1 some documents failed (the others
done) or nothing to do, 2 bad usage or configuration (nothing processed). A command module is imported only
when its command runs, so `digitize --help` and the first page of `digitize run` start quickly.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from digitize.errors import as_sohoa_error

if TYPE_CHECKING:
    from typing import TypeAlias

    from digitize.config import Config

    Sub: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

#: command → (module, handler); each handler takes (args, config) and returns the exit status.
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("cli.documents", "run_command"),
    "verify": ("cli.documents", "verify_command"),
    "submit": ("cli.queue", "submit_command"),
    "worker": ("cli.queue", "worker_command"),
    "status": ("cli.queue", "status_command"),
    "retry": ("cli.queue", "retry_command"),
    "serve": ("cli.serve", "serve_command"),
    "keys": ("cli.serve", "keys_command"),
    "staff": ("cli.serve", "staff_command"),
    "report": ("cli.report", "report_command"),
    "export-lines": ("cli.lines", "export_lines_command"),
    "keying": ("cli.keying", "keying_command"),
}
REPORT_FORMATS = ("table", "csv", "json", "html")
REPORT_BUCKETS = ("day", "week", "month")
SCOPES = "submit, read, reuse, review"


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        from digitize.config import load_config
        from digitize.executor import tune_process

        tune_process()
        config = load_config(args.config)
        module, name = COMMANDS[args.command]
        handler: Callable[[argparse.Namespace, Config], int] = getattr(import_module(module), name)
        return handler(args, config)
    except Exception as exc:  # a command that stops: the one place errors become exit codes
        return exit_code_for(exc)
    except KeyboardInterrupt:
        print("digitize: interrupted; what was finished is stored, run the command again for the rest")
        return 130


def exit_code_for(exc: BaseException) -> int:
    """Print the error for a person and return its exit code (read from the error tree)."""
    error = as_sohoa_error(exc)
    print(f"digitize: {error.__class__.__name__}: {error}", file=sys.stderr)
    return error.exit_code


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="digitize", description="Số hóa: scans → signed, searchable records")
    sub = top.add_subparsers(dest="command", required=True)
    _document_parsers(sub)
    _queue_parsers(sub)
    _serve_parsers(sub)
    _report_parser(sub)
    _lines_parser(sub)
    return top


def _with_config(command: argparse.ArgumentParser) -> argparse.ArgumentParser:
    command.add_argument("--config", type=Path, help="TOML configuration file (else SOHOA_* variables)")
    return command


def _document_parsers(sub: Sub) -> None:
    run = _with_config(
        sub.add_parser("run", help="process files or folders in this process (embedded default)")
    )
    run.add_argument("paths", nargs="+", type=Path)
    run.add_argument("--out", type=Path, help="also write <stem>.pdf, .txt and .json here")
    run.add_argument("--batch", default="default", help="batch name (part of object keys)")
    run.add_argument("--jobs", type=int, help="worker processes for the pages of a document")
    run.add_argument(
        "--pages-as-document", action="store_true", help="each folder of page images is one document"
    )
    verify = _with_config(sub.add_parser("verify", help="verify the signatures of a PDF"))
    verify.add_argument("file", type=Path)
    verify.add_argument(
        "--trust", type=Path, action="append", default=[], help="PEM root to trust (repeatable)"
    )
    verify.add_argument(
        "--crl", type=Path, action="append", default=[], help="CRL (DER or PEM) to check revocation against"
    )
    verify.add_argument("--json", action="store_true", help="print the report as JSON")


def _queue_parsers(sub: Sub) -> None:
    submit = _with_config(
        sub.add_parser("submit", help="upload originals and queue them (RQ when queue.redis_url is set)")
    )
    submit.add_argument("paths", nargs="+", type=Path)
    submit.add_argument("--batch", default="default", help="batch name (part of object keys)")
    submit.add_argument(
        "--split-pages", action="store_true", help="register volumes: one job per page, joined afterwards"
    )
    worker = _with_config(sub.add_parser("worker", help="run a queue worker (needs queue.redis_url)"))
    worker.add_argument("--queues", nargs="*", default=[], help="queue names (default: queue.queue)")
    worker.add_argument("--burst", action="store_true", help="stop when the queues are empty")
    worker.add_argument("--max-jobs", type=int, help="stop after this many jobs (recycle the process)")
    worker.add_argument("--log-json", action="store_true", help="log JSON lines (time, level, item, event)")
    status = _with_config(
        sub.add_parser("status", help="progress of a batch: done, failed, needing review, ETA")
    )
    status.add_argument("batch")
    status.add_argument("--json", action="store_true")
    retry = _with_config(sub.add_parser("retry", help="queue the failed (and lost) pages of a batch again"))
    retry.add_argument("batch")
    retry.add_argument(
        "--queued", action="store_true", help="also re-send queued items (after Redis data loss)"
    )


def _serve_parsers(sub: Sub) -> None:
    serve = _with_config(sub.add_parser("serve", help="run the intake API and the review station (HTTP)"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--log-json", action="store_true", help="log JSON lines (time, level, event)")
    keys = _with_config(sub.add_parser("keys", help="API keys of intake systems: add, list, revoke"))
    keys.add_argument("action", choices=("add", "list", "revoke"))
    keys.add_argument("name", nargs="?", help="intake system name (add), or name/key prefix (revoke)")
    keys.add_argument("--scopes", default="submit,read", help=f"comma-separated, from {SCOPES}")
    keys.add_argument(
        "--rate", type=int, help="requests per minute for this key (default api.rate_per_minute)"
    )
    keys.add_argument(
        "--agency", help="bind the key to this receiving agency: its dossiers may name no other (add)"
    )
    staff = _with_config(
        sub.add_parser(
            "staff", help="review-station accounts: add (password from SOHOA_STAFF_PASSWORD or a prompt)"
        )
    )
    staff.add_argument("action", choices=("add", "unlock"))
    staff.add_argument("username")
    staff.add_argument("--role", choices=("reviewer", "supervisor"), default="reviewer")
    staff.add_argument("--full-name", default="")


def _lines_parser(sub: Sub) -> None:
    lines = _with_config(
        sub.add_parser(
            "export-lines",
            help="every value a person keyed or confirmed, as a line image + text (for handwriting training)",
        )
    )
    lines.add_argument("out", type=Path, help="folder for images/*.png + *.gt.txt and lines.tsv")
    lines.add_argument("--batch", help="only this batch")
    lines.add_argument("--margin", type=int, default=4, help="pixels around each box (default 4)")
    keying = _with_config(
        sub.add_parser("keying", help="key a batch once (single) or twice with arbitration (double)")
    )
    keying.add_argument("batch")
    keying.add_argument("mode", choices=("single", "double"))


def _report_parser(sub: Sub) -> None:
    report = _with_config(
        sub.add_parser(
            "report", help="indicators of Decision 766 (digitized, e-result, reuse shares) for a period"
        )
    )
    report.add_argument(
        "--from", dest="start", type=_date, help="first day (Vietnam time; default: 1st of this month)"
    )
    report.add_argument("--to", dest="end", type=_date, help="last day, included (default: today)")
    report.add_argument("--agency", help="only this receiving agency")
    report.add_argument("--format", choices=REPORT_FORMATS, default="table")
    report.add_argument(
        "--by", choices=REPORT_BUCKETS, default="month", help="period of the shares over time"
    )
    report.add_argument("--output", type=Path, help="write here instead of standard output")
    report.add_argument(
        "--keying",
        action="store_true",
        help="the keying figures per clerk and batch instead (records/hour, keystrokes, disagreements)",
    )
    report.add_argument("--batch", help="with --keying: only this batch")


def _date(text: str) -> object:
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-23") from None


if __name__ == "__main__":
    raise SystemExit(main())
