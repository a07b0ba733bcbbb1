"""The review page's HTML: a register page shows each record's whole row; an extract does not."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from storage.repository.review import ReviewDocument, ReviewField, Staff, hash_password, password_matches
from web import review_page
from web.review import _safe_next

CLERK = Staff(1, "lan", "Trần Thị Lan", "reviewer")


def _field(field_id: int, record: int, box: list[int]) -> ReviewField:
    return ReviewField(
        field_id, record, "full_name", "Lê Văn A", "Lê Văn A", 0.5, "needs_review", "low", 1, box, "ocr", None
    )


def _rows(fields: list[ReviewField]) -> list[str]:
    doc = ReviewDocument(7, "p.png", "birth_register", "b", "a", "needs_review", "k", {1: 300.0}, fields)
    return re.findall(r'class="row"><img[^>]*src="([^"]+)"', review_page.document(CLERK, doc, 0.8))


def test_register_rows_are_shown_whole_and_extracts_are_not() -> None:
    register = [
        _field(1, 0, [10, 10, 50, 30]),
        _field(2, 0, [60, 12, 90, 28]),
        _field(3, 1, [10, 40, 50, 60]),
    ]
    assert _rows(register) == [
        "/review/documents/7/crop.png?page=1&amp;box=10,10,90,30",
        "/review/documents/7/crop.png?page=1&amp;box=10,40,50,60",
    ]
    assert _rows([_field(1, 0, [10, 10, 50, 30]), _field(2, 0, [60, 12, 90, 28])]) == []


def test_labels_values_and_low_confidence_are_marked() -> None:
    doc = ReviewDocument(
        7, "p.png", "birth", "b", "a", "needs_review", "k", {1: 300.0}, [_field(1, 0, [1, 1, 9, 9])]
    )
    page = review_page.document(CLERK, doc, 0.8)
    assert "Họ, chữ đệm, tên" in page and 'value="Lê Văn A"' in page
    assert 'class="field pending low"' in page and "Trần Thị Lan (kiểm tra viên)" in page


def test_passwords_and_redirect_targets() -> None:
    stored = hash_password("mật-khẩu-đủ-dài")
    assert password_matches("mật-khẩu-đủ-dài", stored) and not password_matches("mat-khau-du-dai", stored)
    assert not password_matches("x", "garbage")
    assert _safe_next("/review/documents/3") == "/review/documents/3"
    for hostile in ("https://evil.example/", "//evil.example/review", "/review\\..\\x", "/login"):
        assert _safe_next(hostile) == "/review"


def test_a_death_paper_shows_death_labels_vietnamese_names_and_sized_crops() -> None:
    declarant = ReviewField(
        1,
        0,
        "declarant_full_name",
        "Lê Văn B",
        "LÊ VĂN B",
        0.5,
        "needs_review",
        "",
        1,
        [100, 200, 400, 240],
        "x",
        None,
    )
    html = review_page.document(
        CLERK,
        ReviewDocument(
            7, "t.png", "death_registration", "b", "a", "needs_review", "k", {1: 300.0}, [declarant]
        ),
        0.8,
    )
    assert "khai tử" in html and "khai sinh" not in html  # a death extract's declarant, not a birth's
    assert "Giấy tờ khai tử" in html and "chờ kiểm tra" in html and "death_registration" not in html
    # The crop's shown size is fixed before it loads: the box plus the route's margin, scaled to fit.
    assert 'width="323" height="70"' in html  # 332×72 px, scaled to the 70 px row height
    queued = review_page.queue(
        CLERK,
        [
            review_page.QueueEntry(
                7, "t.png", "death_registration", "b", "a", datetime(2026, 12, 1, 18, 30, tzinfo=UTC), 1, 1
            )
        ],
        "",
        "",
    )
    assert "02/12/2026 01:30" in queued and "giờ Việt Nam" in queued and "UTC" not in queued


def test_the_page_names_the_form_it_was_read_as() -> None:
    """The clerk sees which form the paper was read as: a wrong version explains misplaced values."""
    form = {"paper": "extract", "era": "2016", "parents": "mother_first", "value_columns": 1}
    doc = ReviewDocument(
        7, "p.png", "birth_registration", "b", "a", "needs_review", "k", {1: 300.0}, [], form=form
    )
    assert "— trích lục, mẫu từ 2016, mẹ trước ·" in review_page.document(CLERK, doc, 0.8)
    unknown = ReviewDocument(7, "p.png", "birth_registration", "b", "a", "needs_review", "k", {1: 300.0}, [])
    assert "<p>Giấy tờ khai sinh · lô b" in review_page.document(CLERK, unknown, 0.8)  # nothing guessed
