"""The generated sets `bench/score.py` measures: a hand share that measures hands on more papers without
changing the papers it keeps, and the typeface of each paper's values written beside its truth."""

from __future__ import annotations

import json
from pathlib import Path

from samplegen.sets import write_set
from samplegen.style import HANDS, TUNE, TYPED_FONTS


def truths(folder: Path) -> dict[str, dict[str, object]]:
    return {p.name.split("_")[1]: json.loads(p.read_text("utf-8")) for p in folder.glob("*.truth.json")}


def test_a_larger_hand_share_fills_more_papers_by_hand_and_keeps_the_rest(tmp_path: Path) -> None:
    usual = write_set(tmp_path / "usual", TUNE, 2, seed=1)
    every = write_set(tmp_path / "hands", TUNE, 2, seed=1, hand_share=1.0)
    hands = truths(tmp_path / "hands")
    assert all(t["hand"] for t in hands.values())
    assert {t["faces"]["values"] for t in hands.values()} <= set(HANDS[TUNE])  # type: ignore[index]
    kept = [(a, b) for a, b in zip(usual, every, strict=True) if a.name == b.name]
    assert kept, "seed 1 draws its first paper hand-filled, its second typed"
    assert all(a.read_bytes() == b.read_bytes() for a, b in kept)
    typed = [t for t in truths(tmp_path / "usual").values() if not t["hand"]]
    assert typed and all(t["faces"]["labels"] in TYPED_FONTS[TUNE] for t in typed)  # type: ignore[index]
