"""Values typed in hairline strokes read again thickened, with the real engine."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from digitize.config import Config
from digitize.engines import build_engine
from digitize.model import OcrWord, as_image
from digitize.stages.clean import prepare_for_ocr
from digitize.stages.ocr import ocr_page
from digitize.stages.thin import THIN_SHARE, _better, read_thin, stroke_width
from samplegen.render import Sheet
from tests.stages.forms import form_page

#: A form's lines as a probe drew them: labels printed in a serif face, values typed in the tuning part's
#: hairline typewriter face (IBM Plex Mono ExtraLight), of which the page pass read "MINH" at 0.45, "giờ"
#: at 0.77 and "THÁI" as "THÁT".
LINES = [
    ("Họ, chữ đệm, tên:", "TRẦN MINH CHÂU"),
    ("Ngày, tháng, năm sinh:", "09/10/1996"),
    ("Nơi sinh:", "Trạm Y tế xã Diễn Kỷ, tỉnh Nghệ An"),
    ("Dân tộc:", "Kinh"),
    ("Họ, chữ đệm, tên người mẹ:", "NGUYỄN THỊ HOÀI"),
    ("Họ, chữ đệm, tên người cha:", "LÊ ĐÌNH THÁI"),
    ("Nơi cư trú:", "thôn 5, xã Hải Lăng, tỉnh Quảng Trị"),
    ("Đã chết vào lúc:", "7 giờ 32 phút, ngày 19/06/2015"),
]
HAIRLINE, ORDINARY = "ibm-plex-mono-extralight", "liberation-mono"


@pytest.fixture(scope="module")
def ocr() -> Any:
    return build_engine(Config().ocr)


def _page(value_font: str) -> np.ndarray:
    return form_page(LINES, value_font)


def _value_words() -> set[str]:
    return {word for _, value in LINES for word in value.split()}


def test_hairline_strokes_measure_thin_against_the_letters_and_ordinary_ones_do_not() -> None:
    """Measured on a line of a form's usual text (a page of names in capitals measures taller letters)."""
    for face, thin in ((HAIRLINE, True), (ORDINARY, False), ("serif", False), ("sans", False)):
        sheet = Sheet(160, 60, body_font=face)
        for row in range(5):
            sheet.put(4, 4 + 10 * row, "Nơi cư trú: xã Hải Lăng, tỉnh Quảng Trị", pt=12)
        prepared = prepare_for_ocr(as_image(np.asarray(sheet.image.convert("L"))))
        width = stroke_width(prepared.gray)
        assert width is not None and (width < THIN_SHARE * prepared.letter_px) is thin, (face, width)


def test_stroke_width_of_a_blank_image_is_none() -> None:
    assert stroke_width(as_image(np.full((30, 60), 255, np.uint8))) is None


def test_hairline_values_read_thickened_come_out_right_and_surer(ocr: Any) -> None:
    prepared = prepare_for_ocr(as_image(_page(HAIRLINE)))
    before = ocr_page(ocr, prepared.gray, 300, 1, prepared.letter_px)
    after = read_thin(ocr, prepared.gray, before, 300, prepared.letter_px)
    sure = Config().extract.accept_threshold
    values = _value_words()
    right_before = [w.text for w in before.words if w.text in values and w.confidence >= sure]
    right_after = [w.text for w in after.words if w.text in values and w.confidence >= sure]
    assert len(right_after) >= len(right_before) + 2, (right_before, right_after)
    assert {"MINH", "giờ"} <= set(right_after) - set(right_before)


def test_print_of_ordinary_weight_is_left_as_the_page_pass_read_it(ocr: Any) -> None:
    prepared = prepare_for_ocr(as_image(_page(ORDINARY)))
    page = ocr_page(ocr, prepared.gray, 300, 1, prepared.letter_px)
    assert read_thin(ocr, prepared.gray, page, 300, prepared.letter_px) is page


def _w(text: str, confidence: float) -> OcrWord:
    return OcrWord(text, (10, 0, 50, 30), confidence, (0, 0, 0))


#: (page pass, thickened, taken): the thickened word when surer and well written; its confidence only when
#: the two differ in capitals alone and the page pass's are in one case; never a figure among letters
#: ("Hả1": an i's dot run into its stem), a syllable Vietnamese is not written with ("HOÀT") or letters in
#: no case words are written in ("ĐỊnh").
MERGES = [
    (("MTNH", 0.41), ("MINH", 0.92), ("MINH", 0.92)),
    (("MINH", 0.45), ("MINH", 0.91), ("MINH", 0.91)),
    (("Đức", 0.89), ("ĐỨC", 0.94), ("Đức", 0.94)),
    (("Châu,", 0.71), ("EHSU,", 0.39), ("Châu,", 0.71)),
    (("Hải", 0.65), ("Hả1", 0.93), ("Hải", 0.65)),
    (("HOÀI", 0.75), ("HOÀT", 0.92), ("HOÀI", 0.75)),
    (("Định", 0.55), ("ĐỊnh", 0.93), ("Định", 0.55)),
    (("ĐỊnh", 0.55), ("Định", 0.93), ("Định", 0.93)),
    (("Q9/10/1996", 0.46), ("09/10/1996", 0.97), ("09/10/1996", 0.97)),
]


@pytest.mark.parametrize(("page_pass", "thickened", "taken"), MERGES)
def test_a_thickened_word_is_taken_only_when_surer_and_well_written(
    page_pass: tuple[str, float], thickened: tuple[str, float], taken: tuple[str, float]
) -> None:
    word = _better(_w(*page_pass), _w(*thickened))
    assert (word.text, word.confidence) == taken
