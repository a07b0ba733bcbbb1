"""Layouts the generator did not draw when these rules were written, on synthetic OCR lines (no Tesseract):
values typed under their labels, forms printed as a ruled grid, dust between a label and its value, and a
place whose last line was lost. Found by drawing the generated forms in other layouts (session 13)."""

from __future__ import annotations

from digitize.model import DocumentType
from tests.extract.test_labels import accepted, read


def test_a_form_printed_as_a_ruled_grid_reads_each_cell() -> None:
    # the grid's rules are read as "|"; a label without a colon after one stands in a cell of its own
    record = read(
        DocumentType.BIRTH_REGISTRATION,
        ["| Giới tính | Nam | Dân tộc | Kinh | Quốc tịch | Việt Nam |", "| Họ, chữ đệm, tên | TRẦN VĂN AN |"],
    )
    assert [accepted(record, f) for f in ("sex", "ethnicity", "nationality", "full_name")] == [
        "Nam",
        "Kinh",
        "Việt Nam",
        "Trần Văn An",
    ]


def test_a_label_alone_on_its_line_is_not_the_start_of_a_longer_wording() -> None:
    # "Nơi đăng ký:" alone on its line was taken for "Nơi đăng ký thường trú" (a residence): the fuzzy
    # search aligned the short line inside the long wording and scored it whole
    record = read(
        DocumentType.BIRTH_REGISTRATION,
        [
            "Họ và tên mẹ: LÝ MINH TRANG",
            "Nơi đăng ký:",
            [(160, "Ủy ban nhân dân phường Hòa Khánh Bắc, quận Liên Chiểu, thành phố Đà Nẵng")],
            "Họ và tên:",
            [(160, "HỒ MINH VIỆT")],
        ],
    )
    office = "Ủy ban nhân dân phường Hòa Khánh Bắc, quận Liên Chiểu, thành phố Đà Nẵng"
    assert accepted(record, "registration_office") == office
    assert record.value("mother_residence") is None
    assert record.value("mother_full_name") == "Lý Minh Trang"  # "Họ và tên:" is not "Họ và tên mẹ"
