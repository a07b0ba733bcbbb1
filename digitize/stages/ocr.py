"""Stage `ocr`: an upright page image → words with boxes and confidences, grouped into visual lines.

The engine's own block/line grouping splits a form line such as "Giới tính: Nam   Dân tộc: Kinh" into
separate blocks; extraction and the text layer want visual lines, so words are regrouped by geometry:
words whose vertical extents overlap by more than half belong to one line, read left to right.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from itertools import groupby

import cv2
import numpy as np

from digitize.model import ImageArray, OcrPage, OcrWord, as_image, union_box
from digitize.ports import OcrEngine
from digitize.stages.shear import MIN_SLANT, sheared, slant_of, unsheared_box

NOISE_CONFIDENCE = 0.6
SINGLE_LINE_PSM = 7


#: Letters shorter than this (in pixels: a page of about 200 dpi or less, a phone photo from afar) are read
#: enlarged to about LETTER_PX, the height Tesseract's models read best, by at most MAX_ENLARGE.
SMALL_LETTER_PX, LETTER_PX, MAX_ENLARGE = 18.0, 27.0, 3.0


def ocr_page(engine: OcrEngine, gray: ImageArray, dpi: float, number: int, letter_px: float = 0.0) -> OcrPage:
    words = [nfc_word(w) for w in _read_enlarged(engine, gray, dpi, letter_px) if not is_speck(w)]
    lined = without_doubles(group_lines(words))
    confidence = sum(w.confidence for w in lined) / len(lined) if lined else 0.0
    return OcrPage(number, int(gray.shape[1]), int(gray.shape[0]), tuple(lined), round(confidence, 4))


def _read_enlarged(engine: OcrEngine, gray: ImageArray, dpi: float, letter_px: float) -> list[OcrWord]:
    """The page's words, read from an enlarged copy when its print is small (boxes in the page's pixels):
    at about 100 dpi Tesseract loses letters and tone marks that it reads at three times the size."""
    factor = enlargement(letter_px, LETTER_PX, SMALL_LETTER_PX)
    if factor == 1.0:
        return engine.read_words(gray, dpi)
    big = as_image(cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC))
    return [replace(w, box=shrunk_box(w.box, factor)) for w in engine.read_words(big, dpi * factor)]


def enlargement(size: float, target: float, small: float) -> float:
    """How much print measured `size` pixels high is enlarged to be read at about `target`: not at all
    unless it is under `small`, and at most MAX_ENLARGE."""
    if not 0 < size < small:
        return 1.0
    return min(MAX_ENLARGE, target / size)


def shrunk_box(box: tuple[int, int, int, int], factor: float) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = box
    return (int(x0 / factor), int(y0 / factor), int(np.ceil(x1 / factor)), int(np.ceil(y1 / factor)))


def is_speck(word: OcrWord) -> bool:
    """Dust, rule remnants and stray marks: a word of punctuation only, read with low confidence."""
    has_text = any(ch.isalnum() for ch in word.text)
    return not has_text and word.confidence < NOISE_CONFIDENCE


#: Two words of one line sharing this much of the wider one's width and of the lower one's height are
#: two readings of the same ink.
DOUBLE_SHARE = 0.5


def without_doubles(words: list[OcrWord]) -> list[OcrWord]:
    """The words (in line order) without the less sure of two readings of the same ink. Tesseract read a
    line of a skewed register's cell twice, 10 px apart ("phueng" at 0.74 over "phường" at 0.97, "1s"
    over "quận"), and both readings went into the husband's residence."""
    dropped: set[int] = set()
    for _, grouped in groupby(words, key=lambda w: w.line_key):
        line = sorted(grouped, key=lambda w: w.box[0])
        for i, first in enumerate(line):
            for other in line[i + 1 :]:
                if other.box[0] >= first.box[2]:
                    break
                if _same_ink(first, other):
                    dropped.add(id(min(first, other, key=lambda w: w.confidence)))
    return [w for w in words if id(w) not in dropped] if dropped else words


