"""The review page's HTML: a register page shows each record's whole row; an extract does not."""

from __future__ import annotations

import re

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
