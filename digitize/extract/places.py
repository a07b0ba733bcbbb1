"""Places matched to administrative units, old (63 provinces, districts, communes) and current (34 provinces).

The text stays as written; the match is added beside it (`FieldValue.unit`). The unit list comes from the
maintained `vietnamadminunits` library, never from hand-made tables. Its parser is forgiving: it finds
"Xã Cẩm Vũ" in "xã Cãm Vũ". That forgiveness is what catches OCR errors here: when the text names a unit
whose official spelling it does not contain (same letters without diacritics, different tone or vowel
marks), the value is misread or misspelled and must be reviewed, never accepted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from digitize.extract.text import tone_marks, toneless


@dataclass(frozen=True)
class PlaceMatch:
    commune: str | None
    district: str | None
    province: str | None
    commune_code: str | None
    current_province: str | None
    current_commune: str | None
    misspelled: tuple[str, ...]  # official names the text writes with other diacritics
    damaged: tuple[str, ...] = ()  # parts of the text that cannot be a unit: a lost name, a cut-off end
    province_code: str | None = None  # the old province's code, as in the first digits of personal IDs
    #: A current province's code and those of the old provinces merged into it: a person's ID may carry
    #: any of them (issued before or after July 2025). Empty for an old address.
    province_codes: tuple[str, ...] = ()

    def unit(self) -> tuple[tuple[str, str], ...]:
        pairs = {
            "commune": self.commune,
            "district": self.district,
            "province": self.province,
            "commune_code": self.commune_code,
            "province_code": self.province_code,
            "province_codes": " ".join(self.province_codes),
            "current_province": self.current_province,
            "current_commune": self.current_commune,
        }
        return tuple((k, v) for k, v in pairs.items() if v)


def syllable_key(word: str) -> tuple[str, str]:
    """(letters with vowel marks, tone) of a syllable: 'Hoà' and 'Hòa' are equal, 'Tần' and 'Tân' are not."""
    return toneless(word), tone_marks(word)


def bare(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    cleaned = "".join(ch if ch.isalnum() else " " for ch in text)
    return cleaned.split()


def _contains(haystack: list[str], needle: list[str], key: object) -> bool:
    keyed = [key(w) for w in haystack]  # type: ignore[operator]
    target = [key(w) for w in needle]  # type: ignore[operator]
    n = len(target)
    return any(keyed[i : i + n] == target for i in range(len(keyed) - n + 1)) if n else False


def spelling_problems(text: str, official_names: list[str]) -> tuple[str, ...]:
    """Official names the text contains without diacritics but not with the right ones."""
    words = _words(text)
    wrong = []
    for name in official_names:
        parts = _words(name)
        if _contains(words, parts, bare) and not _contains(words, parts, syllable_key):
            wrong.append(name)
    return tuple(wrong)


@lru_cache(maxsize=8192)
def match_place(text: str) -> PlaceMatch | None:
    """The administrative units a place text names, or None when no province is recognised: the units
    before 1 July 2025 (commune, district, province) when the text names an old commune, else the current
    ones (commune and province, no district) when it names both of those as written."""
    from vietnamadminunits import ParseMode, convert_address, parse_address

    try:
        old = parse_address(text, mode=ParseMode.LEGACY, level=3)
    except Exception:  # the parser gives up on some texts (foreign places, hospitals without a unit)
        old = None
    if old is None or not old.ward:
        current = current_match(text)
        if current is not None:
            return current
    if old is None or not old.province:
        return None
    current_province = current_commune = None
    try:
        current = convert_address(text)
        current_province, current_commune = current.province, current.ward
    except Exception:
        pass
    names = [_unqualified(n) for n in (old.short_ward, old.short_district, old.short_province) if n]
    unread = unread_communes(text, old.short_district) if old.short_district and not old.ward else ()
    return PlaceMatch(
        old.ward,
        old.district,
        old.province,
        old.ward_code,
        current_province,
        current_commune,
        spelling_problems(text, names),
        structure_problems(text, names) + unread,
        old.province_code.zfill(3) if old.province_code else None,
    )


def _unqualified(short_name: str) -> str:
    """A unit's short name without the kind the library adds where two units share it ("Cao Lãnh (Huyện)"
    beside the city of Cao Lãnh, "Thạnh An (Xã)"): papers write the name alone after its unit word."""
    return re.sub(r"\s*\([^)]*\)$", "", short_name)


def current_match(text: str) -> PlaceMatch | None:
    """The current units a text names ("xã Bảo Đài, tỉnh Bắc Ninh"): only when it writes no district and
    holds both the commune's and the province's names (the parser otherwise guesses a commune)."""
    from vietnamadminunits import ParseMode, parse_address

    if any(w in bare(text).split() for w in ("huyen", "quan")):
        return None
    try:
        new = parse_address(text, mode=ParseMode.FROM_2025, level=2)
    except Exception:
        return None
    names = [_unqualified(n) for n in (new.short_ward, new.short_province) if n]
    written = f" {_bare_words(' '.join(_words(text)))} "
    if len(names) < 2 or not all(f" {_bare_words(n)} " in written for n in names):
        return None
    codes = merged_province_codes(new.province_code)
    return PlaceMatch(
        None,
        None,
        None,
        None,
        new.province,
        new.ward,
        spelling_problems(text, names),
        structure_problems(text, names),
        new.province_code.zfill(3),
        codes,
    )


@lru_cache(maxsize=64)
def merged_province_codes(code: str) -> tuple[str, ...]:
    """The codes of the old provinces whose communes make up a current province (its own among them)."""
    from vietnamadminunits.database import query

    rows = query(
        "SELECT DISTINCT l.provinceCode AS code FROM admin_units n JOIN admin_units_legacy l"
        f" ON n.wardCode = l.wardCode WHERE n.provinceCode = '{int(code):02d}'"
    )
    return tuple(sorted({str(r["code"]).zfill(3) for r in rows} | {code.zfill(3)}))


#: Words that introduce an administrative unit, longest first; and those that introduce a hamlet or street.
UNIT_WORDS = ("thành phố", "thị trấn", "thị xã", "phường", "xã", "huyện", "quận", "tỉnh")
LOCAL_WORDS = ("tổ dân phố", "khu phố", "xóm", "thôn", "ấp", "bản", "tổ", "số")


#: Unit words as clerks abbreviate them ("TP. Hà Nội", "Q. Ba Đình", "X. Cẩm Vũ"): two letters with or
#: without their dot, one letter only with it.
ABBREVIATIONS = {"tp": "thành phố", "tx": "thị xã", "tt": "thị trấn"} | {
    f"{letter}.": word
    for letter, word in (("p", "phường"), ("q", "quận"), ("h", "huyện"), ("x", "xã"), ("t", "tỉnh"))
}


def expanded(segment: str) -> str:
    """A part of a place with an abbreviated unit word written out ("TP. Hà Nội" → "thành phố Hà Nội")."""
    head, _, rest = segment.strip().partition(" ")
    key = head.lower()
    if len(key.rstrip(".")) == 2:
        key = key.rstrip(".")  # "TP" and "TP." alike
    word = ABBREVIATIONS.get(key)
    return f"{word} {rest}" if word and rest else segment


def unread_communes(text: str, district: str) -> tuple[str, ...]:
    """Parts before the district that open with no hamlet's word, where the parser found no commune: a
    commune misread past finding ("x Tân Hòg" for "xã Tân Hòa", an italic face), which the district and
    province found after it would otherwise let pass."""
    segments = [expanded(seg).strip() for seg in text.split(",")]
    bare_district = _bare_words(district)
    before = []
    for segment in segments:
        if f" {bare_district} " in f" {_bare_words(segment)} ":
            break
        before.append(segment)
    else:
        return ()
    return tuple(
        f"'{segment}' names no commune of {district}"
        for segment in before
        if any(ch.isalpha() for ch in segment) and not _opens_locally(segment)
    )


def _opens_locally(segment: str) -> bool:
    lowered = f"{unicodedata.normalize('NFC', segment).lower()} "
    return lowered.startswith(tuple(f"{word} " for word in LOCAL_WORDS))


def structure_problems(text: str, names: list[str]) -> tuple[str, ...]:
    """A unit word with no name after it ("xóm xã Bảo Đài"), or a last part that is no unit's name
    ("…, quận Liên Chiểu, thài" where "thành phố Đà Nẵng" was cut off). Abbreviated unit words count as
    written out."""
    text = ", ".join(expanded(part) for part in text.split(","))
    problems = []
    words = [w.lower() for w in _words(text)]
    starts = {tuple(u.split()) for u in (*UNIT_WORDS, *LOCAL_WORDS)}
    units = {tuple(u.split()) for u in UNIT_WORDS}
    # a unit's word opens a part, or stands in small letters: in capitals it is a name's ("huyện Vụ Bản",
    # "xã Thượng Quận", "xã Phước Tỉnh")
    openings = {0} | {len(_words(text[: m.start()])) for m in re.finditer(",", text)}
    opening = [i in openings or w.islower() for i, w in enumerate(_words(text))]
    for i in range(len(words)):
        for start in starts:
            end = i + len(start)
            if opening[i] and tuple(words[i:end]) == start and _unit_at(words, end, units):
                problems.append(f"no name after '{' '.join(start)}'")
    segments = [seg.strip() for seg in text.split(",") if seg.strip()]
    problems += [f"'{head}' is not how a unit's word is written" for head in misspelled_openers(segments)]
    if len(segments) >= 2 and not _is_unit_name(segments[-1], names):
        problems.append(f"the last part '{segments[-1]}' is not the name of a unit")
    problems += [
        f"'{unit}' is not written as the name of a unit here"
        for unit in map(_from_unit_word, segments)
        if _garbled(unit, names)
    ]
    return tuple(dict.fromkeys(problems))


def _unit_at(words: list[str], index: int, units: set[tuple[str, ...]]) -> bool:
    return any(tuple(words[index : index + len(u)]) == u for u in units)


def _from_unit_word(segment: str) -> str:
    """A part of a place from its first unit word: what an office or a facility is named after ("Ủy ban
    nhân dân phường Hòa Khánh Bắc", "Trạm Y tế xã Cẩm Vũ") is a unit's name like any other part."""
    lowered = f" {unicodedata.normalize('NFC', segment).lower()} "
    starts = [lowered.find(f" {u} ") for u in UNIT_WORDS if f" {u} " in lowered]
    return segment[min(starts) :].strip() if starts else segment


#: What opens a part of a place, as it is spelled. A misread one ("huyên", "quân", "Tram Y tế") is no unit
#: word to the parser, which then checks nothing of it: the text as written is wrong all the same.
#: A facility's words before the unit it stands in ("Trạm Y tế xã Cẩm Vũ"), as they are written.
FACILITIES = ("trạm y tế", "bệnh viện", "nhà hộ sinh", "trung tâm y tế")
OPENERS = (*UNIT_WORDS, "xóm", "thôn", *FACILITIES)


#: The openers of three letters or more, bare, that a misread letter is measured against.
_LONG_OPENERS = tuple((o, bare(o)) for o in OPENERS if len(bare(o).replace(" ", "")) >= 3)


def misspelled_openers(segments: list[str]) -> list[str]:
    """The first words of each part that are an opener's letters with other marks, or an opener with one
    letter misread before a number ("xém 3") or, for two words, before anything ("thành phế Hà Nội")."""
    found = []
    for segment in segments:
        words = _words(segment)
        size, _ = _misread_opener(words)
        if size:
            found.append(" ".join(words[:size]))
    return found


def _misread_opener(words: list[str]) -> tuple[int, str]:
    """(how many words, the opener they can only be) when the part's first words are a misread opener,
    else (0, "")."""
    for opener in OPENERS:
        parts = opener.split()
        head = words[: len(parts)]
        if [bare(w) for w in head] == [bare(p) for p in parts]:
            same = [syllable_key(w) for w in head] == [syllable_key(p) for p in parts]
            return (0, "") if same else (len(parts), opener)
    for size in (2, 1):
        rest = words[size:]
        if rest and (size == 2 or rest[0].isdigit() or rest[0][:1].isupper()):
            near = _one_letter_off(words[:size])
            # one word before a name: only a unit word of four letters or more ("huuện Vũ Thư"), or two
            # letters off one of five or more ("huuộn Hải Hậu", a black-ink hand, accepted)
            if near and (size == 2 or rest[0].isdigit() or (near in UNIT_WORDS and len(bare(near)) >= 4)):
                return size, near
            far = _one_letter_off(words[:size], most=2) if size == 1 and rest[0][:1].isupper() else None
            if far in UNIT_WORDS and len(bare(far)) >= 5:
                return size, far
    return 0, ""


def _one_letter_off(words: list[str], most: int = 1) -> str | None:
    """The only opener of three letters or more, of as many words, that the words are with one letter
    (up to `most`) other, or with its last letter cut off at a cell's edge ("quậ Liên Chiểu"), bare
    letters: "huy n" is no misread "huyện"."""
    letters = bare(" ".join(words))
    found = [
        o
        for o, b in _LONG_OPENERS
        if len(o.split()) == len(words)
        and (
            (len(b) == len(letters) and 1 <= sum(x != y for x, y in zip(b, letters, strict=True)) <= most)
            or (len(b) == len(letters) + 1 and b.startswith(letters))
        )
    ]
    return found[0] if len(found) == 1 else None


def reopened(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The place with each part's misread opening words written as the opener they can only be ("huyên"
    → "huyện", "xém 3" → "xóm 3", "thành phế" → "thành phố"), and each (the words as read, the opener).
    Unit words are a closed list, so the paper said the opener; what misread them may have misread the
    number or name beside them (`validate.check_place` decides when that matters)."""
    parts, read = text.split(", "), []
    for i, part in enumerate(parts):
        words = part.split(" ")
        size, opener = _misread_opener(_words(part))
        if size and [bare(w) for w in words[:size]] == [bare(w) for w in _words(part)[:size]]:
            read.append((" ".join(words[:size]), opener))
            pairs = zip(opener.split(), words[:size], strict=True)
            taken = [w[0].upper() + w[1:] if read_as[:1].isupper() else w for w, read_as in pairs]
            parts[i] = " ".join([*taken, *words[size:]])
    return ", ".join(parts), tuple(read)


def _garbled(segment: str, names: list[str]) -> bool:
    """A part that starts with a unit word but whose name, as written, is none of the matched units' names.

    The parser forgives stray marks and lost letters ("huyện Hải. Hậu", "quận-Ba Đình", "huyện I-ục Nam")
    and still finds the unit; the text itself is then wrong and must not be accepted as written. Names
    written with other diacritics are reported by `spelling_problems`, so letters are compared bare.
    """
    segment = unicodedata.normalize("NFC", segment)
    unit = next((u for u in UNIT_WORDS if segment.lower().startswith(u)), None)
    if unit is None:
        return False
    name = segment[len(unit) :]
    if not name.startswith(" "):
        return True  # "quận-Ba Đình": the unit word is not followed by a space
    written = {_bare_words(name), _bare_words(segment)}  # numbered units keep their word: "Phường 5"
    return not any(_bare_words(n) in written for n in names)


def _bare_words(text: str) -> str:
    return " ".join(bare(w) for w in text.split())


def _is_unit_name(segment: str, names: list[str]) -> bool:
    words = _words(segment)
    lowered = " ".join(w.lower() for w in words)
    for unit in UNIT_WORDS:
        if lowered.startswith(unit + " "):
            words = words[len(unit.split()) :]
            break
    keys = [syllable_key(w) for w in words]
    return any(keys == [syllable_key(w) for w in _words(name)] for name in names)


@lru_cache(maxsize=1)
def unit_names() -> tuple[tuple[str, str], ...]:
    """(full name, search key) of every commune with its province (current units) and with its district
    and province (the units before 1 July 2025, which old registers name), and of every province."""
    from vietnamadminunits.database import get_data

    current = get_data(fields=["ward", "province"], table="admin_units")
    legacy = get_data(fields=["ward", "district", "province"], table="admin_units_legacy")
    names = {r["province"] for r in current + legacy}
    names |= {f"{r['ward']}, {r['province']}" for r in current}
    names |= {f"{r['ward']}, {r['district']}, {r['province']}" for r in legacy}
    return tuple((n, " " + " ".join(bare(w) for w in _words(n))) for n in sorted(names))


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """Every word, in small letters, of the units' names and of the words places are written with."""
    texts = [n for n, _ in unit_names()] + [*UNIT_WORDS, *LOCAL_WORDS, *FACILITIES]
    return frozenset(w.lower() for t in texts for w in _words(unicodedata.normalize("NFC", t)))


def complete_place(text: str, limit: int = 12) -> list[str]:
    """Units whose name has the typed words at a word's start, accents and case aside: "cam vu" finds
    "Xã Cẩm Vũ, Huyện Cẩm Giàng, Tỉnh Hải Dương"; shortest names (provinces, then communes) first."""
    key = " " + " ".join(bare(w) for w in _words(text))
    if len(key) < 3:
        return []
    return sorted((n for n, k in unit_names() if key in k), key=lambda n: (len(n), n))[:limit]


def respelled(text: str, official_names: list[str]) -> str:
    """The text with each unit name it misspells written as officially spelled: "xã Cãm Vũ, huyện Cẩm
    Giàng" with "Cẩm Vũ" → "xã Cẩm Vũ, huyện Cẩm Giàng" (the same letters without marks, other marks)."""
    words = text.split(" ")
    for name in official_names:
        wanted = [bare(w) for w in name.split()]
        for start in range(len(words) - len(wanted) + 1):
            window = words[start : start + len(wanted)]
            core = [w.strip(",.;:") for w in window]
            if [bare(w) for w in core] == wanted and core != name.split():
                tail = window[-1][len(core[-1]) :]
                words[start : start + len(wanted)] = [*name.split()[:-1], name.split()[-1] + tail]
    return " ".join(words)
