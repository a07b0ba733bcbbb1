"""Reading order inside one table cell, and the page header above the table."""

from __future__ import annotations

from digitize.config import ExtractConfig
from digitize.extract import extract_records
from digitize.extract.register import cell_reading_order
from digitize.model import DocumentType, OcrPage, OcrWord


def test_a_name_wrapped_in_its_cell_reads_line_by_line() -> None:
    # "Vũ Quốc" on the cell's first line, "Thắng" below it; page-wide line numbers put "Thắng" first.
    words = [
        OcrWord("Thắng", (100, 160, 170, 190), 0.9, (0, 0, 3)),
        OcrWord("Vũ", (100, 120, 130, 150), 0.9, (0, 0, 4)),
        OcrWord("Quốc", (140, 120, 200, 150), 0.9, (0, 0, 4)),
    ]
    assert [w.text for w in cell_reading_order(words)] == ["Vũ", "Quốc", "Thắng"]


def _line(texts: list[tuple[int, str]], y: int, number: int) -> list[OcrWord]:
    words = []
    for x0, text in texts:
        x = x0
        for token in text.split():
            words.append(OcrWord(token, (x, y, x + 20 * len(token), y + 30), 0.95, (0, 0, number)))
            x += 20 * len(token) + 20
    return words


def test_the_page_header_is_read_above_the_table_when_the_sheet_edge_looks_like_a_rule() -> None:
    """A photographed sheet's top edge is found as a horizontal rule at y 0: the book number and office
    printed above the table's first real rule are still the page's."""
    words = [
        *_line(
            [
                (100, "Nơi đăng ký: Ủy ban nhân dân xã Hải Minh, huyện Hải Hậu, tỉnh Nam Định"),
                (2200, "Quyển số: 01/1999"),
            ],
            200,
            0,
        ),
        *_line([(120, "STT"), (420, "Họ và tên con"), (1220, "Ngày sinh")], 350, 1),
        *_line([(120, "83"), (420, "TRẦN THANH HƯƠNG"), (1220, "02/01/1999")], 540, 2),
    ]
    page = OcrPage(1, 3000, 2000, tuple(words), 0.95, (100, 400, 1200, 1800), (0, 290, 460, 666))
    [record] = extract_records(DocumentType.BIRTH_REGISTER_PAGE, [page], ExtractConfig())
    assert record.value("full_name") == "Trần Thanh Hương"
    assert record.value("book_number") == "01/1999"
    assert record.value("registration_office") == "Ủy ban nhân dân xã Hải Minh, huyện Hải Hậu, tỉnh Nam Định"
