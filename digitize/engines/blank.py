"""`BlankEngine`: an engine that reads no text, for measuring everything around OCR.

Selected with `ocr.engine = "none"`. It exists so the queue/storage/repository benchmark can time the
machinery without Tesseract's 1–2 s per page drowning the figure; documents it "reads" end up
unclassified and flagged for review, never as silently empty results.
"""

from __future__ import annotations

from dataclasses import dataclass

from digitize.model import ImageArray, OcrWord


@dataclass(frozen=True)
class BlankEngine:
    name: str = "none"

    def read_words(self, gray: ImageArray, dpi: float, psm: int | None = None) -> list[OcrWord]:
        return []

    def detect_rotation(self, gray: ImageArray) -> tuple[int, float] | None:
        return None
