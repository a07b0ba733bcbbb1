"""Layouts of the generated documents. Each returns drawn sheets plus the ground truth they show."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from samplegen.people import (
    PLACES,
    Family,
    Place,
    date_in_words,
    make_family,
    make_person,
    random_date,
)
from samplegen.render import Sheet

A4 = (210.0, 297.0)
A3_LANDSCAPE = (420.0, 297.0)
Truth = dict[str, str]


@dataclass
class Generated:
    document_type: str
    sheets: list[Sheet]
    records: list[Truth]
    metadata: dict[str, str]
    extra: dict[str, object] = field(default_factory=dict)


def _iso(d: date) -> str:
    return d.isoformat()


def _dmy(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _office(place: Place) -> str:
    return f"Ủy ban nhân dân {place.address()}"


def _national_header(s: Sheet, place: Place, number_line: str) -> None:
    s.line(
        12,
        (50, "ỦY BAN NHÂN DÂN"),
        (140, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        pt=11.5,
        bold=True,
        align="center",
    )
    s.line(
        18,
        (50, place.commune.upper()),
        (140, "Độc lập - Tự do - Hạnh phúc"),
        pt=11.5,
        bold=True,
        align="center",
    )
    above = ", ".join(unit for unit in (place.district, place.province) if unit)
    s.line(24, (50, above.upper()), pt=10, align="center")
    s.line(34, (20, number_line), pt=12)


def _signoff(s: Sheet, place: Place, d: date, title: str, signer: str, rng: random.Random, y: float) -> None:
    commune = place.commune.split(" ", 1)[1]
    s.line(y, (140, f"{commune}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"), pt=12, align="center")
    s.line(y + 7, (140, title), pt=12, bold=True, align="center")
    s.signature(125, y + 22, rng)
    s.seal(118, y + 22, "UBND " + commune.upper())
    s.line(y + 40, (140, signer), pt=12, bold=True, align="center")


def birth_extract(
    rng: random.Random, place: Place | None = None, font: str = "serif", dpi: int = 300
) -> Generated:
    place = place or rng.choice(PLACES)
    fam = make_family(rng, place, (date(2008, 1, 1), date(2024, 6, 1)))
    c, m, f = fam.child, fam.mother, fam.father
    number = rng.randrange(1, 240)
    book = f"01/{fam.registered.year}"
    s = Sheet(*A4, dpi=dpi, body_font=font)
    _national_header(s, place, f"Số: {number}/TLKS-BS")
    s.line(46, (105, "TRÍCH LỤC KHAI SINH"), pt=15, bold=True, align="center")
    s.line(53, (105, "(Bản sao)"), pt=12, align="center")
    y = 66.0
    rows: list[tuple[tuple[float, str], ...]] = [
        ((20, f"Họ, chữ đệm, tên: {c.full_name}"),),
        ((20, f"Ngày, tháng, năm sinh: {_dmy(c.birth)}"),),
        ((20, f"Ghi bằng chữ: {date_in_words(c.birth)}"),),
        ((20, f"Giới tính: {c.sex}"), (80, f"Dân tộc: {c.ethnicity}"), (135, "Quốc tịch: Việt Nam")),
        ((20, f"Nơi sinh: {place.address('Trạm Y tế ' + place.commune)}"),),
        ((20, f"Quê quán: {place.address()}"),),
        ((20, f"Số định danh cá nhân: {c.personal_id}"),),
        ((20, f"Họ, chữ đệm, tên người mẹ: {m.full_name}"),),
        ((20, f"Năm sinh: {m.birth.year}"), (80, f"Dân tộc: {m.ethnicity}"), (135, "Quốc tịch: Việt Nam")),
        ((20, f"Nơi cư trú: {place.address('xóm ' + str(rng.randrange(1, 12)))}"),),
        ((20, f"Họ, chữ đệm, tên người cha: {f.full_name}"),),
        ((20, f"Năm sinh: {f.birth.year}"), (80, f"Dân tộc: {f.ethnicity}"), (135, "Quốc tịch: Việt Nam")),
        ((20, f"Nơi cư trú: {place.address('xóm ' + str(rng.randrange(1, 12)))}"),),
        ((20, f"Người đi khai sinh: {f.full_name}"),),
        ((20, f"Nơi đăng ký khai sinh: {_office(place)}"),),
        ((20, f"Ngày, tháng, năm đăng ký: {_dmy(fam.registered)}"),),
        ((20, f"Số: {number}"), (80, f"Quyển số: {book}")),
    ]
    for row in rows:
        s.line(y, *row, pt=12.5)
        y += 9.5
    _signoff(
        s,
        place,
        fam.registered,
        "NGƯỜI KÝ TRÍCH LỤC",
        make_person(rng, "Nữ", date(1980, 1, 1), place).title_name,
        rng,
        y + 8,
    )
    mother_res = rows[9][0][1].split(": ", 1)[1]
    father_res = rows[12][0][1].split(": ", 1)[1]
    record = _birth_truth(fam, place, number, book) | {
        "mother_residence": mother_res,
        "father_residence": father_res,
    }
    meta = {
        "TypeName": "Trích lục khai sinh",
        "CodeNumber": str(number),
        "CodeNotation": "TLKS-BS",
        "IssuedDate": _iso(fam.registered),
        "OrganName": f"Ủy ban nhân dân {place.commune}",
        "Subject": f"Trích lục khai sinh của {c.title_name}",
    }
    return Generated("birth_registration", [s], [record], meta)


def child_truth(fam: Family, place: Place) -> Truth:
    """The child's values on a birth paper."""
    c = fam.child
    return {
        "full_name": c.title_name,
        "sex": c.sex,
        "date_of_birth": _iso(c.birth),
        "ethnicity": c.ethnicity,
        "nationality": "Việt Nam",
        "place_of_birth": place.address("Trạm Y tế " + place.commune),
    }


