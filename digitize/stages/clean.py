"""Stage `clean`: images prepared for analysis and OCR (the archival copy keeps the original pixels).

- `to_gray` / `flatten_light`: grey levels with uneven light and shadows divided out.
- `binarize`: ink = 255 on a light-normalised image (Otsu).
- `remove_rules`: long horizontal/vertical rules (table borders, underlines) painted out, so that text lines
  dominate profiles and Tesseract reads cells without the borders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from digitize.model import ImageArray, as_image


def to_gray(rgb: ImageArray) -> ImageArray:
    return rgb if rgb.ndim == 2 else as_image(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))


def drop_colour_ink(rgb: ImageArray) -> ImageArray:
    """Grey image with the red of seals (saturated, not dark) turned to paper white.

    Seals are red; dark pixels stay even when tinted, so text under a seal survives. Blue is kept: registers
    and forms are filled in by hand in blue ballpoint as often as in black, and dropping blue with the seals
    erased every value of a page written in it (a blue signature is read as a few low-confidence words).
    """
    if rgb.ndim == 2:
        return rgb
    gray = to_gray(rgb)
    step = RED_LOOK_STEP  # most pages bear no seal: a look at every 4th pixel each way says so
    found = np.argwhere(_red(np.ascontiguousarray(rgb[::step, ::step])) > 0)
    if not found.size:
        return gray
    (y0, x0), (y1, x1) = found.min(axis=0) * step, (found.max(axis=0) + 2) * step
    region = (slice(max(0, y0 - step), y1 + step), slice(max(0, x0 - step), x1 + step))
    gray[region] = cv2.bitwise_or(gray[region], _red(np.ascontiguousarray(rgb[region])))
    return gray


#: The red of seals is looked for first on every this-many-th pixel, then at full size where it is.
RED_LOOK_STEP = 4


def _red(rgb: ImageArray) -> ImageArray:
    """255 where a pixel is a seal's red (saturated and not dark), else 0."""
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)  # OpenCV hue: 0–180, red at both ends
    return as_image(
        cv2.bitwise_or(
            cv2.inRange(hsv, (0, 91, 91), (RED_HUE_SPAN, 255, 255)),
            cv2.inRange(hsv, (180 - RED_HUE_SPAN, 91, 91), (180, 255, 255)),
        )
    )


#: Hues within this many steps of pure red (of OpenCV's 180) count as a seal's red (magenta to orange).
RED_HUE_SPAN = 20


def flatten_light(gray: ImageArray) -> ImageArray:
    """Divide the image by its estimated background (a large closing), so paper becomes uniformly white.

    The quotient is written over the full-size background, so the page exists twice at most, not four
    times (17 MB each on an A3 page)."""
    h, w = gray.shape
    small = cv2.resize(gray, (max(1, w // 8), max(1, h // 8)), interpolation=cv2.INTER_AREA)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9))
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    background = cv2.medianBlur(background, 5)
    np.maximum(background, 1, out=background)
    normalised = cv2.resize(background, (w, h), interpolation=cv2.INTER_LINEAR)
    cv2.divide(gray, normalised, dst=normalised, scale=255)
    return as_image(normalised)


def binarize(gray: ImageArray) -> ImageArray:
    """Ink → 255, paper → 0."""
    _, bw = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return bw.astype(np.uint8)


#: Pages larger than this (px, longer side) look for rules at half size: long openings cost per pixel and
#: per kernel length, and a rule 8 % of the page long is as plain at 150 dpi as at 300.
RULES_AT_HALF_SIZE = 2000


def rule_lines(bw: ImageArray, min_fraction: float = 0.08) -> tuple[ImageArray, ImageArray, int]:
    """Horizontal and vertical rules longer than `min_fraction` of the page side (ink = 255), and the
    factor by which these masks are smaller than `bw` (1, or 2 on large pages)."""
    h, w = bw.shape
    if max(h, w) > RULES_AT_HALF_SIZE:
        half = halve(bw)
        half[half > 0] = 255  # a 1-pixel rule keeps its ink at half size
        return *_openings(half, min_fraction), 2
    return *_openings(bw, min_fraction), 1


def _openings(bw: ImageArray, min_fraction: float) -> tuple[ImageArray, ImageArray]:
    h, w = bw.shape
    horizontal = cv2.morphologyEx(
        bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(8, int(w * min_fraction)), 1))
    )
    vertical = cv2.morphologyEx(
        bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(8, int(h * min_fraction))))
    )
    return as_image(horizontal), as_image(vertical)


