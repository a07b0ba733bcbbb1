"""Death and marriage register pages: ruled tables whose columns differ by period and province, and the
labelled blocks of the books used since 2016 (one book per event, as the offices keep them)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from samplegen.forms import A3_LANDSCAPE, A4, Generated, Truth, _iso, _office
from samplegen.people import PLACES, Person, Place, make_person, random_date
from samplegen.registers import COLUMNS as BIRTH_COLUMNS
from samplegen.registers import block_end, block_heading, book_heading, draw_table
from samplegen.render import Sheet
from samplegen.style import HOLDOUT, Row, Style, draw_rows, shown_date, shown_name, wording
from samplegen.versions import _spouse_truth

#: field → (titles used when tuning, titles of the held-out part), width in mm
Columns = dict[str, tuple[tuple[str, ...], tuple[str, ...], float]]
_NUMBER_AND_DATE: Columns = {
    "registration_number": BIRTH_COLUMNS["registration_number"],
    "registration_date": BIRTH_COLUMNS["registration_date"],
}
DEATH_COLUMNS: Columns = {
    **_NUMBER_AND_DATE,
    "deceased_full_name": (("Họ và tên người chết", "Họ, chữ đệm, tên"), ("Họ tên người chết",), 58),
    "deceased_date_of_birth": (("Ngày sinh", "Ngày, tháng, năm sinh"), ("Ngày tháng năm sinh",), 32),
    "deceased_sex": (("Giới tính", "Nam/Nữ"), ("Nam hay nữ", "Phái"), 22),
    "deceased_ethnicity": (("Dân tộc",), ("Dân tộc",), 22),
    "deceased_residence": (("Nơi cư trú cuối cùng", "Nơi thường trú"), ("Nơi thường trú cuối cùng",), 62),
    "date_of_death": (("Ngày chết", "Ngày, tháng, năm chết"), ("Ngày mất", "Chết ngày"), 32),
    "place_of_death": (("Nơi chết",), ("Chết tại", "Nơi mất"), 56),
    "cause_of_death": (("Nguyên nhân chết",), ("Nguyên nhân",), 40),
    "declarant_full_name": (("Họ và tên người đi khai tử",), ("Người đi khai tử",), 54),
    "notes": BIRTH_COLUMNS["notes"],
}
DEATH_CORE = ("registration_number", "deceased_full_name", "date_of_death", "deceased_sex")
#: A spouse's columns: the name's titles say whose; the others stand after it, titled alike for both.
SPOUSE_NAME = {
    "husband": (("Họ và tên chồng", "Họ, chữ đệm, tên chồng"), ("Họ tên chồng", "Họ và tên người chồng"), 56),
    "wife": (("Họ và tên vợ", "Họ, chữ đệm, tên vợ"), ("Họ tên vợ", "Họ và tên người vợ"), 56),
}
SPOUSE_COLUMNS: Columns = {
    "date_of_birth": (("Ngày sinh", "Ngày, tháng, năm sinh"), ("Ngày tháng năm sinh", "Sinh ngày"), 32),
    "ethnicity": (("Dân tộc",), ("Dân tộc",), 22),
    "residence": (("Nơi cư trú", "Nơi thường trú"), ("Nơi thường trú/tạm trú", "Trú quán"), 58),
}
#: Widest table an A3 sheet holds between its margins (mm).
TABLE_WIDTH = 388.0
CAUSES = (
    "Bệnh già",
    "Tai nạn giao thông",
    "Bệnh tim",
    "Đột quỵ",
    "Ung thư phổi",
    "Suy thận",
    "Xơ gan",
    "Sốt xuất huyết",
)


def _titled(
    rng: random.Random, style: Style, name: str, spec: tuple[tuple[str, ...], tuple[str, ...], float]
) -> tuple[str, str, float]:
    tuning, held_out, width = spec
    return rng.choice(held_out if style.split == HOLDOUT else tuning), name, width


def _death_columns(rng: random.Random, style: Style) -> list[tuple[str, str, float]]:
    keep = [n for n in DEATH_COLUMNS if n in DEATH_CORE or rng.random() < 0.6]
    if rng.random() < 0.5:  # another period, another order (the number always first)
        rest = keep[1:]
        rng.shuffle(rest)
        keep = [keep[0], *rest]
    while sum(DEATH_COLUMNS[n][2] for n in keep) > TABLE_WIDTH:  # what the sheet cannot hold is left out
        keep.remove(rng.choice([n for n in keep if n not in DEATH_CORE]))
    return [_titled(rng, style, n, DEATH_COLUMNS[n]) for n in keep]


def _deceased(rng: random.Random, place: Place, year: int) -> tuple[Person, date, date]:
    born = random_date(rng, date(1925, 1, 1), date(1975, 1, 1))
    person = make_person(rng, rng.choice(["Nam", "Nữ"]), born, place)
    died = random_date(rng, date(year, 1, 1), date(year, 11, 1))
    return person, died, died + timedelta(days=rng.randrange(1, 15))


def _residence(rng: random.Random, place: Place) -> str:
    """A hamlet or block of the commune, its unit word in lower case as the other units' (the value the
    extractor writes whatever the paper's case)."""
    return place.address(f"{rng.choice(('xóm', 'thôn', 'tổ'))} {rng.randrange(1, 15)}")


