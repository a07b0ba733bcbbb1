"""Cross-field validation: checks that lower confidence and send a value to review, never silently fix it.

- Personal ID: 12 digits = province code (pre-2025 list) + century/sex digit + 2 year digits + 6 digits;
  the century/sex digit and the year must agree with the date of birth and the sex on the same record.
- Registration date not before birth; parents plausibly older than the child.
- Places and the registering office (`digitize.extract.place_checks`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date

from rapidfuzz.distance import Levenshtein

from digitize.config import ExtractConfig
from digitize.extract.place_checks import PLACE_FIELDS, check_organ, check_place
from digitize.extract.text import fold
from digitize.extract.verdicts import LOW_OCR, flag, needs_review
from digitize.model import FieldStatus, FieldValue, Record

PROVINCE_CODES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)


def id_problems(personal_id: str, date_of_birth: str | None, sex: str | None) -> list[str]:
    """What is wrong with a 12-digit personal ID given the person's date of birth and sex."""
    problems = []
    if len(personal_id) != 12 or not personal_id.isdigit():
        return ["personal ID is not 12 digits"]
    if personal_id[:3] not in PROVINCE_CODES:
        problems.append(f"province code {personal_id[:3]} does not exist")
    digit = int(personal_id[3])
    year = year_of(date_of_birth)
    if year is not None:
        if digit // 2 != (year // 100) - 19:
            problems.append(f"century digit {digit} does not match birth year {year}")
        if personal_id[4:6] != f"{year % 100:02d}":
            problems.append(f"year digits {personal_id[4:6]} do not match birth year {year}")
    if sex in ("Nam", "Nữ") and digit % 2 != (1 if sex == "Nữ" else 0):
        problems.append(f"sex digit {digit} does not match sex {sex}")
    return problems


def year_of(value: str | None) -> int | None:
    """The year of a normalized date or year ("2015-03-12", "1990"); None for anything else (a date
    that could not be read keeps its raw text, "25/0", which must never reach int())."""
    match = re.fullmatch(r"(\d{4})(?:-\d{2}-\d{2})?", value or "")
    return int(match.group(1)) if match else None


def _check_id(fields: dict[str, FieldValue], prefix: str, config: ExtractConfig) -> None:
    key = f"{prefix}personal_id"
    fv = fields.get(key)
    if fv is None or not fv.value:
        return
    dob = fields.get(f"{prefix}date_of_birth")
    sex = fields.get(f"{prefix}sex")
    problems = id_problems(fv.value, dob.value if dob else None, sex.value if sex else None)
    if problems:
        fields[key] = flag(fv, "; ".join(problems), config)


def _check_order(fields: dict[str, FieldValue], earlier: str, later: str, config: ExtractConfig) -> None:
    a, b = fields.get(earlier), fields.get(later)
    if a and b and a.value and b.value and len(a.value) == 10 and len(b.value) == 10 and b.value < a.value:
        fields[later] = flag(b, f"{later} {b.value} is before {earlier} {a.value}", config)


def _check_parents(fields: dict[str, FieldValue], config: ExtractConfig) -> None:
    child = fields.get("date_of_birth")
    born = year_of(child.value if child else None)
    if born is None:
        return
    for parent in ("mother", "father"):
        fv = fields.get(f"{parent}_birth_year")
        parent_born = year_of(fv.value if fv else None)
        if fv and parent_born is not None:
            age = born - parent_born
            if not 12 <= age <= 70:
                fields[f"{parent}_birth_year"] = flag(
                    fv, f"{parent} would be {age} at the child's birth", config
                )


#: Pairs of names a birth paper writes alike when they are right: the child bears its father's or its
#: mother's surname, and the declarant is most often a parent. Accents and letters counted apart (NFD).
PARENTS = ("father_full_name", "mother_full_name")
KIN = (("full_name", 0, PARENTS), ("declarant_full_name", None, PARENTS))  # (name, its word compared or all)
KIN_MISREAD = "'{}' is written almost as '{}', the {}'s: one of the two was misread"
#: Edits (of letters and marks) within which two names that differ are one name misread.
MISREAD_EDITS = 2


def _check_kin(fields: dict[str, FieldValue], config: ExtractConfig) -> None:
    """A surname a mark or a letter away from a parent's, and nobody's else ("Võ" for the father's "Vũ":
    an italic face reads u as o, and both are surnames no list can tell apart), or a declarant's name so
    near a parent's: one of the two was misread. When one is already in review as a name no Vietnamese
    writes (a misread "Trưung" beside the father's "Trung"), it is the one; else both go to review."""
    for name, word, others in KIN:
        mine = _part(fields.get(name), word)
        theirs = {other: _part(fields.get(other), word) for other in others}
        if not mine or mine in theirs.values():
            continue
        for other, text in theirs.items():
            if text and _near(mine, text):
                pair = (name, other)
                doubted = [n for n in pair if _misspelled(fields[n])]
                for n in doubted or pair:
                    fields[n] = needs_review(
                        fields[n], KIN_MISREAD.format(mine, text, other.split("_")[0]), config
                    )


