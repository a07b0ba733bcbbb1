"""Stage `classify`: which kind of document the OCR text is, by weighted key phrases.

Phrases are compared on the compact folded text (no diacritics, spaces or punctuation) and forgive an
OCR slip ("TRÍCH LỤC KHAIT SINH"), so a misread title or tone mark does not change the verdict.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from digitize.extract.register import column_field, table_cells
from digitize.extract.register_columns import (
    BIRTH_COLUMNS,
    DEATH_COLUMNS,
    MARRIAGE_COLUMNS,
    SPOUSE_HEADINGS,
    Columns,
)
from digitize.extract.text import fold
from digitize.model import DocumentType, OcrPage

# (phrase, weight): a type wins with the highest total; below MIN_SCORE the type is unknown.
PHRASES: dict[DocumentType, tuple[tuple[str, float], ...]] = {
    DocumentType.BIRTH_REGISTER_PAGE: (
        ("so dang ky khai sinh", 3.0),
        ("ngay dang ky", 1.0),
        ("trang so", 1.0),
        ("dung han", 0.5),
        ("ghi chu", 0.5),
    ),
    DocumentType.DEATH_REGISTER_PAGE: (("ngay dang ky", 1.0), ("trang so", 1.0), ("dung han", 0.5)),
    DocumentType.MARRIAGE_REGISTER_PAGE: (("ngay dang ky", 1.0), ("trang so", 1.0), ("dung han", 0.5)),
    DocumentType.BIRTH_REGISTRATION: (
        ("trich luc khai sinh", 3.0),
        ("trich luc dang ky khai sinh", 3.0),
        ("giay khai sinh", 3.0),
        ("noi dang ky khai sinh", 1.5),
        ("nguoi di khai sinh", 1.0),
        ("dang ky khai sinh tai", 1.0),
        ("que quan", 0.5),
    ),
    DocumentType.DEATH_REGISTRATION: (
        ("trich luc khai tu", 3.0),
        ("trich luc dang ky khai tu", 3.0),
        ("giay chung tu", 3.0),
        ("nguyen nhan chet", 1.5),
        ("da chet vao luc", 1.5),
        ("noi chet", 1.0),
        ("khai tu", 1.0),
    ),
    DocumentType.MARRIAGE_REGISTRATION: (
        ("trich luc ket hon", 3.0),
        ("trich luc dang ky ket hon", 3.0),
        ("giay chung nhan ket hon", 3.0),
        ("giay chung nhan dang ky ket hon", 3.0),
        ("dang ky ket hon", 1.0),
        ("nguoi chong", 1.0),
        ("nguoi vo", 1.0),
        ("ho va ten chong", 1.0),
        ("ho va ten vo", 1.0),
        ("ben nam", 0.5),
        ("ben nu", 0.5),
    ),
    DocumentType.ADMINISTRATIVE_DOCUMENT: (
        ("v/v", 1.5),
        ("kinh gui", 1.5),
        ("noi nhan", 1.5),
        ("cong van", 1.0),
        ("quyet dinh", 1.0),
        ("to trinh", 1.0),
        ("bao cao", 0.5),
    ),
}
#: A register book's title standing as a line of its own (an extract's "Thực hiện trích lục từ Sổ đăng ký
#: khai tử" or "khớp với Sổ đăng ký kết hôn" names the book in a sentence and does not count).
BOOK_TITLES = {
    DocumentType.BIRTH_REGISTER_PAGE: "so dang ky khai sinh",
    DocumentType.DEATH_REGISTER_PAGE: "so dang ky khai tu",
    DocumentType.MARRIAGE_REGISTER_PAGE: "so dang ky ket hon",
}
BOOK_TITLE_WEIGHT = 6.0
#: Letters a title line may hold besides the title ("SỔ ĐĂNG KÝ KHAI TỬ - Quyển số 01/2019").
TITLE_LINE = 2.0
MIN_SCORE = 2.0
#: Indel similarity (per cent) a phrase needs with some stretch of the text; short phrases match exactly.
PHRASE_MATCH = 90.0


def _compact(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isalnum() or ch == "/")


def _present(phrase: str, text: str) -> bool:
    """The phrase, a slip of about one letter in ten forgiven; the stretch found must hold its letters (a
    partial alignment scores "giấy chứng" alone 90 against "giấy chứng tử", and a marriage certificate,
    "giấy chứng nhận kết hôn", was typed a death certificate)."""
    wanted = _compact(phrase)
    if len(wanted) < 10:
        return wanted in text
    found = fuzz.partial_ratio_alignment(wanted, text, score_cutoff=PHRASE_MATCH)
    return found is not None and found.dest_end - found.dest_start >= len(wanted) - len(wanted) // 10


def _is_title(title: str, line: str) -> bool:
    """The book's title making up most of the line, its word "Sổ" first: a slip later on is forgiven, but
    "Nơi đăng ký khai sinh:" alone on its line (a value under its label) is one letter from the title."""
    wanted = _compact(title)
    return len(line) <= TITLE_LINE * len(wanted) and line.startswith(wanted[:3]) and _present(title, line)


#: Columns only one book has (the number, the dates, the ethnic group are every book's). Two of them in
#: one row of a ruled page's first rows are that book's titles: a page whose title line is lost (torn,
#: blurred on a photograph) is still its book's. So are a marriage book's two spouse headings over its
#: columns ("BÊN VỢ", "BÊN CHỒNG"), whose own titles are every book's ("Họ tên", "Ngày tháng năm sinh").
#: A form printed as a grid holds its labels in one column, one a row, and never two in a row.
BOOK_COLUMNS: dict[DocumentType, tuple[Columns, frozenset[str]]] = {
    DocumentType.BIRTH_REGISTER_PAGE: (
        BIRTH_COLUMNS,
        frozenset(("mother_full_name", "father_full_name", "place_of_birth")),
    ),
    DocumentType.DEATH_REGISTER_PAGE: (
        DEATH_COLUMNS,
        frozenset(("date_of_death", "place_of_death", "cause_of_death", "declarant_full_name")),
    ),
    DocumentType.MARRIAGE_REGISTER_PAGE: (
        MARRIAGE_COLUMNS,
        frozenset(("husband_full_name", "wife_full_name")),
    ),
}
#: Rows of a ruled page looked at for column titles, and a paper's score at which its title was read (a
#: page with a paper's title is that paper, whatever its grid).
TITLE_ROWS, TITLED = 3, 3.0


def _book_by_columns(pages: Sequence[OcrPage]) -> DocumentType | None:
    for page in pages:
        if len(page.rules_x) < 3 or len(page.rules_y) < 3:
            continue
        rows: dict[tuple[DocumentType, int], set[str]] = {}
        titles = [(row, words) for (row, _), words in table_cells(page).items() if row < TITLE_ROWS]
        for row, words in titles:
            for kind, (columns, own) in BOOK_COLUMNS.items():
                found = column_field(words, columns)
                if found and found[0] in own:
                    rows.setdefault((kind, row), set()).add(found[0])
            if heading := column_field(words, SPOUSE_HEADINGS):
                rows.setdefault((DocumentType.MARRIAGE_REGISTER_PAGE, row), set()).add(heading[0])
        books = {kind for (kind, _), names in rows.items() if len(names) >= 2}
        if len(books) == 1:
            return books.pop()
    return None


def classify(pages: Sequence[OcrPage]) -> DocumentType:
    text = _compact("\n".join(page.text for page in pages))
    scores = {
        kind: sum(w for phrase, w in phrases if _present(phrase, text)) for kind, phrases in PHRASES.items()
    }
    lines = [_compact(line) for page in pages for line in page.text.splitlines()]
    for kind, title in BOOK_TITLES.items():
        if any(_is_title(title, line) for line in lines):
            scores[kind] += BOOK_TITLE_WEIGHT
    best = max(scores, key=lambda kind: scores[kind])
    if scores[best] < TITLED and (book := _book_by_columns(pages)):
        return book
    return best if scores[best] >= MIN_SCORE else DocumentType.UNKNOWN
