"""The station says why a field waits, and why a value was refused, in Vietnamese."""

from __future__ import annotations

import re

from digitize.extract.names import LOST_SURNAME
from digitize.extract.normalize import (
    book,
    ethnicity,
    free_text,
    full_date,
    name,
    personal_id,
    spelled_date,
    year,
)
from digitize.extract.place_checks import (
    AT_MISREAD,
    FACILITY_MISREAD,
    HAMLET_MISREAD,
    NO_NAME,
    NUMBER_ALONE,
    RUNS_ON,
    UNIT_WORD_LOST,
)
from digitize.extract.register import NAMED_BY_CONTENTS
from digitize.extract.validate import KIN_MISREAD, NO_COMMUNE, id_problems
from web.reasons import vietnamese


def test_reasons_the_extractor_gives_are_said_in_vietnamese() -> None:
    reasons = [
        "low OCR confidence (0.47); written by hand in pen: check it against the image",
        "uncommon name syllable(s) Hinh, Hai: check the tone marks on the paper",
        LOST_SURNAME.format("Văn"),
        "surname 'Đồ' is not a known surname; read as 'Đỗ'",
        "blank cell: check it is empty",
        "most of this document could not be read, so none of it is accepted unchecked",
        "does not spell the administrative unit as officially written (Cẩm Vũ)",
        "'huyện: Hải Hậu' is not written as the name of a unit here",
        "keyed differently by an and binh: a third person decides",
        "label found, nothing read after it: key the value from the image",
        RUNS_ON,
        KIN_MISREAD.format("Võ", "Vũ", "father"),
        "'x Tân Hòg' names no commune of Vũ Thư",
        NUMBER_ALONE.format("14"),
        UNIT_WORD_LOST.format("Liên Chiểu"),
        NO_COMMUNE,
        NO_NAME,
        NAMED_BY_CONTENTS,
        AT_MISREAD.format("Tai"),
        KIN_MISREAD.format("Vũ Minh Tuân", "Vũ Minh Tuấn", "mother"),
        HAMLET_MISREAD.format("u"),
        FACILITY_MISREAD.format("Trạm tế"),
        "registered in 2019, but the book is of 2010",
        "registered on 2010-08-03, after the entries below it",
        "registered on 2010-01-03, before the entries above it",
        "the letters of this document are misread alike (3 different words no text holds)",
        "the figures of this document are misread alike (2 years no paper holds, 3 numbers no paper holds,"
        " 1 numbers read otherwise a second time)",
        free_text("xóm I1, xã Diêñ Kỷ").reason,
        name("Võ Minh Mat").reason,
        free_text("xóm 7„ phường Kim Mã, thành phố Hà Nộ1").reason,
        "province digits 036 are not those of xã Bảo Đài, tỉnh Bắc Ninh (024, 027)",
        full_date("31/02/2020").reason,
        full_date("năm 1987").reason,
        full_date("20072017").reason,
        full_date("O4/O1/1986").reason,
        book("O1").reason,
        ethnicity("Thá1").reason,
        year("87").reason,
        year("19/5").reason,
        year("13éé").reason,
        spelled_date("Ngàu mười bảu, tháng ba, năm hai nghìn").reason,
        personal_id("0362150123").reason,
        *id_problems("036215012345", "1990-01-01", "Nữ"),
    ]
    for reason in reasons:
        said = vietnamese(reason)
        assert said != reason and not re.search(r"\b(the|is|not|check|read|could)\b", said), (reason, said)
    assert vietnamese("low OCR confidence (0.47)") == "OCR đọc không chắc (0.47)"


def test_a_refusal_keeps_what_was_typed_and_says_why() -> None:
    said = vietnamese("field date_of_birth: '31/02/2021' — 31/2/2021 is not a calendar date")
    assert said == "trường date_of_birth: «31/02/2021» — 31/2/2021 không phải ngày có thật"
    assert vietnamese("something no pattern knows") == "something no pattern knows"