def parents_truth(fam: Family, residences: tuple[str, str]) -> Truth:
    """Each parent's values on a birth paper (mother's residence first in `residences`)."""
    truth: Truth = {}
    for role, p, residence in (("mother", fam.mother, residences[0]), ("father", fam.father, residences[1])):
        truth |= {
            f"{role}_full_name": p.title_name,
            f"{role}_birth_year": str(p.birth.year),
            f"{role}_ethnicity": p.ethnicity,
            f"{role}_nationality": "Việt Nam",
            f"{role}_residence": residence,
        }
    return truth


def registered_birth(fam: Family, place: Place, number: int, book: str) -> Truth:
    """Where, when and under which numbers a birth was registered, the father declaring it."""
    return {
        "registration_number": str(number),
        "book_number": book,
        "registration_office": _office(place),
        "registration_date": _iso(fam.registered),
        "declarant_full_name": fam.father.title_name,
    }


def _birth_truth(fam: Family, place: Place, number: int, book: str) -> Truth:
    c, m, f = fam.child, fam.mother, fam.father
    return {
        "full_name": c.title_name,
        "sex": c.sex,
        "date_of_birth": _iso(c.birth),
        "place_of_birth": place.address("Trạm Y tế " + place.commune),
        "hometown": place.address(),
        "ethnicity": c.ethnicity,
        "nationality": "Việt Nam",
        "personal_id": c.personal_id,
        "mother_full_name": m.title_name,
        "mother_birth_year": str(m.birth.year),
        "mother_ethnicity": m.ethnicity,
        "mother_nationality": "Việt Nam",
        "father_full_name": f.title_name,
        "father_birth_year": str(f.birth.year),
        "father_ethnicity": f.ethnicity,
        "father_nationality": "Việt Nam",
        "registration_number": str(number),
        "book_number": book,
        "registration_date": _iso(fam.registered),
        "registration_office": _office(place),
        "declarant_full_name": f.title_name,
    }


def death_extract(rng: random.Random, place: Place | None = None, font: str = "serif") -> Generated:
    place = place or rng.choice(PLACES)
    born = random_date(rng, date(1930, 1, 1), date(1965, 1, 1))
    d = make_person(rng, rng.choice(["Nam", "Nữ"]), born, place)
    died = random_date(rng, date(2019, 1, 1), date(2025, 5, 1))
    registered = random_date(rng, died, date(died.year, died.month, 28) if died.day < 28 else died)
    declarant = make_person(rng, "Nam", date(1975, 5, 5), place)
    number = rng.randrange(1, 120)
    book = f"01/{registered.year}"
    residence = place.address("xóm " + str(rng.randrange(1, 12)))
    s = Sheet(*A4, body_font=font)
    _national_header(s, place, f"Số: {number}/TLKT-BS")
    s.line(46, (105, "TRÍCH LỤC KHAI TỬ"), pt=15, bold=True, align="center")
    s.line(53, (105, "(Bản sao)"), pt=12, align="center")
    rows: list[tuple[tuple[float, str], ...]] = [
        ((20, f"Họ, chữ đệm, tên: {d.full_name}"),),
        ((20, f"Ngày, tháng, năm sinh: {_dmy(d.birth)}"),),
        ((20, f"Giới tính: {d.sex}"), (80, f"Dân tộc: {d.ethnicity}"), (135, "Quốc tịch: Việt Nam")),
        ((20, f"Số định danh cá nhân: {d.personal_id}"),),
        ((20, f"Nơi cư trú cuối cùng: {residence}"),),
        ((20, f"Ngày, tháng, năm chết: {_dmy(died)}"),),
        ((20, f"Nơi chết: {residence}"),),
        ((20, "Nguyên nhân chết: Bệnh già"),),
        ((20, f"Người đi khai tử: {declarant.full_name}"),),
        ((20, f"Nơi đăng ký khai tử: {_office(place)}"),),
        ((20, f"Ngày, tháng, năm đăng ký: {_dmy(registered)}"),),
        ((20, f"Số: {number}"), (80, f"Quyển số: {book}")),
    ]
    y = 66.0
    for row in rows:
        s.line(y, *row, pt=12.5)
        y += 9.5
    _signoff(s, place, registered, "NGƯỜI KÝ TRÍCH LỤC", declarant.title_name, rng, y + 8)
    record = {
        "deceased_full_name": d.title_name,
        "deceased_sex": d.sex,
        "deceased_date_of_birth": _iso(d.birth),
        "deceased_ethnicity": d.ethnicity,
        "deceased_nationality": "Việt Nam",
        "deceased_personal_id": d.personal_id,
        "deceased_residence": residence,
        "date_of_death": _iso(died),
        "place_of_death": residence,
        "cause_of_death": "Bệnh già",
        "declarant_full_name": declarant.title_name,
        "registration_office": _office(place),
        "registration_date": _iso(registered),
        "registration_number": str(number),
        "book_number": book,
    }
    meta = {
        "TypeName": "Trích lục khai tử",
        "CodeNumber": str(number),
        "CodeNotation": "TLKT-BS",
        "IssuedDate": _iso(registered),
        "OrganName": f"Ủy ban nhân dân {place.commune}",
        "Subject": f"Trích lục khai tử của {d.title_name}",
    }
    return Generated("death_registration", [s], [record], meta)


