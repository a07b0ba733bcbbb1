"""Birth register pages as offices photograph them: ruled tables whose columns differ by period and
province (order, subset, titles over two lines), and the labelled blocks of the books used since 2016."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from samplegen.forms import A3_LANDSCAPE, A4, Generated, Truth, _iso, _office
from samplegen.people import PLACES, Family, make_family
from samplegen.render import Sheet
from samplegen.style import HOLDOUT, Row, Style, draw_rows, shown_date, shown_name, wording, wrap_text

#: field → (titles used when tuning, titles of the held-out part), width in mm
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...], float]] = {
    "registration_number": (("Số", "Số thứ tự"), ("STT", "Số TT"), 16),
    "registration_date": (("Ngày đăng ký", "Ngày, tháng, năm đăng ký"), ("Ngày tháng đăng ký",), 34),
    "full_name": (
        ("Họ, chữ đệm, tên", "Họ và tên người được khai sinh"),
        ("Họ tên người được khai sinh", "Họ và tên con"),
        62,
    ),
    "date_of_birth": (("Ngày sinh", "Ngày, tháng, năm sinh"), ("Sinh ngày", "Ngày tháng năm sinh"), 34),
    "sex": (("Giới tính", "Nam/Nữ"), ("Nam hay nữ", "Phái"), 22),
    "ethnicity": (("Dân tộc",), ("Dân tộc",), 24),
    "personal_id": (("Số định danh cá nhân",), ("Mã số định danh",), 48),
    "mother_full_name": (("Họ, chữ đệm, tên mẹ", "Họ và tên mẹ"), ("Họ tên mẹ", "Họ và tên người mẹ"), 58),
    "father_full_name": (
        ("Họ, chữ đệm, tên cha", "Họ và tên cha"),
        ("Họ tên cha", "Họ và tên người cha"),
        58,
    ),
    "notes": (("Ghi chú",), ("Chú thích",), 30),
}
#: Fields every register has; the others come and go.
CORE = ("registration_number", "full_name", "date_of_birth", "sex")


def _families(rng: random.Random, rows: int, year: int) -> list[Family]:
    place = rng.choice(PLACES)
    made = (make_family(rng, place, (date(year, 1, 1), date(year, 11, 1))) for _ in range(rows))
    return sorted(made, key=lambda fam: fam.registered)


def registered_values(fam: Family, number: int, style: Style) -> tuple[Truth, dict[str, str]]:
    c = fam.child
    truth = {
        "registration_number": str(number),
        "registration_date": _iso(fam.registered),
        "full_name": c.title_name,
        "date_of_birth": _iso(c.birth),
        "sex": c.sex,
        "ethnicity": c.ethnicity,
        "personal_id": c.personal_id,
        "mother_full_name": fam.mother.title_name,
        "father_full_name": fam.father.title_name,
    }
    shown = truth | {
        "registration_date": shown_date(fam.registered, style),
        "date_of_birth": shown_date(c.birth, style),
        "full_name": shown_name(c, style),
        "mother_full_name": shown_name(fam.mother, style),
        "father_full_name": shown_name(fam.father, style),
        "notes": "",
    }
    return truth, shown


def _choose_columns(rng: random.Random, style: Style) -> list[tuple[str, str, float]]:
    names = list(COLUMNS)
    keep = [n for n in names if n in CORE or rng.random() < 0.7]
    if rng.random() < 0.5:  # another period, another order (the number always first)
        rest = keep[1:]
        rng.shuffle(rest)
        keep = [keep[0], *rest]
    pool = 1 if style.split == HOLDOUT else 0
    chosen = []
    for name in keep:
        tuning, held_out, width = COLUMNS[name]
        chosen.append((rng.choice(held_out if pool else tuning), name, width))
    return chosen


def register_table(rng: random.Random, style: Style, rows: int = 6) -> Generated:
    """An A3 ruled register page; the title of a long column may wrap onto a second line."""
    year = rng.randrange(1995, 2024)
    families = _families(rng, rows, year)
    place = families[0].child.place
    start, book = rng.randrange(1, 150), f"01/{year}"
    columns = _choose_columns(rng, style)
    s = Sheet(*A3_LANDSCAPE, body_font=style.font)
    book_heading(s, "SỔ ĐĂNG KÝ KHAI SINH", _office(place), book)
    shown_rows, records = [], []
    kept = {name for _, name, _ in columns}
    for i, fam in enumerate(families):
        truth, shown = registered_values(fam, start + i, style)
        shown_rows.append(shown)
        records.append(
            {k: v for k, v in truth.items() if k in kept}
            | {"book_number": book, "registration_office": _office(place)}
        )
    draw_table(s, style, columns, shown_rows)
    return Generated("birth_register_page", [s], records, {"TypeName": "Sổ đăng ký khai sinh"})


def book_heading(s: Sheet, title: str, office: str, book: str) -> None:
    s.line(14, (210, title), pt=18, bold=True, align="center")
    s.line(24, (30, f"Nơi đăng ký: {office}"), (330, f"Quyển số: {book}"), pt=12.5)


#: Where a table starts on an A3 sheet, its rows' and title row's heights (mm).
X0, Y0, ROW_H, HEAD_H = 16.0, 34.0, 24.0, 20.0
#: Smallest size a cell's text is written at on one line before it wraps onto a second.
ONE_LINE_PT = 8.5


#: Height of a row of headings over groups of columns ("CHỒNG" over the husband's), mm.
GROUP_H = 9.0


def draw_table(
    s: Sheet,
    style: Style,
    columns: list[tuple[str, str, float]],
    shown_rows: list[dict[str, str]],
    groups: Sequence[tuple[str, int, int]] = (),
) -> None:
    """Column titles (wrapped to their column), one row an entry, ruled; a long cell goes on two lines.
    `groups` (heading, first column, last column) puts a heading over columns, in a row of its own; the
    other columns' titles then stand in that row, over both."""
    grouped = {c for _, first, last in groups for c in range(first, last + 1)}
    top_of_titles = Y0 + (GROUP_H if groups else 0.0)
    x = X0
    for c, (title, _, w) in enumerate(columns):
        y = top_of_titles if c in grouped else Y0
        for k, part in enumerate(wrap_text(s, title, 10.5, style.font, w - 3, bold=True)):
            s.put(x + 1.5, y + 3 + 5.5 * k, part, pt=10.5, bold=True, font_name=style.font)
        x += w
    _group_headings(s, style, columns, groups)
    s.lines.append(" ".join(title for title, _, _ in columns))
    head_bottom = top_of_titles + HEAD_H
    for i, shown in enumerate(shown_rows):
        top, x, cells = head_bottom + i * ROW_H, X0, []
        for _, name, w in columns:
            text = shown.get(name, "")
            if text:
                _cell(s, style, text, x, top, w)
                cells.append(text)
            x += w
        s.lines.append(" ".join(cells))
    width, rows = sum(w for _, _, w in columns), len(shown_rows)
    for k in range(rows + 1):
        s.rule(X0, head_bottom + k * ROW_H, X0 + width, head_bottom + k * ROW_H)
    s.rule(X0, Y0, X0 + width, Y0)
    x = X0
    for c, (_, _, w) in enumerate([*columns, ("", "", 0.0)]):
        inner = c in grouped and c - 1 in grouped and not any(c == first for _, first, _ in groups)
        s.rule(x, top_of_titles if inner else Y0, x, head_bottom + rows * ROW_H)
        x += w