def _death_entry(
    rng: random.Random, place: Place, year: int, number: int
) -> tuple[Truth, Person, date, date]:
    d, died, registered = _deceased(rng, place, year)
    declarant = make_person(rng, "Nam", random_date(rng, date(1950, 1, 1), date(1990, 1, 1)), place)
    truth = {
        "registration_number": str(number),
        "registration_date": _iso(registered),
        "deceased_full_name": d.title_name,
        "deceased_date_of_birth": _iso(d.birth),
        "deceased_sex": d.sex,
        "deceased_ethnicity": d.ethnicity,
        "deceased_residence": _residence(rng, place),
        "date_of_death": _iso(died),
        "place_of_death": rng.choice(("Tại nhà riêng", f"Trạm Y tế {place.commune}")),
        "cause_of_death": rng.choice(CAUSES),
        "declarant_full_name": declarant.title_name,
    }
    return truth, d, died, registered


def death_register_table(rng: random.Random, style: Style, rows: int = 5) -> Generated:
    year, place = rng.randrange(1995, 2024), rng.choice(PLACES)
    start, book = rng.randrange(1, 80), f"01/{year}"
    columns = _death_columns(rng, style)
    kept = {name for _, name, _ in columns}
    s = Sheet(*A3_LANDSCAPE, body_font=style.font)
    book_heading(s, "SỔ ĐĂNG KÝ KHAI TỬ", _office(place), book)
    entries = sorted((_death_entry(rng, place, year, 0) for _ in range(rows)), key=lambda e: e[3])
    shown_rows, records = [], []
    for i, (truth, d, died, registered) in enumerate(entries):
        truth |= {"registration_number": str(start + i)}
        shown_rows.append(
            truth
            | {
                "registration_date": shown_date(registered, style),
                "deceased_date_of_birth": shown_date(d.birth, style),
                "date_of_death": shown_date(died, style),
                "deceased_full_name": shown_name(d, style),
                "notes": "",
            }
        )
        records.append({k: v for k, v in truth.items() if k in kept} | _book(book, place))
    draw_table(s, style, columns, shown_rows)
    return Generated("death_register_page", [s], records, {"TypeName": "Sổ đăng ký khai tử"})


def _book(book: str, place: Place) -> Truth:
    return {"book_number": book, "registration_office": _office(place)}


def _death_time(rng: random.Random, died: date) -> str:
    clock = f"{rng.randrange(0, 24)} giờ {rng.randrange(0, 60):02d} phút"
    return f"{clock}, ngày {died.day:02d}/{died.month:02d}/{died.year}"


