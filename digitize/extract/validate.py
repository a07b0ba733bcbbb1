"""Cross-field validation: checks that lower confidence and send a value to review, never silently fix it.

- Personal ID: 12 digits = province code (pre-2025 list) + century/sex digit + 2 year digits + 6 digits;
  the century/sex digit and the year must agree with the date of birth and the sex on the same record.
- Registration date not before birth; parents plausibly older than the child.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date

from rapidfuzz.distance import Levenshtein

from digitize.config import ExtractConfig
from digitize.extract.places import (
    LOCAL_WORDS,
    UNIT_WORDS,
    PlaceMatch,
    bare,
    match_place,
    reopened,
    respelled,
)
from digitize.extract.text import fold
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
PENALTY = 0.5


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


def flag(value: FieldValue, reason: str, config: ExtractConfig) -> FieldValue:
    confidence = round(value.confidence * PENALTY, 3)
    accepted = value.status is FieldStatus.ACCEPTED and confidence >= config.accept_threshold
    status = FieldStatus.ACCEPTED if accepted else FieldStatus.NEEDS_REVIEW  # a flag never promotes
    joined = f"{value.reason}; {reason}" if value.reason else reason
    return replace(value, confidence=confidence, status=status, reason=joined)


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
    read with confidence are dropped rather than sent to review.
    """
    figures, words = fields.get(name), fields.get(f"{name}_in_words")
    if words is not None and words.status is not FieldStatus.ACCEPTED:
        del fields[f"{name}_in_words"]  # a second reading that cannot be read adds no data, only review work
        return
    if not figures or not words or not figures.value:
        return
    if figures.value == words.value:
        if _only_low_confidence(figures):
            fields[name] = _confirmed(figures, config, "the same date written in words")
        return
    fields[name] = needs_review(figures, f"the date in words reads {words.value}", config)
    fields[f"{name}_in_words"] = needs_review(words, f"the date in figures reads {figures.value}", config)


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
    that names only a commune is looked for ("Trạm Y tế xã Hải Minh" on the death book of a commune)."""
    office = fields.get("registration_office")
    if office is not None:
        office = fields["registration_office"] = check_organ(check_place(office, config), config)
    above = ""
    if office is not None and office.status is FieldStatus.ACCEPTED and office.value and office.unit:
        above = office.value.split(", ", 1)[1] if ", " in office.value else ""
    for name, fv in fields.items():
        if name.endswith(PLACE_FIELDS) and name != "registration_office":
            fields[name] = check_place(fv, config, above)


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


#: Fields holding a place (suffixes, so mother_residence, wife_residence … are included).
PLACE_FIELDS = ("place_of_birth", "hometown", "residence", "place_of_death", "registration_office")


#: A dot or colon right between a word and the next word or number: a speck or a dotted leader read where
#: the space is ("Hòa.Khánh", "xóm.1", "nhân dân.xã"), unless the word is an abbreviation written with its
#: dot: two letters or fewer without a mark ("TP.Hồ", "Q.1", "Tx.Sơn Tây").
_DOT_INSIDE = re.compile(r"\b([^\W\d_]+)[.:](?=[^\W_])")

_DOT_BEFORE = re.compile(r"\s[.:·]+(?=[^\W_])")


def _recased(value: str) -> str:
    """In a place written in lower case, a word of capitals that is no abbreviation or Roman numeral
    written as a name ("xã Hoằng LỘC" → "xã Hoằng Lộc": a phone photo's small letters read as capitals)."""
    letters = [ch for ch in value if ch.isalpha()]
    if not letters or all(ch.isupper() for ch in letters):
        return value
    return " ".join(_as_name(word) for word in value.split(" "))


def _as_name(word: str) -> str:
    core = word.strip(",.;:")
    if len(core) < 2 or not core.isupper() or not any(fold(ch) in "aeiouy" for ch in core):
        return word  # UBND, TP, CCCD: no vowel to be a syllable
    if set(core) <= set("IVXLC") or core in ("UBND",):
        return word  # thôn II, khu IV
    return word.replace(core, core.capitalize())


def _local_word_lowered(part: str) -> str:
    """A hamlet's or street's word in lower case, as the other unit words ("Xóm 8" → "xóm 8"): the common
    noun is not part of the name, and OCR reads a typewriter's x, o, s as capitals beside smaller print."""
    lowered = part.lower()
    word = next((w for w in LOCAL_WORDS if lowered.startswith(w + " ")), None)
    return lowered[: len(word)] + part[len(word) :] if word else part


def _units_cased_alike(parts: list[str]) -> list[str]:
    """Unit words opening the parts written in small letters as most of the others are ("xã Bảo Đài, huyện
    Lục Nam, Tỉnh Bắc Giang": a hand's t read as a capital); a place that capitalises most of them ("Phường
    5, Quận 3, Thành phố Hồ Chí Minh") keeps them as written."""
    opening = {i: w for i, part in enumerate(parts) if (w := _unit_opening(part))}
    small = sum(parts[i].startswith(w) for i, w in opening.items())
    if 2 * small <= len(opening):
        return parts
    return [opening[i] + part[len(opening[i]) :] if i in opening else part for i, part in enumerate(parts)]


def _unit_opening(part: str) -> str | None:
    lowered = part.lower()
    return next((w for w in UNIT_WORDS if lowered.startswith(w + " ")), None)


def _speck_to_space(match: re.Match[str]) -> str:
    word = match.group(1)
    return f"{word} " if len(word) >= 3 or fold(word) != word.lower() else match.group(0)


NO_PROVINCE = "names units but no province that they could be checked in"


def check_place(fv: FieldValue, config: ExtractConfig, above: str = "") -> FieldValue:
    """Add the administrative unit a place names; a unit the text misspells sends the value to review.
    A place that names units but no province is looked for in `above`, the units the document's office
    names above its own ("huyện Hải Hậu, tỉnh Nam Định"), and is checked when it is found there."""
    if not fv.value:
        return fv
    # OCR reads the address comma as a semicolon, doubles it or loses the space after it
    value = re.sub(r"\s*[,;][\s,;]*", ", ", fv.value).strip(", ")
    value = _DOT_INSIDE.sub(_speck_to_space, value)  # "Hòa.Khánh", "Lục:Nam", "xóm.1": a speck, not a dot
    value = _DOT_BEFORE.sub(" ", value)  # "thành phố .Đà Nẵng": a leader's last dot before a word
    parts = _units_cased_alike([_local_word_lowered(part) for part in _recased(value).split(", ")])
    value, misread = reopened(", ".join(parts))
    problems = [HAMLET_MISREAD.format(m.group(1)) for m in _HAMLET.finditer(value) if m.group(1)[0].islower()]
    problems += [RUNS_ON] if fv.raw_text.rstrip().endswith((",", ";")) else []
    value, lost = _words_lost(value)
    problems += lost
    match = match_place(value) or _found_within(value, above)
    problems += [
        MISREAD_OPENER.format(word) for word, opener in misread if not _marks_only(word, opener, match)
    ]
    if match is None:  # a place abroad or a facility is free text; an address whose province is lost is not
        problems += [NO_PROVINCE] if _UNIT_WORD.search(value) else []
    else:
        problems += match.damaged
        if match.misspelled:  # offered spelled officially, as a misread surname is; reviewed all the same
            problems.append(MISSPELLED_UNIT.format(", ".join(match.misspelled)))
            value = respelled(value, list(match.misspelled))
    fv = replace(fv, value=value, unit=match.unit() if match else fv.unit)
    return needs_review(fv, "; ".join(problems), config) if problems else fv


def _found_within(place: str, above: str) -> PlaceMatch | None:
    """The commune a place names, found in the units above the office's own when the place names no
    province and those units hold it, written as it is there; else None."""
    if not above or not _UNIT_WORD.search(place):
        return None
    match = match_place(f"{place}, {above}")
    if match is None or match.commune is None or match.damaged or match.misspelled:
        return None
    return match


def _marks_only(word: str, opener: str, match: PlaceMatch | None) -> bool:
    """A unit word read with other marks ("huyên", "quân", "huyền"), in a place that names a unit: the
    name beside it is checked letter and mark by the unit list, the number of a hamlet by a second reading,
    so the marks of the unit word alone are no reason to doubt them. A hamlet's word ("xém 3"), a letter
    read other ("huuện"), a facility's words ("Tram Y tế"), and a place naming no unit still are."""
    return opener in UNIT_WORDS and bare(word) == bare(opener) and match is not None


#: A part of a place that is a number alone: its hamlet's or street's word was lost ("14, xã Tân Hòa" for
#: "tổ 14, …": a short word at a register cell's edge dropped); a house's number stands with its street.
_NUMBER_ONLY = re.compile(r"\d+[A-Za-z]?(?:/\d+)?")
NUMBER_ALONE = "'{}' stands with no hamlet's or street's word: the word before it was lost"
#: A word of x and one vowel in small letters before a name is a misread "xã" wherever it stands ("Trạm Y
#: tế xố Cẩm Vũ", Noto Sans Italic: a facility's place, which no unit list checks without its province).
_XA_MISREAD = re.compile(r"(?<!\w)(x[^\W\d_]) (?=([^\W\d_]))")
#: "Tại" (at) opens a place of birth or death ("Tại nhà riêng"); "Tai" opens none: its dot was lost, and
#: no unit list checks such a place (a typed death book accepted "Tai nhà riêng" three times).
AT_MISREAD = "'{}' opens the place: read 'Tại' with its mark lost"


def _at_misread(value: str) -> bool:
    """The place opens with "Tại" misread: its mark lost ("Tai nhà riêng") or its vowel read other ("Tợi
    nhà riêng", a hand): t, a vowel, i, before a word in small letters (not "Tây Ninh", not "thị trấn")."""
    first, _, rest = value.partition(" ")
    if first.lower() == "tại" or not rest or (rest[:1].isupper() and not value.isupper()):
        return False
    return re.fullmatch("t[aeiouy]i", fold(first)) is not None


def _words_lost(value: str) -> tuple[str, list[str]]:
    """A part that is a number alone, "xố" before a name for "xã", "Tai" opening the place: the problems,
    and the value with the words that can only be "xã" and "Tại" written so."""
    problems = [NUMBER_ALONE.format(part) for part in value.split(", ") if _NUMBER_ONLY.fullmatch(part)]
    xa = (m.group(1) for m in _XA_MISREAD.finditer(value) if m.group(2).isupper() and m.group(1) != "xã")
    for word in dict.fromkeys(xa):
        problems.append(MISREAD_OPENER.format(word))
        value = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", "xã", value)
    if _at_misread(value):
        first = value.split(" ", 1)[0]
        problems.append(AT_MISREAD.format(first))
        value = ("Tại" if first[:1].isupper() else "tại") + value[len(first) :]
    return value, problems


#: A place read up to a comma: its rest stood on a line that was not joined to it (the parser completes a
#: district with its province, so what was read still names a unit).
RUNS_ON = "the place ends with a comma: its rest was not read"
#: A hamlet's or street group's word and what follows it: a number, or a name with a capital ("xóm Đông",
#: "thôn A"); a small letter there is a number misread ("xóm u" for "xóm 4", a black-ink hand). A house's
#: "số" is left out: "số nhà 12".
_HAMLETS = "|".join(word for word in LOCAL_WORDS if word != "số")
_HAMLET = re.compile(rf"\b(?:{_HAMLETS})\s+([^\s,]+)", re.IGNORECASE)
HAMLET_MISREAD = "the hamlet's number or name was read '{}': check it on the paper"
#: A unit word read with other marks or a letter other: written as the unit word, sent to review.
MISREAD_OPENER = "the unit word was read '{}': check the number or name beside it"


#: How a registering office is named before its unit ("Ủy ban nhân dân xã …"), and the missions abroad,
#: whose names go on with the country ("Đại sứ quán Việt Nam tại …").
ORGANS = ("Ủy ban nhân dân", "Uỷ ban nhân dân", "UBND", "Phòng Tư pháp", "Sở Tư pháp")
MISSIONS = ("Cơ quan đại diện", "Đại sứ quán", "Tổng lãnh sự quán", "Lãnh sự quán")
_ORGANS_FOLDED = frozenset(o.casefold() for o in ORGANS)
_MISSIONS_FOLDED = tuple(m.casefold() for m in MISSIONS)
_UNIT_WORD = re.compile(rf"\b(?:{'|'.join(UNIT_WORDS)})\b", re.IGNORECASE)


def check_organ(fv: FieldValue, config: ExtractConfig) -> FieldValue:
    """The words naming the office before its unit are a closed list: a letter misread in them ("Ủy ban
    nhận dân") is checked by no place list, so anything else goes to review."""
    if not fv.value or fv.status is not FieldStatus.ACCEPTED:
        return fv
    value = unicodedata.normalize("NFC", fv.value)
    unit = _UNIT_WORD.search(value)
    organ = value[: unit.start() if unit else len(value)].strip(" ,.").casefold()
    if not organ or organ in _ORGANS_FOLDED or organ.startswith(_MISSIONS_FOLDED):
        return fv
    return needs_review(fv, f"the office is named '{organ}', not in a known wording: check it", config)


#: The reason a misspelled unit gives; `suggested_value` reads the official names back out of it.
MISSPELLED_UNIT = "does not spell the administrative unit as officially written ({})"
_MISSPELLED = re.compile(re.escape(MISSPELLED_UNIT).replace(r"\{\}", "(.+?)") + "(?:;|$)")


def suggested_value(value: str | None, reason: str) -> str | None:
    """A value a reviewer can take with one key: the place with its unit names spelled officially."""
    found = _MISSPELLED.search(reason)
    if not value or not found:
        return None
    fixed = respelled(value, [n.strip() for n in found.group(1).split(", ")])
    return fixed if fixed != value else None


def needs_review(value: FieldValue, reason: str, config: ExtractConfig) -> FieldValue:
    """Never accept: confidence capped below the threshold and the reason recorded."""
    confidence = min(value.confidence, round(config.accept_threshold * PENALTY, 3))
    joined = f"{value.reason}; {reason}" if value.reason else reason
    return replace(value, confidence=confidence, status=FieldStatus.NEEDS_REVIEW, reason=joined)


def check_numbering(records: list[Record], config: ExtractConfig) -> list[Record]:
    """Register rows are numbered continuously within a page (numbering restarts only per year).

    A number that breaks the sequence is flagged. A number read with low OCR confidence that sits
    exactly between its neighbours (n-1 above, n+1 below) is confirmed by them and accepted: two
    independent readings agree on what it must be.
    """
    numbers = [_number(r) for r in records]
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
                fv = _confirmed(fv, config)
            record = replace(record, fields={**record.fields, "registration_number": fv})
        checked.append(record)
    return _check_registration_dates(checked, config)


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
        part.startswith(("low OCR confidence", "confidence ")) for part in fv.reason.split("; ")
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
