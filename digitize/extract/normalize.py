"""Normalizers: raw OCR text of one value → canonical value, or a reason it could not be read.

Each returns `Normalized(value, ok, reason)`. `ok = False` keeps the best reading but marks it for review;
nothing is invented (a partial date stays partial).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from digitize.extract.mend import MENDED, NAME_MARKS, mend
from digitize.extract.names import check_name, known_name_word
from digitize.extract.places import place_words, syllable_key
from digitize.extract.text import fold, misread_words, plain_text, similar

ETHNIC_GROUPS = (
    "Kinh",
    "Tày",
    "Thái",
    "Mường",
    "Khmer",
    "Hoa",
    "Nùng",
    "H'Mông",
    "Dao",
    "Gia Rai",
    "Ê Đê",
    "Ba Na",
    "Sán Chay",
    "Chăm",
    "Cơ Ho",
    "Xơ Đăng",
    "Sán Dìu",
    "Hrê",
    "Ra Glai",
    "Mnông",
    "Thổ",
    "Xtiêng",
    "Khơ Mú",
    "Bru Vân Kiều",
    "Cơ Tu",
    "Giáy",
    "Tà Ôi",
    "Mạ",
    "Giẻ Triêng",
    "Co",
    "Chơ Ro",
    "Xinh Mun",
    "Hà Nhì",
    "Chu Ru",
    "Lào",
    "La Chí",
    "Kháng",
    "Phù Lá",
    "La Hủ",
    "La Ha",
    "Pà Thẻn",
    "Lự",
    "Ngái",
    "Chứt",
    "Lô Lô",
    "Mảng",
    "Cơ Lao",
    "Bố Y",
    "Cống",
    "Si La",
    "Pu Péo",
    "Rơ Măm",
    "Brâu",
    "Ơ Đu",
)
NATIONALITIES = ("Việt Nam", "Lào", "Campuchia", "Trung Quốc", "Hàn Quốc", "Nhật Bản", "Hoa Kỳ", "Pháp")


#: Reasons of figures no paper holds: a day or month out of the calendar, an ID of the wrong length, a
#: number with letters in it or none of its digits read.
NOT_A_DATE, WRONG_LENGTH = "is not a calendar date", "digits, expected"
MIXED_IN, NO_DIGITS = "letters or symbols mixed into a number", "no digits"
#: A thin face's 7 read as a slash: in a year ("19/5") or beside a date's second mark ("7/572022" for
#: 7/5/2022, the slash read "7"), offered, never accepted.
SEVEN_SLASH = "a '7' and a '/' read for each other"
SLASH_FOR_SEVEN = SEVEN_SLASH + " ('{}'): check it"
NO_PAPER_HOLDS = (NOT_A_DATE, WRONG_LENGTH, MIXED_IN, NO_DIGITS, SEVEN_SLASH)


@dataclass(frozen=True)
class Normalized:
    value: str | None
    ok: bool
    reason: str = ""
    exact: bool = False  # the text is, letter for letter, an entry of a closed vocabulary


def clean(text: str) -> str:
    return plain_text(text).strip(" :;,.-_|")


def name(text: str) -> Normalized:
    read = clean(text)
    value, mended = mend(read, known_name_word, marks=NAME_MARKS)
    if not mended:
        return _name(value)
    found, as_read = _name(value), _name(read).reason  # the words misread stay signs of a face misread
    signs = as_read if as_read.startswith(MISREAD_LETTERS.split("(")[0]) else ""
    return Normalized(found.value, False, _joined(*mended, signs, found.reason))


def _joined(*reasons: str) -> str:
    return "; ".join(r for r in reasons if r)


def _name(value: str) -> Normalized:
    letters = value.replace(" ", "")
    if not letters:
        return Normalized(None, False, "empty name")
    if not all(ch.isalpha() for ch in letters):
        return Normalized(value.title(), False, "name contains digits or symbols")
    if len(value.split()) < 2:
        return Normalized(value.title(), False, "name has a single word")
    if misread := misread_words(value):
        return Normalized(value.title(), False, MISREAD_LETTERS.format(", ".join(misread)))
    checked, reasons = check_name(value.title())
    return Normalized(checked, not reasons, "; ".join(reasons))


#: A day starts no later than its first figure: "l2/03/1990" (12 with its 1 read as a letter) is not the
#: 2nd, as a search from the "2" made it (accepted), nor is "123/03/1990" the 23rd.
_DAY_START = r"(?<![\dOoIl|])"
_DMY = re.compile(_DAY_START + r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
#: "ngày 21 tháng 03 năm 2001" (folded), a speck read as a mark between its words or not ("'năm")
_WORDY = re.compile(r"(?:ngay\W*)?(?<![\doil|])(\d{1,2})\W*thang\W*(\d{1,2})\W*(?:nam|,)\W*(\d{4})")


_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


#: Letters a face's figures are read as ("O1" for 01 and "Thá1" for Thái in a typewriter face), inside a
#: word of figures and separators: offered as those figures, never accepted.
_LOOKALIKES = str.maketrans("OoIl|", "00111")
_FIGURES_WITH_LETTERS = re.compile(r"(?<!\w)(?=[\w/.-]*\d)(?=[\w/.-]*[OoIl|])[\dOoIl|/.-]+(?!\w)")
LETTER_FOR_FIGURE = "a letter read for a figure ('{}'): check it"


def figures_for_letters(raw: str) -> tuple[str, list[str]]:
    """The text with the look-alike letters of words in figures read as figures, and those words."""
    words = [m.group(0) for m in _FIGURES_WITH_LETTERS.finditer(raw)]
    return _FIGURES_WITH_LETTERS.sub(lambda m: m.group(0).translate(_LOOKALIKES), raw), words


def full_date(text: str) -> Normalized:
    raw = clean(text)
    iso = _ISO.fullmatch(raw)  # a value already in its stored form (a reviewer accepting it as shown)
    shown = f"{iso.group(3)}/{iso.group(2)}/{iso.group(1)}" if iso else raw
    match = _DMY.search(shown) or _WORDY.search(fold(raw))
    if not match:
        return _with_figures(raw, full_date) or _seven_for_slash(raw) or _unseparated(raw) or _partial(raw)
    day, month, year_num = (int(g) for g in match.groups())
    try:
        return Normalized(date(year_num, month, day).isoformat(), True)
    except ValueError:
        return Normalized(raw, False, f"{day}/{month}/{year_num} {NOT_A_DATE}")


#: Eight figures and nothing else: a typewriter's slashes lost ("20072017" for 20/07/2017).
_DDMMYYYY = re.compile(r"(\d{2})(\d{2})((?:19|20)\d{2})")
UNSEPARATED = "read without the marks between day, month and year: check it"


#: A date's slash read as a letter between its figures ("7I6I1983" for 7/6/1983).
_SLASH_READ = re.compile(r"(?<=\d)[Il|](?=\d)")


def _with_figures(raw: str, normalize: Callable[[str], Normalized]) -> Normalized | None:
    """The value the text gives with its look-alike letters read as figures, or as a date's slashes,
    offered for review."""
    fixed, words = figures_for_letters(raw)
    for text in (fixed, _SLASH_READ.sub("/", raw)):
        found = normalize(text) if words and text != raw else None  # each has fewer look-alikes than raw
        if found is not None and found.ok:
            return Normalized(found.value, False, LETTER_FOR_FIGURE.format(", ".join(words)))
    return None


def _seven_for_slash(raw: str) -> Normalized | None:
    match = _SEVEN_FOR_SLASH.fullmatch(raw)
    found = full_date("/".join(match.groups())) if match else None
    return Normalized(found.value, False, SLASH_FOR_SEVEN.format(raw)) if found and found.ok else None


def _unseparated(raw: str) -> Normalized | None:
    """The date eight figures spell as dd mm yyyy, offered but never accepted: what lost the marks may have
    lost or added a figure too."""
    found = _DDMMYYYY.fullmatch(raw.replace(" ", ""))
    if not found:
        return None
    day, month, year_num = (int(g) for g in found.groups())
    try:
        return Normalized(date(year_num, month, day).isoformat(), False, UNSEPARATED)
    except ValueError:
        return None


def _partial(raw: str) -> Normalized:
    year = re.search(r"\b(1[89]\d\d|20\d\d)\b", raw)
    if year:
        return Normalized(year.group(1), False, "only the year could be read (partial date kept)")
    return Normalized(raw or None, False, "not a date")


#: Vietnamese number words (folded: no diacritics) and their values; "muoi" is ten or "-ty" by position.
_NUMBER_WORDS = {
    "khong": 0, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "lam": 5, "nham": 5,
    "sau": 6, "bay": 7, "tam": 8, "chin": 9,
}  # fmt: skip
_CONNECTORS = {"le", "linh", "mong", "mung"}  # "lẻ", "linh"; "mồng/mùng" before days 1–10
_SPELLED_DATE = re.compile(r"ngay\s+(.+?)[\s,]+thang\s+(.+?)[\s,]+nam\s+(.+)")


def number_from_words(text: str) -> int | None:
    """ "hai nghìn không trăm lẻ chín" → 2009, "mười lăm" → 15, "ba mươi mốt" → 31, "25" → 25 (figures a
    clerk wrote in the words' place); None if not a number."""
    words = fold(text).replace(",", " ").replace(".", " ").split()
    figures = "".join(w for w in words if w not in _CONNECTORS)
    if figures.isdigit() and len(words) <= 2:
        return int(figures)
    total, group, pending = 0, 0, None
    for word in words:
        if word in _NUMBER_WORDS:
            if pending is not None:
                return None  # two digits in a row
            pending = _NUMBER_WORDS[word]
        elif word == "muoi":  # "mười" (ten) when no digit stands before it, else "mươi" (tens)
            group += 10 * (pending if pending is not None else 1)
            pending = None
        elif word == "tram":
            group += 100 * (pending or 0)
            pending = None
        elif word in ("nghin", "ngan"):
            total += 1000 * ((group + (pending or 0)) or 1)
            group, pending = 0, None
        elif word not in _CONNECTORS:
            return None
    if pending is None and group == 0 and total == 0:
        return None
    return total + group + (pending or 0)


def spelled_date(text: str) -> Normalized:
    """A date written in words ("Ngày hai mươi lăm, tháng sáu, năm hai nghìn không trăm lẻ chín"). Words a
    letter away from the one word of the date's vocabulary with their tone ("bảu" for bảy, "Ngàu" for
    Ngày: a hand) are read as it, and the date is then offered, never accepted: it can still tell a
    misread figure of the same date written in figures."""
    raw = clean(text)
    mended, misread = _date_words(raw)
    match = _SPELLED_DATE.search(fold(mended))
    numbers = [number_from_words(part) for part in match.groups()] if match else []
    if len(numbers) != 3 or None in numbers:
        return Normalized(raw or None, False, "the date in words could not be read")
    day, month, year_num = (int(n) for n in numbers if n is not None)
    try:
        found = date(year_num, month, day).isoformat()
    except ValueError:
        return Normalized(raw, False, f"the date in words ({day}/{month}/{year_num}) is not a calendar date")
    return Normalized(found, not misread, _joined(*(MENDED.format(w, near) for w, near in misread)))


#: The words a date is written in, with their tones.
_DATE_WORDS = (
    "ngày", "tháng", "năm", "không", "một", "mốt", "hai", "ba", "bốn", "tư", "lăm", "nhăm", "sáu", "bảy",
    "tám", "chín", "mười", "mươi", "trăm", "nghìn", "ngàn", "lẻ", "linh", "mồng", "mùng",
)  # fmt: skip


def _date_words(raw: str) -> tuple[str, list[tuple[str, str]]]:
    """The text with each word outside the date's vocabulary that is one letter from exactly one of its
    words with the same tone read as that word (the first word from "ngày" alone, which opens the date);
    and the words so read."""
    words, misread = raw.split(), list[tuple[str, str]]()
    for k, word in enumerate(words):
        core = word.strip(",.").lower()
        if not core.isalpha() or core in _DATE_WORDS:
            continue
        near = [w for w in (("ngày",) if k == 0 else _DATE_WORDS) if _one_letter_apart(core, w)]
        if len(near) == 1:
            words[k] = word.lower().replace(core, near[0])
            misread.append((core, near[0]))
    return " ".join(words), misread


def _one_letter_apart(a: str, b: str) -> bool:
    """Same length, same tone, one letter (vowel shape counted) other: "bảu" and "bảy", not "sáu"."""
    (ka, ta), (kb, tb) = syllable_key(a), syllable_key(b)
    return len(ka) == len(kb) and ta == tb and sum(x != y for x, y in zip(ka, kb, strict=True)) == 1


def year(text: str) -> Normalized:
    """A year ("1990", "năm 1990"), or the year of a full date ("12/3/1990")."""
    raw = clean(text)
    match = re.fullmatch(r"(?:n[aă]m\s*)?(\d{4})", raw, re.IGNORECASE)
    if match and 1880 <= int(match.group(1)) <= 2100:
        return Normalized(match.group(1), True)
    whole = full_date(raw)
    if whole.ok and whole.value:
        return Normalized(whole.value[:4], True)
    seven = re.fullmatch(r"(\d{1,3})/(\d{1,3})", raw)
    if seven and len(raw) == 4 and 1880 <= int(raw.replace("/", "7")) <= date.today().year:
        return Normalized(raw.replace("/", "7"), False, SLASH_FOR_SEVEN.format(raw))
    if re.search(r"\d\d", raw) and not raw.isdigit():  # "13éé": a year no paper holds, a sign of its face
        return Normalized(raw, False, f"not a four-digit year; {MIXED_IN}")
    return Normalized(raw or None, False, "not a four-digit year")


_SEVEN_FOR_SLASH = re.compile(r"(\d{1,2})/(\d{1,2})7((?:19|20)\d{2})")


#: Answers to "Giới tính" / "Nam hay nữ", and to "Trai hay gái" on forms of before 2005 (folded).
SEXES = {"nam": "Nam", "nu": "Nữ", "trai": "Nam", "gai": "Nữ", "con trai": "Nam", "con gai": "Nữ"}


def sex(text: str) -> Normalized:
    folded = fold(clean(text))
    if folded in SEXES:
        return Normalized(SEXES[folded], True)
    return Normalized(clean(text) or None, False, "sex is neither Nam nor Nữ")


#: Figures a face's letters are read as inside a word ("Thá1" for Thái, a typewriter face).
_LETTERS_FOR_FIGURES = str.maketrans("10", "io")


def _vocabulary(text: str, allowed: tuple[str, ...], what: str) -> Normalized:
    value = clean(text)
    folded = fold(value)
    if any(ch.isdigit() for ch in value) and any(ch.isalpha() for ch in value):
        folded = folded.translate(_LETTERS_FOR_FIGURES)  # offered as the closest entry, never accepted
    best = max(allowed, key=lambda option: similar(fold(option), folded))
    score = similar(fold(best), folded)
    if best == value:
        return Normalized(best, True, exact=True)
    if score == 1.0 and folded == fold(value):  # only tone marks differ and one entry fits: settled, visibly
        return Normalized(best, True, f"tone marks corrected from '{value}'")
    if score >= 0.8:
        return Normalized(best, False, f"read as '{value}', closest {what} is '{best}'")
    return Normalized(value or None, False, f"'{value}' is not a known {what}")


#: Causes of death as offices write them in the books (Giấy báo tử, the declarant's words); a cause read
#: letter for letter, or differing only in tone marks from one of them, is accepted.
CAUSES_OF_DEATH = (
    "Bệnh già",
    "Già yếu",
    "Tuổi già",
    "Ốm đau",
    "Bệnh tim",
    "Suy tim",
    "Nhồi máu cơ tim",
    "Đột quỵ",
    "Tai biến mạch máu não",
    "Ung thư",
    "Ung thư phổi",
    "Ung thư gan",
    "Suy thận",
    "Suy hô hấp",
    "Viêm phổi",
    "Tai nạn giao thông",
    "Tai nạn lao động",
    "Tai nạn",
    "Đuối nước",
    "Bệnh hiểm nghèo",
    "Bệnh nặng",
)


_CAUSE_WORDS = frozenset(w for c in CAUSES_OF_DEATH for w in (c.split() + c.lower().split()))


def cause_of_death(text: str) -> Normalized:
    """A cause offices write (tone marks a confident OCR lost, "Đột quy", put back); any other is free
    text no list or rule can confirm: a person reads it."""
    value, mended = mend(clean(text), _CAUSE_WORDS.__contains__, lambda w: not w.isalpha())
    found = _vocabulary(value, CAUSES_OF_DEATH, "cause")
    if not found.ok:  # "Bệnh, tim": a speck read as a comma between a listed cause's words
        marked, off = mend(value, _CAUSE_WORDS.__contains__, lambda w: not w.isalpha(), NAME_MARKS)
        again = _vocabulary(marked, CAUSES_OF_DEATH, "cause")
        if again.ok:
            value, mended, found = marked, mended + off, again
    if mended:  # "Bệnh +1m": a thin face's "tim"
        return Normalized(found.value if found.ok else value, False, _joined(*mended, found.reason))
    if found.ok:
        return found
    return Normalized(
        value or None, False, "free text that no list or rule can confirm" if value else "empty"
    )


def ethnicity(text: str) -> Normalized:
    return _vocabulary(text, ETHNIC_GROUPS, "ethnic group")


def nationality(text: str) -> Normalized:
    return _vocabulary(text, NATIONALITIES, "nationality")


def digits(text: str, length: int | None = None) -> Normalized:
    raw = clean(text)
    only = re.sub(r"\D", "", raw)
    if not only:
        return Normalized(raw or None, False, NO_DIGITS)
    if length and len(only) != length:
        return Normalized(only, False, f"{len(only)} {WRONG_LENGTH} {length}")
    if only != raw.replace(" ", ""):
        return Normalized(only, False, MIXED_IN)
    return Normalized(only, True)


def personal_id(text: str) -> Normalized:
    return digits(text, 12)


def book(text: str) -> Normalized:
    """A register book's number: NN/YYYY (books of one year since 2010), or NN alone on older papers."""
    raw = clean(text)
    match = re.fullmatch(r"(\d{1,3})(?:\s*/\s*(\d{4}))?", raw)
    if match and match.group(2):
        return Normalized(f"{match.group(1).zfill(2)}/{match.group(2)}", True)
    if match:
        return Normalized(match.group(1).zfill(2), True)
    return _with_figures(raw, book) or Normalized(raw or None, False, "book number is neither NN/YYYY nor NN")


def registration_number(text: str) -> Normalized:
    """The number an event was registered under: "45", "45/2015", "45, ngày …" → 45."""
    raw = clean(text)
    head = re.split(r"[/,;]|\s+ng[aà]y\b", raw, maxsplit=1, flags=re.IGNORECASE)[0]
    found = digits(head)
    return found if found.ok else _with_figures(head, registration_number) or found


#: Characters no Vietnamese address, office or cause of death is written with (anything but letters,
#: digits, spaces, , . ; : / ( ) & - – and an apostrophe between two letters, as in "Đắk R'Lấp"): markup
#: read off a page ("'><svg onload=…>") or a mark misread for a digit or a speck ("xóm †1", "'phường") is
#: kept for a person to see, never accepted and served to reuse clients as data.
_MARKUP = re.compile(r"[^\w\s,.;:/()'&\-–]|_|(?<![^\W\d_])'|'(?![^\W\d_])")


#: A hyphen the OCR puts into the two-word name of an administrative level ("thành-phố", "thị-xã").
_UNIT_HYPHEN = re.compile(r"\b(thành|thị|tổ|khu)-(phố|xã|trấn|dân)\b", re.IGNORECASE)


def _odd(value: str) -> str:
    return " ".join(dict.fromkeys(_MARKUP.findall(value)))


def free_text(text: str) -> Normalized:
    found = _free_text(text)
    value, mended = _mended_place(found.value or "")
    return Normalized(value, False, _joined(*mended, found.reason)) if mended else found


def _mended_place(value: str) -> tuple[str, list[str]]:
    """Misread words of a place mended into words units are named with ("Hà Nộ1" → "Hà Nội"), a low
    comma read "„" as a comma."""
    commas = [MENDED.format(m.group(0), _leader_read(m)) for m in _LEADER_DOTS.finditer(value)][:1]
    commas += [MENDED.format("„", ",")] if "„" in value else []
    value = _LEADER_DOTS.sub(_leader_read, value).replace("„", ",")
    misread = set(misread_words(value))
    value, mended = mend(
        value, lambda w: w.lower() in place_words(), lambda w: w in misread or _ONES_IN.search(w) is not None
    )
    return value, commas + mended


#: Dots of a leader read between a place's words ("Hoằng..Lộc", "Lộc., huyện"): a space, or the comma.
_LEADER_DOTS = re.compile(r"(?<=\w)(?:\.{2,}|\.,)(?=[\w ])")


def _leader_read(dots: re.Match[str]) -> str:
    return "," if "," in dots.group(0) else " "


#: A word of letters with a figure one among them ("Nộ1", "Đ1nh"): a thin "i"; not "1A", "A1" or "10B".
_ONES_IN = re.compile(r"[^\W\d_]{2}[1!|]|[^\W\d_][1!|][^\W\d_]")


def _free_text(text: str) -> Normalized:
    value = _UNIT_HYPHEN.sub(r"\1 \2", clean(text))
    if value and _MARKUP.search(value):
        return Normalized(value, False, f"holds characters no address or name uses ({_odd(value)})")
    if misread := misread_words(value):
        return Normalized(value, False, MISREAD_LETTERS.format(", ".join(misread)))
    return Normalized(value or None, bool(value), "" if value else "empty")


#: A word holding a letter or mark Vietnamese is not written with, or a letter for a digit beside digits.
MISREAD_LETTERS = "not written with Vietnamese letters ({}): misread"


NORMALIZERS: dict[str, Callable[[str], Normalized]] = {
    "name": name,
    "date": full_date,
    "spelled_date": spelled_date,
    "year": year,
    "sex": sex,
    "ethnicity": ethnicity,
    "nationality": nationality,
    "personal_id": personal_id,
    "book": book,
    "number": registration_number,
    "text": free_text,
    "cause": cause_of_death,
}


#: The normalizer of a field by the end of its name (mother_birth_year, wife_date_of_birth, …).
KIND_OF_FIELD = (
    ("_in_words", "spelled_date"),
    ("cause_of_death", "cause"),
    ("date_of_death", "date"),
    ("date_of_birth", "date"),
    ("registration_date", "date"),
    ("birth_year", "year"),
    ("personal_id", "personal_id"),
    ("sex", "sex"),
    ("ethnicity", "ethnicity"),
    ("nationality", "nationality"),
    ("full_name", "name"),
    ("book_number", "book"),
    ("registration_number", "number"),
)


def kind_of(field: str, default: str = "text") -> str:
    """The normalizer a field's values go through, by the end of its name (`mother_date_of_birth` → date)."""
    return next((k for suffix, k in KIND_OF_FIELD if field.endswith(suffix)), default)


def check_typed(field: str, text: str) -> Normalized:
    """A value a person typed for a field, in the field's canonical form, or the reason it is not one."""
    kind = kind_of(field)
    return NORMALIZERS[kind](plain_text(text))
