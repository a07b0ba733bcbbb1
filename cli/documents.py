"""`digitize run` (documents processed in this process, the embedded default) and `digitize verify`."""

from __future__ import annotations

import argparse
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from cli.console import Progress, fail, print_table
from digitize.config import Config
from digitize.errors import EXIT_OK, EXIT_SOME_FAILED, InputError, as_sohoa_error
from digitize.model import DocumentResult, FieldStatus, SourceDocument
from digitize.stages.load import SUPPORTED_SUFFIXES


@dataclass(frozen=True)
class Named:
    """One document named on the command line: a file, or a folder of page images taken as one."""

    path: Path
    pages_folder: bool = False


def find_documents(paths: Sequence[Path], pages_as_document: bool) -> list[Named | InputError]:
    """Documents named on the command line, in order; a missing path becomes an InputError item."""
    found: list[Named | InputError] = []
    for path in paths:
        if path.is_dir() and pages_as_document:
            found.append(Named(path, pages_folder=True))
        elif path.is_dir():
            found += [Named(p) for p in sorted(path.iterdir()) if p.is_file() and _supported(p)]
        elif path.exists():
            found.append(Named(path))
        else:
            found.append(InputError("no such file or folder", fix="check the path", source=str(path)))
    return found


def _supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def read_documents(found: Sequence[Named | InputError]) -> Iterator[SourceDocument | InputError]:
    """Read each document only when it is its turn, so a large batch never sits in memory."""
    for item in found:
        if isinstance(item, InputError):
            yield item
        elif item.pages_folder:
            yield _pages_document(item.path)
        else:
            yield _read(item.path)


def _read(path: Path) -> SourceDocument | InputError:
    try:
        return SourceDocument(path.name, path.read_bytes())
    except OSError as exc:
        return InputError(f"cannot read the file ({exc.strerror})", fix="check permissions", source=str(path))


def _pages_document(folder: Path) -> SourceDocument | InputError:
    """A folder of page images (name order) as one multi-page TIFF document."""
    from PIL import Image

    files = sorted(p for p in folder.iterdir() if p.is_file() and _supported(p))
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


def no_documents(paths: Sequence[Path]) -> InputError:
    names = ", ".join(str(p) for p in paths)
    return InputError(
        "no supported file found (PDF, TIFF, PNG or JPEG)",
        fix="name the scans or the folder that holds them",
        source=names,
    )


def run_command(args: argparse.Namespace, config: Config) -> int:
    found = find_documents(args.paths, args.pages_as_document)
    if not found:
        raise no_documents(args.paths)
    if args.jobs:
        config = replace(config, ocr=replace(config.ocr, jobs=args.jobs))
    from workers.jobs import build_services, digitize_stored, ingest

    # Keys and repository load on a thread while the first page is read; not beside a page pool, which forks.
    services = build_services(config, deferred=config.ocr.jobs == 1)
    progress, rows = Progress(len(found)), []
    try:
        for item in read_documents(found):
            if isinstance(item, InputError):
                progress.failed(item)
                continue
            try:
                result = digitize_stored(
                    services, ingest(services, item, args.batch), item.name, args.batch
                ).result
            except Exception as exc:  # one bad file never stops the batch; a signer or database that
                if (stop := services.startup_error()) is not None:  # could not start stops it all
                    raise stop from None
                progress.failed(as_sohoa_error(exc, item.name))
                continue
            rows.append(_row(result))
            progress.done(item.name, len(result.pages), f"{result.document_type}, {rows[-1][4]} to review")
            if args.out:
                _write_outputs(args.out, result)
            del result, item  # the pages' pixels must not stay alive while the next document runs
    finally:
        services.close()
    failures = progress.documents - len(rows)
    print_table(["document", "type", "pages", "fields", "review", "signature", "seconds"], rows)
    print(f"{len(rows)} done, {failures} failed; objects and repository under {config.storage.data_dir}/")
    return EXIT_SOME_FAILED if failures else EXIT_OK


def _row(result: DocumentResult) -> list[str]:
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


def _write_outputs(out: Path, result: DocumentResult) -> None:
    from digitize.results import ocr_text, result_json

    out.mkdir(parents=True, exist_ok=True)
    stem = Path(result.source).stem
    (out / f"{stem}.pdf").write_bytes(result.pdf)
    (out / f"{stem}.txt").write_text(ocr_text(result), encoding="utf-8")
    payload = json.dumps(result_json(result), ensure_ascii=False, indent=1)
    (out / f"{stem}.json").write_text(payload + "\n", encoding="utf-8")


def verify_command(args: argparse.Namespace, config: Config) -> int:
    from signing.certificates import load_crl_files
    from signing.pdfa import check_pdfa
    from signing.verify import verify_pdf

    roots = [*args.trust, *(Path(p) for p in config.signing.trust_roots)]
    test_root = Path(config.storage.data_dir) / "test-pki" / "root.pem"
    if not roots and config.signing.mode == "test-pki" and test_root.exists():
        roots.append(test_root)
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        return fail(InputError(f"cannot read ({exc.strerror})", fix="check the path", source=str(args.file)))
    crls = load_crl_files([*args.crl, *(Path(p) for p in config.signing.crl_paths)])
    try:
        online = config.signing.ocsp_timeout_s if config.signing.ocsp != "off" else None
        report = verify_pdf(data, roots, crls, online)
        pdfa = check_pdfa(data)
    except Exception as exc:
        return fail(as_sohoa_error(exc, str(args.file)))
    if args.json:
        print(json.dumps({**report.to_dict(), "pdfa": pdfa.to_dict()}, ensure_ascii=False, indent=1))
    else:
        for s in report.signatures:
            print(
                f"{s.field} ({s.kind}): {s.verdict}  level={s.level}  signer={s.signer}  "
                f"time={s.signing_time}  timestamp={s.timestamp}  intact={s.intact}  trusted={s.trusted}  "
                f"revoked={s.revoked}  ocsp={s.ocsp}  coverage={s.coverage}  changes={s.modification_level}"
            )
        for finding in (*pdfa.violations, *pdfa.unsupported):
            print(finding)
        overall = "VALID" if report.all_valid else "NOT VALID"
        print(f"overall: {overall} ({len(report.signatures)} signature(s)); {pdfa.summary()}")
    # A copy that claims PDF/A and breaks it is as unusable for the archive as a broken signature.
    archival = not pdfa.claimed or pdfa.conforming
    return EXIT_OK if report.all_valid and archival else EXIT_SOME_FAILED
