"""The Tesseract engine (through pytesseract), behind the `OcrEngine` interface.

`OMP_THREAD_LIMIT=1` is set for every call: with OpenMP threads a page took 4–5× longer on this
machine, and parallelism belongs to the executor, not to the engine.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass

import pytesseract
from PIL import Image

from digitize.errors import ProcessingError
from digitize.model import ImageArray, OcrWord

os.environ.setdefault("OMP_THREAD_LIMIT", "1")


@dataclass(frozen=True)
class TesseractEngine:
    language: str = "vie"
    timeout_s: float = 120.0
    psm: int = 3
    name: str = "tesseract"

    def read_words(
        self, gray: ImageArray, dpi: float, psm: int | None = None, language: str | None = None
    ) -> list[OcrWord]:
        config = f"--oem 1 --psm {psm or self.psm} --dpi {int(round(dpi))} -c preserve_interword_spaces=0"
        try:
            data = pytesseract.image_to_data(
                Image.fromarray(gray),
                lang=language or self.language,
                config=config,
                timeout=self.timeout_s,
                output_type=pytesseract.Output.DICT,
            )
        except RuntimeError as exc:  # pytesseract raises RuntimeError on its timeout
            raise ProcessingError(
                f"OCR took longer than {self.timeout_s:.0f} s and was stopped ({exc})",
                fix="check the page image, or raise ocr.timeout_s",
            ) from None
        except (pytesseract.TesseractError, subprocess.SubprocessError) as exc:
            raise ProcessingError(
                f"Tesseract failed: {exc}", fix="check the Tesseract installation"
            ) from None
        return list(rows_to_words(data))

    def detect_rotation(self, gray: ImageArray) -> tuple[int, float] | None:
        image = Image.fromarray(gray)
        image.thumbnail((2000, 2000))
        try:
            osd = pytesseract.image_to_osd(image, config="--psm 0 -c min_characters_to_try=10", timeout=30)
        except (RuntimeError, pytesseract.TesseractError):
            return None
        rotate = re.search(r"Rotate: (\d+)", osd)
        confidence = re.search(r"Orientation confidence: ([\d.]+)", osd)
        if not rotate or not confidence:
            return None
        return int(rotate.group(1)) % 360, float(confidence.group(1))


def rows_to_words(data: dict[str, list[object]]) -> list[OcrWord]:
    """Word records from Tesseract's TSV columns (level-5 rows with a confidence)."""
    words = []
    for i, text in enumerate(data["text"]):
        text = str(text).strip()
        conf = float(str(data["conf"][i]))
        if not text or conf < 0:
            continue
        left, top = int(str(data["left"][i])), int(str(data["top"][i]))
        width, height = int(str(data["width"][i])), int(str(data["height"][i]))
        key = (int(str(data["block_num"][i])), int(str(data["par_num"][i])), int(str(data["line_num"][i])))
        words.append(OcrWord(text, (left, top, left + width, top + height), conf / 100.0, key))
    return words


def tesseract_version() -> str:
    return str(pytesseract.get_tesseract_version())
