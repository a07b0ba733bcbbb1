"""`digitize keying BATCH single|double`: key a batch once, or twice with arbitration; and the keying
figures `digitize report --keying` prints (per clerk and batch: records an hour, keystrokes a field,
how often two keyings differed, how often the arbiter took the other value)."""

from __future__ import annotations

import argparse
import csv
import html
import io
import json
from dataclasses import asdict

from digitize.config import Config
from digitize.errors import EXIT_OK
from storage.repository.passes import ClerkFigures, keying_figures, set_mode
from workers.jobs import open_storage


def keying_command(args: argparse.Namespace, config: Config) -> int:
    storage = open_storage(config)
    try:
        set_mode(storage.db, args.batch, args.mode, "digitize keying")
    finally:
        storage.close()
    kept = "two clerks key every field; differences go to a third" if args.mode == "double" else "one clerk"
    print(f"batch {args.batch}: keyed {args.mode} ({kept})")
    return EXIT_OK


HEADINGS = (
    ("clerk", "clerk"),
    ("batch", "batch"),
    ("fields", "fields"),
    ("records", "records"),
    ("hours", "hours"),
    ("records/h", "records_per_hour"),
    ("keys/field", "keystrokes_per_field"),
    ("compared", "compared"),
    ("differed", "disagreed"),
    ("rate", "disagreement_rate"),
    ("overruled", "overruled"),
)


def figures_text(config: Config, batch: str | None, form: str) -> str:
    storage = open_storage(config)
    try:
        rows = keying_figures(storage.db, batch)
    finally:
        storage.close()
    return {"json": _json, "csv": _csv, "html": _html}.get(form, _table)(rows)


def _values(row: ClerkFigures) -> list[object]:
    named = asdict(row) | {"disagreement_rate": row.disagreement_rate}
    named["clerk"] = "(all)" if row.clerk == "*" else row.clerk
    named["batch"] = row.batch or "(all)"
    return [named[key] for _, key in HEADINGS]


def _cell(value: object) -> str:
    if value is None:
        return "-"
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def _table(rows: list[ClerkFigures]) -> str:
    lines = [[h for h, _ in HEADINGS], *[[_cell(v) for v in _values(r)] for r in rows]]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADINGS))]
    text = "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines
    )
    return f"Keying figures (clerk '(all)': the batch; batch '(all)': everything)\n{text}\n"


def _csv(rows: list[ClerkFigures]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([key for _, key in HEADINGS])
    writer.writerows(_values(r) for r in rows)
    return out.getvalue()


def _json(rows: list[ClerkFigures]) -> str:
    keys = [key for _, key in HEADINGS]
    return (
        json.dumps([dict(zip(keys, _values(r), strict=True)) for r in rows], ensure_ascii=False, indent=1)
        + "\n"
    )


def _html(rows: list[ClerkFigures]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h, _ in HEADINGS)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in _values(r)) + "</tr>" for r in rows
    )
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Keying figures</title></head>'
        f"<body><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></body></html>\n"
    )