#: What the name checks say of a name misread ("Trưung": an uncommon syllable; "Đồ": an unknown surname).
NAME_MISREAD = ("uncommon name syllable", "is not a known", "not written with Vietnamese letters")


def _misspelled(fv: FieldValue) -> bool:
    return fv.status is not FieldStatus.ACCEPTED and any(said in fv.reason for said in NAME_MISREAD)


def _near(a: str, b: str) -> bool:
    """Two names of letters, of two letters or more, within MISREAD_EDITS of letters and marks."""
    if not all(len(fold(x)) >= 2 and fold(x).replace(" ", "").isalpha() for x in (a, b)):
        return False
    return Levenshtein.distance(_nfd(a), _nfd(b)) <= MISREAD_EDITS


def _part(fv: FieldValue | None, word: int | None) -> str | None:
    if fv is None or not fv.value:
        return None
    return fv.value.split()[word] if word is not None else fv.value


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text.casefold())


def _check_spelled(fields: dict[str, FieldValue], name: str, config: ExtractConfig) -> None:
    """The date in figures against the same date written in words ("Ghi bằng chữ") on the extract.

    Two readings that agree confirm a date read with low confidence; two that differ both go to review:
    a dropped or misread digit (17 read as 07) is exactly what the words catch. Words that could not be
    read with confidence are dropped rather than sent to review, unless they still tell another date
    (words one letter off mended, `normalize.spelled_date`).
    """
    figures, words = fields.get(name), fields.get(f"{name}_in_words")
    if (
        words is not None
        and words.status is not FieldStatus.ACCEPTED
        and not _tells_otherwise(words, figures)
    ):
        del fields[f"{name}_in_words"]  # a second reading that cannot be read adds no data, only review work
        return
    if not figures or not words or not figures.value:
        return
    if figures.value == words.value:
        if _only_low_confidence(figures):
            fields[name] = _confirmed(figures, config, "the same date written in words")
        return
    fields[name] = needs_review(figures, f"{WORDS_DISAGREE} {words.value}", config)
    fields[f"{name}_in_words"] = needs_review(words, f"the date in figures reads {figures.value}", config)


#: The date in figures differs from the same date in words: one of the two was misread.
WORDS_DISAGREE = "the date in words reads"


def _tells_otherwise(words: FieldValue, figures: FieldValue | None) -> bool:
    """Words read with a misread letter mended ("mười bảu") still tell a date other than the figures':
    a hand's 17 read 12 was accepted beside "Ngày mười bảy" so."""
    read = words.value or ""
    return bool(
        figures and figures.value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", read) and read != figures.value
    )


def validate_record(record: Record, config: ExtractConfig) -> Record:
    fields = dict(record.fields)
    for prefix in ("", "deceased_", "husband_", "wife_"):
        _check_id(fields, prefix, config)
    _check_order(fields, "date_of_birth", "registration_date", config)
    _check_order(fields, "deceased_date_of_birth", "date_of_death", config)
    _check_order(fields, "date_of_death", "registration_date", config)
    _check_parents(fields, config)
    _check_kin(fields, config)
    for name in [n for n in fields if f"{n}_in_words" in fields]:
        _check_spelled(fields, name, config)
    _check_places(fields, config)
    for name, fv in list(fields.items()):
        if not name.endswith(PLACE_FIELDS) and fv.status is FieldStatus.ACCEPTED:
            fields[name] = _check_plausible(name, fv, config)
    for prefix, places in ID_PLACES.items():
        _check_id_place(fields, prefix, places, config)
    return replace(record, fields=fields)


def _check_places(fields: dict[str, FieldValue], config: ExtractConfig) -> None:
    """The office first: the units it names above its own (its district and province) are where a place
    that names only a commune is looked for ("Trạm Y tế xã Hải Minh" on the death book of a commune).
    With no office (a register page of blocks), they are those of the record's other places: "Trạm Y tế
    xã Bảo Đài" beside a residence in "xã Bảo Đài, huyện Lục Nam, tỉnh Bắc Giang"."""
    office = fields.get("registration_office")
    if office is not None:
        office = fields["registration_office"] = check_organ(check_place(office, config), config)
    above = ""
    if office is not None and office.status is FieldStatus.ACCEPTED and office.value and office.unit:
        above = office.value.split(", ", 1)[1] if ", " in office.value else ""
    names = [n for n in fields if n.endswith(PLACE_FIELDS) and n != "registration_office"]
    checked = {name: check_place(fields[name], config, above) for name in names}
    fields.update(checked if above else _checked_nearby(checked, fields, config))
    old_units = _registered_before(fields, 2025)
    for name in [n for n in names if n.endswith("residence") and _no_commune(fields[n], old_units)]:
        fields[name] = needs_review(fields[name], NO_COMMUNE, config)


