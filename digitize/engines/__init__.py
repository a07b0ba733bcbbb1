"""OCR engines behind one interface (`OcrEngine`); `build_engine` picks the configured one."""

from __future__ import annotations

from digitize.config import OcrConfig
from digitize.engines.placeholder import PlaceholderEngine
from digitize.engines.tesseract import TesseractEngine
from digitize.engines.tesseract_api import TesserocrEngine, find_tessdata
from digitize.errors import ConfigError
from digitize.ports import OcrEngine


def build_engine(config: OcrConfig) -> OcrEngine:
    if config.engine == "tesseract":
        return TesserocrEngine(config.language, config.timeout_s, tessdata=find_tessdata(config.language))
    if config.engine == "tesseract-cli":
        return TesseractEngine(config.language, config.timeout_s)
    if config.engine == "none":
        return PlaceholderEngine()
    raise ConfigError(
        f"unknown OCR engine {config.engine!r}",
        fix='set ocr.engine to "tesseract", "tesseract-cli" or "none"',
    )
