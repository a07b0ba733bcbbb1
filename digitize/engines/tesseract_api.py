"""Tesseract in-process through tesserocr, behind the same `OcrEngine` interface as the CLI engine.

Measured by `bench/ocr.py`: the CLI engine pays for a process start, a model load and a PNG round trip on
every call, which is most of a table's one-cell re-reads. This engine keeps one `PyTessBaseAPI` per
process and thread (model loaded once) and hands it the grey pixels directly. Output is Tesseract's own
TSV, parsed by the same code as the CLI engine, so both give identical word records. The wheel's
Tesseract is built without OpenMP, so no thread limit applies to it (`tune_process` sets one for the CLI
engine's `tesseract` processes).
"""

from __future__ import annotations

import glob
import os
import threading
from dataclasses import dataclass

import tesserocr
from PIL import Image

from digitize.engines.tesseract import rows_to_words
from digitize.errors import ConfigError, ProcessingError
from digitize.model import ImageArray, OcrWord

_TSV_COLUMNS = (
    *("level", "page_num", "block_num", "par_num", "line_num", "word_num"),
    *("left", "top", "width", "height", "conf", "text"),
)
_LOCAL = threading.local()


def find_tessdata(language: str) -> str:
    """The folder holding `<language>.traineddata`: TESSDATA_PREFIX, else Debian's tesseract-ocr-* data."""
    first = language.split("+")[0]
    candidates = [
        os.environ.get("TESSDATA_PREFIX", ""),
        *sorted(glob.glob("/usr/share/tesseract-ocr/*/tessdata")),
    ]
    for folder in candidates:
        if folder and os.path.exists(os.path.join(folder, f"{first}.traineddata")):
            return folder
    raise ConfigError(
        f"no Tesseract model for {first!r} was found (looked in {', '.join(c for c in candidates if c)})",
        fix=f"apt-get install tesseract-ocr-{first}, or set TESSDATA_PREFIX to the folder with the model",
    )


def _api(tessdata: str, language: str, psm: int) -> tesserocr.PyTessBaseAPI:
    """One initialised API per (process, thread, model): loading the model costs ~0.1 s and ~40 MB."""
    if getattr(_LOCAL, "pid", None) != os.getpid():  # a forked child must not share its parent's API
        _LOCAL.pid, _LOCAL.apis = os.getpid(), {}
    key = (tessdata, language)
    api = _LOCAL.apis.get(key)
    if api is None:
        oem = tesserocr.OEM.DEFAULT if language == "osd" else tesserocr.OEM.LSTM_ONLY
        try:
            api = tesserocr.PyTessBaseAPI(path=tessdata, lang=language, oem=oem)
        except RuntimeError as exc:
            raise ConfigError(
                f"Tesseract could not load {language!r} from {tessdata}: {exc}",
                fix="check ocr.language and the installed tesseract-ocr-* packages",
            ) from None
        _LOCAL.apis[key] = api
    api.SetPageSegMode(psm)
    return api


def tsv_rows(tsv: str) -> dict[str, list[object]]:
    """Tesseract's TSV (no header line) as columns, the shape pytesseract's image_to_data gives."""
    columns: dict[str, list[object]] = {name: [] for name in _TSV_COLUMNS}
    for line in tsv.splitlines():
        cells = line.split("\t")
        if len(cells) < len(_TSV_COLUMNS):
            cells += [""] * (len(_TSV_COLUMNS) - len(cells))
        for name, cell in zip(_TSV_COLUMNS, cells, strict=False):
            columns[name].append(cell)
    return columns


@dataclass(frozen=True)
class TesserocrEngine:
    language: str = "vie"
    timeout_s: float = 120.0
    psm: int = 3
    tessdata: str = ""
    name: str = "tesserocr"

    def _folder(self) -> str:
        return self.tessdata or find_tessdata(self.language)

    def read_words(
        self, gray: ImageArray, dpi: float, psm: int | None = None, language: str | None = None
    ) -> list[OcrWord]:
        api = _api(self._folder(), language or self.language, psm or self.psm)
        height, width = gray.shape[:2]
        pixels = gray.tobytes()  # kept alive until recognition is over: Tesseract does not copy it
        api.SetImageBytes(pixels, width, height, 1, width)
        api.SetSourceResolution(int(round(dpi)))
        try:
            if not api.Recognize(timeout=int(self.timeout_s * 1000)):
                raise ProcessingError(
                    f"OCR did not finish within {self.timeout_s:.0f} s and was stopped",
                    fix="check the page image, or raise ocr.timeout_s",
                )
            return list(rows_to_words(tsv_rows(api.GetTSVText(0))))
        finally:
            api.Clear()

    def detect_rotation(self, gray: ImageArray) -> tuple[int, float] | None:
        image = Image.fromarray(gray)
        image.thumbnail((2000, 2000))
        api = _api(self._folder(), "osd", tesserocr.PSM.OSD_ONLY)
        api.SetVariable("min_characters_to_try", "10")
        api.SetImage(image)
        try:
            found = api.DetectOrientationScript()
        finally:
            api.Clear()
        if not found:
            return None
        # Tesseract reports how far the image is turned clockwise; undoing it is the opposite turn.
        return (360 - int(found["orient_deg"])) % 360, float(found["orient_conf"])
