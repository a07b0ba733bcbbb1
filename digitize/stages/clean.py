"""Stage `clean`: images prepared for analysis and OCR (the archival copy keeps the original pixels).

- `to_gray` / `flatten_light`: grey levels with uneven light and shadows divided out.
- `binarize`: ink = 255 on a light-normalised image (Otsu).
- `remove_rules`: long horizontal/vertical rules (table borders, underlines) painted out, so that text lines
  dominate profiles and Tesseract reads cells without the borders.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from digitize.model import ImageArray, as_image


def to_gray(rgb: ImageArray) -> ImageArray:
    return rgb if rgb.ndim == 2 else as_image(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))


def drop_colour_ink(rgb: ImageArray) -> ImageArray:
    """Grey image with saturated, not-dark ink (red seals, blue signatures) turned to paper white.

    Printed and handwritten register text is black or dark; seals and signatures are coloured. Dark
    pixels stay even when tinted, so text under a seal survives.
    """
    if rgb.ndim == 2:
        return rgb
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    coloured = (hsv[..., 1] > 90) & (hsv[..., 2] > 90)
    gray = to_gray(rgb).copy()
    gray[coloured] = 255
    return gray


def flatten_light(gray: ImageArray) -> ImageArray:
    """Divide the image by its estimated background (a large closing), so paper becomes uniformly white."""
    h, w = gray.shape
    small = cv2.resize(gray, (max(1, w // 8), max(1, h // 8)), interpolation=cv2.INTER_AREA)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9))
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    background = cv2.medianBlur(background, 5)
    background = cv2.resize(background, (w, h), interpolation=cv2.INTER_LINEAR)
    normalised = cv2.divide(gray, np.maximum(background, 1), scale=255)
    return normalised.astype(np.uint8)


def binarize(gray: ImageArray) -> ImageArray:
    """Ink → 255, paper → 0."""
    _, bw = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return bw.astype(np.uint8)


def rule_mask(bw: ImageArray, min_fraction: float = 0.08) -> ImageArray:
    """Pixels of horizontal and vertical rules longer than `min_fraction` of the page side."""
    h, w = bw.shape
    horizontal = cv2.morphologyEx(
        bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(8, int(w * min_fraction)), 1))
    )
    vertical = cv2.morphologyEx(
        bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(8, int(h * min_fraction))))
    )
    mask = cv2.bitwise_or(horizontal, vertical)
    return as_image(cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))))


def rule_positions(bw: ImageArray) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """x of vertical and y of horizontal rules spanning a good part of a binarized page (table grids)."""
    h, w = bw.shape
    horizontal = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (w // 12, 1)))
    vertical = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, h // 12)))
    return _peaks(vertical.sum(axis=0) / 255.0, 0.15 * h), _peaks(horizontal.sum(axis=1) / 255.0, 0.25 * w)


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


@dataclass(frozen=True, eq=False)
class OcrInput:
    """What the OCR engine reads (grey, light-flattened, rules painted white) and where the rules were."""

    gray: ImageArray
    rules_x: tuple[int, ...]
    rules_y: tuple[int, ...]


def prepare_for_ocr(rgb: ImageArray) -> OcrInput:
    """Flatten and binarize the page once; derive both the OCR image and the table rules from it."""
    gray = flatten_light(drop_colour_ink(rgb))
    bw = binarize(gray)
    cleaned = gray.copy()
    cleaned[rule_mask(bw) > 0] = 255
    rules_x, rules_y = rule_positions(bw)
    return OcrInput(cleaned, rules_x, rules_y)


def downscale(image: ImageArray, max_side: int) -> tuple[ImageArray, float]:
    h, w = image.shape[:2]
    scale = min(1.0, max_side / max(h, w))
    if scale >= 1.0:
        return image, 1.0
    return as_image(
        cv2.resize(image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    ), scale


def text_height(bw: ImageArray) -> float:
    """Median height of letter-sized connected components, in pixels (0 when there is no text)."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(bw, connectivity=8)
    heights = stats[1:count, cv2.CC_STAT_HEIGHT]
    widths = stats[1:count, cv2.CC_STAT_WIDTH]
    letters = heights[(heights >= 4) & (heights <= 200) & (widths <= 3 * heights)]
    return float(np.median(letters)) if letters.size >= 20 else 0.0