def rule_mask(bw: ImageArray, min_fraction: float = 0.08) -> ImageArray:
    """Pixels of horizontal and vertical rules longer than `min_fraction` of the page side."""
    return _rule_pixels(*rule_lines(bw, min_fraction), bw)


def _rule_pixels(horizontal: ImageArray, vertical: ImageArray, factor: int, bw: ImageArray) -> ImageArray:
    """The rules at full size, and only where there is ink (the rule's own pixels, not the blocks of the
    half-size mask around them), with a pixel round them."""
    mask = cv2.bitwise_or(horizontal, vertical)
    if factor > 1:
        mask = cv2.resize(mask, bw.shape[::-1], interpolation=cv2.INTER_NEAREST)
        cv2.bitwise_and(mask, bw, dst=mask)
    return as_image(cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))))


def rule_positions(
    horizontal: ImageArray, vertical: ImageArray, factor: int = 1
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """x of vertical and y of horizontal rules spanning a good part of the page (table grids), in the
    pixels of the page the masks were found on at 1/`factor` of its size."""
    h, w = horizontal.shape
    xs = _peaks(vertical.sum(axis=0) / 255.0, 0.15 * h)
    ys = _peaks(horizontal.sum(axis=1) / 255.0, 0.25 * w)
    return tuple(x * factor for x in xs), tuple(y * factor for y in ys)


def _peaks(profile: np.ndarray, minimum: float) -> tuple[int, ...]:
    """Centres of runs where the profile exceeds `minimum`."""
    on = profile >= minimum
    centres: list[int] = []
    start = None
    for i, flag in enumerate([*on, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            centres.append((start + i - 1) // 2)
            start = None
    return tuple(centres)


def remove_rules(bw: ImageArray) -> ImageArray:
    return as_image(cv2.bitwise_and(bw, cv2.bitwise_not(rule_mask(bw))))


#: A straight vertical stroke this many letters tall is a rule however short: a cell's edge on a form printed
#: as a grid, a row tall, which the OCR glues to the value beside it ("INữ", "JViệt Nam"), when it meets a
#: horizontal rule (a grid's row); one that meets none must be CELL_EDGE_ALONE letters tall. A bold title's
#: stems stand 2.5–3 letters of a page's small hand-filled values tall, and lost them ("SỔ ĐĂNG KÝ KHAI TỬ"
#: read as nothing on a held-out death book page, which was then typed unknown).
CELL_EDGE_LETTERS, CELL_EDGE_ALONE = 2.5, 4.0


def cell_edges(bw: ImageArray, letter_px: float, horizontal: ImageArray, factor: int = 1) -> ImageArray:
    """Vertical rules too short for `rule_lines` (8 % of the page), with a pixel round them; `horizontal`
    holds the page's horizontal rules at 1/`factor` of its size."""
    if letter_px <= 0:
        return np.zeros_like(bw)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(8, round(CELL_EDGE_LETTERS * letter_px))))
    edges = cv2.morphologyEx(bw, cv2.MORPH_OPEN, kernel)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(edges, connectivity=8)
    if count > 1:
        rules = (
            cv2.resize(horizontal, bw.shape[::-1], interpolation=cv2.INTER_NEAREST)
            if factor > 1
            else horizontal
        )
        reach = max(3, round(letter_px / 4))
        near = cv2.dilate(rules, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * reach + 1, 2 * reach + 1)))
        meets = np.zeros(count, dtype=bool)
        meets[np.unique(labels[(near > 0) & (edges > 0)])] = True
        meets |= stats[:, cv2.CC_STAT_HEIGHT] >= CELL_EDGE_ALONE * letter_px
        meets[0] = False
        edges = as_image(np.where(meets[labels], 255, 0).astype(np.uint8))
    return as_image(cv2.dilate(edges, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))))


