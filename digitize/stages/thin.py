"""Stage `thin`: words typed in hairline strokes read again with their strokes thickened.

A typewriter face of one-pixel strokes (IBM Plex Mono ExtraLight on a form, scanned at 300 dpi) is read by
Tesseract with little confidence and with its marks lost or changed: "MTNH" for MINH, "TRÂN" for TRẦN,
"ø1ờ" for giờ, "Q9/10/1996". The same words with their strokes thickened by a pixel each side read right
and surely. Only such words are read so: the rest of a page reads well as it is.

So the stroke width of each word read with less than SURE confidence is measured (twice its dark pixels
over its edge pixels: a one-pixel stroke measures 2) against the page's letter height; words under
THIN_SHARE of it are thin. Of all words read on a tuning set of 24 papers typed in that face (labels
printed in the tuning faces), 80 % of those that match a value measured under it, and 20 % of the others
(labels, and values read otherwise); on 12 papers typed in an ordinary typewriter face, 0.1 % and 1.7 %.
Each run of thin words on a line, cut where a table rule runs between two of them, is read again alone,
thickened. Where the two readings pair word for word, the thickened word replaces the page pass's when it
is surer and well written: no figure among letters, no syllable Vietnamese is not written with, no letters
in mixed case ("Hải" thickened reads "Hả1" and "HOÀI" reads "HOÀT", at 0.9 and over: the dot of an "i"
and the foot of an "I" run into their stems). Where the two differ in capitals only, the page pass's
letters stay unless they are the ones in mixed case (its "ĐỊnh" read "Định" thickened).
"""

from __future__ import annotations

from dataclasses import replace
from difflib import SequenceMatcher
from itertools import groupby

import cv2
import numpy as np

from digitize.extract.text import misread_words
from digitize.model import ImageArray, OcrPage, OcrWord, as_image
from digitize.ports import OcrEngine
from digitize.stages.ocr import (
    group_lines,
    mean_confidence,
    mixes_letters_and_figures,
    read_run,
    runs_by_cell,
)

#: A word read at least this surely is left as read; a less sure one whose stroke width is under this share
#: of the page's letter height is thin (5th to 95th percentile in the tuning sets: ordinary faces' words
#: 0.10–0.21; the hairline face's values 0.07–0.13, four in five under 0.10).
SURE, THIN_SHARE = 0.9, 0.1
#: Side of the square the grey image is eroded with (ink is dark): a stroke gains a pixel each side.
THICKEN_PX = 3
#: Grey level under which a pixel is ink, and dark pixels a word needs to be measured.
INK, MIN_INK = 128, 10


def read_thin(engine: OcrEngine, gray: ImageArray, page: OcrPage, dpi: float, letter_px: float) -> OcrPage:
    """The page with its unsure words of hairline strokes read again thickened (the page itself when it
    has none, or when no thickened reading was surer)."""
    if letter_px <= 0:
        return page
    words: list[OcrWord] = []
    for _, grouped in groupby(page.words, key=lambda w: w.line_key):
        line = list(grouped)
        for thin, run in runs_by_cell(line, [_thin(gray, w, letter_px) for w in line], page.rules_x):
            words.extend(_merged(run, read_run(engine, gray, run, dpi, prepare=_thickened)) if thin else run)
    if words == list(page.words):
        return page
    lined = group_lines(words)
    return replace(page, words=tuple(lined), confidence=round(mean_confidence(lined), 4))


def _thin(gray: ImageArray, word: OcrWord, letter_px: float) -> bool:
    if word.confidence >= SURE or not any(ch.isalnum() for ch in word.text):
        return False
    width = stroke_width(gray[word.box[1] : word.box[3], word.box[0] : word.box[2]])
    return width is not None and width < THIN_SHARE * letter_px


def stroke_width(gray: ImageArray) -> float | None:
    """The mean width of the strokes of the ink in a small grey image, in pixels (twice its dark pixels
    over those on its edge; 2 for strokes one pixel wide); None when it holds too little ink."""
    ink = (gray < INK).astype(np.uint8)
    area = int(ink.sum())
    if area < MIN_INK:
        return None
    inner = int(cv2.erode(ink, np.ones((3, 3), np.uint8)).sum())
    return 2 * area / max(1, area - inner)


def _thickened(crop: ImageArray) -> ImageArray:
    return as_image(cv2.erode(crop, np.ones((THICKEN_PX, THICKEN_PX), np.uint8)))


def _merged(old: list[OcrWord], new: list[OcrWord]) -> list[OcrWord]:
    """The page pass's words, each replaced by the thickened reading's where the two readings pair word
    for word and `_better` says so."""
    matcher = SequenceMatcher(a=[w.text for w in old], b=[w.text for w in new], autojunk=False)
    merged: list[OcrWord] = []
    for _, i0, i1, j0, j1 in matcher.get_opcodes():
        if i1 - i0 == j1 - j0:
            merged.extend(_better(a, b) for a, b in zip(old[i0:i1], new[j0:j1], strict=True))
        else:
            merged.extend(old[i0:i1])
    return merged


def _better(page_pass: OcrWord, thickened: OcrWord) -> OcrWord:
    """The thickened reading when it is surer and well written; as the page pass wrote it when they
    differ only in capitals and the page pass's are well written (the line's context set them)."""
    if thickened.confidence <= page_pass.confidence or not _well_written(thickened.text):
        return page_pass
    if thickened.text.lower() == page_pass.text.lower() and _well_written(page_pass.text):
        return replace(page_pass, confidence=thickened.confidence)
    return replace(thickened, box=page_pass.box)


def _well_written(text: str) -> bool:
    """No figure among letters ("Hả1"), and every word shaped and cased as Vietnamese is written ("HOÀT",
    "ĐỊnh")."""
    return not mixes_letters_and_figures(text) and not misread_words(text)
