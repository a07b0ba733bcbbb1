"""Personal IDs, years and dates are read twice before they are accepted: a second reading that does not
give the same digits sends the number to review (real Tesseract, a printed line)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from digitize.config import Config
from digitize.engines.tesseract_api import TesserocrEngine
from digitize.model import FieldStatus, FieldValue, PageImage, Record
from digitize.stages.ocr import ocr_page
from digitize.stages.reread import MARGIN_PX, read_digits, reread_ids
from samplegen.render import Sheet

PRINTED = "030181936515"


def _page() -> tuple[PageImage, tuple[int, int, int, int]]:
    sheet = Sheet(150, 30)
    sheet.line(15, (10, f"Số định danh cá nhân: {PRINTED}"), pt=12)
    pixels = np.ascontiguousarray(np.asarray(sheet.image.convert("RGB")))
    words = ocr_page(TesserocrEngine(), pixels[..., 0].copy(), 300, 1).words
    box = next(w.box for w in words if w.text == PRINTED)
    return PageImage(1, pixels, 300.0), box


def _id(value: str, box: tuple[int, int, int, int]) -> Record:
    fv = FieldValue(value, value, 0.96, 1, box, FieldStatus.ACCEPTED, "", "label")
    return Record("birth", {"personal_id": fv, "full_name": fv})


def test_an_id_misread_with_confidence_goes_to_review_and_a_right_one_stays() -> None:
    image, box = _page()
    engine, config = TesserocrEngine(), Config().extract
    assert read_digits(engine, image, box) == PRINTED
    right, misread = (
        reread_ids(engine, {1: image}, [_id(v, box)], config)[0] for v in (PRINTED, "030181956515")
    )
    assert right.fields["personal_id"].status is FieldStatus.ACCEPTED
    checked = misread.fields["personal_id"]
    assert checked.status is FieldStatus.NEEDS_REVIEW
    assert f"a second reading of the number gave {PRINTED}" in checked.reason
    assert misread.fields["full_name"].status is FieldStatus.ACCEPTED  # only ID numbers are read again


def test_years_and_dates_are_read_twice_too() -> None:
    # a typewriter's dotted zero read "1990" as "1999" at 0.86; nothing else checks a year digit by digit
    sheet = Sheet(150, 40)
    sheet.line(12, (10, "Năm sinh: 1990"), pt=12)
    sheet.line(26, (10, "Sinh ngày: 14/05/1980"), pt=12)
    pixels = np.ascontiguousarray(np.asarray(sheet.image.convert("RGB")))
    words = ocr_page(TesserocrEngine(), pixels[..., 0].copy(), 300, 1).words
    year_box = next(w.box for w in words if w.text == "1990")
    date_box = next(w.box for w in words if w.text == "14/05/1980")

    checked = _read_again(
        pixels,
        father_birth_year=_accepted("1999", "1999", year_box),
        mother_birth_year=_accepted("1990", "1990", year_box),
        date_of_birth=_accepted("1980-05-14", "14/05/1980", date_box),
        father_residence=_accepted("xã Cẩm Vũ", "xã Cẩm Vũ", year_box),  # no number in it: not read again
    )
    assert {name: fv.status for name, fv in checked.items()} == {
        "father_birth_year": FieldStatus.NEEDS_REVIEW,
        "mother_birth_year": FieldStatus.ACCEPTED,
        "date_of_birth": FieldStatus.ACCEPTED,
        "father_residence": FieldStatus.ACCEPTED,
    }


def test_a_typewriter_zero_is_read_again_as_a_zero() -> None:
    """Liberation Mono's zero has a dot inside (read as 9); the second reading takes the dot out as the
    page pass does, or every right date in that face would go to review."""
    sheet = Sheet(150, 25)
    sheet.put(10, 10, "Sinh ngày: 20/10/2000", pt=12, font_name="liberation-mono")
    pixels = np.ascontiguousarray(np.asarray(sheet.image.convert("RGB")))
    words = ocr_page(TesserocrEngine(), pixels[..., 0].copy(), 300, 1).words
    box = next(w.box for w in words if "/" in w.text)
    assert read_digits(TesserocrEngine(), PageImage(1, pixels, 300.0), box) == "20102000"


DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("crop", "digits"), [("id_on_leader", "040321408316"), ("date_on_leader", "26122019")]
)
def test_a_number_typed_on_a_dotted_leader_is_read_again_without_the_dots(crop: str, digits: str) -> None:
    """Held-out seed 4500000: with the leader's dots under them these two read again as nothing, so a
    right ID and a right date went to review. The crops are the numbers' boxes with 12 px round them."""
    pixels = np.ascontiguousarray(np.asarray(Image.open(DATA / f"{crop}.png").convert("RGB")))
    height, width = pixels.shape[:2]
    box = (MARGIN_PX, MARGIN_PX, width - MARGIN_PX, height - MARGIN_PX)
    assert read_digits(TesserocrEngine(), PageImage(1, pixels, 300.0), box) == digits


