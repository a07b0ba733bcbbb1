"""Geometry on real rendered pages: skew within ±45° and quarter turns are recovered."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from digitize.stages.deskew import measure_geometry, rotate_image
from digitize.stages.dewarp import flatten_page
from tests.conftest import SAMPLES


@pytest.fixture(scope="module")
def upright() -> np.ndarray:
    image = Image.open(SAMPLES / "birth_extract_clean.png").convert("RGB")
    image.thumbnail((1700, 1700))
    return np.asarray(image)


@pytest.mark.parametrize("tilt", [-30.0, -7.5, -2.0, 0.0, 1.3, 4.0, 12.0, 40.0])
def test_skew_angle_is_recovered(upright: np.ndarray, tilt: float) -> None:
    tilted = rotate_image(upright, -tilt)  # rotating clockwise by -tilt tilts the lines counter-clockwise
    geometry = measure_geometry(tilted)
    assert geometry.rotation == 0
    assert geometry.skew_deg == pytest.approx(tilt, abs=0.2)


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_quarter_turns_are_recovered(upright: np.ndarray, turn: int) -> None:
    turned = np.ascontiguousarray(np.rot90(upright, turn // 90))  # counter-clockwise
    geometry = measure_geometry(turned)
    assert geometry.rotation == turn
    assert abs(geometry.skew_deg) < 0.2


def test_phone_photo_sheet_is_found_and_flattened() -> None:
    photo = np.asarray(Image.open(SAMPLES / "birth_register_page_phone.jpg").convert("RGB"))
    flat, found = flatten_page(photo)
    assert found
    ratio = flat.shape[1] / flat.shape[0]
    assert ratio == pytest.approx(420 / 297, rel=0.06)  # an A3 sheet, landscape


def test_a_scan_filling_the_frame_is_left_alone(upright: np.ndarray) -> None:
    flat, found = flatten_page(upright)
    assert not found
    assert flat is upright
