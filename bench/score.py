"""Extraction scoring: accuracy per field, share auto-accepted, precision of accepted values.

    .venv/bin/python bench/score.py [FOLDER]        # default: sample_scans/
    .venv/bin/python bench/score.py --fresh 24      # a new set: fonts the samples do not use, new seeds

Every scan in FOLDER with a `<stem>.truth.json` beside it goes through the same pipeline as
`digitize run` (in this process, a throwaway data dir). A value counts as correct when it equals the
truth exactly (after NFC). Wrong values that were accepted are listed one by one: they are what review
exists to stop.
"""

from __future__ import annotations

import json
import sys
import tempfile
import unicodedata
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digitize.config import Config, StorageConfig  # noqa: E402
from digitize.model import FieldStatus, SourceDocument  # noqa: E402
from digitize.pipeline import digitize_document  # noqa: E402
from workers.jobs import build_services  # noqa: E402


def nfc(text: str | None) -> str | None:
    return unicodedata.normalize("NFC", text) if text is not None else None


def fresh_set(folder: Path, count: int, seed: int = 1000) -> None:
    """Documents in fonts the committed samples do not use (Noto Sans, Noto Serif, DejaVu Serif), other
    people and places, random skew and noise; each with its truth beside it."""
    import random

    from samplegen.__main__ import Variant, render_variant, save_pages, truth
    from samplegen.forms import birth_extract, death_extract, marriage_extract
    from samplegen.register import birth_register_page
    from samplegen.render import FONT_DIRS

    fonts = [f for f in ("sans", "noto-serif", "dejavu-serif") if Path(FONT_DIRS[f]).exists()]
    makers = [birth_extract, death_extract, marriage_extract, birth_register_page]
    rng = random.Random(seed)
    for i in range(count):
        font, make = fonts[i % len(fonts)], makers[i % len(makers)]
        variant = Variant(
            f"fresh_{i:03d}_{make.__name__}_{font}",
            lambda r, m=make, f=font: m(r, font=f),  # type: ignore[misc]
            "png",
            skew_ccw=round(rng.uniform(-3, 3), 2),
            noise=rng.choice([0.0, 3.0, 6.0]),
            specks=rng.random() < 0.3,
        )
        generated, images = render_variant(variant, seed + i)
        if len(images) > 1:  # several sheets: one multi-page TIFF
            variant = replace(variant, ext="tif")
        path = folder / f"{variant.name}.{variant.ext}"
        save_pages(images, path, variant)
        path.with_suffix(".truth.json").write_text(
            json.dumps(truth(variant, generated, path.name), ensure_ascii=False)
        )


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--fresh":
        with tempfile.TemporaryDirectory() as tmp:
            fresh_set(Path(tmp), int(sys.argv[2]))
            score(Path(tmp))
        return
    score(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "sample_scans")


def score(folder: Path) -> None:
    scans = sorted(p for p in folder.iterdir() if p.suffix in {".png", ".jpg", ".tif", ".pdf"})
    total, correct, accepted, accepted_wrong = Counter[str](), Counter[str](), Counter[str](), Counter[str]()
    wrong_accepted: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        config = replace(Config(), storage=StorageConfig(data_dir=tmp))
        services = build_services(config)
        for scan in scans:
            truth = json.loads(scan.with_suffix(".truth.json").read_text(encoding="utf-8"))
            result = digitize_document(
                SourceDocument(scan.name, scan.read_bytes()), config, services.ocr, None
            )
            for want, record in zip(truth["records"], result.records, strict=False):
                for name, expected in want.items():
                    fv = record.fields.get(name)
                    total[name] += 1
                    right = fv is not None and nfc(fv.value) == nfc(expected["value"])
                    correct[name] += right
                    if fv is not None and fv.status is FieldStatus.ACCEPTED:
                        accepted[name] += 1
                        if not right:
                            accepted_wrong[name] += 1
                            wrong_accepted.append(
                                f"{scan.name}: {name} = {fv.value!r}, truth {expected['value']!r}"
                            )
        services.close()
    print(f"{'field':28}{'values':>8}{'correct':>9}{'accepted':>10}{'wrong acc.':>11}")
    for name in sorted(total):
        print(f"{name:28}{total[name]:>8}{correct[name]:>9}{accepted[name]:>10}{accepted_wrong[name]:>11}")
    n, ok, acc, bad = (sum(c.values()) for c in (total, correct, accepted, accepted_wrong))
    print(
        f"\n{len(scans)} documents, {n} values: correct {ok / n:.1%}, auto-accepted {acc / n:.1%}, "
        f"precision of accepted {(acc - bad) / acc:.2%} ({bad} wrong accepted)"
    )
    for line in wrong_accepted:
        print("  WRONG ACCEPTED", line)


if __name__ == "__main__":
    main()
