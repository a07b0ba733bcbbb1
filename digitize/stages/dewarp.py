"""Stage `dewarp`: find the sheet in a phone photo (or a scan with black borders) and flatten it.

The page is the largest bright quadrilateral clearly inside the frame; it is warped to a rectangle whose
sides are the measured edge lengths. A scan whose paper fills the frame is returned untouched.
"""

from __future__ import annotations

import cv2
import numpy as np

from digitize.model import ImageArray, as_image
from digitize.stages.clean import downscale, to_gray

FIND_SIDE = 1000


def find_page_quad(rgb: ImageArray) -> np.ndarray | None:
    """Corners (TL, TR, BR, BL) of the sheet in full-resolution pixels; None if the sheet fills the frame."""
    small, scale = downscale(to_gray(rgb), FIND_SIDE)
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    _, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15)))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    contour = max(contours, key=cv2.contourArea)
    area_share = cv2.contourArea(contour) / float(small.shape[0] * small.shape[1])
    if not 0.2 <= area_share <= 0.93:
        return None
    quad = cv2.approxPolyDP(contour, 0.02 * cv2.arcLength(contour, True), True)
    if len(quad) != 4 or not cv2.isContourConvex(quad):
        return None
    return order_corners(quad.reshape(4, 2).astype(np.float32) / scale)


def order_corners(points: np.ndarray) -> np.ndarray:
    sums = points.sum(axis=1)
    diffs = np.diff(points, axis=1).ravel()
    return np.array(
        [
            points[np.argmin(sums)],
            points[np.argmin(diffs)],
            points[np.argmax(sums)],
            points[np.argmax(diffs)],
        ],
        dtype=np.float32,
    )


def flatten_page(rgb: ImageArray) -> tuple[ImageArray, bool]:
    """The sheet warped flat and cropped; (image, False) when no separate sheet was found."""
    quad = find_page_quad(rgb)
    if quad is None:
        return rgb, False
    tl, tr, br, bl = quad
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad, target)
    flat = cv2.warpPerspective(
        rgb, matrix, (width, height), flags=cv2.INTER_CUBIC, borderValue=(255, 255, 255)
    )
    return as_image(flat), True
