"""Extraction scoring: values right, share auto-accepted, precision of what was accepted, calibration.

    .venv/bin/python bench/score.py [FOLDER]           # default: sample_scans/
    .venv/bin/python bench/score.py --generated 40 [SEED]   # 40 tuning + 40 held-out generated documents
    .venv/bin/python bench/score.py --generated 40 SEED --hand-share 1   # every one of them hand-filled

Every scan in a folder with a `<stem>.truth.json` beside it goes through the same pipeline as
`digitize run` (in this process, no signing). A value is right when it equals the truth exactly (NFC).
`--generated` writes both parts of `samplegen.sets` (every form version, typed and hand-filled, scanned
and photographed; the held-out part with wordings, typefaces and hands the tuning part never uses) and
prints them side by side: per form version, per field, per typeface of the values, a calibration table
(confidence band → share right) and the gap between the parts, which should stay within 2 points.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digitize.config import Config, StorageConfig  # noqa: E402
from digitize.model import FieldStatus, FieldValue, Record, SourceDocument  # noqa: E402
from digitize.pipeline import digitize_document  # noqa: E402
from workers.jobs import build_services  # noqa: E402

BANDS = (0.0, 0.5, 0.8, 0.9, 0.95, 1.01)


def nfc(text: str | None) -> str | None:
    return unicodedata.normalize("NFC", text) if text is not None else None


@dataclass
class Tally:
    values: int = 0
    right: int = 0
    accepted: int = 0
    accepted_wrong: int = 0

    def add(self, right: bool, accepted: bool) -> None:
        self.values += 1
        self.right += right
        self.accepted += accepted
        self.accepted_wrong += accepted and not right

    def row(self) -> str:
        n, acc = max(self.values, 1), self.accepted
        precision = f"{(acc - self.accepted_wrong) / acc:8.2%}" if acc else "       -"
        shares = f"{self.right / n:>9.1%}{acc / n:>10.1%}"
        return f"{self.values:>7}{shares}{precision:>10}{self.accepted_wrong:>7}"


@dataclass
class Score:
    total: Tally = field(default_factory=Tally)
    by_version: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_field: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_face: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))  # the values' typeface
    bands: dict[int, Tally] = field(default_factory=lambda: defaultdict(Tally))
    typed: Counter[str] = field(default_factory=Counter)
    wrong_accepted: list[str] = field(default_factory=list)
    forms: Counter[str] = field(default_factory=Counter)  # the form version recognised, right or not
    form_misses: list[str] = field(default_factory=list)
    documents: int = 0
    pages: int = 0
    seconds: float = 0.0
    #: (hand-filled, typeface of the values, values, right) per document
    per_document: list[tuple[bool, str, int, int]] = field(default_factory=list)

    def add(self, where: tuple[str, str, str], name: str, fv: FieldValue | None, expected: str) -> None:
        """`where`: the scan, its form version and the typeface of its values."""
        right = fv is not None and nfc(fv.value) == nfc(expected)
        accepted = fv is not None and fv.status is FieldStatus.ACCEPTED
        scan, version, face = where
        for tally in (self.total, self.by_version[version], self.by_field[name], self.by_face[face]):
            tally.add(right, accepted)
        confidence = fv.confidence if fv is not None else 0.0
        self.bands[next(i for i, top in enumerate(BANDS[1:]) if confidence < top)].add(right, accepted)
        if accepted and not right and fv is not None:
            self.wrong_accepted.append(f"{scan}: {name} = {fv.value!r}, truth {expected!r}")


def score_folder(folder: Path) -> Score:
    scans = sorted(p for p in folder.iterdir() if p.suffix in {".png", ".jpg", ".tif", ".pdf"})
    result = Score()
    with tempfile.TemporaryDirectory() as tmp:
        config = replace(Config(), storage=StorageConfig(data_dir=tmp))
        services = build_services(config)
        started = time.perf_counter()
        for scan in scans:
            _score_one(scan, config, services.ocr, result)
        result.seconds = time.perf_counter() - started
        services.close()
    return result


def _score_one(scan: Path, config: Config, ocr: object, result: Score) -> None:
    truth = json.loads(scan.with_suffix(".truth.json").read_text(encoding="utf-8"))
    version = truth.get("version", truth["document_type"]) + (" (hand)" if truth.get("hand") else "")
    doc = digitize_document(SourceDocument(scan.name, scan.read_bytes()), config, ocr, None)  # type: ignore[arg-type]
    result.documents += 1
    result.pages += len(doc.pages)
    result.typed[str(doc.document_type == truth["document_type"])] += 1
    if doc.document_type != truth["document_type"]:
        wrong = f"{scan.name}: typed {doc.document_type}, truth {truth['document_type']}"
        result.wrong_accepted.append(wrong)
    if "version" in truth:
        _score_form(doc.form.version, truth["version"], scan.name, result)
    values, right = result.total.values, result.total.right
    where = (scan.name, version, truth.get("faces", {}).get("values", "?"))
    for want, record in _aligned(truth["records"], list(doc.records)):
        for name, expected in want.items():
            fv = record.fields.get(name) if record is not None else None
            result.add(where, name, fv, expected["value"])
    hand = bool(truth.get("hand"))
    result.per_document.append((hand, where[2], result.total.values - values, result.total.right - right))


def _score_form(found: str | None, version: str, where: str, result: Score) -> None:
    result.forms[str(found == version)] += 1
    if found != version:
        result.form_misses.append(f"{where}: recognised as {found}, truth {version}")


def _subtotal(score: Score, hand: bool) -> Tally:
    total = Tally()
    for version, tally in score.by_version.items():
        if version.endswith("(hand)") == hand:
            total.values += tally.values
            total.right += tally.right
            total.accepted += tally.accepted
            total.accepted_wrong += tally.accepted_wrong
    return total


def _aligned(
    wanted: list[dict[str, dict[str, str]]], records: list[Record]
) -> list[tuple[dict[str, Any], Record | None]]:
    """Each truth record with the extracted record of the same registration number when exactly one record
    has it (an entry missed on a register page must not shift every later entry onto its neighbour's
    truth), else the record at the same position."""
    numbers = Counter(r.value("registration_number") for r in records if r.value("registration_number"))
    # only a number read once names its record: a misread that repeats another row's number ("35" read "33",
    # sent to review) must not pair that row's truth with the other row's values
    by_number = {
        r.value("registration_number"): r for r in records if numbers[r.value("registration_number")] == 1
    }
    pairs = []
    for i, want in enumerate(wanted):
        number = want.get("registration_number", {}).get("value")
        fallback = records[i] if i < len(records) else None
        pairs.append((want, by_number.get(number, fallback) if number else fallback))
    return pairs


HEADER = f"{'values':>7}{'right':>9}{'accepted':>10}{'precision':>10}{'wrong':>7}"


def print_side_by_side(scores: dict[str, Score]) -> None:
    names = list(scores)
    print(f"{'':30}" + "".join(f"{n:^43}" for n in names))
    print(f"{'':30}" + HEADER * len(names))
    print(f"{'ALL':30}" + "".join(scores[n].total.row() for n in names))
    for kind in ("typed", "hand"):
        print(f"{'  ' + kind:30}" + "".join(_subtotal(scores[n], kind == "hand").row() for n in names))
    for title, attr in (("form version", "by_version"), ("field", "by_field"), ("typeface", "by_face")):
        print(f"\nper {title}")
        keys = sorted({k for n in names for k in getattr(scores[n], attr)})
        for key in keys:
            print(f"{key[:30]:30}" + "".join(getattr(scores[n], attr).get(key, Tally()).row() for n in names))
    print("\ncalibration: confidence band → share of values right (values in the band)")
    for i, (low, high) in enumerate(zip(BANDS, BANDS[1:], strict=False)):
        cells = []
        for n in names:
            t = scores[n].bands.get(i, Tally())
            cells.append(f"{t.right / t.values:>9.1%} ({t.values:>4})" if t.values else f"{'-':>9} ({0:>4})")
        print(f"  [{low:.2f}, {min(high, 1.0):.2f})".ljust(30) + "".join(f"{c:>43}" for c in cells))
    for n in names:
        s = scores[n]
        typed = s.typed["True"] / max(1, s.documents)
        forms = f", form version right {s.forms['True'] / s.forms.total():.1%}" if s.forms else ""
        print(
            f"\n{n}: {s.documents} documents, {s.pages} pages, typed right {typed:.1%}{forms}, "
            f"{s.seconds:.0f} s ({s.pages / max(s.seconds, 1e-6) * 60:.1f} pages/min)"
        )
        for line in s.wrong_accepted:
            print("  WRONG ACCEPTED", line)
        for line in s.form_misses:
            print("  FORM", line)
    if len(names) == 2:
        print(f"\ngap in values right, {names[0]} − {names[1]}: " + _gaps(*(scores[n] for n in names)))


def _gaps(a: Score, b: Score) -> str:
    """All values, typed and hand-filled, each with the 95 % interval of the gap when the documents of
    both parts are drawn again (2000 draws): a part's hands or typefaces can open a gap the total hides,
    and a dozen hand-filled papers a part cannot show a gap of a few points. A kind one part lacks is left
    out rather than printed as a gap of nothing. Then the same with each typeface weighted alike: the parts
    draw their faces by chance, and one hard hand drawn twice as often as another opens a gap that says
    which faces were drawn, not how the extractor does on a face it was not tuned on."""
    gaps, alike = [], []
    for kind, keep in (("all", lambda h: True), ("typed", lambda h: not h), ("hand", lambda h: h)):
        x = [(f, v, r) for h, f, v, r in a.per_document if keep(h)]
        y = [(f, v, r) for h, f, v, r in b.per_document if keep(h)]
        if x and y:
            gaps.append(f"{kind} {_gap_text(x, y, _points)}")
            alike += [] if kind == "all" else [f"{kind} {_gap_text(x, y, _points_by_face)}"]
    return ", ".join(gaps) + " points;\neach typeface weighted alike: " + ", ".join(alike) + " points"


Documents = list[tuple[str, int, int]]  # (typeface, values, right) per document
Gap = Callable[[Documents, Documents], float]


def _gap_text(x: Documents, y: Documents, gap: Gap) -> str:
    low, high = _interval(x, y, gap)
    return f"{gap(x, y):+.1f} (95 % {low:+.1f} to {high:+.1f})"


def _points(x: Documents, y: Documents) -> float:
    """Share right in x minus share right in y, in points."""
    share = [sum(r for _, _, r in d) / max(1, sum(v for _, v, _ in d)) for d in (x, y)]
    return (share[0] - share[1]) * 100


def _points_by_face(x: Documents, y: Documents) -> float:
    """The mean over typefaces of each face's share right, in x minus in y, in points."""
    return (_mean_by_face(x) - _mean_by_face(y)) * 100


