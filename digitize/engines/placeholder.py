"""`PlaceholderEngine`: an engine that does not read, for measuring everything around OCR.

Selected with `ocr.engine = "none"`, only by the queue/storage/repository benchmark and tests that need
pages to flow without Tesseract's 1–2 s per page. It returns one placeholder word per page (so the page
is not taken for a blank scan); documents it "reads" are unclassified and flagged for review, never
presented as real results.
"""

from __future__ import annotations

from dataclasses import dataclass

from digitize.model import ImageArray, OcrWord

PLACEHOLDER = "[không OCR]"


@dataclass(frozen=True)
class PlaceholderEngine:
    name: str = "none"

    def read_words(
        self, gray: ImageArray, dpi: float, psm: int | None = None, language: str | None = None
    ) -> list[OcrWord]:
        height, width = gray.shape[:2]
        return [OcrWord(PLACEHOLDER, (0, 0, min(width, 40), min(height, 10)), 0.0, (1, 1, 1))]

    def detect_rotation(self, gray: ImageArray) -> tuple[int, float] | None:
        return None