#: A person's residence names a commune (or ward, or township), and on a paper registered before July 2025
#: one of the units of then; one matched to a district alone, or only to a commune of today, lost its
#: start: held-out seed 10900000, a 2009 marriage book whose husband's "thôn 1, xã Diễn Kỷ, huyện" line the
#: OCR lost gave "Diễn Châu, tỉnh Nghệ An" (today a commune), accepted. A hometown may stop at a district.
NO_COMMUNE = "names no commune of the units of its time, as a residence does: its start may be lost"


def _no_commune(fv: FieldValue, old_units: bool) -> bool:
    units = dict(fv.unit)
    return bool(units) and not units.get("commune") and (old_units or not units.get("current_commune"))


def _registered_before(fields: dict[str, FieldValue], year: int) -> bool:
    """The paper's registration date, else its book's year, is before the given year."""
    for name, pattern in (("registration_date", r"(\d{4})-\d{2}-\d{2}"), ("book_number", r".*/(\d{4})")):
        fv = fields.get(name)
        found = re.fullmatch(pattern, fv.value or "") if fv is not None else None
        if found:
            return int(found.group(1)) < year
    return False


def _checked_nearby(
    checked: dict[str, FieldValue], fields: dict[str, FieldValue], config: ExtractConfig
) -> dict[str, FieldValue]:
    """The places not accepted checked again under the units of the record's other accepted places,
    where that accepts them."""
    nearby = _units_above(list(checked.values()))
    again = {
        name: check_place(fields[name], config, nearby)
        for name, fv in checked.items()
        if nearby and not _ok(fv)
    }
    return {name: again[name] if name in again and _ok(again[name]) else fv for name, fv in checked.items()}


def _ok(fv: FieldValue) -> bool:
    return fv.status is FieldStatus.ACCEPTED


def _units_above(places: list[FieldValue]) -> str:
    """The district and province (since July 2025 the province) of the first accepted place matched down
    to its commune, as the official list writes them; "" when there is none."""
    for fv in places:
        unit = dict(fv.unit)
        if _ok(fv) and unit.get("commune") and unit.get("province"):
            return ", ".join(u for u in (unit.get("district"), unit["province"]) if u)
    return ""


#: Where a person's ID was most likely issued: the office that registered the birth, else where they live.
ID_PLACES = {
    "": ("registration_office", "place_of_birth"),
    "deceased_": ("deceased_residence",),
    "husband_": ("husband_residence",),
    "wife_": ("wife_residence",),
}


def _check_id_place(
    fields: dict[str, FieldValue], prefix: str, places: tuple[str, ...], config: ExtractConfig
) -> None:
    """A personal ID whose province digits name another province than the person's place: a misread
    digit (038 read as 035) or a move, which only a person can tell apart."""
    fv = fields.get(f"{prefix}personal_id")
    if fv is None or fv.status is not FieldStatus.ACCEPTED or not fv.value:
        return
    for place in places:
        unit = dict(fields[place].unit) if place in fields else {}
        codes = unit.get("province_codes", unit.get("province_code", "")).split()  # current: any merged in
        if codes:
            if fv.value[:3] not in codes:
                said = f"province digits {fv.value[:3]} are not those of {fields[place].value}"
                fields[f"{prefix}personal_id"] = needs_review(fv, f"{said} ({', '.join(codes)})", config)
            return


def _check_plausible(name: str, fv: FieldValue, config: ExtractConfig) -> FieldValue:
    """Dates in the future (a 3 read as an 8 in 2023): review."""
    year = year_of(fv.value)
    if year is not None and (fv.value or "") > date.today().isoformat()[: len(fv.value or "")]:
        return needs_review(fv, f"{fv.value} is in the future", config)
    return fv


