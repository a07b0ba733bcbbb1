"""Birth certificates of before 2005 (the decrees of 1987 and 1998), as `../shared/domain.md` describes them
without their exact wordings: "Họ và tên", "Sinh ngày", "Nơi thường trú" and a field written as a sentence.

The form prints its sentences with blanks that a clerk fills: "Sinh ngày …… tháng …… năm ……", "Đăng ký
ngày …… tháng …… năm ……"; the sex is asked as "Nam hay nữ" (or, in the held-out part, "Trai hay gái" and
answered "Trai"/"Gái"); the parents (father first) have their occupation, and in the held-out part an age
("Tuổi") where the tuning part has a birth year, so their birth year is no value of that paper. The wordings
are written from the description of the period's forms, not from the extractor's vocabulary.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

from samplegen.forms import (
    A4,
    Generated,
    Truth,
    _national_header,
    _office,
    _signoff,
    child_truth,
    parents_truth,
    registered_birth,
)
from samplegen.people import PLACES, Family, Person, Place, make_family, make_person
from samplegen.render import Sheet
from samplegen.style import HOLDOUT, Row, Style, draw_rows, shown_name, wording

JOBS = ("Làm ruộng", "Công nhân", "Giáo viên", "Buôn bán", "Cán bộ", "Nội trợ")


def birth_older(rng: random.Random, style: Style) -> Generated:
    """Giấy khai sinh (bản chính) of the 1990s: sentences with blanks, father before mother."""
    place = rng.choice(PLACES)
    fam = make_family(rng, place, (date(1986, 1, 1), date(2004, 6, 1)))
    c = fam.child
    number, book = rng.randrange(1, 240), f"{rng.randrange(1, 4):02d}"
    s = Sheet(*A4, body_font=style.font)
    _national_header(s, place, "")
    s.line(44, (105, "GIẤY KHAI SINH"), pt=15, bold=True, align="center")
    residences = (
        f"xóm {rng.randrange(1, 15)}, {place.address()}",
        f"xóm {rng.randrange(1, 15)}, {place.address()}",
    )
    rows: list[Row] = [
        [("Số", str(number)), ("Quyển số", book)],
        [(wording(style, rng, "Họ và tên", "Họ tên", "Tên, họ"), shown_name(c, style))],
        [_sex(c, style, rng)],
    ]
    y = draw_rows(s, 56, rows, style, rng)
    y = _blanks(s, y, wording(style, rng, "Sinh ngày", "Ngày sinh"), c.birth, style, rng)
    born_at = place.address("Trạm Y tế " + place.commune)
    rows = [
        [(wording(style, rng, "Nơi sinh", "Tại", "Sinh tại"), born_at)],
        [("Dân tộc", c.ethnicity), ("Quốc tịch", "Việt Nam")],
        [(wording(style, rng, "Quê quán", "Nguyên quán"), place.address())],
    ]
    aged = style.split == HOLDOUT and rng.random() < 0.5
    for p, role, residence in ((fam.father, "cha", residences[1]), (fam.mother, "mẹ", residences[0])):
        rows += _parent(p, role, residence, fam.registered, aged, style, rng)
    y = draw_rows(s, y, rows, style, rng)
    y = _blanks(s, y, wording(style, rng, "Đăng ký ngày", "Ngày đăng ký"), fam.registered, style, rng)
    declarant = wording(style, rng, "Họ và tên người đi khai sinh", "Người đứng khai", "Người đi khai")
    rows = [
        [(wording(style, rng, "Nơi đăng ký", "Đăng ký tại"), _office(place))],
        [(declarant, shown_name(fam.father, style))],
    ]
    y = draw_rows(s, y, rows, style, rng)
    signer = make_person(rng, "Nam", date(1950, 1, 1), place).title_name
    _signoff(s, place, fam.registered, "TM. ỦY BAN NHÂN DÂN", signer, rng, y + 4)
    truth = _truth(fam, place, residences, aged) | registered_birth(fam, place, number, book)
    return Generated(
        "birth_registration", [s], [truth], {"TypeName": "Giấy khai sinh", "CodeNumber": str(number)}
    )


def _sex(c: Person, style: Style, rng: random.Random) -> tuple[str, str]:
    if style.split != HOLDOUT or rng.random() < 0.4:
        return "Nam hay nữ", c.sex
    return "Trai hay gái", "Trai" if c.sex == "Nam" else "Gái"


def _blanks(s: Sheet, y: float, label: str, d: date, style: Style, rng: random.Random) -> float:
    """A sentence printed with three blanks ("Sinh ngày …… tháng …… năm ……") and the day, month and year
    typed or written in them."""
    row = [(label, f"{d.day:02d}"), ("tháng", f"{d.month:02d}"), ("năm", str(d.year))]
    return draw_rows(s, y, [row], replace(style, colon=False, layout="inline"), rng)


def _parent(
    p: Person, role: str, residence: str, registered: date, aged: bool, style: Style, rng: random.Random
) -> list[Row]:
    other = "bố" if role == "cha" else role
    name = wording(style, rng, f"Họ và tên {role}", f"Họ tên {role}", f"Họ và tên {other}")
    born = (
        ("Tuổi", str(registered.year - p.birth.year))
        if aged
        else (wording(style, rng, "Năm sinh", "Sinh năm"), str(p.birth.year))
    )
    return [
        [(name, shown_name(p, style))],
        [born, ("Dân tộc", p.ethnicity), ("Quốc tịch", "Việt Nam")],
        [("Nghề nghiệp", rng.choice(JOBS))],
        [(wording(style, rng, "Nơi thường trú", "Trú quán", "Nơi ở"), residence)],
    ]


def _truth(fam: Family, place: Place, residences: tuple[str, str], aged: bool) -> Truth:
    truth = child_truth(fam, place) | {"hometown": place.address()} | parents_truth(fam, residences)
    return {k: v for k, v in truth.items() if not (aged and k.endswith("_birth_year"))}