@dataclass(frozen=True, eq=False)
class OcrInput:
    """What the OCR engine reads (grey, light-flattened, rules painted white) and where the rules were."""

    gray: ImageArray
    rules_x: tuple[int, ...]
    rules_y: tuple[int, ...]
    letter_px: float = 0.0  # median letter height on the page (0 when no text was found)


def prepare_for_ocr(rgb: ImageArray) -> OcrInput:
    """Flatten and binarize the page once; derive both the OCR image and the table rules from it."""
    gray = flatten_light(drop_colour_ink(rgb))
    bw = binarize(gray)
    marks = components(bw)  # traced once: the letter height and the despeckling both measure the marks
    letter_px = letter_height(marks[1])
    despeckle(gray, bw, marks)
    undot_zeros(gray, bw, letter_px)
    horizontal, vertical, factor = rule_lines(bw)  # one pair of openings serves the mask and the grid
    cv2.bitwise_or(gray, _rule_pixels(horizontal, vertical, factor, bw), dst=gray)  # rules to paper white
    cv2.bitwise_or(gray, cell_edges(bw, letter_px, horizontal, factor), dst=gray)
    del bw
    rules_x, rules_y = rule_positions(horizontal, vertical, factor)
    return OcrInput(gray, rules_x, rules_y, letter_px)


#: Rows per band of the letters' summed-area table (4 bytes a pixel): about 10 MB on an A3 page at 300 dpi.
BAND_ROWS = 512


