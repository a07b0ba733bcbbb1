"""Realistic, deterministic people, places and identifiers for generated civil-status documents."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MALE_MIDDLE = ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Thanh", "Gia", "Xuân"]
FEMALE_MIDDLE = ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hoài", "Bảo"]
MALE_GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hiếu",
    "Khánh",
    "Long",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Tuấn",
    "Đạt",
    "Thắng",
    "Trung",
    "Việt",
    "Huy",
]
FEMALE_GIVEN = [
    "Hà",
    "Hạnh",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Nga",
    "Quỳnh",
    "Thảo",
    "Trang",
    "Vy",
    "Yến",
    "Nhung",
    "Phương",
    "Hoa",
    "Ngân",
    "Duyên",
    "Châu",
]
ETHNICITIES = ["Kinh"] * 12 + ["Tày", "Thái", "Mường", "Nùng", "Dao"]


@dataclass(frozen=True)
class Place:
    """A commune with its pre-July-2025 district and province, and the province code of IDs; and the
    commune, province and code it is part of since 1 July 2025 (34 provinces, no districts)."""

    commune: str
    district: str
    province: str
    province_code: str
    current: tuple[str, str, str] | None = None

    def address(self, prefix: str = "") -> str:
        return ", ".join(part for part in (prefix, self.commune, self.district, self.province) if part)

    def in_current_units(self) -> Place:
        """The same place as papers registered since 1 July 2025 write it: commune and province only."""
        assert self.current is not None
        commune, province, code = self.current
        return Place(commune, "", province, code)


PLACES = [
    Place("xã Hải Minh", "huyện Hải Hậu", "tỉnh Nam Định", "036", ("xã Hải Anh", "tỉnh Ninh Bình", "037")),
    Place(
        "xã Hoằng Lộc", "huyện Hoằng Hóa", "tỉnh Thanh Hóa", "038", ("xã Hoằng Lộc", "tỉnh Thanh Hóa", "038")
    ),
    Place("xã Diễn Kỷ", "huyện Diễn Châu", "tỉnh Nghệ An", "040", ("xã Đức Châu", "tỉnh Nghệ An", "040")),
    Place(
        "xã Tân Hòa", "huyện Vũ Thư", "tỉnh Thái Bình", "034", ("phường Thái Bình", "tỉnh Hưng Yên", "033")
    ),
    Place(
        "xã Cẩm Vũ", "huyện Cẩm Giàng", "tỉnh Hải Dương", "030", ("xã Tuệ Tĩnh", "thành phố Hải Phòng", "031")
    ),
    Place(
        "phường Kim Mã",
        "quận Ba Đình",
        "thành phố Hà Nội",
        "001",
        ("phường Ngọc Hà", "thành phố Hà Nội", "001"),
    ),
    Place("xã Bảo Đài", "huyện Lục Nam", "tỉnh Bắc Giang", "024", ("xã Bảo Đài", "tỉnh Bắc Ninh", "024")),
    Place(
        "phường Hòa Khánh Bắc",
        "quận Liên Chiểu",
        "thành phố Đà Nẵng",
        "048",
        ("phường Liên Chiểu", "thành phố Đà Nẵng", "048"),
    ),
]


@dataclass(frozen=True)
class Person:
    full_name: str  # upper case as written on the forms
    sex: str  # Nam / Nữ
    birth: date
    ethnicity: str
    place: Place
    personal_id: str

    @property
    def title_name(self) -> str:
        return self.full_name.title()


def personal_id(rng: random.Random, province_code: str, born: date, sex: str) -> str:
    """A 12-digit personal ID with the real structure: province, century/sex, year, 6 random digits."""
    century_digit = 2 * ((born.year // 100) - 19) + (1 if sex == "Nữ" else 0)
    return f"{province_code}{century_digit}{born.year % 100:02d}{rng.randrange(10**6):06d}"


def make_person(rng: random.Random, sex: str, born: date, place: Place, surname: str | None = None) -> Person:
    middle = rng.choice(MALE_MIDDLE if sex == "Nam" else FEMALE_MIDDLE)
    given = rng.choice(MALE_GIVEN if sex == "Nam" else FEMALE_GIVEN)
    name = f"{surname or rng.choice(SURNAMES)} {middle} {given}".upper()
    ethnicity = rng.choice(ETHNICITIES)
    return Person(name, sex, born, ethnicity, place, personal_id(rng, place.province_code, born, sex))


def random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days))


@dataclass(frozen=True)
class Family:
    child: Person
    mother: Person
    father: Person
    registered: date


def make_family(rng: random.Random, place: Place, born_between: tuple[date, date]) -> Family:
    born = random_date(rng, *born_between)
    father = make_person(
        rng, "Nam", random_date(rng, date(born.year - 38, 1, 1), date(born.year - 22, 1, 1)), place
    )
    mother = make_person(
        rng, "Nữ", random_date(rng, date(born.year - 36, 1, 1), date(born.year - 20, 1, 1)), place
    )
    child_sex = rng.choice(["Nam", "Nữ"])
    surname = father.full_name.split()[0].title()
    child = make_person(rng, child_sex, born, place, surname=surname)
    registered = born + timedelta(days=rng.randrange(3, 55))
    return Family(child, mother, father, registered)


_UNITS = ["", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def number_in_words(n: int) -> str:
    """Vietnamese words for 1..2999, as used in dates written in words."""
    thousands, rest = divmod(n, 1000)
    hundreds, rest = divmod(rest, 100)
    tens, units = divmod(rest, 10)
    parts: list[str] = []
    if thousands:
        parts.append(f"{_UNITS[thousands]} nghìn")
    if hundreds or (thousands and rest):
        parts.append(f"{_UNITS[hundreds] or 'không'} trăm")
    if tens > 1:
        parts.append(f"{_UNITS[tens]} mươi")
    elif tens == 1:
        parts.append("mười")
    elif units and (hundreds or thousands):
        parts.append("lẻ")
    if units:
        word = _UNITS[units]
        if units == 5 and tens:
            word = "lăm"
        elif units == 1 and tens > 1:
            word = "mốt"
        parts.append(word)
    return " ".join(parts)


def date_in_words(d: date) -> str:
    return f"Ngày {number_in_words(d.day)}, tháng {number_in_words(d.month)}, năm {number_in_words(d.year)}"