def death_register_blocks(rng: random.Random, style: Style, entries: int = 3) -> Generated:
    """A page of a death book used since 2016: one labelled block an entry, ruled apart."""
    style = replace(style, layout="inline")
    year, place = rng.randrange(2016, 2025), rng.choice(PLACES)
    start, book = rng.randrange(1, 80), f"01/{year}"
    s = Sheet(*A4, body_font=style.font)
    block_heading(s, rng, "SỔ ĐĂNG KÝ KHAI TỬ", book)
    y, records = 30.0, []
    made = sorted((_death_entry(rng, place, year, 0) for _ in range(entries)), key=lambda e: e[3])
    for i, (truth, d, died, registered) in enumerate(made):
        truth |= {"registration_number": str(start + i), "deceased_nationality": "Việt Nam"}
        rows: list[Row] = [
            _number_row(rng, style, start + i, registered),
            [
                (
                    wording(style, rng, "Họ, chữ đệm, tên người chết", "Họ và tên người chết"),
                    shown_name(d, style),
                )
            ],
            [
                (wording(style, rng, "Ngày, tháng, năm sinh", "Sinh ngày"), shown_date(d.birth, style)),
                ("Giới tính", d.sex),
            ],
            [("Dân tộc", d.ethnicity), ("Quốc tịch", "Việt Nam")],
            [(wording(style, rng, "Đã chết vào lúc", "Chết vào lúc"), _death_time(rng, died))],
            [(wording(style, rng, "Nơi chết", "Chết tại"), truth["place_of_death"])],
            [(wording(style, rng, "Nguyên nhân chết", "Nguyên nhân"), truth["cause_of_death"])],
        ]
        y = block_end(s, draw_rows(s, y, rows, style, rng, pt=10.5))
        del truth["deceased_residence"], truth["declarant_full_name"]
        records.append(truth | {"book_number": book})
    return Generated("death_register_page", [s], records, {"TypeName": "Sổ đăng ký khai tử"})


def _couple(rng: random.Random, place: Place, year: int) -> tuple[Person, Person, date]:
    husband = make_person(rng, "Nam", random_date(rng, date(year - 40, 1, 1), date(year - 20, 1, 1)), place)
    wife = make_person(rng, "Nữ", random_date(rng, date(year - 38, 1, 1), date(year - 18, 1, 1)), place)
    return husband, wife, random_date(rng, date(year, 1, 1), date(year, 11, 1))


def _spouse_values(key: str, p: Person, residence: str, style: Style) -> tuple[Truth, dict[str, str]]:
    """A spouse's values as the certificates' truth holds them, and as the book shows them."""
    truth = _spouse_truth(key, p, residence, with_id=False)
    shown = truth | {
        f"{key}_full_name": shown_name(p, style),
        f"{key}_date_of_birth": shown_date(p.birth, style),
    }
    return truth, shown


#: A spouse's name column under a heading over their columns: titled for nobody.
HEADED_NAME = (("Họ và tên", "Họ, chữ đệm, tên"), ("Họ tên",), 56.0)
HEADINGS = {"husband": (("CHỒNG",), ("BÊN CHỒNG",)), "wife": (("VỢ",), ("BÊN VỢ",))}
#: Share of marriage tables with a heading over each spouse's columns.
HEADED = 0.35


def _marriage_columns(
    rng: random.Random, style: Style
) -> tuple[list[tuple[str, str, float]], list[tuple[str, int, int]]]:
    """The columns, and the headings over each spouse's (none in most books)."""
    details = [n for n in SPOUSE_COLUMNS if rng.random() < 0.75]
    order = ["husband", "wife"] if rng.random() < 0.6 else ["wife", "husband"]
    headed = rng.random() < HEADED
    columns = [_titled(rng, style, "registration_number", _NUMBER_AND_DATE["registration_number"])]
    if rng.random() < 0.7:
        columns.append(_titled(rng, style, "registration_date", _NUMBER_AND_DATE["registration_date"]))
    groups = []
    for who in order:
        first = len(columns)
        columns.append(_titled(rng, style, f"{who}_full_name", HEADED_NAME if headed else SPOUSE_NAME[who]))
        columns += [_titled(rng, style, f"{who}_{n}", SPOUSE_COLUMNS[n]) for n in details]
        tuning, held_out = HEADINGS[who]
        groups.append((rng.choice(held_out if style.split == HOLDOUT else tuning), first, len(columns) - 1))
    return columns, groups if headed else []


