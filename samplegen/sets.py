"""Generated sets for scoring extraction: every form version, typed and hand-filled, scanned and
photographed, in a tuning part and a held-out part (other wordings, typefaces and hands).

    python -m samplegen.sets FOLDER --split tune|holdout --count N [--seed S]
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable
from pathlib import Path

from samplegen.__main__ import Variant, degrade, save_pages
from samplegen.books import (
    death_register_blocks,
    death_register_table,
    marriage_register_blocks,
    marriage_register_table,
)
from samplegen.forms import Generated
from samplegen.registers import register_blocks, register_table
from samplegen.style import HOLDOUT, TUNE, Style, make_style
from samplegen.versions import VERSIONS

MAKERS: dict[str, Callable[[random.Random, Style], Generated]] = {
    **VERSIONS,
    "register_table": lambda rng, st: register_table(rng, st, rows=rng.randrange(4, 8)),
    "register_blocks": register_blocks,
    "death_register_table": lambda rng, st: death_register_table(rng, st, rows=rng.randrange(3, 7)),
    "death_register_blocks": death_register_blocks,
    "marriage_register_table": lambda rng, st: marriage_register_table(rng, st, rows=rng.randrange(3, 7)),
    "marriage_register_blocks": marriage_register_blocks,
}
#: Seeds of the two parts never overlap: the held-out part starts here.
HOLDOUT_SEED = 500_000


def capture(rng: random.Random, name: str, many_pages: bool) -> Variant:
    """How the paper became a file: a flatbed scan (straight or skewed, dusty, noisy) or a phone photo."""
    roll = rng.random()
    if roll < 0.2:
        return Variant(name, lambda r: Generated("", [], [], {}), "jpg", phone=True)
    ext = "tif" if many_pages else rng.choice(("png", "png", "jpg"))
    return Variant(
        name,
        lambda r: Generated("", [], [], {}),
        ext,
        skew_ccw=round(rng.uniform(-3.5, 3.5), 2) if roll < 0.6 else 0.0,
        specks=rng.random() < 0.3,
        noise=rng.choice((0.0, 0.0, 3.0, 6.0)),
    )


#: Share of hand-filled papers in a set, as in the piles of an office that types most of its papers.
HAND_SHARE = 0.3


def write_set(
    folder: Path, split: str, count: int, seed: int | None = None, hand_share: float = HAND_SHARE
) -> list[Path]:
    """`count` documents cycling through every version, each with `<stem>.truth.json` beside it. A larger
    `hand_share` measures hand-filled papers on more of them; the papers that stay typed or stay hand-filled
    are the same as at the default share (one draw decides)."""
    folder.mkdir(parents=True, exist_ok=True)
    base = seed if seed is not None else (HOLDOUT_SEED if split == HOLDOUT else 1)
    kinds = list(MAKERS)
    written = []
    for i in range(count):
        rng = random.Random(base + i)
        kind = kinds[i % len(kinds)]
        hand = rng.random() < hand_share
        style = make_style(rng, split, hand)
        generated = MAKERS[kind](rng, style)
        name = f"{split}_{i:03d}_{kind}_{'hand' if hand else 'typed'}"
        variant = capture(rng, name, len(generated.sheets) > 1)
        images = [degrade(sheet.image, variant, rng) for sheet in generated.sheets]
        path = folder / f"{name}.{variant.ext}"
        save_pages(images, path, variant)
        truth = {
            "source": path.name,
            "document_type": generated.document_type,
            "version": kind,
            "split": split,
            "hand": hand,
            "faces": {"labels": style.font, "values": style.value_font},
            "capture": {"phone": variant.phone, "skew": variant.skew_ccw, "noise": variant.noise},
            "records": [{k: {"value": v} for k, v in rec.items()} for rec in generated.records],
        }
        path.with_suffix(".truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), "utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--split", choices=(TUNE, HOLDOUT), default=TUNE)
    parser.add_argument("--count", type=int, default=len(MAKERS))
    parser.add_argument("--seed", type=int)
    parser.add_argument("--hand-share", type=float, default=HAND_SHARE)
    args = parser.parse_args()
    for path in write_set(args.folder, args.split, args.count, args.seed, args.hand_share):
        print(path)


if __name__ == "__main__":
    main()


def hand_register(
    folder: Path, seed: int, rows: int = 4, split: str = TUNE, kind: str = "table"
) -> tuple[Path, dict[str, object]]:
    """One hand-filled register page, scanned straight: a ruled table (columns chosen and ordered by the
    seed) or a page of labelled blocks. What the keying station's test keys and `bench/keyable.py` checks."""
    rng = random.Random(seed)
    style = make_style(rng, split, hand=True)
    make = register_table if kind == "table" else register_blocks
    generated = make(rng, style, rows)
    variant = Variant(f"hand_register_{kind}_{seed}", lambda r: generated, "png")
    path = folder / f"{variant.name}.png"
    folder.mkdir(parents=True, exist_ok=True)
    save_pages([degrade(sheet.image, variant, rng) for sheet in generated.sheets], path, variant)
    truth: dict[str, object] = {
        "source": path.name,
        "document_type": generated.document_type,
        "records": generated.records,
    }
    return path, truth