def test_a_second_reading_that_is_no_number_is_read_a_third_time_before_it_disagrees() -> None:
    """Tuning seed 20000, a photographed birth extract: a clean "1979" read again came out "1D)" at 0.0,
    and a right year went to review as read otherwise. Read a third time at another size it is 1979. The
    crop is the year's box with 12 px round it, at the page's 250 dpi."""
    pixels = np.ascontiguousarray(np.asarray(Image.open(DATA / "year_read_garbled.png").convert("RGB")))
    height, width = pixels.shape[:2]
    box = (MARGIN_PX, MARGIN_PX, width - MARGIN_PX, height - MARGIN_PX)
    image, engine = PageImage(1, pixels, 250.0), TesserocrEngine()
    assert read_digits(engine, image, box) == "1"  # the second reading alone
    assert read_digits(engine, image, box, "1979") == "1979"
    fv = FieldValue("1979", "1979", 0.96, 1, box, FieldStatus.ACCEPTED, "", "label")
    [checked] = reread_ids(engine, {1: image}, [Record("birth", {"mother_birth_year": fv})], Config().extract)
    assert checked.fields["mother_birth_year"].status is FieldStatus.ACCEPTED
    misread = replace(fv, value="1975", raw_text="1975")  # a third reading confirms only what it reads
    [checked] = reread_ids(
        engine, {1: image}, [Record("birth", {"mother_birth_year": misread})], Config().extract
    )
    assert checked.fields["mother_birth_year"].status is FieldStatus.NEEDS_REVIEW


def test_the_dots_above_a_words_letters_stay_in_the_second_reading() -> None:
    """Only specks low in the box go: "giờ" without its i-dot read "g1ờ", one digit too many."""
    sheet = Sheet(170, 25)
    sheet.put(10, 8, "Chết lúc: 5 giờ 54 phút, ngày 01 tháng 03 năm 2019", pt=12)
    pixels = np.ascontiguousarray(np.asarray(sheet.image.convert("RGB")))
    engine = TesserocrEngine()
    words = [
        w for w in ocr_page(engine, pixels[..., 0].copy(), 300, 1).words if w.text not in ("Chết", "lúc:")
    ]
    box = (words[0].box[0], min(w.box[1] for w in words), words[-1].box[2], max(w.box[3] for w in words))
    assert read_digits(engine, PageImage(1, pixels, 300.0), box) == "55401032019"


def test_a_places_numbers_on_one_line_are_read_twice_and_a_wrapped_place_is_left_alone() -> None:
    """A hamlet number no list checks: "xóm 10" read "xóm 19" at 0.93 was accepted (session 11)."""
    sheet = Sheet(190, 40)
    sheet.put(10, 8, "Nơi cư trú: xóm 10, xã Cẩm Vũ, huyện Cẩm Giàng, tỉnh Hải Dương", pt=12)
    sheet.put(10, 20, "tỉnh Hải Dương", pt=12)
    pixels = np.ascontiguousarray(np.asarray(sheet.image.convert("RGB")))
    words = ocr_page(TesserocrEngine(), pixels[..., 0].copy(), 300, 1).words
    value = [w for w in words if w.box[3] < words[-1].box[1] and w.text not in ("Nơi", "cư", "trú:")]
    line = (value[0].box[0], min(w.box[1] for w in value), value[-1].box[2], max(w.box[3] for w in value))
    two_lines = (*line[:3], words[-1].box[3])

    right, misread = (
        "xóm 10, xã Cẩm Vũ, huyện Cẩm Giàng, tỉnh Hải Dương",
        "xóm 19, xã Cẩm Vũ, huyện Cẩm Giàng",
    )
    checked = _read_again(
        pixels,
        mother_residence=_accepted(right, right, line),
        father_residence=_accepted(misread, misread, line),
        hometown=_accepted(misread, misread, two_lines),  # two lines read as one disagree half the time
    )
    assert {name: fv.status for name, fv in checked.items()} == {
        "mother_residence": FieldStatus.ACCEPTED,
        "father_residence": FieldStatus.NEEDS_REVIEW,
        "hometown": FieldStatus.ACCEPTED,
    }
    assert "a second reading of the number gave 10" in checked["father_residence"].reason


def _accepted(shown: str, raw: str, box: tuple[int, int, int, int]) -> FieldValue:
    return FieldValue(shown, raw, 0.93, 1, box, FieldStatus.ACCEPTED, "", "label")


def _read_again(pixels: np.ndarray, **fields: FieldValue) -> dict[str, FieldValue]:
    page = {1: PageImage(1, pixels, 300.0)}
    return dict(reread_ids(TesserocrEngine(), page, [Record("birth", fields)], Config().extract)[0].fields)
