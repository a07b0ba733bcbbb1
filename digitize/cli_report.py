"""`digitize report`: the Decision 766 indicators for a period, per agency and in total."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from digitize.config import Config
from digitize.indicators import BUCKETS, Report, build_report, local_day, period, window_for
from digitize.report_render import RENDERERS
from storage.repository.reports import load_facts
from workers.jobs import open_storage


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = sub.add_parser(
        "report", help="indicators of Decision 766 (digitized, e-result, reuse shares) for a period"
    )
    report.add_argument(
        "--from", dest="start", type=_date, help="first day (Vietnam time; default: 1st of this month)"
    )
    report.add_argument("--to", dest="end", type=_date, help="last day, included (default: today)")
    report.add_argument("--agency", help="only this receiving agency")
    report.add_argument("--format", choices=tuple(RENDERERS), default="table")
    report.add_argument("--by", choices=BUCKETS, default="month", help="period of the shares over time")
    report.add_argument("--output", type=Path, help="write here instead of standard output")
    report.add_argument("--config", type=Path)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-23") from None


def make_report(config: Config, start: date | None, end: date | None, agency: str | None, by: str) -> Report:
    now = datetime.now(UTC)
    first, last = period(start, end, local_day(now))
    storage = open_storage(config)
    try:
        facts = load_facts(storage.repository, window_for(first, last, agency))
    finally:
        storage.close()
    return build_report(facts, by, now)


def run_report(args: argparse.Namespace, config: Config) -> int:
    report = make_report(config, args.start, args.end, args.agency, args.by)
    text = RENDERERS[args.format](report)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output} ({len(text.encode()):,} bytes)", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
