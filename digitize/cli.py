"""The `digitize` command. The only place that turns errors into exit codes and prints for people.

Exit status: 0 every document done (some fields may need review), 1 some documents failed (the others
done), 2 bad usage or configuration (nothing processed).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from PIL import Image

from digitize.config import Config, load_config
from digitize.errors import ConfigError, InputError, ProcessingError, RequestError, SohoaError
from digitize.executor import tune_process
from digitize.model import FieldStatus, SourceDocument
from digitize.results import ocr_text, result_json
from digitize.stages.load import SUPPORTED_SUFFIXES
from workers.jobs import JobOutcome, build_services, ingest, process_document

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
QUEUE_COMMANDS = ("submit", "worker", "status", "retry")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digitize", description="Số hóa: scans → signed, searchable records"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="process files or folders in this process (embedded default)")
    run.add_argument("paths", nargs="+", type=Path)
    run.add_argument("--out", type=Path, help="also write <stem>.pdf, .txt and .json here")
    run.add_argument("--config", type=Path, help="TOML configuration file")
    run.add_argument("--batch", default="default", help="batch name (part of object keys)")
    run.add_argument("--jobs", type=int, help="worker processes for the pages of a document")
    run.add_argument(
        "--pages-as-document", action="store_true", help="each folder of page images is one document"
    )
    submit = sub.add_parser("submit", help="upload originals and queue them (RQ when queue.redis_url is set)")
    submit.add_argument("paths", nargs="+", type=Path)
    submit.add_argument("--batch", default="default", help="batch name (part of object keys)")
    submit.add_argument(
        "--split-pages", action="store_true", help="register volumes: one job per page, joined afterwards"
    )
    submit.add_argument("--config", type=Path)
    worker = sub.add_parser("worker", help="run a queue worker (needs queue.redis_url)")
    worker.add_argument("--queues", nargs="*", default=[], help="queue names (default: queue.queue)")
    worker.add_argument("--burst", action="store_true", help="stop when the queues are empty")
    worker.add_argument("--max-jobs", type=int, help="stop after this many jobs (recycle the process)")
    worker.add_argument("--config", type=Path)
    status = sub.add_parser("status", help="progress of a batch: done, failed, needing review, ETA")
    status.add_argument("batch")
    status.add_argument("--json", action="store_true")
    status.add_argument("--config", type=Path)
    retry = sub.add_parser("retry", help="queue the failed (and lost) pages of a batch again")
    retry.add_argument("batch")
    retry.add_argument(
        "--queued", action="store_true", help="also re-send queued items (after Redis data loss)"
    )
    retry.add_argument("--config", type=Path)
    verify = sub.add_parser("verify", help="verify the signatures of a PDF")
    verify.add_argument("file", type=Path)
    verify.add_argument(
        "--trust", type=Path, action="append", default=[], help="PEM root to trust (repeatable)"
    )
    verify.add_argument(
        "--crl", type=Path, action="append", default=[], help="CRL (DER or PEM) to check revocation against"
    )
    verify.add_argument("--config", type=Path)
    verify.add_argument("--json", action="store_true", help="print the report as JSON")
    from digitize import cli_api, cli_report

    cli_api.add_parsers(sub)
    cli_report.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    tune_process()
    try:
        config = load_config(args.config)
        if args.command == "verify":
            return _verify(args, config)
        if args.command in ("serve", "keys", "staff"):
            from digitize.cli_api import API_HANDLERS

            return API_HANDLERS[args.command](args, config)
        if args.command == "report":
            from digitize.cli_report import run_report

            return run_report(args, config)
        if args.command in QUEUE_COMMANDS:
            from digitize.cli_queue import QUEUE_HANDLERS

            return QUEUE_HANDLERS[args.command](args, config)
        if args.jobs:
            config = replace(config, ocr=replace(config.ocr, jobs=args.jobs))
        return _run(args, config)
    except ConfigError as exc:
        print(f"digitize: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except RequestError as exc:
        print(f"digitize: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SohoaError as exc:
        print(f"digitize: cannot start: {exc}", file=sys.stderr)
        return EXIT_USAGE


def collect_sources(paths: Sequence[Path], pages_as_document: bool) -> Iterator[SourceDocument | InputError]:
    """Documents named on the command line, in order; unreadable ones become InputError items."""
    for path in paths:
        if path.is_dir():
            files = sorted(
                p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
            if pages_as_document:
                yield _pages_document(path, files)
                continue
            for file in files:
                yield _read(file)
        elif path.exists():
            yield _read(path)
        else:
            yield InputError("no such file or folder", fix="check the path", source=str(path))


def _read(path: Path) -> SourceDocument | InputError:
    try:
        return SourceDocument(path.name, path.read_bytes())
    except OSError as exc:
        return InputError(f"cannot read the file ({exc.strerror})", fix="check permissions", source=str(path))


def _pages_document(folder: Path, files: list[Path]) -> SourceDocument | InputError:
    """A folder of page images (name order) as one multi-page TIFF document."""
    try:
        images = [Image.open(f).convert("RGB") for f in files]
    except (OSError, ValueError) as exc:
        return InputError(f"a page image cannot be read ({exc})", fix="rescan that page", source=str(folder))
    if not images:
        return InputError(
            "the folder holds no page images", fix="add PNG/JPEG/TIFF pages", source=str(folder)
        )
    buffer = io.BytesIO()
    dpi = images[0].info.get("dpi", (300, 300))
    images[0].save(
        buffer, format="TIFF", save_all=True, append_images=images[1:], compression="tiff_deflate", dpi=dpi
    )
    return SourceDocument(folder.name + ".tif", buffer.getvalue())


def _run(args: argparse.Namespace, config: Config) -> int:
    services = build_services(config)
    rows: list[list[str]] = []
    failures = 0
    try:
        for item in collect_sources(args.paths, args.pages_as_document):
            if isinstance(item, InputError):
                failures += fail(item)
                continue
            try:
                outcome = process_document(
                    services, ingest(services, item, args.batch), item.name, args.batch
                )
            except SohoaError as exc:
                failures += fail(exc.for_file(item.name))
                continue
            except Exception as exc:  # a bug or a library failure on one file must not stop the batch
                failures += fail(
                    ProcessingError(
                        f"unexpected failure ({exc!r})",
                        fix="report this file to the maintainers; the other documents go on",
                        source=item.name,
                    )
                )
                continue
            rows.append(_row(outcome))
            if args.out:
                _write_outputs(args.out, outcome)
            del outcome, item  # the pages' pixels must not stay alive while the next document runs
    finally:
        services.close()
    _print_table(rows)
    print(f"{len(rows)} done, {failures} failed; objects and repository under {config.storage.data_dir}/")
    return EXIT_SOME_FAILED if failures else EXIT_OK


def fail(error: SohoaError) -> int:
    print(f"FAILED {error}", file=sys.stderr)
    return 1


def _row(outcome: JobOutcome) -> list[str]:
    result = outcome.result
    values = [fv for record in result.records for fv in record.fields.values()]
    review = sum(1 for fv in values if fv.status is FieldStatus.NEEDS_REVIEW)
    found = sum(1 for fv in values if fv.value is not None)
    signature = "none" if result.signature is None else ("valid" if result.signature.valid else "INVALID")
    return [
        result.source,
        str(result.document_type),
        str(len(result.pages)),
        str(found),
        str(review),
        signature,
        f"{result.seconds:.1f}",
    ]


def _print_table(rows: list[list[str]]) -> None:
    header = ["document", "type", "pages", "fields", "review", "signature", "seconds"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


def _write_outputs(out: Path, outcome: JobOutcome) -> None:
    out.mkdir(parents=True, exist_ok=True)
    stem = Path(outcome.result.source).stem
    (out / f"{stem}.pdf").write_bytes(outcome.result.pdf)
    (out / f"{stem}.txt").write_text(ocr_text(outcome.result), encoding="utf-8")
    payload = json.dumps(result_json(outcome.result), ensure_ascii=False, indent=1)
    (out / f"{stem}.json").write_text(payload + "\n", encoding="utf-8")


def _verify(args: argparse.Namespace, config: Config) -> int:
    from signing.certificates import load_crl_files
    from signing.verify import verify_pdf

    roots = [*args.trust, *(Path(p) for p in config.signing.trust_roots)]
    test_root = Path(config.storage.data_dir) / "test-pki" / "root.pem"
    if not roots and config.signing.mode == "test-pki" and test_root.exists():
        roots.append(test_root)
    try:
        data = args.file.read_bytes()
        report = verify_pdf(
            data, roots, load_crl_files([*args.crl, *(Path(p) for p in config.signing.crl_paths)])
        )
    except OSError as exc:
        print(f"FAILED {args.file}: cannot read ({exc.strerror})", file=sys.stderr)
        return EXIT_SOME_FAILED
    except SohoaError as exc:
        print(f"FAILED {exc.for_file(str(args.file))}", file=sys.stderr)
        return EXIT_SOME_FAILED
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        for s in report.signatures:
            print(
                f"{s.field} ({s.kind}): {s.verdict}  level={s.level}  signer={s.signer}  "
                f"time={s.signing_time}  timestamp={s.timestamp}  intact={s.intact}  trusted={s.trusted}  "
                f"revoked={s.revoked}  coverage={s.coverage}  changes={s.modification_level}"
            )
        print(
            "overall:",
            "VALID" if report.all_valid else "NOT VALID",
            f"({len(report.signatures)} signature(s))",
        )
    return EXIT_OK if report.all_valid else EXIT_SOME_FAILED


if __name__ == "__main__":
    raise SystemExit(main())
