"""`digitize export-lines OUT`: a handwriting-recognition training corpus as a by-product of keying.

Every value a person keyed (corrected) or confirmed in the station becomes a line image cut from the signed
copy at the page's resolution, `images/<document>_<field id>.png`, beside `<same>.gt.txt` holding the text
as written (the ground-truth layout tesstrain and kraken read), and a row of `lines.tsv` with where it came
from. Running it again rewrites the same files.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from PIL import Image

from cli.console import fail
from digitize.config import Config
from digitize.errors import EXIT_OK, SohoaError
from digitize.stages.crops import cut_png, render_page
from workers.jobs import open_storage

COLUMNS = ("image", "text", "text_from", "value", "field", "document_id", "source", "page", "box", "dpi")
COLUMNS_MORE = ("reviewed_by", "reviewed_at")


def export_lines_command(args: argparse.Namespace, config: Config) -> int:
    from storage.repository.lines import keyed_lines

    storage = open_storage(config)
    images = Path(args.out) / "images"
    images.mkdir(parents=True, exist_ok=True)
    counts = {"typed": 0, "confirmed": 0}
    copy: tuple[str, bytes] = ("", b"")
    page: tuple[tuple[str, int], Image.Image] = (("", 0), Image.new("1", (1, 1)))
    try:
        with (Path(args.out) / "lines.tsv").open("w", encoding="utf-8", newline="") as manifest:
            writer = csv.writer(manifest, delimiter="\t", lineterminator="\n")
            writer.writerow([*COLUMNS, *COLUMNS_MORE])
            for line in keyed_lines(storage.db, args.batch):
                if copy[0] != line.signed_key:  # lines come in document order: one read per copy
                    copy = (line.signed_key, storage.store.get(line.signed_key))
                if page[0] != (line.signed_key, line.page):  # one render per page
                    page = ((line.signed_key, line.page), render_page(copy[1], line.page, line.dpi))
                stem = f"{line.document_id:07d}_{line.field_id:09d}"
                png = cut_png(page[1], line.box, margin=args.margin)
                (images / f"{stem}.png").write_bytes(png)
                (images / f"{stem}.gt.txt").write_text(line.text + "\n", encoding="utf-8")
                writer.writerow(
                    [
                        f"images/{stem}.png",
                        line.text,
                        line.text_from,
                        line.value,
                        line.field,
                        line.document_id,
                    ]
                    + [line.source_name, line.page, ",".join(map(str, line.box)), round(line.dpi)]
                    + [line.reviewed_by, line.reviewed_at.isoformat() if line.reviewed_at else ""]
                )
                counts[line.text_from] += 1
    except SohoaError as exc:
        return fail(exc)
    finally:
        storage.close()
    total = sum(counts.values())
    print(f"{total} line(s) written to {args.out} ({counts['typed']} typed, {counts['confirmed']} confirmed)")
    return EXIT_OK
