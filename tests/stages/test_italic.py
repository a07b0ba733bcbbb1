"""Slant measured and taken out, and the figures of italic values checked upright, with the real engine."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from digitize.config import Config
from digitize.engines import build_engine
from digitize.model import OcrWord, as_image
from digitize.stages.clean import prepare_for_ocr
from digitize.stages.italic import BAND, DISAGREED, _merged, read_slanted
from digitize.stages.ocr import ocr_page
from digitize.stages.shear import MIN_SLANT, sheared, slant_of, unsheared_box
from samplegen.render import Sheet
from tests.stages.forms import form_page

#: A death extract's lines as a probe drew them: labels upright, values typed in Noto Sans Italic (a face
#: no generated set uses), on which the page pass read "7994" for 1994 and "771" for 111 with confidence.
LINES = [
    ("Họ, chữ đệm, tên:", "HỒ GIA BÌNH"),
    ("Ngày, tháng, năm sinh:", "05/01/1948"),
    ("Năm sinh của người cha:", "1994"),
    ("Đã chết vào lúc:", "7 giờ 32 phút, ngày 10 tháng 02 năm 2012"),
    ("Nơi cư trú:", "xóm 11, phường Hòa Khánh Bắc, quận Liên Chiểu"),
    ("Số định danh cá nhân:", "048048163554"),
    ("Đăng ký khai tử:", "Số 111, ngày 23/02/2012"),
    ("Năm sinh của người mẹ:", "1970"),
]


@pytest.fixture(scope="module")
def ocr() -> Any:
    return build_engine(Config().ocr)


def _page(value_font: str) -> np.ndarray:
    return form_page(LINES, value_font)


def _word_image(text: str, font_name: str) -> np.ndarray:
    sheet = Sheet(120, 16, body_font=font_name)
    sheet.put(4, 4, text, pt=13)
    return np.asarray(sheet.image.convert("L"))


def test_italic_print_measures_in_the_band_and_upright_print_does_not() -> None:
    italic = as_image(_word_image("Trạm Y tế phường Hòa Khánh", "sans-italic"))
    assert BAND[0] <= slant_of(italic) <= BAND[1]
    assert abs(slant_of(as_image(_word_image("Trạm Y tế phường Hòa Khánh", "serif")))) < MIN_SLANT
    assert abs(slant_of(sheared(italic, slant_of(italic)))) < MIN_SLANT


def test_a_box_found_in_the_sheared_image_covers_the_same_ink_in_the_image() -> None:
    image = np.full((40, 100), 255, np.uint8)
    image[30:34, 50:54] = 0  # a dot low in the image: shearing moves it right
    stood = sheared(as_image(image), 12)
    ys, xs = np.nonzero(stood < 128)
    x0, y0, x1, y1 = unsheared_box(
        (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1), 12, 40
    )
    assert (y0, y1) == (30, 34)
    assert x0 <= 50 and x1 >= 54 and x1 - x0 <= 8  # the 4 px dot, give or take its lean


def _figures(words: tuple[OcrWord, ...], confident: float) -> set[str]:
    return {
        w.text.strip(",.") for w in words if any(ch.isdigit() for ch in w.text) and w.confidence >= confident
    }


def test_no_italic_figure_is_read_wrong_with_confidence(ocr: Any) -> None:
    """Every figure left confident (at or over the review threshold) is one the paper holds; the rest are
    doubtful, and most read right."""
    prepared = prepare_for_ocr(as_image(_page("sans-italic")))
    page = read_slanted(ocr, prepared.gray, ocr_page(ocr, prepared.gray, 300, 1, prepared.letter_px), 300)
    truth = {
        token.strip(",") for _, value in LINES for token in value.split() if any(c.isdigit() for c in token)
    }
    assert _figures(page.words, Config().extract.accept_threshold) <= truth
    read = {w.text.strip(",.") for w in page.words}
    assert len(truth & read) >= len(truth) * 2 // 3, sorted(read)


def test_an_upright_page_is_left_as_the_page_pass_read_it(ocr: Any) -> None:
    prepared = prepare_for_ocr(as_image(_page("serif")))
    page = ocr_page(ocr, prepared.gray, 300, 1, prepared.letter_px)
    assert read_slanted(ocr, prepared.gray, page, 300) is page


def _w(text: str, confidence: float, x: int) -> OcrWord:
    return OcrWord(text, (x, 0, x + 40, 30), confidence, (0, 0, 0))


#: (page pass, upright reading, merged): figures taken upright and doubted, letters kept as the page pass
#: read them, a name in capitals the readings differ on doubted ("VÕ" and "VŨ" are both surnames).
MERGES = [
    (("Khánh", 0.82), ("Khónh", 0.84), ("Khánh", 0.82)),
    (("7994", 0.96), ("1994", 0.97), ("1994", DISAGREED)),
    (("26/3/2026", 0.9), ("H28/2S", 0.5), ("26/3/2026", DISAGREED)),
    (("xóm", 0.97), ("xóm", 0.9), ("xóm", 0.97)),
    (("VÕ", 0.93), ("VŨ", 0.95), ("VÕ", DISAGREED)),
]


def test_figures_are_taken_upright_and_doubted_and_letters_kept_as_the_page_pass_read_them() -> None:
    page_pass = [_w(text, confidence, 50 * i) for i, ((text, confidence), _, _) in enumerate(MERGES)]
    upright = [_w(text, confidence, 50 * i) for i, (_, (text, confidence), _) in enumerate(MERGES)]
    assert [(w.text, w.confidence) for w in _merged(page_pass, upright)] == [
        merged for _, _, merged in MERGES
    ]
