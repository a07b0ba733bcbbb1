"""Which way is up: the ascender/descender asymmetry of Latin (and Vietnamese) text lines.

In upright Vietnamese text far more ink stands above a line's core band (ascenders, capitals, tone marks)
than hangs below it (g, p, q, y and the dot of dấu nặng). Turned 180° the asymmetry flips. The score is
positive when the page looks upside down, negative when upright, near zero when it cannot tell.
"""

from __future__ import annotations

import numpy as np

from digitize.model import ImageArray


def text_line_spans(profile: np.ndarray, min_height: int = 3) -> list[tuple[int, int]]:
    """Runs of rows that hold ink, separated by (nearly) empty rows."""
    threshold = max(1.0, 0.05 * float(np.percentile(profile, 95)))
    inked = profile > threshold
    spans: list[tuple[int, int]] = []
    start = None
    for row, on in enumerate(inked):
        if on and start is None:
            start = row
        elif not on and start is not None:
            if row - start >= min_height:
                spans.append((start, row))
            start = None
    if start is not None and len(inked) - start >= min_height:
        spans.append((start, len(inked)))
    return spans


def _line_asymmetry(profile: np.ndarray) -> tuple[float, float]:
    """Ink above and below the core band (rows at ≥ 50 % of the line's peak)."""
    core = np.nonzero(profile >= 0.5 * profile.max())[0]
    top, bottom = int(core[0]), int(core[-1])
    return float(profile[:top].sum()), float(profile[bottom + 1 :].sum())


def upside_down_score(bw: ImageArray) -> float:
    """(below − above) / (below + above) over all text lines of a deskewed binarized page, in [-1, 1]."""
    profile = bw.sum(axis=1, dtype=np.float64) / 255.0
    spans = text_line_spans(profile)
    if not spans:
        return 0.0
    typical = float(np.median([end - start for start, end in spans]))
    votes = []
    for start, end in spans:
        if not 0.6 * typical <= end - start <= 1.8 * typical:
            continue  # seals, figures, merged lines: not a single text line
        a, b = _line_asymmetry(profile[start:end])
        if a + b > 0:
            votes.append((b - a) / (a + b))
    return float(np.mean(votes)) if votes else 0.0
