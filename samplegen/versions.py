"""Civil-status papers in every form version offices scan: typed or filled by hand, in many typefaces.

Each version draws its own labels (as printed in that version) and values, and returns the ground truth.
Wordings, typefaces and handwriting come in two pools: the tuning part draws from the first, the held-out
part from the second (other wordings of the same labels, other typefaces, other hands), so a score on the
held-out part says how the extractor does on papers it was not tuned on. The wordings here are written
from the form versions as documented, not copied from the extractor's vocabulary.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from samplegen.forms import (
    A4,
    Generated,
    Truth,
    _iso,
    _national_header,
    _office,
    _signoff,
    child_truth,
    parents_truth,
    registered_birth,
)
from samplegen.older import birth_older
from samplegen.people import (
    PLACES,
    Family,
    Person,
    Place,
    date_in_words,
    make_family,
    make_person,
    random_date,
)
from samplegen.render import Sheet
from samplegen.style import (
    Row,
    Style,
    draw_rows,
    shown_date,
    shown_name,
    wording,
    wrap_text,
)


def _title(s: Sheet, y: float, title: str, subtitle: str = "") -> None:
    s.line(y, (105, title), pt=15, bold=True, align="center")
    if subtitle:
        s.line(y + 7, (105, subtitle), pt=12, align="center")


def _residence(rng: random.Random, place: Place) -> str:
    return place.address(f"xóm {rng.randrange(1, 12)}")


def _family(rng: random.Random, place: Place, years: tuple[int, int]) -> Family:
    return make_family(rng, place, (date(years[0], 1, 1), date(years[1], 6, 1)))


#: Share of papers on the 2016 forms registered since 1 July 2025, written in the current units (34
#: provinces, communes, no districts) as offices write them now; and when those were registered.
RECENT = 0.25
SINCE_JULY_2025 = (date(2025, 7, 2), date(2026, 9, 1))


def _when(rng: random.Random, place: Place, before: tuple[date, date]) -> tuple[Place, tuple[date, date]]:
    """The place as the paper writes it and the span its event falls in: recent papers (drawn from a side
    generator, so that the others are drawn as before this variation existed) in the current units."""
    if random.Random(repr(rng.getstate()) + "/recent").random() < RECENT:
        return place.in_current_units(), SINCE_JULY_2025
    return place, before


def _parent_rows(
    p: Person, role: str, residence: str, style: Style, rng: random.Random, era: str
) -> list[Row]:
    mother = role == "mother"
    who = "người mẹ" if mother else "người cha"
    if era == "2016":
        name = wording(style, rng, f"Họ, chữ đệm, tên {who}", f"Họ, chữ đệm và tên {who}", f"Họ và tên {who}")
        return [
            [(name, shown_name(p, style))],
            [("Năm sinh", str(p.birth.year)), ("Dân tộc", p.ethnicity), ("Quốc tịch", "Việt Nam")],
            [(wording(style, rng, "Nơi cư trú", "Nơi cư trú hiện nay", "Nơi ở hiện nay"), residence)],
        ]
    short = "mẹ" if mother else "cha"
    name = wording(style, rng, f"Họ và tên {short}", f"Họ tên {short}", f"Họ và tên người {short}")
    return [
        [(name, shown_name(p, style))],
        [("Dân tộc", p.ethnicity), ("Quốc tịch", "Việt Nam")],
        [(wording(style, rng, "Năm sinh", "Sinh năm"), str(p.birth.year))],
        [
            (
                wording(style, rng, "Nơi thường trú/tạm trú", "Nơi thường trú", "Nơi đăng ký thường trú"),
                residence,
            )
        ],
    ]


def birth_2016(rng: random.Random, style: Style, certificate: bool) -> Generated:
    """Giấy khai sinh (bản sao) or Trích lục khai sinh of the 2016 forms: mother before father."""
    place, born = _when(rng, rng.choice(PLACES), (date(2008, 1, 1), date(2024, 6, 1)))
    fam = make_family(rng, place, born)
    c = fam.child
    number = rng.randrange(1, 240)
    s = Sheet(*A4, body_font=style.font)
    notation = "GKS-BS" if certificate else "TLKS-BS"
    _national_header(s, place, f"Số: {number}/{notation}")
    _title(s, 46, "GIẤY KHAI SINH" if certificate else "TRÍCH LỤC KHAI SINH", "(Bản sao)")
    residences = (_residence(rng, place), _residence(rng, place))
    rows: list[Row] = [
        [(wording(style, rng, "Họ, chữ đệm, tên", "Họ, chữ đệm và tên", "Họ và tên"), shown_name(c, style))],
        [
            (
                wording(style, rng, "Ngày, tháng, năm sinh", "Ngày tháng năm sinh", "Sinh ngày"),
                shown_date(c.birth, style),
            )
        ],
        [(wording(style, rng, "ghi bằng chữ", "Bằng chữ", "Viết bằng chữ"), date_in_words(c.birth))],
        [("Giới tính", c.sex), ("Dân tộc", c.ethnicity), ("Quốc tịch", "Việt Nam")],
        [(wording(style, rng, "Nơi sinh", "Nơi sinh ra"), place.address("Trạm Y tế " + place.commune))],
        [(wording(style, rng, "Quê quán", "Quê"), place.address())],
        [(wording(style, rng, "Số định danh cá nhân", "Mã số định danh cá nhân"), c.personal_id)],
        *_parent_rows(fam.mother, "mother", residences[0], style, rng, "2016"),
        *_parent_rows(fam.father, "father", residences[1], style, rng, "2016"),
    ]
    truth = (
        child_truth(fam, place)
        | parents_truth(fam, residences)
        | {
            "hometown": place.address(),
            "personal_id": c.personal_id,
            "registration_office": _office(place),
            "registration_date": _iso(fam.registered),
        }
    )
    if certificate:
        rows += [
            [
                (
                    wording(style, rng, "Họ, chữ đệm, tên người đi khai sinh", "Người đi khai sinh"),
                    shown_name(fam.father, style),
                )
            ],
            [("Giấy tờ tùy thân", f"CCCD số {fam.father.personal_id}")],
            [(wording(style, rng, "Nơi đăng ký khai sinh", "Nơi đăng ký"), _office(place))],
            [
                (
                    wording(style, rng, "Ngày, tháng, năm đăng ký", "Ngày đăng ký"),
                    shown_date(fam.registered, style),
                )
            ],
        ]
        truth["declarant_full_name"] = fam.father.title_name
    else:
        rows += [
            [(wording(style, rng, "Đăng ký khai sinh tại", "Đã được đăng ký khai sinh tại"), _office(place))],
            [("Số", f"{number}, ngày {shown_date(fam.registered, style)}")],
        ]
        truth["registration_number"] = str(number)
    y = draw_rows(s, 64, rows, style, rng)
    _signoff(
        s,
        place,
        fam.registered,
        "NGƯỜI KÝ",
        make_person(rng, "Nữ", date(1980, 1, 1), place).title_name,
        rng,
        y + 6,
    )
    meta = {"TypeName": "Giấy khai sinh" if certificate else "Trích lục khai sinh", "CodeNumber": str(number)}
    return Generated("birth_registration", [s], [truth], meta)


def birth_2010(rng: random.Random, style: Style) -> Generated:
    """Giấy khai sinh of the 2010 era (Circular 08a/2010): father before mother, no personal ID."""
    place = rng.choice(PLACES)
    fam = _family(rng, place, (1995, 2015))
    c = fam.child
    number, book = rng.randrange(1, 240), f"{rng.randrange(1, 4):02d}/{fam.registered.year}"
    s = Sheet(*A4, body_font=style.font)
    _national_header(s, place, "")
    _title(s, 44, "GIẤY KHAI SINH", "(Bản chính)")
    residences = (_residence(rng, place), _residence(rng, place))
    rows: list[Row] = [
        [("Số", str(number)), (wording(style, rng, "Quyển số", "Sổ số"), book)],
        [(wording(style, rng, "Họ và tên", "Họ tên", "Họ và tên khai sinh"), shown_name(c, style))],
        [("Giới tính", c.sex)],
        [(wording(style, rng, "Ngày, tháng, năm sinh", "Sinh ngày"), shown_date(c.birth, style))],
        [(wording(style, rng, "Ghi bằng chữ", "Bằng chữ"), date_in_words(c.birth))],
        [(wording(style, rng, "Nơi sinh", "Sinh tại"), place.address("Trạm Y tế " + place.commune))],
        [("Dân tộc", c.ethnicity), ("Quốc tịch", "Việt Nam")],
        *_parent_rows(fam.father, "father", residences[1], style, rng, "2010"),
        *_parent_rows(fam.mother, "mother", residences[0], style, rng, "2010"),
        [(wording(style, rng, "Nơi đăng ký", "Cơ quan đăng ký"), _office(place))],
        [
            (
                wording(style, rng, "Ngày, tháng, năm đăng ký", "Ngày đăng ký"),
                shown_date(fam.registered, style),
            )
        ],
        [
            (
                wording(style, rng, "Họ và tên người đi khai sinh", "Người đi khai sinh"),
                shown_name(fam.father, style),
            )
        ],
        [("Quan hệ với người được khai sinh", "Cha")],
    ]
    y = draw_rows(s, 58, rows, style, rng)
    _signoff(
        s,
        place,
        fam.registered,
        "TM. ỦY BAN NHÂN DÂN",
        make_person(rng, "Nam", date(1970, 1, 1), place).title_name,
        rng,
        y + 4,
    )
    truth = (
        child_truth(fam, place) | parents_truth(fam, residences) | registered_birth(fam, place, number, book)
    )
    return Generated(
        "birth_registration", [s], [truth], {"TypeName": "Giấy khai sinh", "CodeNumber": str(number)}
    )


def _death_time(rng: random.Random, died: date) -> str:
    clock = f"{rng.randrange(0, 24)} giờ {rng.randrange(0, 60):02d} phút"
    return f"{clock}, ngày {died.day:02d} tháng {died.month:02d} năm {died.year}"


def death(rng: random.Random, style: Style, era: str) -> Generated:
    """Trích lục khai tử (2016) or Giấy chứng tử (2010 era, with cause of death and last residence)."""
    place, span = rng.choice(PLACES), (date(2012, 1, 1), date(2025, 5, 1))
    if era == "2016":
        place, span = _when(rng, place, span)
    d = make_person(
        rng, rng.choice(["Nam", "Nữ"]), random_date(rng, date(1930, 1, 1), date(1965, 1, 1)), place
    )
    died = random_date(rng, *span)
    registered = died + timedelta(days=rng.randrange(1, 20))
    declarant = make_person(rng, "Nam", date(1975, 5, 5), place)
    number = rng.randrange(1, 120)
    residence = _residence(rng, place)
    s = Sheet(*A4, body_font=style.font)
    _national_header(s, place, f"Số: {number}/TLKT-BS" if era == "2016" else f"Số: {number}")
    _title(s, 46, "TRÍCH LỤC KHAI TỬ" if era == "2016" else "GIẤY CHỨNG TỬ", "(Bản sao)")
    rows: list[Row] = [
        [
            (
                wording(
                    style, rng, "Họ, chữ đệm, tên" if era == "2016" else "Họ và tên", "Họ tên người chết"
                ),
                shown_name(d, style),
            )
        ],
        [(wording(style, rng, "Ngày, tháng, năm sinh", "Sinh ngày"), shown_date(d.birth, style))],
        [("Giới tính", d.sex), ("Dân tộc", d.ethnicity), ("Quốc tịch", "Việt Nam")],
    ]
    truth: Truth = {
        "deceased_full_name": d.title_name,
        "deceased_date_of_birth": _iso(d.birth),
        "deceased_sex": d.sex,
        "deceased_ethnicity": d.ethnicity,
        "deceased_nationality": "Việt Nam",
        "date_of_death": _iso(died),
        "place_of_death": residence,
        "registration_office": _office(place),
    }
    if era == "2016":
        rows += [
            [("Số định danh cá nhân", d.personal_id)],
            [(wording(style, rng, "Đã chết vào lúc", "Chết vào lúc"), _death_time(rng, died))],
            [(wording(style, rng, "ghi bằng chữ", "Bằng chữ"), date_in_words(died))],
            [(wording(style, rng, "Nơi chết", "Chết tại"), residence)],
            [(wording(style, rng, "Đã được đăng ký khai tử tại", "Đăng ký khai tử tại"), _office(place))],
            [("Số", f"{number}, ngày {shown_date(registered, style)}")],
        ]
        truth |= {"deceased_personal_id": d.personal_id, "registration_number": str(number)}
    else:
        cause = rng.choice(("Bệnh già", "Tai nạn giao thông", "Bệnh tim", "Đột quỵ"))
        rows += [
            [
                (
                    wording(style, rng, "Nơi thường trú/tạm trú cuối cùng", "Nơi thường trú cuối cùng"),
                    residence,
                )
            ],
            [(wording(style, rng, "Đã chết vào lúc", "Chết vào lúc"), _death_time(rng, died))],
            [(wording(style, rng, "Nơi chết", "Chết tại"), residence)],
            [(wording(style, rng, "Nguyên nhân chết", "Nguyên nhân"), cause)],
            [
                (
                    wording(style, rng, "Họ và tên người đi khai tử", "Người đi khai tử"),
                    shown_name(declarant, style),
                )
            ],
            [(wording(style, rng, "Nơi đăng ký", "Cơ quan đăng ký"), _office(place))],
            [
                (
                    wording(style, rng, "Ngày, tháng, năm đăng ký", "Ngày đăng ký"),
                    shown_date(registered, style),
                )
            ],
        ]
        truth |= {
            "deceased_residence": residence,
            "cause_of_death": cause,
            "declarant_full_name": declarant.title_name,
            "registration_date": _iso(registered),
        }
    y = draw_rows(s, 64, rows, style, rng)
    _signoff(s, place, registered, "NGƯỜI KÝ", declarant.title_name, rng, y + 8)
    return Generated(
        "death_registration", [s], [truth], {"TypeName": "Trích lục khai tử", "CodeNumber": str(number)}
    )


def _registrar_signoff(s: Sheet, place: Place, registered: date, rng: random.Random, y: float) -> None:
    signer = make_person(rng, "Nam", date(1975, 1, 1), place).title_name
    _signoff(s, place, registered, "TM. ỦY BAN NHÂN DÂN", signer, rng, y)


MARRIED = (date(2005, 1, 1), date(2025, 5, 1))


def _spouses(
    rng: random.Random, place: Place, span: tuple[date, date] = MARRIED
) -> tuple[Person, Person, date]:
    husband = make_person(rng, "Nam", random_date(rng, date(1975, 1, 1), date(2000, 1, 1)), place)
    wife = make_person(rng, "Nữ", random_date(rng, date(1978, 1, 1), date(2001, 1, 1)), place)
    return husband, wife, random_date(rng, *span)


def _spouse_truth(key: str, p: Person, residence: str, with_id: bool) -> Truth:
    truth = {
        f"{key}_full_name": p.title_name,
        f"{key}_date_of_birth": _iso(p.birth),
        f"{key}_ethnicity": p.ethnicity,
        f"{key}_nationality": "Việt Nam",
        f"{key}_residence": residence,
    }
    return truth | ({f"{key}_personal_id": p.personal_id} if with_id else {})


def marriage_2016(rng: random.Random, style: Style) -> Generated:
    """Giấy chứng nhận kết hôn of 2016: one column of labels, the wife's and husband's values beside it."""
    place, span = _when(rng, rng.choice(PLACES), MARRIED)
    husband, wife, registered = _spouses(rng, place, span)
    number = rng.randrange(1, 90)
    s = Sheet(*A4, body_font=style.font)
    _national_header(s, place, f"Số: {number}")
    _title(s, 44, "GIẤY CHỨNG NHẬN KẾT HÔN")
    left, right = (
        wording(style, rng, "Bên nữ", "Vợ", "Người vợ"),
        wording(style, rng, "Bên nam", "Chồng", "Người chồng"),
    )
    pt = 10.5
    s.line(58, (102, left), (160, right), pt=11.5, bold=True, align="center")
    res = {
        "wife": place.address(f"xóm {rng.randrange(1, 12)}"),
        "husband": place.address(f"xóm {rng.randrange(1, 12)}"),
    }
    rows = [
        (
            wording(style, rng, "Họ, chữ đệm, tên", "Họ và tên"),
            shown_name(wife, style),
            shown_name(husband, style),
        ),
        (
            wording(style, rng, "Ngày, tháng, năm sinh", "Ngày sinh"),
            shown_date(wife.birth, style),
            shown_date(husband.birth, style),
        ),
        ("Dân tộc", wife.ethnicity, husband.ethnicity),
        ("Quốc tịch", "Việt Nam", "Việt Nam"),
        (wording(style, rng, "Nơi cư trú", "Nơi ở"), res["wife"], res["husband"]),
        (wording(style, rng, "Số định danh cá nhân", "Số định danh"), wife.personal_id, husband.personal_id),
    ]
    y = 66.0
    for label, a, b in rows:
        s.put(18, y, f"{label}:" if style.colon else label, pt=pt, font_name=style.font)
        size = pt * (1.1 if style.hand else 1.0)
        for x, value in ((76.0, a), (136.0, b)):
            for k, part in enumerate(wrap_text(s, value, size, style.value_font, 56.0)):
                s.put(x, y + k * 5.2, part, pt=size, font_name=style.value_font, ink=style.ink)
        s.lines.append(f"{label}: {a} {b}")
        y += 10.0 if len(wrap_text(s, a, size, style.value_font, 56.0)) == 1 else 14.0
    y = draw_rows(
        s,
        y + 2,
        [
            [(wording(style, rng, "Nơi đăng ký kết hôn", "Nơi đăng ký"), _office(place))],
            [
                (
                    wording(style, rng, "Ngày, tháng, năm đăng ký", "Ngày đăng ký"),
                    shown_date(registered, style),
                )
            ],
        ],
        style,
        rng,
    )
    _registrar_signoff(s, place, registered, rng, y + 6)
    truth = _spouse_truth("wife", wife, res["wife"], True) | _spouse_truth(
        "husband", husband, res["husband"], True
    )
    truth |= {"registration_office": _office(place), "registration_date": _iso(registered)}
    return Generated("marriage_registration", [s], [truth], {"TypeName": "Giấy chứng nhận kết hôn"})


def marriage_2010(rng: random.Random, style: Style) -> Generated:
    """Giấy chứng nhận kết hôn of the 2010 era: the husband's block, then the wife's."""
    place = rng.choice(PLACES)
    husband, wife, registered = _spouses(rng, place)
    number, book = rng.randrange(1, 90), f"{rng.randrange(1, 3):02d}/{registered.year}"
    s = Sheet(*A4, body_font=style.font)
    _national_header(s, place, "")
    _title(s, 44, "GIẤY CHỨNG NHẬN KẾT HÔN")
    res = {"husband": _residence(rng, place), "wife": _residence(rng, place)}
    rows: list[Row] = [[("Số", str(number)), ("Quyển số", book)]]
    for key, p, who in (("husband", husband, "chồng"), ("wife", wife, "vợ")):
        rows += [
            [(wording(style, rng, f"Họ và tên {who}", f"Họ tên {who}"), shown_name(p, style))],
            [(wording(style, rng, "Ngày, tháng, năm sinh", "Sinh ngày"), shown_date(p.birth, style))],
            [("Dân tộc", p.ethnicity), ("Quốc tịch", "Việt Nam")],
            [(wording(style, rng, "Nơi thường trú/tạm trú", "Nơi thường trú"), res[key])],
            [(wording(style, rng, "Số Giấy CMND/Hộ chiếu", "Số CMND"), str(rng.randrange(10**8, 10**9)))],
        ]
    rows += [
        [(wording(style, rng, "Nơi đăng ký", "Nơi đăng ký kết hôn"), _office(place))],
        [(wording(style, rng, "Ngày, tháng, năm đăng ký", "Ngày đăng ký"), shown_date(registered, style))],
    ]
    y = draw_rows(s, 56, rows, style, rng)
    _registrar_signoff(s, place, registered, rng, y + 4)
    truth = _spouse_truth("husband", husband, res["husband"], False) | _spouse_truth(
        "wife", wife, res["wife"], False
    )
    truth |= {
        "registration_number": str(number),
        "book_number": book,
        "registration_office": _office(place),
        "registration_date": _iso(registered),
    }
    return Generated("marriage_registration", [s], [truth], {"TypeName": "Giấy chứng nhận kết hôn"})


Maker = Callable[[random.Random, Style], Generated]
VERSIONS: dict[str, Maker] = {
    "birth_2016_extract": lambda rng, st: birth_2016(rng, st, certificate=False),
    "birth_2016_certificate": lambda rng, st: birth_2016(rng, st, certificate=True),
    "birth_2010_certificate": birth_2010,
    "death_2016_extract": lambda rng, st: death(rng, st, "2016"),
    "death_2010_certificate": lambda rng, st: death(rng, st, "2010"),
    "marriage_2016_certificate": marriage_2016,
    "marriage_2010_certificate": marriage_2010,
    "birth_older_certificate": birth_older,
}
