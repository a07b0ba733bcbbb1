"""Indicator report benchmark: a province-month of dossiers, our report beside a hand-written SQL anchor.

    .venv/bin/python bench/report.py [--dossiers 50000] [--database-url URL]

Seeds one month of dossiers (two components and, for most, a result each; some reuse lookups, some
failures) into a fresh SQLite file (or the PostgreSQL database given), then times
- the anchor: one SQL statement a DBA would write for the three shares per agency (received, with an
  e-result, reusing by lookup), with no series, no failures and no "as of" rules;
- ours: `load_facts` + `build_report` (figures per agency, shares per week, 31 days of pages and backlog)
  and the HTML rendering.
Seeding and each side run in fresh processes (Linux carries a parent's peak RSS into a forked
child). Prints seconds and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, insert, text  # noqa: E402

from storage.repository import open_repository  # noqa: E402
from storage.repository.models import AuditEntry, Document, Dossier, IntakeClient, WorkItem  # noqa: E402

AGENCIES = [f"UBND xã {i:02d}" for i in range(30)]
START = datetime(2026, 9, 30, 17, 0, tzinfo=UTC)  # 1 October 2026, 00:00 Vietnam time

ANCHOR_SQL = """
select d.agency, count(*),
  sum(case when d.id in (select w.dossier_id from work_items w join documents x on x.id = w.document_id
                         where w.role = 'result' and x.signed_key is not null) then 1 else 0 end),
  sum(case when d.code in (select {code} from audit_log a where a.action = 'reuse') then 1 else 0 end)
from dossiers d where d.received_at >= :start and d.received_at < :end group by d.agency
"""


def seed(engine: Engine, count: int) -> None:
    rng = random.Random(766)
    dossiers, items, documents, audits = [], [], [], []
    for n in range(count):
        received = START + timedelta(seconds=rng.uniform(0, 31 * 86400))
        dossier_id = f"00000000-0000-4000-8000-{n:012d}"
        dossiers.append(_dossier(dossier_id, n, rng.choice(AGENCIES), received))
        for k, role in enumerate(("component", "component", "result")):
            if role == "result" and rng.random() < 0.2:
                continue
            finished = received + timedelta(hours=rng.uniform(0.1, 72))
            failed = rng.random() < 0.02
            doc_id = len(documents) + 1
            if not failed:
                documents.append(_document(doc_id, dossier_id, finished, rng))
            items.append(_item(len(items) + 1, dossier_id, k, role, received, finished, failed, doc_id))
        if rng.random() < 0.8:
            audits.append(_lookup(f"H-{n}", received))
    with engine.begin() as connection:
        connection.execute(insert(IntakeClient), [_client()])
        for model, rows in (
            (Dossier, dossiers),
            (Document, documents),
            (WorkItem, items),
            (AuditEntry, audits),
        ):
            for i in range(0, len(rows), 5000):
                connection.execute(insert(model), rows[i : i + 5000])


def _client() -> dict[str, object]:
    return {
        "id": 1,
        "name": "portal",
        "key_prefix": "p",
        "key_hash": "h",
        "scopes": [],
        "webhook_secret": "s",
    }


def _dossier(dossier_id: str, n: int, agency: str, received: datetime) -> dict[str, object]:
    return {
        "id": dossier_id,
        "client_id": 1,
        "request_hash": "h",
        "code": f"H-{n}",
        "procedure_code": "1.001193",
        "agency": agency,
        "channel": "online",
        "status": "done",
        "received_at": received,
        "updated_at": received,
    }


def _document(doc_id: int, dossier_id: str, at: datetime, rng: random.Random) -> dict[str, object]:
    return {
        "id": doc_id,
        "sha256": f"{doc_id:064x}",
        "source_name": "scan.png",
        "agency": "000.00.00.H00",
        "batch": f"dossier-{dossier_id}",
        "document_type": "birth_extract",
        "page_count": rng.choice((1, 1, 2, 3)),
        "original_key": "k",
        "signed_key": "k",
        "result_key": "k",
        "signature_valid": True,
        "status": "needs_review" if rng.random() < 0.1 else "done",
        "meta": {},
        "errors": {},
        "created_at": at,
    }


def _item(
    item_id: int,
    dossier_id: str,
    k: int,
    role: str,
    queued: datetime,
    finished: datetime,
    failed: bool,
    doc_id: int,
) -> dict[str, object]:
    return {
        "id": item_id,
        "batch": f"dossier-{dossier_id}",
        "agency": "000.00.00.H00",
        "source_name": f"d{k}.png",
        "original_key": "k",
        "sha256": f"{item_id:064x}",
        "status": "failed" if failed else "done",
        "attempts": 1,
        "dossier_id": dossier_id,
        "role": role,
        "error": "",
        "failure_reason": "the image is damaged or truncated" if failed else None,
        "document_id": None if failed else doc_id,
        "queued_at": queued,
        "finished_at": finished,
    }


def _lookup(code: str, at: datetime) -> dict[str, object]:
    detail = {"found": True, "dossier_code": code}
    return {
        "at": at,
        "actor": "portal",
        "action": "reuse",
        "entity": "person",
        "entity_id": "x",
        "detail": detail,
    }


def measure(url: str, which: str) -> dict[str, float]:
    """Run one side in this process (called in a child): seconds and peak RSS."""
    import resource

    engine = open_repository(url)
    started = time.perf_counter()
    if which == "anchor":
        code = (
            "json_extract(a.detail, '$.dossier_code')"
            if url.startswith("sqlite")
            else "a.detail->>'dossier_code'"
        )
        with engine.connect() as connection:
            rows = connection.execute(
                text(ANCHOR_SQL.format(code=code)), {"start": START, "end": START + timedelta(days=31)}
            ).all()
        size = len(rows)
    else:
        from cli.report_render import as_html
        from digitize.indicators import build_report, window_for
        from storage.repository.reports import load_facts

        facts = load_facts(engine, window_for(date(2026, 10, 1), date(2026, 10, 31)))
        loaded = time.perf_counter()
        report = build_report(facts, "week", datetime(2026, 11, 23, tzinfo=UTC))
        built = time.perf_counter()
        size = len(as_html(report))
        html_s = time.perf_counter() - built
        print(f"   load {loaded - started:.2f} s, figures {built - loaded:.2f} s, html {html_s:.2f} s")
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "size": size,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=50_000)
    parser.add_argument("--database-url", help="an empty database (default: a fresh SQLite file)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--seed-only", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(*args.child)))
        return
    if args.seed_only:  # in a child, so the measured processes do not inherit its peak RSS
        seed(open_repository(args.seed_only), args.dossiers)
        return
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'r.sqlite3'}"
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--seed-only", url, "--dossiers", str(args.dossiers)], check=True
        )
        seeded = time.perf_counter() - started
        print(f"seeded {args.dossiers:,} dossiers of one month in {seeded:.1f} s ({url.split(':')[0]})")
        for which in ("anchor", "ours"):
            out = subprocess.run(
                [sys.executable, __file__, "--child", url, which], capture_output=True, text=True, check=True
            ).stdout.splitlines()
            figures = json.loads(out[-1])
            for line in out[:-1]:
                print(line)
            print(f"{which:>7}: {figures['seconds']:.2f} s, peak RSS {figures['rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
