"""Stage `deskew` (with orientation): find the text-line angle and turn the page upright.

The line direction comes from a projection-profile search over the ink pixels (rules removed): for each
candidate angle the ink is projected onto the normal of that direction, and the angle whose histogram is
most concentrated is the text direction. That works for any angle in [-90°, 90°) and does not depend on
the OCR engine finding text first. Which way is up (0° or 180°) is decided by `orient.upside_down_score`.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from digitize.model import Geometry, ImageArray, as_image
from digitize.stages.clean import binarize, downscale, drop_colour_ink, flatten_light, halved, remove_rules
from digitize.stages.orient import upside_down_score

ANALYSIS_SIDE = 1400
MAX_POINTS = 120_000
#: Skew (degrees) under which a page is left as scanned: 0.1° moves a line by a quarter of a letter height
#: across an A3 page, which Tesseract takes in its stride, while resampling blurs every stroke, and that
#: changed how handwriting read (a register page measured at -0.04° lost 6 of its 40 hand-written values).
SKEW_WORTH_TURNING = 0.1
#: Ink points the whole-circle search looks at (the fine searches around its best angle use all of them).
COARSE_POINTS = 12_000


@dataclass(frozen=True)
class LineAngle:
    degrees: float  # counter-clockwise tilt of the text lines, in [-90, 90)
    strength: float  # how much sharper the profile is at that angle than at the worst angle (>= 1)


def ink_points(bw: ImageArray, limit: int = MAX_POINTS) -> np.ndarray:
    ys, xs = np.nonzero(bw)
    if ys.size > limit:
        pick = np.random.default_rng(7).choice(ys.size, limit, replace=False)
        ys, xs = ys[pick], xs[pick]
    return np.stack([xs, ys], axis=1).astype(np.float32)


def _energy(points: np.ndarray, degrees: np.ndarray, bin_px: float = 1.0) -> np.ndarray:
    """Concentration (sum of squared bin counts) of the ink projected across each candidate direction."""
    theta = np.deg2rad(degrees)
    x, y = points[:, 0], points[:, 1]
    out = np.empty(len(degrees))
    for i, t in enumerate(theta):
        proj = y * np.cos(t) + x * np.sin(t)
        counts = np.bincount(((proj - proj.min()) / bin_px).astype(np.int64))
        out[i] = float(np.dot(counts, counts))
    return out


def line_angle(bw: ImageArray) -> LineAngle:
    """Dominant text-line angle of a binarized (ink = 255) image, rules already removed."""
    points = ink_points(bw)
    if len(points) < 200:
        return LineAngle(0.0, 1.0)
    coarse = np.arange(-90.0, 90.0, 1.0)
    energy = _energy(points[:: max(1, len(points) // COARSE_POINTS)], coarse)
    best = float(coarse[int(np.argmax(energy))])
    strength = float(energy.max() / max(energy.min(), 1.0))
    for step, span in ((0.2, 1.0), (0.04, 0.2)):
        fine = np.arange(best - span, best + span + step / 2, step)
        best = float(fine[int(np.argmax(_energy(points, fine)))])
    return LineAngle(((best + 90.0) % 180.0) - 90.0, strength)


#: cv2.rotate codes for one, two and three quarter turns clockwise.
QUARTER_TURNS = (cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_180, cv2.ROTATE_90_COUNTERCLOCKWISE)


def rotate_image(image: ImageArray, clockwise_deg: float, fill: int = 255) -> ImageArray:
    """Rotate clockwise by any angle onto a canvas large enough to keep every pixel."""
    quarter = round(clockwise_deg / 90.0) % 4
    if quarter:  # OpenCV's turn is 4–13× faster than a contiguous copy of numpy's rotated view
        image = as_image(cv2.rotate(image, QUARTER_TURNS[quarter - 1]))
    rest = clockwise_deg - 90.0 * round(clockwise_deg / 90.0)
    if abs(rest) < 0.01:
        return image
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -rest, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = int(h * sin + w * cos + 0.5), int(h * cos + w * sin + 0.5)
    matrix[0, 2] += new_w / 2 - w / 2
    matrix[1, 2] += new_h / 2 - h / 2
    border = (fill,) * (image.shape[2] if image.ndim == 3 else 1)
    return as_image(cv2.warpAffine(image, matrix, (new_w, new_h), flags=cv2.INTER_LINEAR, borderValue=border))


def analysis_image(rgb: ImageArray) -> ImageArray:
    """The page small (ANALYSIS_SIDE), grey, light-flattened, binarized, rules removed.

    Halved in colour first (the full page is 52 MB on A3), turned grey, and only then brought to the
    analysis size: the last, uneven step costs a third as much on grey as on colour.
    """
    small, _ = downscale(drop_colour_ink(halved(rgb, ANALYSIS_SIDE)), ANALYSIS_SIDE)
    return remove_rules(binarize(flatten_light(small)))


def measure_geometry(rgb: ImageArray) -> Geometry:
    """How to turn the page upright: quarter turns clockwise and the remaining skew."""
    bw = analysis_image(rgb)
    angle = line_angle(bw)
    correction = angle.degrees  # rotating clockwise by the tilt makes the lines horizontal
    score = upside_down_score(rotate_image(bw, correction, fill=0))
    if score > 0:
        correction += 180.0
    correction %= 360.0
    quarter = (round(correction / 90.0) % 4) * 90
    skew = ((correction - quarter + 180.0) % 360.0) - 180.0
    skew = 0.0 if abs(skew) < SKEW_WORTH_TURNING else skew
    confidence = min(1.0, abs(score) * 2) if angle.strength > 1.05 else 0.0
    return Geometry(rotation=quarter, skew_deg=round(skew, 2), orientation_confidence=round(confidence, 3))


def apply_geometry(rgb: ImageArray, geometry: Geometry) -> ImageArray:
    return rotate_image(rgb, geometry.rotation + geometry.skew_deg, fill=255)
