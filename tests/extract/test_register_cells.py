"""Reading order inside one table cell."""

from __future__ import annotations

from digitize.extract.register import cell_reading_order
from digitize.model import OcrWord


def test_a_name_wrapped_in_its_cell_reads_line_by_line() -> None:
    # "Vũ Quốc" on the cell's first line, "Thắng" below it; page-wide line numbers put "Thắng" first.
    words = [
        OcrWord("Thắng", (100, 160, 170, 190), 0.9, (0, 0, 3)),
        OcrWord("Vũ", (100, 120, 130, 150), 0.9, (0, 0, 4)),
        OcrWord("Quốc", (140, 120, 200, 150), 0.9, (0, 0, 4)),
    ]
    assert [w.text for w in cell_reading_order(words)] == ["Vũ", "Quốc", "Thắng"]