def _same_ink(a: OcrWord, b: OcrWord) -> bool:
    """Two words of two letters or figures or more, over most of the wider one's width and of the shorter
    one's height: not a mark read apart over its letters, which `read_cells` reads again and
    `without_strays` drops, nor a word whose box the page pass drew over the next word too ("trú:" over
    "Xóm", 76 of its 197 px: the narrower one is all under it)."""
    if min(sum(ch.isalnum() for ch in w.text) for w in (a, b)) < 2:
        return False
    (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = a.box, b.box
    across = min(ax1, bx1) - max(ax0, bx0)
    down = min(ay1, by1) - max(ay0, by0)
    return across >= DOUBLE_SHARE * max(ax1 - ax0, bx1 - bx0) and down >= DOUBLE_SHARE * min(
        ay1 - ay0, by1 - by0
    )


#: A word of one or two characters under this share of the page's word height is a tone mark read on its
#: own or dust ("ˆ", "`", a "5" 5 px tall: FreeSerif's marks above a register's names, read into them).
STRAY_SHARE = 0.35


def drop_strays(page: OcrPage) -> OcrPage:
    """The page without marks read on their own (`without_strays`). Run after `read_cells`, which reads a
    cell again because its marks stand apart from their letters."""
    words = without_strays(list(page.words))
    if len(words) == len(page.words):
        return page
    return replace(page, words=tuple(words), confidence=round(mean_confidence(words), 4))


def without_strays(words: list[OcrWord]) -> list[OcrWord]:
    """The words without marks read on their own: one or two characters far smaller than the words round
    them, and a single character inside another word's box (FreeSerif's "Quyển" read again as "y" within
    it: "Quyển y số" hid the label "Quyển số")."""
    heights = sorted(w.box[3] - w.box[1] for w in words if len(w.text) > 1 and w.text[0].isalnum())
    if not heights:
        return words
    small = STRAY_SHARE * heights[len(heights) // 2]
    kept = [w for w in words if not (_mark_like(w) and w.box[3] - w.box[1] < small)]
    return [w for w in kept if len(w.text) > 1 or not any(_within(w.box, o.box) for o in kept if o is not w)]


#: Tone marks as OCR reads them on their own; punctuation ("-", ".", ",") is small by nature and stays.
DETACHED_MARKS = frozenset("ˆ`´˜~'’‘\"¨^")


def _mark_like(word: OcrWord) -> bool:
    return len(word.text) <= 2 and any(ch.isalnum() or ch in DETACHED_MARKS for ch in word.text)


def _within(inner: tuple[int, int, int, int], outer: tuple[int, int, int, int]) -> bool:
    """Inside the other box across, and overlapping it up and down."""
    across = inner[0] >= outer[0] and inner[2] <= outer[2]
    return across and min(inner[3], outer[3]) > max(inner[1], outer[1])


def nfc_word(word: OcrWord) -> OcrWord:
    text = unicodedata.normalize("NFC", word.text)
    return word if text == word.text else replace(word, text=text)


def group_lines(words: list[OcrWord]) -> list[OcrWord]:
    """Words in reading order with line_key = (0, 0, visual line number)."""
    lines: list[list[OcrWord]] = []
    for word in sorted(words, key=lambda w: (w.box[1] + w.box[3]) / 2):
        target = _find_line(lines, word)
        if target is None:
            lines.append([word])
        else:
            target.append(word)
    ordered: list[OcrWord] = []
    lines.sort(key=lambda ws: min(w.box[1] for w in ws))
    for index, line in enumerate(lines):
        for word in sorted(line, key=lambda w: w.box[0]):
            ordered.append(replace(word, line_key=(0, 0, index)))
    return ordered


def _find_line(lines: list[list[OcrWord]], word: OcrWord) -> list[OcrWord] | None:
    """The recent line whose median band holds this word's vertical centre."""
    centre = (word.box[1] + word.box[3]) / 2
    for line in reversed(lines[-6:]):
        tops = sorted(w.box[1] for w in line)
        bottoms = sorted(w.box[3] for w in line)
        top, bottom = tops[len(tops) // 2], bottoms[len(bottoms) // 2]
        if top <= centre <= bottom:
            return line
    return None


def cell_index(bounds: tuple[int, ...], value: float) -> int | None:
    return next((i for i in range(len(bounds) - 1) if bounds[i] <= value < bounds[i + 1]), None)


def mean_confidence(words: Sequence[OcrWord]) -> float:
    return sum(w.confidence for w in words) / len(words)


#: Characters of a word in figures besides the digits: date and number separators, the fraction slash
#: Tesseract reads for "/" in some faces, and punctuation that ends a value.
SEPARATORS = frozenset("/.-⁄,;:")


def mixes_letters_and_figures(text: str) -> bool:
    """A figure and a letter in one text ("S4" for 54, "Hả1" for Hải; a hamlet's own "10A" too)."""
    return any(ch.isdigit() for ch in text) and any(ch.isalpha() for ch in text)


def in_figures(text: str) -> bool:
    """Digits, with separators between or after them, and nothing else ("27/02/2006", "038206505365",
    "101", "5,"); not a hamlet's "10A" nor a label's "số:"."""
    return any(ch.isdigit() for ch in text) and all(ch.isdigit() or ch in SEPARATORS for ch in text)


#: A word this many times wider a letter than the line's words of three letters or more is words the page
#: pass read as one: a label in one face and its value typed in another ("Nơi thường trú: xóm 9" read
#: "Nơi thường 9", its "thường" box 2.2 times as wide a letter as the line's; "Sinh tại: Trạm" as "Sinh").
WIDE_WORD = 1.8
#: A gap between two words of a line wider than this many letters, or the line's end up to LINE_END_LETTERS
#: letters after its last word, holds words the page pass lost where its ink, from its first inked column
#: to its last, is INKED_LETTERS letters wide or more with GAP_INK of it dark ("Nơi trú: xóm 3", "thường"
#: lost in the same mixed faces; "Số: 70 số:" with "Quyển" and the book's number lost).
GAP_LETTERS, LINE_END_LETTERS, INKED_LETTERS, GAP_INK = 4.0, 20.0, 1.5, 0.05
#: Pixels of page kept above and under what is read again, and left out beside a gap (its words' edges).
PAD_Y, GAP_PAD = 6, 4


def read_lost_words(engine: OcrEngine, gray: ImageArray, page: OcrPage, dpi: float) -> OcrPage:
    """The page with the words its pass merged into one or lost read again: each word far wider than its
    letters read from its box alone (`_wider_reading`), and the ink of each wide gap, of the line's end
    and of its start back to the page's left margin (`_gap_reading`: a label at a tab stop lost, "Số:"
    before "112, ngày 8/4/2015"). Only ink no other word of the page covers is read: Tesseract gave one
    printed line as two lines at one height ("chữ tên PHAN GIA TRUNG" over "Họ, đệm, chồng:"), whose gaps
    hold each other's words."""
    words: list[OcrWord] = []
    unread = _unread_ink(gray, page.words)
    margin = min((w.box[0] for w in page.words), default=0)
    for _, grouped in groupby(page.words, key=lambda w: w.line_key):
        line = list(grouped)
        letter = _letter_width(line)
        band = (min(w.box[1] for w in line), max(w.box[3] for w in line))
        if letter:
            start = max(0, round(margin - letter))  # not past it: a photo's dark edge is no word
            words.extend(_gap_reading(engine, unread, (start, line[0].box[0]), line[0], band, letter, dpi))
        for i, word in enumerate(line):
            if letter and i and word.box[0] - line[i - 1].box[2] > GAP_LETTERS * letter:
                gap = (line[i - 1].box[2], word.box[0])
                words.extend(_gap_reading(engine, unread, gap, line[i - 1], band, letter, dpi))
            wide = letter and _letter_px(word) > WIDE_WORD * letter
            words.extend((_wider_reading(engine, gray, word, page.words, dpi) if wide else None) or [word])
        if letter:
            end = min(gray.shape[1], round(line[-1].box[2] + LINE_END_LETTERS * letter))
            gap = (line[-1].box[2], end)
            words.extend(_gap_reading(engine, unread, gap, line[-1], band, letter, dpi))
    if len(words) == len(page.words):
        return page
    return replace(page, words=tuple(words), confidence=round(mean_confidence(words), 4))


def _unread_ink(gray: ImageArray, words: Sequence[OcrWord]) -> ImageArray:
    """The image with every word's box painted white: the ink no word was read from."""
    unread = gray.copy()
    for w in words:
        unread[w.box[1] : w.box[3], w.box[0] : w.box[2]] = 255
    return unread


def _letter_px(word: OcrWord) -> float:
    return (word.box[2] - word.box[0]) / max(1, len(word.text))


def _letter_width(line: list[OcrWord]) -> float:
    """The median width a letter of the line's words of three letters or more; 0 with fewer than two."""
    widths = sorted(_letter_px(w) for w in line if len(w.text) >= 3)
    return widths[len(widths) // 2] if len(widths) >= 2 else 0.0


def _wider_reading(
    engine: OcrEngine, gray: ImageArray, word: OcrWord, words: Sequence[OcrWord], dpi: float
) -> list[OcrWord] | None:
    """The words read in the word's box alone, when they are the word itself and more, read with
    confidence; else None (the page pass's reading stays). A box other words stand in was only drawn too
    wide ("Nơi" over "cư trú:", read again "Nơi r7" from what the box held besides them): it stays."""
    x0, y0, x1, y1 = word.box
    if any(
        w is not word and w.box[0] < x1 and w.box[2] > x0 and w.box[1] < y1 and w.box[3] > y0 for w in words
    ):
        return None
    found = _read_box(engine, gray, word.box, word, dpi)
    if len(found) < 2 or word.text not in [w.text for w in found]:
        return None
    return found if mean_confidence(found) >= NOISE_CONFIDENCE else None


def _gap_reading(
    engine: OcrEngine,
    gray: ImageArray,
    gap: tuple[int, int],
    beside: OcrWord,
    band: tuple[int, int],
    letter: float,
    dpi: float,
) -> list[OcrWord]:
    """The words read, each with confidence, in the ink of the `gap` (left and right x) on the line's `band`,
    put on the line of the word `beside` it: from its first inked column to its last, when that is a word
    or more wide and inked like print (specks at both ends of a gap are not). A hand's strokes read so
    came out "päáy", "Adoreodberg": unsure words are left out."""
    x0, x1 = gap[0] + GAP_PAD, gap[1] - GAP_PAD
    dark = gray[band[0] : band[1], x0:x1] < 128
    columns = np.flatnonzero(dark.any(axis=0)) if dark.size else np.empty(0, dtype=int)
    if columns.size == 0:
        return []
    lo, hi = int(columns[0]), int(columns[-1]) + 1
    if hi - lo < INKED_LETTERS * letter or float(dark[:, lo:hi].mean()) < GAP_INK:
        return []
    box = (x0 + max(0, lo - GAP_PAD), band[0], x0 + hi + GAP_PAD, band[1])
    found = _read_box(engine, gray, box, beside, dpi)
    return [w for w in found if len(w.text) > 1 and w.confidence >= NOISE_CONFIDENCE]


def _read_box(
    engine: OcrEngine, gray: ImageArray, box: tuple[int, int, int, int], beside: OcrWord, dpi: float
) -> list[OcrWord]:
    """The words with letters or figures read in the box alone as a line, PAD_Y of page above and under it,
    in the page's pixels and on the line of the word `beside`."""
    x0, y0, x1, y1 = box
    top = max(0, y0 - PAD_Y)
    return [
        replace(
            nfc_word(w),
            box=(w.box[0] + x0, w.box[1] + top, w.box[2] + x0, w.box[3] + top),
            line_key=beside.line_key,
        )
        for w in read_as_line(engine, gray[top : y1 + PAD_Y, x0:x1], dpi)
        if any(ch.isalnum() for ch in w.text)
    ]


def runs_by_cell(
    line: Sequence[OcrWord], flags: Sequence[bool], rules_x: Sequence[int]
) -> Iterator[tuple[bool, list[OcrWord]]]:
    """A line's words cut into runs whose flags are alike, and where a table rule runs between."""
    cells = [sum(1 for x in rules_x if x <= w.box[0]) for w in line]
    for (flag, _), indexes in groupby(range(len(line)), key=lambda k: (flags[k], cells[k])):
        yield flag, [line[k] for k in indexes]


#: Pixels of page kept above and below a run of a line's words, and beside it, when it is read again alone.
RUN_MARGIN_Y, RUN_MARGIN_X = 6, 3


def read_run(
    engine: OcrEngine,
    gray: ImageArray,
    run: Sequence[OcrWord],
    dpi: float,
    upright: bool = False,
    prepare: Callable[[ImageArray], ImageArray] | None = None,
) -> list[OcrWord]:
    """The run's words read again alone as a line (its crop `prepare`d first when given, stood upright
    with `upright`: `read_as_line`), specks left out, boxes in the page's pixels, on the run's line."""
    x0, y0, x1, y1 = union_box(w.box for w in run)
    left, top = max(0, x0 - RUN_MARGIN_X), max(0, y0 - RUN_MARGIN_Y)
    crop = gray[top : y1 + RUN_MARGIN_Y, left : x1 + RUN_MARGIN_X]
    return [
        replace(
            nfc_word(w),
            box=(w.box[0] + left, w.box[1] + top, w.box[2] + left, w.box[3] + top),
            line_key=run[0].line_key,
        )
        for w in read_as_line(engine, prepare(crop) if prepare else crop, dpi, upright=upright)
        if not is_speck(w)
    ]


#: White pixels framed round an image read on its own: Tesseract misses ink that touches the edge.
FRAME_PX = 20


def read_as_line(
    engine: OcrEngine, gray: ImageArray, dpi: float, upright: bool = False, language: str | None = None
) -> list[OcrWord]:
    """The words of a small image (a table cell, a value's box) read on its own as one line, framed in
    white, and with `upright` stood upright first when it is written slanted; their boxes are in the
    image's own pixels. `language` reads with another model than the engine's own."""
    degrees = slant_of(gray) if upright else 0
    if abs(degrees) < MIN_SLANT:
        return read_framed(engine, gray, dpi, language)
    height = int(gray.shape[0])
    return [
        replace(w, box=unsheared_box(w.box, degrees, height))
        for w in read_framed(engine, sheared(gray, degrees), dpi, language)
    ]


def read_framed(
    engine: OcrEngine, gray: ImageArray, dpi: float, language: str | None, psm: int = SINGLE_LINE_PSM
) -> list[OcrWord]:
    framed = as_image(cv2.copyMakeBorder(gray, *(FRAME_PX,) * 4, cv2.BORDER_CONSTANT, value=255))
    return [
        replace(w, box=(w.box[0] - FRAME_PX, w.box[1] - FRAME_PX, w.box[2] - FRAME_PX, w.box[3] - FRAME_PX))
        for w in engine.read_words(framed, dpi, psm=psm, language=language)
    ]


def read_scaled(
    engine: OcrEngine, gray: ImageArray, dpi: float, scale: float, language: str | None = None
) -> list[OcrWord]:
    """`read_as_line` of a small image brought to `scale` (shrunk by area, enlarged by cubic
    interpolation), its boxes in the scaled image's pixels; nothing when at that scale it would be under
    a pixel (an empty crop, or a "word" so tall and thin that brought to a height it is no pixel wide)."""
    if min(round(side * scale) for side in gray.shape[:2]) < 1:
        return []
    how = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    resized = as_image(cv2.resize(gray, None, fx=scale, fy=scale, interpolation=how))
    return read_as_line(engine, resized, dpi * scale, language=language)


#: A word counts as written in pen when most of its dark pixels are blue (OpenCV hue 90–140 of 180) and
#: clearly saturated: printed forms are black, values filled in by hand are often blue ballpoint.
PEN_HUES, PEN_SATURATION, PEN_SHARE = (90, 140), 60, 0.5


def mark_pen_ink(rgb: ImageArray, page: OcrPage) -> OcrPage:
    """Flag the words written in coloured pen (the image the words were read from, upright, in colour)."""
    if rgb.ndim != 3 or not page.words:
        return page
    marked = tuple(replace(w, pen=True) if _in_pen(rgb, w.box) else w for w in page.words)
    return replace(page, words=marked)


def _in_pen(rgb: ImageArray, box: tuple[int, int, int, int]) -> bool:
    crop = rgb[max(0, box[1]) : box[3], max(0, box[0]) : box[2]]
    if crop.size == 0:
        return False
    hsv = cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_RGB2HSV)
    ink = hsv[..., 2] < 170  # the strokes, not the paper between them
    if not ink.any():
        return False
    hue, saturation = hsv[..., 0][ink], hsv[..., 1][ink]
    blue = (hue >= PEN_HUES[0]) & (hue <= PEN_HUES[1]) & (saturation >= PEN_SATURATION)
    return float(blue.mean()) >= PEN_SHARE
