"""Words in figures read a second time by the figures model (real Tesseract, `vie` and `eng`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from digitize.config import Config
from digitize.engines import build_engine
from digitize.model import OcrPage, OcrWord, as_image
from digitize.stages.figures import DISAGREED, read_figures
from digitize.stages.ocr import in_figures
from samplegen.render import Sheet

#: Cells of a typewritten register page (Liberation Mono) on which the Vietnamese model read the dates
#: right at 0.00–0.34 on the page, and "91⁄04⁄2066" or "27/94/2966" read alone.
VALUES = ("01/04/2006", "27/02/2006", "06/06/2006", "038306260513")


@pytest.fixture(scope="module")
def ocr() -> Any:
    return build_engine(Config().ocr)


def _line(
    text: str, face: str = "liberation-mono", pt: int = 11
) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """The text typed alone on a strip of paper at 300 dpi, with the box of its ink."""
    sheet = Sheet(80, 14, body_font=face)
    sheet.put(5, 3, text, pt=pt)
    gray = np.asarray(sheet.image.convert("L"))
    ys, xs = np.nonzero(gray < 128)
    return gray, (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)


def _page(word: OcrWord) -> OcrPage:
    return OcrPage(number=1, width=945, height=142, words=(word,), confidence=word.confidence)


@pytest.mark.parametrize("value", VALUES)
def test_figures_both_models_read_alike_keep_the_surer_confidence(ocr: Any, value: str) -> None:
    gray, box = _line(value)
    page = read_figures(ocr, as_image(gray), _page(OcrWord(value, box, 0.12, (1, 1, 1))), 300, "eng")
    assert page.words[0].text == value
    assert page.words[0].confidence >= Config().extract.accept_threshold


@pytest.mark.parametrize("value", ["5,", "52,"])
def test_large_figures_are_read_again_at_one_height(ocr: Any, value: str) -> None:
    """In a 14 pt serif the English model reads "5," as "3," and "52," as "D2," at the size they are;
    brought to HEIGHT_PX both read right and agree with the page pass."""
    gray, box = _line(value, "serif", 14)
    word = read_figures(ocr, as_image(gray), _page(OcrWord(value, box, 0.5, (1, 1, 1))), 300, "eng").words[0]
    assert (word.text, word.confidence >= Config().extract.accept_threshold) == (value, True)


def test_figures_the_models_read_apart_go_to_review_as_the_surer_one_read_them(ocr: Any) -> None:
    gray, box = _line("01/04/2006")
    misread = OcrWord("91/04/2066", box, 0.68, (1, 1, 1))  # the Vietnamese model's reading of the cell
    word = read_figures(ocr, as_image(gray), _page(misread), 300, "eng").words[0]
    assert word.confidence == DISAGREED < Config().extract.accept_threshold
    assert word.text == "01/04/2006"


def test_figures_a_confident_misreading_is_doubted_not_kept(ocr: Any) -> None:
    gray, box = _line("038306260513")
    misread = OcrWord("038306260515", box, 0.97, (1, 1, 1))
    word = read_figures(ocr, as_image(gray), _page(misread), 300, "eng").words[0]
    assert word.confidence <= DISAGREED


def test_words_with_letters_and_pages_without_a_figures_model_are_left_alone(ocr: Any) -> None:
    gray, box = _line("xóm 10A")
    page = _page(OcrWord("10A", box, 0.3, (1, 1, 1)))
    assert read_figures(ocr, as_image(gray), page, 300, "eng") is page
    gray, box = _line("01/04/2006")
    page = _page(OcrWord("01/04/2006", box, 0.3, (1, 1, 1)))
    assert read_figures(ocr, as_image(gray), page, 300, "") is page


def test_what_counts_as_figures() -> None:
    assert all(in_figures(t) for t in ("27/02/2006", "038206505365", "101", "5,", "17⁄7⁄2022", "2.000"))
    assert not any(in_figures(t) for t in ("10A", "số:", "ngày", "/", "", "12B,"))


def test_a_box_with_nothing_to_read_again_leaves_the_word_as_it_is(ocr: Any) -> None:
    """A tall, thin "1" (a rule read as a figure) brought to HEIGHT_PX is under a pixel wide, and a box off
    the page holds no pixels: neither is read again, and neither fails the page."""
    gray = as_image(np.full((3000, 40), 255, np.uint8))
    for box in ((10, 0, 11, 2999), (50, 10, 90, 40)):
        page = _page(OcrWord("1", box, 0.9, (1, 1, 1)))
        assert read_figures(ocr, gray, page, 300, "eng") is page
