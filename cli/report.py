"""`digitize report`: the Decision 766 indicators for a period, per agency and in total."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime

from cli.report_render import RENDERERS
from digitize.config import Config
from digitize.indicators import Report, build_report, local_day, period, window_for
from storage.repository.reports import load_facts
from workers.jobs import open_storage


def make_report(config: Config, start: date | None, end: date | None, agency: str | None, by: str) -> Report:
    now = datetime.now(UTC)
    first, last = period(start, end, local_day(now))
    storage = open_storage(config)
    try:
        facts = load_facts(storage.db, window_for(first, last, agency))
    finally:
        storage.close()
    return build_report(facts, by, now)


def report_command(args: argparse.Namespace, config: Config) -> int:
    if args.keying:
        from cli.keying import figures_text

        text = figures_text(config, args.batch, args.format)
    else:
        report = make_report(config, args.start, args.end, args.agency, args.by)
        text = RENDERERS[args.format](report)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output} ({len(text.encode()):,} bytes)", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
