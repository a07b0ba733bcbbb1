"""Are hand-filled register pages ready to key? Every written entry a record, every column a field.

    .venv/bin/python bench/keyable.py [PAGES] [HOLDOUT_SEED]   # 8 pages of each kind, seed 1900000
    TUNE_ONLY=1 .venv/bin/python bench/keyable.py 8   # while tuning: the held-out part unseen

Generates hand-filled register pages of both kinds (ruled tables whose columns the seed picks and orders,
and pages of labelled blocks), in the tuning part (seeds from 1) and the held-out part (other hands and
column titles, seeds from HOLDOUT_SEED), runs each through the pipeline `digitize run` uses (no signing)
and counts, against the generator's truth: entries found, fields a clerk could not key because the record
lacks them, and values accepted without a person that are wrong. Prints the two parts side by side.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digitize.config import Config, StorageConfig  # noqa: E402
from digitize.model import FieldStatus, SourceDocument  # noqa: E402
from digitize.pipeline import digitize_document  # noqa: E402
from samplegen.sets import hand_register  # noqa: E402
from samplegen.style import HOLDOUT, TUNE  # noqa: E402
from workers.jobs import build_services  # noqa: E402


@dataclass
class Tally:
    pages: int = 0
    pages_whole: int = 0  # every entry found, every field there
    entries: int = 0
    found: int = 0
    fields: int = 0
    missing: int = 0  # truth fields the record lacks: nothing to key them into
    accepted_wrong: int = 0
    examples: list[str] | None = None

    def row(self, name: str) -> str:
        return (
            f"{name:<22}{self.pages:>6}{self.pages_whole:>7}{self.entries:>9}{self.found:>7}"
            f"{self.fields:>8}{self.missing:>9}{self.accepted_wrong:>7}"
        )


def check(scan: Path, truth: dict[str, object], config: Config, ocr: object, tally: Tally) -> None:
    doc = digitize_document(SourceDocument(scan.name, scan.read_bytes()), config, ocr, None)  # type: ignore[arg-type]
    wanted = truth["records"]
    assert isinstance(wanted, list)
    records = list(doc.records)
    tally.pages += 1
    tally.entries += len(wanted)
    tally.found += min(len(records), len(wanted))
    whole = len(records) == len(wanted)
    for want, record in zip(wanted, records, strict=False):
        for name, value in want.items():
            tally.fields += 1
            fv = record.fields.get(name)
            if fv is None:
                tally.missing += 1
                whole = False
                tally.examples = [*(tally.examples or []), f"{scan.name}: no {name}"][:8]
            elif fv.status is FieldStatus.ACCEPTED and fv.value != value:
                tally.accepted_wrong += 1
                tally.examples = [*(tally.examples or []), f"{scan.name}: {name} {fv.value!r} ≠ {value!r}"][
                    :8
                ]
    tally.pages_whole += whole
    if len(records) != len(wanted):
        tally.examples = [*(tally.examples or []), f"{scan.name}: {len(records)} of {len(wanted)} entries"][
            :8
        ]


def main(pages: int, holdout_seed: int) -> None:
    tallies: dict[str, Tally] = {}
    with tempfile.TemporaryDirectory() as tmp:
        config = replace(Config(), storage=StorageConfig(data_dir=tmp))
        services = build_services(config)
        parts = ((TUNE, 1), (HOLDOUT, holdout_seed))
        for split, base in parts[:1] if os.environ.get("TUNE_ONLY") else parts:
            for kind in ("table", "blocks"):
                tally = tallies.setdefault(f"{split} {kind}", Tally())
                for seed in range(base, base + pages):
                    rows = 3 + seed % 4 if kind == "table" else 2 + seed % 2
                    scan, truth = hand_register(Path(tmp) / "scans", seed, rows, split, kind)
                    check(scan, truth, config, services.ocr, tally)
        services.close()
    print(f"hand-filled register pages, held-out seeds from {holdout_seed}")
    print(
        f"{'part':<22}{'pages':>6}{'whole':>7}{'entries':>9}{'found':>7}{'fields':>8}{'missing':>9}{'wrong':>7}"
    )
    for name, tally in tallies.items():
        print(tally.row(name))
    for name, tally in tallies.items():
        for example in tally.examples or []:
            print(f"  {name}: {example}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 8, int(sys.argv[2]) if len(sys.argv) > 2 else 1_900_000)
