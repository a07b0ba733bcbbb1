"""A form's lines drawn for the stage tests: labels printed in a serif face, values typed in another."""

from __future__ import annotations

import numpy as np

from samplegen.render import Sheet


def form_page(lines: list[tuple[str, str]], value_font: str) -> np.ndarray:
    """A grey page 210 × 120 mm, one label and its value a line, 12 pt, 12 mm apart."""
    sheet = Sheet(210, 120, body_font="serif")
    for row, (label, value) in enumerate(lines):
        y = 12 + row * 12
        sheet.put(15, y, label, pt=12)
        sheet.put(15 + sheet.text_width_mm(label, 12) + 2, y, value, pt=12, font_name=value_font)
    return np.asarray(sheet.image.convert("L"))