def _group_headings(
    s: Sheet, style: Style, columns: list[tuple[str, str, float]], groups: Sequence[tuple[str, int, int]]
) -> None:
    """Each heading centred over its columns, ruled off from their titles."""
    lefts = [X0 + sum(w for _, _, w in columns[:c]) for c in range(len(columns) + 1)]
    for heading, first, last in groups:
        middle = (lefts[first] + lefts[last + 1]) / 2
        half = s.text_width_mm(heading, 11.0, style.font, True) / 2
        s.put(middle - half, Y0 + 2.0, heading, pt=11.0, bold=True, font_name=style.font)
        s.rule(lefts[first], Y0 + GROUP_H, lefts[last + 1], Y0 + GROUP_H)


def _cell(s: Sheet, style: Style, text: str, x: float, top: float, w: float) -> None:
    """A cell's text at the size that fits it on one line or, too small so, on two split near the middle
    (an address in a narrow column, as a clerk writes it)."""
    parts = [text]
    if _fitted(s, style, text, w) < ONE_LINE_PT and " " in text:
        spaces = [i for i, ch in enumerate(text) if ch == " "]
        cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
        parts = [text[:cut], text[cut + 1 :]]
    pt = min(_fitted(s, style, part, w) for part in parts)
    for k, part in enumerate(parts):
        y = top + (7 if len(parts) == 1 else 4 + 8 * k)
        s.put(
            x + 1.5, y, part, pt=pt * (1.1 if style.hand else 1.0), font_name=style.value_font, ink=style.ink
        )