def _mean_by_face(documents: Documents) -> float:
    faces: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for face, values, right in documents:
        faces[face][0] += values
        faces[face][1] += right
    shares = [right / values for values, right in faces.values() if values]
    return sum(shares) / max(1, len(shares))


def _interval(x: Documents, y: Documents, gap: Gap, draws: int = 2000) -> tuple[float, float]:
    rng = random.Random(0)
    gaps = sorted(gap(rng.choices(x, k=len(x)), rng.choices(y, k=len(y))) for _ in range(draws))
    return gaps[int(0.025 * draws)], gaps[int(0.975 * draws) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "folder", nargs="?", type=Path, default=ROOT / "sample_scans", help="scans with truth"
    )
    parser.add_argument(
        "--generated",
        nargs="+",
        type=int,
        metavar=("COUNT", "SEED"),
        help="write COUNT tuning and COUNT held-out documents (the held-out part from SEED) and score both",
    )
    parser.add_argument(
        "--hand-share",
        type=float,
        default=None,
        help="share of the generated documents filled in by hand (default 0.3): 1 measures hands alone",
    )
    args = parser.parse_args()
    if args.generated and len(args.generated) > 2:
        parser.error("--generated takes COUNT and at most one SEED")
    if args.hand_share is not None and not (args.generated and 0 <= args.hand_share <= 1):
        parser.error("--hand-share goes with --generated and lies between 0 and 1")
    if args.generated:
        from samplegen.sets import HAND_SHARE, write_set

        count, holdout_seed = args.generated[0], (args.generated[1:] or [None])[0]
        share = HAND_SHARE if args.hand_share is None else args.hand_share
        scores = {}
        with tempfile.TemporaryDirectory() as tmp:
            for split in ("tune", "holdout"):
                seed = holdout_seed if split == "holdout" else None
                write_set(Path(tmp) / split, split, count, seed, share)
                scores[split] = score_folder(Path(tmp) / split)
        print_side_by_side(scores)
        return
    if not args.folder.is_dir():
        parser.error(f"{args.folder} is not a folder of scans")
    print_side_by_side({args.folder.name: score_folder(args.folder)})


if __name__ == "__main__":
    main()