def marriage_register_table(rng: random.Random, style: Style, rows: int = 5) -> Generated:
    """Each spouse's name column, then their columns titled alike ("Ngày sinh", "Dân tộc"), husband or
    wife first as the book was printed."""
    year, place = rng.randrange(1995, 2024), rng.choice(PLACES)
    start, book = rng.randrange(1, 80), f"01/{year}"
    columns, groups = _marriage_columns(rng, style)
    kept = {name for _, name, _ in columns}
    s = Sheet(*A3_LANDSCAPE, body_font=style.font)
    book_heading(s, "SỔ ĐĂNG KÝ KẾT HÔN", _office(place), book)
    couples = sorted((_couple(rng, place, year) for _ in range(rows)), key=lambda c: c[2])
    shown_rows, records = [], []
    for i, (husband, wife, registered) in enumerate(couples):
        truth = {"registration_number": str(start + i), "registration_date": _iso(registered)}
        shown = truth | {"registration_date": shown_date(registered, style)}
        for key, p in (("husband", husband), ("wife", wife)):
            more, more_shown = _spouse_values(key, p, _residence(rng, place), style)
            truth, shown = truth | more, shown | more_shown
        shown_rows.append(shown)
        records.append({k: v for k, v in truth.items() if k in kept} | _book(book, place))
    draw_table(s, style, columns, shown_rows, groups)
    return Generated("marriage_register_page", [s], records, {"TypeName": "Sổ đăng ký kết hôn"})


def marriage_register_blocks(rng: random.Random, style: Style, entries: int = 2) -> Generated:
    """A page of a marriage book used since 2016: per entry the husband's lines, then the wife's, under
    their own name labels or, in some books, under a heading ("Bên chồng") with the plain labels."""
    style = replace(style, layout="inline")
    year, place = rng.randrange(2016, 2025), rng.choice(PLACES)
    start, book = rng.randrange(1, 80), f"01/{year}"
    s = Sheet(*A4, body_font=style.font)
    block_heading(s, rng, "SỔ ĐĂNG KÝ KẾT HÔN", book)
    y, records, headed = 30.0, [], rng.random() < 0.5
    couples = sorted((_couple(rng, place, year) for _ in range(entries)), key=lambda c: c[2])
    for i, (husband, wife, registered) in enumerate(couples):
        truth = {"registration_number": str(start + i), "registration_date": _iso(registered)}
        y = draw_rows(s, y, [_number_row(rng, style, start + i, registered)], style, rng, pt=10.5)
        for key, p in (("husband", husband), ("wife", wife)):
            residence = _residence(rng, place)
            truth |= _spouse_values(key, p, residence, style)[0]
            if headed:
                s.put(20, y, SIDES[key], pt=10.5, bold=True, font_name=style.font)
                y += 6
            y = draw_rows(s, y, _spouse_rows(rng, style, key, p, residence, headed), style, rng, pt=10.5)
        y = block_end(s, y)
        records.append(truth | {"book_number": book})
    return Generated("marriage_register_page", [s], records, {"TypeName": "Sổ đăng ký kết hôn"})


SIDES = {"husband": "Bên chồng", "wife": "Bên vợ"}
WHO = {"husband": "chồng", "wife": "vợ"}


def _number_row(rng: random.Random, style: Style, number: int, registered: date) -> list[tuple[str, str]]:
    when = wording(style, rng, "Ngày đăng ký", "Ngày, tháng, năm đăng ký")
    return [("Số", str(number)), (when, shown_date(registered, style))]


def _spouse_rows(
    rng: random.Random, style: Style, key: str, p: Person, residence: str, headed: bool
) -> list[Row]:
    who = WHO[key]
    name = (
        "Họ, chữ đệm, tên" if headed else wording(style, rng, f"Họ, chữ đệm, tên {who}", f"Họ và tên {who}")
    )
    return [
        [(name, shown_name(p, style))],
        [
            (wording(style, rng, "Ngày, tháng, năm sinh", "Sinh ngày"), shown_date(p.birth, style)),
            ("Dân tộc", p.ethnicity),
        ],
        [("Quốc tịch", "Việt Nam")],
        [(wording(style, rng, "Nơi cư trú", "Nơi thường trú"), residence)],
    ]