def _fitted(s: Sheet, style: Style, text: str, w: float) -> float:
    return 10.5 * min(1.0, (w - 3) / max(1.0, s.text_width_mm(text, 10.5, style.value_font)))


def register_blocks(rng: random.Random, style: Style, entries: int = 3) -> Generated:
    """A page of a register book used since 2016: one labelled block an entry, ruled apart (a book's
    entries are laid out as the book prints them, not in a form's grid or at a tab stop)."""
    style = replace(style, layout="inline")
    year = rng.randrange(2016, 2025)
    families = _families(rng, entries, year)
    start, book = rng.randrange(1, 150), f"01/{year}"
    s = Sheet(*A4, body_font=style.font)
    block_heading(s, rng, "SỔ ĐĂNG KÝ KHAI SINH", book)
    y, records = 30.0, []
    for i, fam in enumerate(families):
        c = fam.child
        rows: list[Row] = [
            [
                ("Số", str(start + i)),
                (
                    wording(style, rng, "Ngày, tháng, năm đăng ký", "Ngày đăng ký"),
                    shown_date(fam.registered, style),
                ),
            ],
            [(wording(style, rng, "Họ, chữ đệm, tên", "Họ và tên"), shown_name(c, style))],
            [
                (wording(style, rng, "Ngày, tháng, năm sinh", "Sinh ngày"), shown_date(c.birth, style)),
                ("Giới tính", c.sex),
            ],
            [("Dân tộc", c.ethnicity), ("Quốc tịch", "Việt Nam")],
            [("Số định danh cá nhân", c.personal_id)],
            [
                (
                    wording(style, rng, "Họ, chữ đệm, tên người mẹ", "Họ và tên mẹ"),
                    shown_name(fam.mother, style),
                )
            ],
            [
                (
                    wording(style, rng, "Họ, chữ đệm, tên người cha", "Họ và tên cha"),
                    shown_name(fam.father, style),
                )
            ],
        ]
        y = block_end(s, draw_rows(s, y, rows, style, rng, pt=10.5))
        records.append(
            {
                "registration_number": str(start + i),
                "registration_date": _iso(fam.registered),
                "full_name": c.title_name,
                "date_of_birth": _iso(c.birth),
                "sex": c.sex,
                "ethnicity": c.ethnicity,
                "nationality": "Việt Nam",
                "personal_id": c.personal_id,
                "mother_full_name": fam.mother.title_name,
                "father_full_name": fam.father.title_name,
                "book_number": book,
            }
        )
    return Generated("birth_register_page", [s], records, {"TypeName": "Sổ đăng ký khai sinh"})


def block_heading(s: Sheet, rng: random.Random, title: str, book: str) -> None:
    """The title of a book used since 2016, over its book and page numbers."""
    s.line(12, (105, title), pt=15, bold=True, align="center")
    s.line(20, (20, f"Quyển số: {book}"), (150, f"Trang số: {rng.randrange(2, 200)}"), pt=11)


def block_end(s: Sheet, y: float) -> float:
    """The tick boxes under an entry, and the rule between it and the next."""
    s.put(20, y, "☐ Đúng hạn   ☐ Quá hạn   ☐ Đăng ký lại", pt=9.5, font_name="sans")
    s.rule(15, y + 7, 195, y + 7, width_px=2)
    return y + 11