def components(bw: ImageArray) -> tuple[list[np.ndarray], np.ndarray]:
    """The outer outline and the box (x, y, w, h) of every connected ink mark (8-connected, as OpenCV's
    labelling), marks inside another's holes (text in table cells) included.

    Outlines instead of a label image: OpenCV's labelling with statistics cost 106 ms on a 300 dpi A4
    page, tracing the outlines 8 ms, and there is no 4-bytes-a-pixel label image.
    """
    contours, hierarchy = cv2.findContours(bw, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return [], np.zeros((0, 4), dtype=np.int64)
    outer = [c for c, link in zip(contours, hierarchy[0], strict=True) if link[3] < 0]  # not a hole's
    return outer, np.array([cv2.boundingRect(c) for c in outer], dtype=np.int64).reshape(-1, 4)


Marks = tuple[list[np.ndarray], np.ndarray]  # outer outlines and their (x, y, w, h) boxes (`components`)


def despeckle(gray: ImageArray, bw: ImageArray, marks: Marks | None = None) -> int:
    """Paint out dust: small ink specks with no letter beside or above/below them. Returns how many.

    A mark counts as small when it fits in a square of 0.3 letter heights (an i-dot, a tone mark, a
    period, dust). Tone marks and dots sit right above or below a letter, periods and commas right after
    one; dust lies between lines or in the margins, where Tesseract takes it for tone marks or letters
    ("hai nghìn" → "hội nghĩ"). Works in place on `gray`; `bw` is its ink mask, `marks` its components
    when the caller has traced them already.
    """
    outlines, boxes = marks if marks is not None else components(bw)
    letter = _median_letter(boxes, min_height=8, min_width=3)  # dots and dust are no letters
    if letter == 0:
        return 0
    side = max(2, round(0.3 * letter))
    small = (boxes[:, 3] <= side) & (boxes[:, 2] <= side)
    leaders = _dotted_rows(boxes, small, letter)
    candidates = small & ~_stacked_pairs(boxes, small, letter) & ~leaders
    if not candidates.any() and not leaders.any():
        return 0
    letters = bw.copy()
    cv2.drawContours(letters, [outlines[i] for i in np.flatnonzero(small)], -1, 0, thickness=cv2.FILLED)
    dust = np.flatnonzero(candidates)
    alone = dust[~_letter_within_reach(letters, boxes[dust], letter)]
    dust = np.concatenate([alone, np.flatnonzero(leaders)])
    chosen = [outlines[i] for i in dust]
    _paint_out(gray, chosen, rim=3)
    return int(dust.size)


def _paint_out(gray: ImageArray, outlines: Sequence[np.ndarray], rim: int) -> None:
    """Fill the marks with paper white, and a line `rim` pixels wide round each: anti-aliasing lies there."""
    cv2.drawContours(gray, outlines, -1, 255, thickness=cv2.FILLED)
    cv2.drawContours(gray, outlines, -1, 255, thickness=rim)


def undot_zeros(gray: ImageArray, bw: ImageArray, letter: float) -> int:
    """Paint out the dot alone in the middle of a letter's hole: the dotted zero of typewriter and
    programmers' faces (Liberation Mono, Consolas-like), which Tesseract reads as 9 or 8 ("20/10/1990" →
    "29/19/1990", "1990" → "1999"). Returns how many. No Vietnamese letter holds a mark in its hole; text in
    a table cell sits in a hole too, but one far taller than a letter. Works in place on `gray`."""
    if letter <= 0:
        return 0
    contours, hierarchy = cv2.findContours(bw, cv2.RETR_TREE, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return 0
    links = hierarchy[0]
    dots = [contours[i] for i in range(len(links)) if _dot_in_hole(contours, links, i, letter)]
    _paint_out(gray, dots, rim=2)  # a thinner rim: the ring round the dot is close
    return len(dots)


def _dot_in_hole(contours: Sequence[np.ndarray], links: np.ndarray, i: int, letter: float) -> bool:
    """Whether outline `i` is a solid mark, alone in a hole of a letter-sized mark, small and centred in
    it (OpenCV's tree: `links[i]` = next, previous, first child, parent)."""
    after, before, child, hole = links[i]
    if hole < 0 or child >= 0 or after >= 0 or before >= 0 or links[hole][3] < 0 or _depth(links, i) % 2:
        return False
    ring = cv2.boundingRect(contours[links[hole][3]])
    if not 0.5 * letter <= ring[3] <= 2 * letter or ring[2] > 1.5 * letter:  # `letter`: a median, x-high
        return False
    x, y, w, h = cv2.boundingRect(contours[i])
    hx, hy, hw, hh = cv2.boundingRect(contours[hole])
    centred = abs(2 * x + w - 2 * hx - hw) <= hw / 2 and abs(2 * y + h - 2 * hy - hh) <= hh / 2
    return centred and 2 * w <= hw and 2 * h <= hh


def drop_low_specks(gray: ImageArray, bw: ImageArray, side: float, low: float) -> int:
    """Paint out the marks that fit in a `side`-pixel square and lie low (centre below row `low`): under a
    number, a form's dotted leader and dust are noise, and a period between figures carries no digit.
    Marks higher up stay: an i-dot lost makes "giờ" read "g1ờ". Works in place on `gray`; returns how many."""
    outlines, boxes = components(bw)
    low_small = (boxes[:, 2] <= side) & (boxes[:, 3] <= side) & (boxes[:, 1] + boxes[:, 3] / 2 >= low)
    chosen = [outlines[i] for i in np.flatnonzero(low_small)]
    _paint_out(gray, chosen, rim=3)
    return len(chosen)


def _depth(links: np.ndarray, i: int) -> int:
    """How many outlines enclose outline `i`: even for a mark's outer edge, odd for a hole's."""
    depth = 0
    while links[i][3] >= 0:
        i, depth = links[i][3], depth + 1
    return depth


def _letter_within_reach(letters: ImageArray, boxes: np.ndarray, letter: float) -> np.ndarray:
    """Per mark (x, y, w, h): a letter pixel just beside it, or within a tone mark's reach above/below
    (a hook sits right of a hat). `letters` is the ink with the small marks taken out; it is summed in
    bands of rows, each with the reach above and below, so no table of the whole page is made."""
    beside = (round(0.5 * letter), 0)
    above_below = (round(0.25 * letter), round(0.6 * letter))
    reach = above_below[1] + int(boxes[:, 3].max(initial=0)) + 1
    found = np.zeros(len(boxes), dtype=bool)
    for top in range(0, letters.shape[0], BAND_ROWS):
        here = np.flatnonzero((boxes[:, 1] >= top) & (boxes[:, 1] < top + BAND_ROWS))
        if not here.size:
            continue
        lo = max(0, top - reach)
        sums = cv2.integral(letters[lo : top + BAND_ROWS + reach])  # (rows+1, w+1) sums of letter ink
        local = boxes[here] - np.array([0, lo, 0, 0])
        for dx, dy in (beside, above_below):
            found[here] |= _box_sums(sums, local, dx, dy) > 0
    return found


def _box_sums(integral: np.ndarray, boxes: np.ndarray, dx: int, dy: int) -> np.ndarray:
    height, width = integral.shape[0] - 1, integral.shape[1] - 1
    x0 = np.clip(boxes[:, 0] - dx, 0, width)
    y0 = np.clip(boxes[:, 1] - dy, 0, height)
    x1 = np.clip(boxes[:, 0] + boxes[:, 2] + dx, 0, width)
    y1 = np.clip(boxes[:, 1] + boxes[:, 3] + dy, 0, height)
    return np.asarray(integral[y1, x1] - integral[y0, x1] - integral[y1, x0] + integral[y0, x0])


def _centres(boxes: np.ndarray, small: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The small marks' indices and the x and y of their centres."""
    index = np.flatnonzero(small)
    cx = boxes[index, 0] + boxes[index, 2] / 2
    cy = boxes[index, 1] + boxes[index, 3] / 2
    return index, cx, cy


def _stacked_pairs(boxes: np.ndarray, small: np.ndarray, letter: float) -> np.ndarray:
    """Small marks with another one right above or below them: colons, and the dots of "ï"-like pairs."""
    index, cx, cy = _centres(boxes, small)
    width = 0.3 * letter
    paired = np.zeros(len(index), dtype=bool)
    for offset in (0.0, 0.5):  # columns of marks, twice, so that no pair straddles a column edge unseen
        column = np.floor(cx / width + offset)
        order = np.lexsort((cy, column))
        col, x, y = column[order], cx[order], cy[order]
        for shift in (1, 2):
            dy = y[shift:] - y[:-shift]
            hit = (col[shift:] == col[:-shift]) & (np.abs(x[shift:] - x[:-shift]) <= 0.15 * letter)
            hit &= (dy >= 0.2 * letter) & (dy <= 1.0 * letter)
            paired[order[shift:][hit]] = True
            paired[order[:-shift][hit]] = True
    out = np.zeros(len(small), dtype=bool)
    out[index[paired]] = True
    return out


def _dotted_rows(boxes: np.ndarray, small: np.ndarray, letter: float) -> np.ndarray:
    """Small marks in a row of five or more within three letter widths: the dotted leaders a form's values
    are written on. They go whole, the dots touching the writing too: a leader thinned to the dots beside
    the writing made Tesseract drop whole lines of hand-filled forms, and its dots under a word read as
    tone marks ("Kinh" → "Kịnh"). Hand-filled tuning pages: 50.9 % → 56.9 % of values right, typed
    unchanged."""
    index, cx, cy = _centres(boxes, small)
    height = 0.15 * letter
    dotted = np.zeros(len(index), dtype=bool)
    for offset in (0.0, 0.5):  # bands of rows, twice, so that no leader straddles a band edge unseen
        row = np.floor(cy / height + offset)
        order = np.lexsort((cx, row))
        band, x = row[order], cx[order]
        run = 4
        if len(order) <= run:
            continue
        hit = np.flatnonzero((band[run:] == band[:-run]) & (x[run:] - x[:-run] <= 3.0 * letter))
        for k in range(run + 1):
            dotted[order[hit + k]] = True
    out = np.zeros(len(small), dtype=bool)
    out[index[dotted]] = True
    return out


def downscale(image: ImageArray, max_side: int) -> tuple[ImageArray, float]:
    """The image with its longer side at most `max_side` (area averaging), and the scale it was taken by.

    Exact halvings come first: OpenCV averages 2×2 blocks ten times faster than it resamples by an
    uneven factor, so a 300 dpi page reaches the analysis size in 20 ms instead of 80.
    """
    h, w = image.shape[:2]
    scale = min(1.0, max_side / max(h, w))
    if scale >= 1.0:
        return image, 1.0
    size = (round(w * scale), round(h * scale))
    return as_image(cv2.resize(halved(image, max(size)), size, interpolation=cv2.INTER_AREA)), scale


def halved(image: ImageArray, down_to: int) -> ImageArray:
    """The image halved while its longer side stays at least `down_to`; see `halve`."""
    while max(image.shape[:2]) >= 2 * down_to and min(image.shape[:2]) >= 4:
        image = halve(image)
    return image


def halve(image: ImageArray) -> ImageArray:
    """Each 2×2 block averaged into one pixel; an odd last row or column is dropped.

    OpenCV averages by an exact factor of two about ten times faster than by any other factor (a page
    turned by a few degrees has an odd side: 29 ms instead of 2.4 ms on a 300 dpi A4 page).
    """
    rows, cols = image.shape[0] // 2, image.shape[1] // 2
    return as_image(cv2.resize(image[: 2 * rows, : 2 * cols], (cols, rows), interpolation=cv2.INTER_AREA))


#: Smallest mark (height, width) `text_height` counts as a letter by default.
LETTER_MIN = (4, 1)


def text_height(bw: ImageArray, min_height: int = LETTER_MIN[0], min_width: int = LETTER_MIN[1]) -> float:
    """Median height of letter-sized connected components, in pixels (0 when there is no text)."""
    return _median_letter(components(bw)[1], min_height, min_width)


def letter_height(boxes: np.ndarray) -> float:
    """The median height of the letter-sized marks (x, y, w, h); on a page where dust outnumbers the
    letters, the median of the marks at least half as tall as the letters that hold most of the ink.

    A skewed, dusty A4 page measured 6 px letters (its 26 px letters outnumbered by specks), was read
    enlarged three times as small print, and took Tesseract's peak memory from about 300 to 740 MB."""
    median = _median_letter(boxes, *LETTER_MIN)
    by_ink = _ink_weighted_letter(boxes)
    if by_ink > 2 * median:
        return _median_letter(boxes, max(LETTER_MIN[0], int(by_ink / 2)), LETTER_MIN[1])
    return median


def _ink_weighted_letter(boxes: np.ndarray) -> float:
    """The height below and above which lie half of the letter-sized marks' box areas."""
    h, w = boxes[:, 3], boxes[:, 2]
    keep = _letter_sized(boxes, *LETTER_MIN)
    if np.count_nonzero(keep) < 20:
        return 0.0
    order = np.argsort(h[keep])
    areas = np.cumsum((h * w)[keep][order])
    return float(h[keep][order][np.searchsorted(areas, areas[-1] / 2)])


def _median_letter(boxes: np.ndarray, min_height: int, min_width: int) -> float:
    letters = boxes[:, 3][_letter_sized(boxes, min_height, min_width)]
    return float(np.median(letters)) if letters.size >= 20 else 0.0


def _letter_sized(boxes: np.ndarray, min_height: int, min_width: int) -> np.ndarray:
    """Which marks (x, y, w, h) are the size and shape of a letter: no taller than 200 px, no wider than
    three times their height."""
    h, w = boxes[:, 3], boxes[:, 2]
    return np.asarray((h >= min_height) & (h <= 200) & (w >= min_width) & (w <= 3 * h))
