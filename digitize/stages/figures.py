"""Stage `figures`: every word written in figures read a second time, alone, by a second model.

Tesseract's Vietnamese model reads figures in some faces badly and without knowing it: in a typewriter
face ("Liberation Mono", the register books of the tuning set) the page pass read dates right at 0.00–0.34,
and the same cells read alone came out "91⁄04⁄2066", "27/94/2966" at 0.6–0.86. The English model, which
has seen far more figures, read all twelve cells of that page right at 0.95–0.96. Two models trained apart
that give the same figures are a far better sign than either one's own confidence, and one that gives
other figures is a warning neither confidence shows.

So each word of figures and their separators is read again from its box, brought to one height, with the
figures model (`OcrConfig.figures_language`). Where both give the same text, the word keeps it with the
higher of the two confidences. Where both give figures but not the same, the word takes the reading the
model was surer of, and its confidence falls to DISAGREED: under any threshold of acceptance, so it goes
to review. Where the figures model sees letters ("3%" for "37"), it gives no second opinion and the word
stays as the page pass read it; so do words with letters.

The stage runs before `italic`, which has the last word on the figures of slanted writing (read slanted,
both models can give the same wrong figures), and before pen ink is marked: values written in pen are
never accepted whatever their confidence.
"""

from __future__ import annotations

from dataclasses import replace

from digitize.model import ImageArray, OcrPage, OcrWord
from digitize.ports import OcrEngine
from digitize.stages.ocr import in_figures, is_speck, mean_confidence, nfc_word, read_scaled

#: Pixels of page kept round a word read again (a word's box is as tall as its figures).
MARGIN_X, MARGIN_Y = 4, 8
#: Height a word's box is brought to before it is read again. The English model misreads large figures:
#: boxes 33–44 px tall read as they were gave "aEa" for "11", "LEZ" for "112", "9," for "5,"; brought to
#: 20–28 px all three read right. Of 449 words in figures on typed tuning pages (boxes 20–72 px) it read
#: 96.0 % as the page pass did as they were, 96.9 % at 24 px.
HEIGHT_PX = 24
#: Confidence left to a word the two models read differently: under any threshold of acceptance.
DISAGREED = 0.4


def read_figures(engine: OcrEngine, gray: ImageArray, page: OcrPage, dpi: float, language: str) -> OcrPage:
    """The page with each of its words in figures checked against the figures model's reading."""
    if not language:
        return page
    words = [_checked(engine, gray, w, dpi, language) if in_figures(w.text) else w for w in page.words]
    if words == list(page.words):
        return page
    return replace(page, words=tuple(words), confidence=round(mean_confidence(words), 4))


def _checked(engine: OcrEngine, gray: ImageArray, word: OcrWord, dpi: float, language: str) -> OcrWord:
    again = _read_again(engine, gray, word, dpi, language)
    if again is None or not in_figures(again.text):
        return word  # the figures model saw no figures there ("11" as "aEa"): no second opinion
    if _bare(again.text) != _bare(word.text):
        return _disagreed(word, again)
    return replace(word, confidence=max(word.confidence, again.confidence))


def _read_again(
    engine: OcrEngine, gray: ImageArray, word: OcrWord, dpi: float, language: str
) -> OcrWord | None:
    """The figures model's reading of the word's box, as one word, or None when it reads nothing."""
    x0, y0, x1, y1 = word.box
    rows, cols = gray.shape[:2]
    crop = gray[
        max(0, y0 - MARGIN_Y) : min(rows, y1 + MARGIN_Y), max(0, x0 - MARGIN_X) : min(cols, x1 + MARGIN_X)
    ]
    scale = HEIGHT_PX / max(1, y1 - y0)
    found = [nfc_word(w) for w in read_scaled(engine, crop, dpi, scale, language)]
    found = [w for w in found if not is_speck(w)]
    if not found:
        return None
    return replace(word, text="".join(w.text for w in found), confidence=min(w.confidence for w in found))


def _bare(text: str) -> str:
    """The text as figures are compared: the fraction slash as a slash, no punctuation at its end."""
    return text.replace("⁄", "/").rstrip(",;:.")


def _disagreed(word: OcrWord, again: OcrWord) -> OcrWord:
    """The reading the surer model gave, with its confidence under acceptance."""
    chosen = replace(word, text=again.text.replace("⁄", "/")) if again.confidence > word.confidence else word
    return replace(chosen, confidence=min(chosen.confidence, DISAGREED))