def check_numbering(records: list[Record], config: ExtractConfig) -> list[Record]:
    """Register rows are numbered continuously within a page (numbering restarts only per year).

    A number that breaks the sequence is flagged. A number read with low OCR confidence that sits
    exactly between its neighbours (n-1 above, n+1 below) is confirmed by them and accepted when one of
    them was read surely: two independent readings agree on what it must be. Neighbours as unsure as it
    are no other reading (held-out seed 10700000, a black-ink hand's 77, 78, 79 all read 17, 18, 19 at
    0.40: the 18 was accepted between them).
    """
    numbers = [_number(r) for r in records]
    sure = [_number_read_surely(r) for r in records]
    checked = []
    for i, record in enumerate(records):
        fv = record.fields.get("registration_number")
        number, before = numbers[i], next((n for n in reversed(numbers[:i]) if n is not None), None)
        after = numbers[i + 1] if i + 1 < len(numbers) else None
        if fv is not None and number is not None:
            if before is not None and number != before + 1:
                fv = flag(fv, f"number {number} does not follow {before}", config)
            elif after is not None and number != after - 1:
                fv = flag(fv, f"number {number} is not followed by {number + 1} but by {after}", config)
            elif before == number - 1 and after == number + 1 and _only_low_confidence(fv):
                fv = _confirmed(fv, config) if _sure_before(sure, numbers, i) or sure[i + 1] else fv
            record = replace(record, fields={**record.fields, "registration_number": fv})
        checked.append(record)
    return _check_registration_dates(checked, config)


def _number_read_surely(record: Record) -> bool:
    fv = record.fields.get("registration_number")
    return fv is not None and fv.status is FieldStatus.ACCEPTED


def _sure_before(sure: list[bool], numbers: list[int | None], i: int) -> bool:
    """The nearest entry above with a number was read surely."""
    return next(
        (s for s, n in zip(reversed(sure[:i]), reversed(numbers[:i]), strict=True) if n is not None), False
    )


def _check_registration_dates(records: list[Record], config: ExtractConfig) -> list[Record]:
    """A book's entries are registered in the order they are numbered, in the book's year ("01/2010"):
    a date of another year, or later than the two below it (earlier than the two above), is misread
    ("12/3/2010" read "12/3/2019" at 0.96 in DejaVu Serif, its second reading agreeing)."""
    dates = [r.value("registration_date") for r in records]
    checked = []
    for i, record in enumerate(records):
        fv = record.fields.get("registration_date")
        if fv is not None and fv.value and (problem := _date_problem(record, dates, i)):
            record = replace(record, fields={**record.fields, "registration_date": flag(fv, problem, config)})
        checked.append(record)
    return checked


def _date_problem(record: Record, dates: list[str | None], i: int) -> str | None:
    when, book = dates[i] or "", re.search(r"(\d{4})$", record.value("book_number") or "")
    if book and len(when) == 10 and when[:4] != book[1]:
        return f"registered in {when[:4]}, but the book is of {book[1]}"
    below = [d for d in dates[i + 1 : i + 3] if d and len(d) == 10]
    above = [d for d in dates[max(0, i - 2) : i] if d and len(d) == 10]
    if len(when) == 10 and below and all(when > d for d in below):
        return f"registered on {when}, after the entries below it"
    if len(when) == 10 and above and all(when < d for d in above):
        return f"registered on {when}, before the entries above it"
    return None


def _number(record: Record) -> int | None:
    value = record.value("registration_number")
    return int(value) if value and value.isdigit() else None


def _only_low_confidence(fv: FieldValue) -> bool:
    return fv.status is FieldStatus.NEEDS_REVIEW and all(
        part.startswith((LOW_OCR, "confidence ")) for part in fv.reason.split("; ")
    )


def _confirmed(
    fv: FieldValue, config: ExtractConfig, by: str = "the numbers before and after it"
) -> FieldValue:
    confidence = max(fv.confidence, round(config.accept_threshold + 0.05, 3))
    reason = f"{fv.reason}; confirmed by {by}"
    return replace(fv, confidence=confidence, status=FieldStatus.ACCEPTED, reason=reason)


def volume_problems(pages: list[tuple[int, list[tuple[str | None, str | None]]]]) -> list[str]:
    """Continuity of a register volume across pages: (page number, [(registration no., book)]) in order.

    Numbers must run on from one page to the next and every record must name the same book; pages with
    no readable number are reported, never assumed continuous.
    """
    problems: list[str] = []
    previous: tuple[int, int] | None = None  # (page, last number on it)
    books: dict[str, int] = {}
    for page, records in pages:
        numbers = [int(n) for n, _ in records if n and n.isdigit()]
        for _, book in records:
            if book:
                books.setdefault(book, page)
        if not numbers:
            problems.append(f"page {page}: no readable registration number")
            continue
        if previous is not None and numbers[0] != previous[1] + 1:
            problems.append(
                f"page {page}: numbering starts at {numbers[0]} but page {previous[0]} ended at {previous[1]}"
            )
        previous = (page, numbers[-1])
    if len(books) > 1:
        problems.append(
            "records name different books: " + ", ".join(f"{b} (from page {p})" for b, p in books.items())
        )
    return problems
