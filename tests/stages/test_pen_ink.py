"""Handwriting in blue pen: kept for the OCR (only a seal's red is dropped), flagged per word, never
accepted on trust; an entry written by hand and not read is still a record whose cells can be keyed."""

from __future__ import annotations

import numpy as np

from digitize.config import ExtractConfig
from digitize.extract.forms import make_value
from digitize.extract.register import read_register
from digitize.model import FieldStatus, OcrPage, OcrWord
from digitize.stages.clean import drop_colour_ink
from digitize.stages.ocr import mark_pen_ink

BLUE, RED, BLACK = (25, 45, 150), (200, 30, 40), (10, 10, 10)


def _sheet(*strokes: tuple[tuple[int, int, int], int]) -> np.ndarray:
    page = np.full((100, 300, 3), 250, dtype=np.uint8)
    for colour, x in strokes:
        page[40:60, x : x + 40] = colour
    return page


def test_a_seals_red_is_dropped_and_blue_pen_is_kept() -> None:
    gray = drop_colour_ink(_sheet((BLUE, 10), (RED, 110), (BLACK, 210)))
    assert gray[50, 20] < 128  # blue ballpoint: ink for the OCR
    assert gray[50, 120] == 255  # the seal's red: paper
    assert gray[50, 220] < 128


def test_pen_words_are_flagged_and_never_accepted() -> None:
    words = (
        OcrWord("Kinh", (10, 40, 50, 60), 0.97, (0, 0, 0)),
        OcrWord("Kinh", (210, 40, 250, 60), 0.97, (0, 0, 0)),
    )
    page = mark_pen_ink(_sheet((BLUE, 10), (BLACK, 210)), OcrPage(1, 300, 100, words, 0.97))
    assert [w.pen for w in page.words] == [True, False]
    written, printed = (make_value([w], "ethnicity", 1, 1.0, "label", ExtractConfig()) for w in page.words)
    assert written.value == "Kinh" and written.status is FieldStatus.NEEDS_REVIEW and "pen" in written.reason
    assert printed.status is FieldStatus.ACCEPTED


def test_a_written_row_nothing_was_read_from_is_an_entry_to_key() -> None:
    xs, ys = (0, 100, 200, 300), (0, 50, 100, 150)
    header = [
        OcrWord("STT", (10, 10, 60, 40), 0.95, (0, 0, 0)),
        OcrWord("Họ", (110, 10, 130, 40), 0.95, (0, 0, 0)),
        OcrWord("và", (135, 10, 155, 40), 0.95, (0, 0, 0)),
        OcrWord("tên", (160, 10, 190, 40), 0.95, (0, 0, 0)),
    ]
    written = frozenset({(0, 0), (0, 1), (1, 0), (1, 1)})  # row 1 has ink, nothing read; row 2 is blank
    page = OcrPage(1, 300, 150, tuple(header), 0.95, xs, ys, written)
    records = read_register([page], ExtractConfig())
    assert len(records) == 1
    cell = records[0].fields["full_name"]
    assert cell.value is None and cell.box == (100, 50, 200, 100) and "not read" in cell.reason
    assert records[0].fields["registration_number"].box == (0, 50, 100, 100)


def test_a_signature_read_as_junk_is_no_text_but_keeps_its_words() -> None:
    """A line all in pen that reads badly is a signature or unread handwriting: out of the page's text
    (and so of the PDF's text layer and the .txt), but its words and boxes stay for the extractor."""
    typed = OcrWord("Người", (10, 10, 80, 40), 0.35, (0, 0, 1))  # printed and read badly: still text
    scribble = (OcrWord("SIj", (100, 50, 180, 120), 0.0, (0, 0, 2), pen=True),)
    written = (OcrWord("Nguyễn", (100, 150, 180, 180), 0.9, (0, 0, 3), pen=True),)
    half_read = (
        OcrWord("x“", (100, 200, 140, 260), 0.31, (0, 0, 4), pen=True),
        OcrWord("Lan", (150, 200, 190, 230), 0.95, (0, 0, 4), pen=True),
    )
    page = OcrPage(1, 300, 300, (typed, *scribble, *written, *half_read), 0.6)
    assert page.text.splitlines() == ["Người", "Nguyễn", "x“ Lan"]
    assert [line.unread_marks for line in page.lines] == [False, True, False, False]
    assert len(page.words) == 5
