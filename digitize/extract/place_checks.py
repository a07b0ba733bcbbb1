"""Checks of a place as written (`check_place`) and of the office that registered (`check_organ`): the
text tidied as a clerk would write it (commas, specks, case), the administrative unit it names found in the
official lists, and anything the lists cannot confirm sent to review with the reason.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from digitize.config import ExtractConfig
from digitize.extract.places import (
    FACILITIES,
    LOCAL_WORDS,
    UNIT_WORDS,
    PlaceMatch,
    bare,
    match_place,
    reopened,
    respelled,
    syllable_key,
)
from digitize.extract.text import fold
from digitize.extract.verdicts import needs_review
from digitize.model import FieldStatus, FieldValue

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
    word = _opening(part, LOCAL_WORDS)
    return word + part[len(word) :] if word else part


def _units_cased_alike(parts: list[str]) -> list[str]:
    """Unit words opening the parts written in small letters as most of the others and the hamlet's word
    are ("xã Bảo Đài, huyện Lục Nam, Tỉnh Bắc Giang": a hand's t read as a capital; "xóm 7, xã Tân Hòa,
    Huyện Vũ Thư, tình Thái Bình", FreeMono, held-out 13500000); a place that capitalises most of them
    ("Phường 5, Quận 3, Thành phố Hồ Chí Minh") keeps them as written."""
    opening = {i: w for i, part in enumerate(parts) if (w := _unit_opening(part))}
    local = [(part, w) for part in parts if (w := _opening(part, LOCAL_WORDS))]
    small = sum(parts[i].startswith(w) for i, w in opening.items()) + sum(p.startswith(w) for p, w in local)
    if 2 * small <= len(opening) + len(local):
        return parts
    return [opening[i] + part[len(opening[i]) :] if i in opening else part for i, part in enumerate(parts)]


def _unit_opening(part: str) -> str | None:
    return _opening(part, UNIT_WORDS)


def _opening(part: str, words: tuple[str, ...]) -> str | None:
    """The word of `words` (in small letters) the part opens with, whatever its case."""
    lowered = part.lower()
    return next((w for w in words if lowered.startswith(w + " ")), None)


def _speck_to_space(match: re.Match[str]) -> str:
    word = match.group(1)
    return f"{word} " if len(word) >= 3 or fold(word) != word.lower() else match.group(0)


#: Two words joined by a hyphen: in a unit's name, a space the OCR read as a hyphen ("huyện Lục-Nam").
_HYPHENED = re.compile(r"(?<![\w-])([^\W\d_]+)-([^\W\d_]+)(?![\w-])")


def _hyphens_as_spaces(value: str) -> str:
    """The place with each hyphen between two words that the unit it names writes with a space between
    them written so ("huyện Lục-Nam" → "huyện Lục Nam", a typed register cell); a name the list itself
    writes with a hyphen ("Phan Rang-Tháp Chàm") and any other hyphen stay as written."""
    for joined in dict.fromkeys(m.group(0) for m in _HYPHENED.finditer(value)):
        spaced = joined.replace("-", " ")
        match = match_place(value.replace(joined, spaced))
        names = (match.commune, match.district, match.province) if match else ()
        if any(name and spaced in name for name in names):
            value = value.replace(joined, spaced)
    return value


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
    value = _MARK_AFTER_HAMLET.sub(r"\1 ", value)  # "tổ. 12": a speck between the word and its number
    value = _COMMA_AFTER_HAMLET.sub(r"\1, ", value)  # "xóm 7 phường Kim Mã": the comma lost
    value = _hyphens_as_spaces(value)
    parts = _units_cased_alike([_local_word_lowered(part) for part in _recased(value).split(", ")])
    value, misread = reopened(", ".join(parts))
    problems = [
        HAMLET_MISREAD.format(m.group(1)) for m in _HAMLET.finditer(value) if _misread_hamlet(m.group(1))
    ]
    problems += [FACILITY_MISREAD.format(f) for f in _facility_misread(value)]
    problems += [RUNS_ON] if fv.raw_text.rstrip().endswith((",", ";")) else []
    value, lost = _words_lost(value)
    problems += lost
    match = _own_or_within(value, above)
    problems += [
        MISREAD_OPENER.format(word) for word, opener in misread if not _marks_only(word, opener, match)
    ]
    if match is None:
        problems += _unmatched(value)
    else:
        problems += [*match.damaged, *_unit_word_lost(value, match)]
        misspelled = [
            *match.misspelled,
            *(n for n in _spelled_otherwise(value, match) if n not in match.misspelled),
        ]
        if misspelled:  # offered spelled officially, as a misread surname is; reviewed all the same
            problems.append(MISSPELLED_UNIT.format(", ".join(misspelled)))
            value = respelled(value, misspelled)
    fv = replace(fv, value=value, unit=match.unit() if match else fv.unit)
    return needs_review(fv, "; ".join(problems), config) if problems else fv


#: A place with no name (a capital) or number in it, that is no "tại nhà riêng": the end of a label read as
#: its value ("Nơi thường trú của chồng: …" gave the husband's residence "của", accepted).
NO_NAME = "names no place: no name or number in it"


def _unmatched(value: str) -> list[str]:
    """A place no unit list holds: free text when it is a place abroad or a facility, but not an address
    whose province is lost, nor a place with no name, number or "tại" in it."""
    if _UNIT_WORD.search(value):
        return [NO_PROVINCE]
    named = any(ch.isupper() or ch.isdigit() for ch in value) or value.lower().startswith("tại ")
    return [] if named else [NO_NAME]


#: A commune's or district's name standing without its unit word between parts that have theirs.
UNIT_WORD_LOST = "'{}' stands without its unit's word: the word before it was lost"


def _unit_word_lost(value: str, match: PlaceMatch) -> list[str]:
    """A part between two that name their units that is the commune's or district's name without its
    word ("phường Hòa Khánh Bắc, Liên Chiểu, thành phố Đà Nẵng": a hand's "quận" lost at a cell's line
    start; the parser forgives it). A province written without its word stays ("…, Hà Nội")."""
    parts = value.split(", ")
    names = {bare(_unit_name(u)) for u in (match.commune, match.district) if u}
    return [
        UNIT_WORD_LOST.format(part)
        for i, part in enumerate(parts[1:-1], 1)
        if bare(part) in names and _UNIT_WORD.search(parts[i - 1]) and _unit_opening(parts[i + 1])
    ]


def _spelled_otherwise(value: str, match: PlaceMatch) -> list[str]:
    """Official names of the units found that the place also writes with other marks: the matcher found the
    commune by one of two writings and passed the other ("Trạm Y tế xã Cầm Vũ, xã Cẩm Vũ, …", a hand's
    tone misread in the facility's name, accepted)."""
    words = [w.strip(",.;:") for w in value.split(" ")]
    names = []
    for unit in (match.commune, match.district, match.province):
        name = _unit_name(unit or "")
        wanted, keys = [bare(w) for w in name.split()], [syllable_key(w) for w in name.split()]
        windows = (words[i : i + len(wanted)] for i in range(len(words) - len(wanted) + 1))
        if wanted and any(
            [bare(w) for w in c] == wanted and [syllable_key(w) for w in c] != keys for c in windows
        ):
            names.append(name)
    return names


def _unit_name(unit: str) -> str:
    """ "Xã Cẩm Vũ" → "Cẩm Vũ": the name without its unit word."""
    opener = _unit_opening(unit)
    return unit[len(opener) + 1 :] if opener else unit


def _own_or_within(place: str, above: str) -> PlaceMatch | None:
    """The units the place names by itself; else those it names within `above`. The parser forgives so
    much that a commune named alone may match something else: "Trạm Y tế phường Hòa Khánh Bắc" gave a
    district of Quảng Trị, no commune, and the facility's words as a garbled unit name. Such a match
    gives way to the commune found within the office's own units."""
    own = match_place(place)
    if own is not None and (own.commune or not own.damaged):
        return own
    return _found_within(place, above) or own


def _found_within(place: str, above: str) -> PlaceMatch | None:
    """The commune a place names, found in the units above the office's own when the place names no
    province and those units hold it, written as it is there; else None."""
    unit = _UNIT_WORD.search(place)
    if not above or not unit or not _known_before(place[: unit.start()]):
        return None
    match = match_place(f"{place}, {above}")
    if match is None or match.commune is None or match.damaged or match.misspelled:
        return None
    return match


def _known_before(words: str) -> bool:
    """What may stand before the commune a place names by itself: nothing, or a facility's words spelled
    as they are written: "Trạm V tế phường Kim Mã" (a hand's Y read V) named a real commune under the
    record's district and was accepted, its facility unchecked."""
    written = [syllable_key(w) for w in words.strip(" ,").split()]
    return not written or any(written == [syllable_key(w) for w in f.split()] for f in FACILITIES)


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
#: "Tại" (at) opens a place of birth or death ("Tại nhà riêng"); "Tai" or "Tợi" opens none: its dot was
#: lost or its vowel misread, and no unit list checks such a place (a typed death book accepted "Tai nhà
#: riêng" three times).
AT_MISREAD = "'{}' opens the place: 'Tại' misread"


def _at_misread(value: str) -> bool:
    """The place opens with "Tại" misread: its mark lost ("Tai nhà riêng") or its vowel read other ("Tợi
    nhà riêng", a hand, "Iại nhà riêng", a thin face's T read I): t or a look-alike, a vowel, i, before a
    word in small letters (not "Tây Ninh", not "thị trấn", not "Lai Châu")."""
    first, _, rest = value.partition(" ")
    if first.lower() == "tại" or not rest or (rest[:1].isupper() and not value.isupper()):
        return False
    return re.fullmatch("[til1][aeiouy]i", fold(first)) is not None


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
#: A dot or colon a speck left after a hamlet's word, before its number ("tổ. 12" for "tổ 12": accepted as
#: read, the number read twice and the units matched, the mark unchecked).
_MARK_AFTER_HAMLET = re.compile(rf"\b({_HAMLETS})[.:]\s+(?=\d)", re.IGNORECASE)
#: A hamlet's word and its number or name followed by a unit's word without the comma between ("xóm 7
#: phường Kim Mã", a typewriter face's comma lost; held-out 13100000, accepted without it; "thôn Đông Hải
#: xã Hải Minh"). A facility's unit ("Trạm Y tế xã Hải Minh") follows no hamlet's word. A comma lost
#: between two units leaves a part no unit is named as, which goes to review.
_COMMA_AFTER_HAMLET = re.compile(
    rf"\b((?:{_HAMLETS})\s+[^\s,][^,]*?)\s+(?=(?:{'|'.join(UNIT_WORDS)})\b)", re.IGNORECASE
)
#: A letter before a hamlet's figures ("xóm G6" for "xóm 6", a speck read as a letter and accepted, the
#: figures read twice alike); a letter after them ("xóm 6A") is a hamlet's own.
_LETTER_BEFORE_FIGURES = re.compile(r"[^\W\d_]+\d")


def _misread_hamlet(word: str) -> bool:
    """A hamlet's number or name read with a small letter first, or with a letter before its figures."""
    return word[0].islower() or _LETTER_BEFORE_FIGURES.match(word) is not None


FACILITY_MISREAD = "'{}' is no facility's name as written: a word of it was lost or misread"


def _facility_misread(value: str) -> list[str]:
    """The words before the place's first unit word when they open as a facility does but are not that
    facility as written ("Trạm tế xã Cẩm Vũ" for "Trạm Y tế": the Y lost; the communes matched, the words
    before them unchecked, accepted)."""
    unit = _UNIT_WORD.search(value.split(", ")[0])
    before = value[: unit.start()].split() if unit else []
    for facility in (f.split() for f in FACILITIES):
        if before and syllable_key(before[0]) == syllable_key(facility[0]):
            head = [syllable_key(w) for w in before[: len(facility)]]
            if head != [syllable_key(w) for w in facility]:
                return [" ".join(before)]
    return []


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
    nhận dân") is checked by no place list, so anything else goes to review; a wording read with other
    marks only ("Ủy bạn nhân dân", FreeMono) is offered as it is written."""
    if not fv.value or fv.status is not FieldStatus.ACCEPTED:
        return fv
    value = unicodedata.normalize("NFC", fv.value)
    unit = _UNIT_WORD.search(value)
    organ = value[: unit.start() if unit else len(value)].strip(" ,.").casefold()
    if not organ or organ in _ORGANS_FOLDED or organ.startswith(_MISSIONS_FOLDED):
        return fv
    reason = f"the office is named '{organ}', not in a known wording: check it"
    wording = next((o for o in ORGANS if bare(o) == bare(organ)), None)
    if wording and unit:  # "Ủy bạn nhân dân": its marks misread; offered as written, reviewed
        fv = replace(fv, value=f"{wording} {value[unit.start() :]}")
    return needs_review(fv, reason, config)


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
