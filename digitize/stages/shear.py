"""Slant of writing, measured and taken out: italic type and slanted hands made upright before a reading.

Tesseract's Vietnamese model reads upright print. Values typed in an italic face it misreads with
confidence: on a probe of birth, death and marriage papers whose values were typed in Noto Sans Italic it
read "1994" as "7994" (0.96); the same figures sheared upright read right at 0.97 (letters gain less: see
`digitize.stages.italic`). The slant is found the way handwriting recognisers find it: the shear under
which the ink stands in the most, and the tallest, unbroken vertical runs (the stems of the letters).
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from digitize.model import Box, ImageArray, as_image

#: Shears tried, in degrees from upright (positive: the tops lean right, as italic and most hands do).
SLANTS = tuple(range(-16, 30, 2))
#: Under this slant (degrees) writing counts as upright and is read as it is: upright words of the
#: tuning pages measure 0 ± 2°, short ones up to ±6°; Noto Sans Italic 10–14°.
MIN_SLANT = 8
INK_LEVEL = 128


def slant_of(gray: ImageArray) -> int:
    """The slant of the writing in a small grey image, in whole degrees (0 when there is no ink)."""
    ink = np.where(gray < INK_LEVEL, 255, 0).astype(np.uint8)
    if not ink.any():
        return 0
    scores = {degrees: _stem_score(ink, degrees) for degrees in SLANTS}
    best = max(scores, key=lambda d: (scores[d], -abs(d)))
    return best if scores[best] > scores[0] else 0


def _stem_score(ink: ImageArray, degrees: int) -> float:
    """Sum of the squared heights of the columns whose ink, once sheared upright, is one unbroken run."""
    stood = sheared(ink, degrees, fill=0) > INK_LEVEL
    count = stood.sum(axis=0)
    height = stood.shape[0]
    first = np.argmax(stood, axis=0)
    last = height - 1 - np.argmax(stood[::-1], axis=0)
    unbroken = (count > 0) & (last - first + 1 == count)
    return float((count[unbroken].astype(np.float64) ** 2).sum())


def sheared(gray: ImageArray, degrees: int, fill: int = 255) -> ImageArray:
    """The image with writing slanted `degrees` stood upright: each row moved right by tan(degrees) times
    its depth under the top row, the image widened so that nothing is cut."""
    slope, height, width = math.tan(math.radians(degrees)), gray.shape[0], gray.shape[1]
    pad = math.ceil(abs(slope) * height)
    matrix = np.array([[1.0, slope, _offset(slope, pad)], [0.0, 1.0, 0.0]], dtype=np.float32)
    return as_image(
        cv2.warpAffine(gray, matrix, (width + pad, height), flags=cv2.INTER_NEAREST, borderValue=fill)
    )


def _offset(slope: float, pad: int) -> float:
    return float(pad) if slope < 0 else 0.0


def unsheared_box(box: Box, degrees: int, height: int) -> Box:
    """A box found in `sheared(image, degrees)` as a box of the image itself (holding all it covered)."""
    slope = math.tan(math.radians(degrees))
    shift = _offset(slope, math.ceil(abs(slope) * height))
    x0, y0, x1, y1 = box
    left = min(x0 - slope * y - shift for y in (y0, y1))
    right = max(x1 - slope * y - shift for y in (y0, y1))
    return (max(0, math.floor(left)), y0, max(0, math.ceil(right)), y1)