def marriage_extract(rng: random.Random, place: Place | None = None, font: str = "serif") -> Generated:
    place = place or rng.choice(PLACES)
    husband = make_person(rng, "Nam", random_date(rng, date(1985, 1, 1), date(2000, 1, 1)), place)
    wife = make_person(rng, "Nữ", random_date(rng, date(1987, 1, 1), date(2001, 1, 1)), place)
    registered = random_date(rng, date(2021, 1, 1), date(2025, 5, 1))
    number = rng.randrange(1, 90)
    book = f"01/{registered.year}"
    s = Sheet(*A4, body_font=font)
    _national_header(s, place, f"Số: {number}/TLKH-BS")
    s.line(46, (105, "TRÍCH LỤC KẾT HÔN"), pt=15, bold=True, align="center")
    s.line(53, (105, "(Bản sao)"), pt=12, align="center")
    rows: list[tuple[tuple[float, str], ...]] = []
    record: Truth = {}
    for role, p in (("chồng", husband), ("vợ", wife)):
        key = "husband" if role == "chồng" else "wife"
        residence = place.address("xóm " + str(rng.randrange(1, 12)))
        rows += [
            ((20, f"Thông tin người {role}"),),
            ((20, f"Họ, chữ đệm, tên: {p.full_name}"),),
            ((20, f"Ngày, tháng, năm sinh: {_dmy(p.birth)}"),),
            ((20, f"Dân tộc: {p.ethnicity}"), (80, "Quốc tịch: Việt Nam")),
            ((20, f"Nơi cư trú: {residence}"),),
            ((20, f"Số định danh cá nhân: {p.personal_id}"),),
        ]
        record |= {
            f"{key}_full_name": p.title_name,
            f"{key}_date_of_birth": _iso(p.birth),
            f"{key}_ethnicity": p.ethnicity,
            f"{key}_nationality": "Việt Nam",
            f"{key}_residence": residence,
            f"{key}_personal_id": p.personal_id,
        }
    rows += [
        ((20, f"Nơi đăng ký kết hôn: {_office(place)}"),),
        ((20, f"Ngày, tháng, năm đăng ký: {_dmy(registered)}"),),
        ((20, f"Số: {number}"), (80, f"Quyển số: {book}")),
    ]
    y = 64.0
    for row in rows:
        s.line(y, *row, pt=12.5)
        y += 9.0
    _signoff(
        s,
        place,
        registered,
        "NGƯỜI KÝ TRÍCH LỤC",
        make_person(rng, "Nam", date(1979, 1, 1), place).title_name,
        rng,
        y + 6,
    )
    record |= {
        "registration_office": _office(place),
        "registration_date": _iso(registered),
        "registration_number": str(number),
        "book_number": book,
    }
    meta = {
        "TypeName": "Trích lục kết hôn",
        "CodeNumber": str(number),
        "CodeNotation": "TLKH-BS",
        "IssuedDate": _iso(registered),
        "OrganName": f"Ủy ban nhân dân {place.commune}",
        "Subject": f"Trích lục kết hôn của {husband.title_name} và {wife.title_name}",
    }
    note = Sheet(*A4)
    note.line(20, (20, "Ghi chú:"), pt=12.5, bold=True)
    note.line(30, (20, "Bản trích lục này được cấp theo yêu cầu của công dân để bổ sung hồ sơ."), pt=12.5)
    note.line(40, (20, "Thông tin trong bản trích lục khớp với Sổ đăng ký kết hôn đang lưu."), pt=12.5)
    return Generated("marriage_registration", [s, note], [record], meta)
