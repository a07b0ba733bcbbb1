"""Labels on an OCR line, found as a person finds them: the vocabulary types (`Label`, `FormSpec`) and the
matching (`labelled_values`, `value_regions`).

Each visual line becomes compact folded characters (no diacritics, spaces or punctuation) mapped back to its
words; every wording of every label is looked for with rapidfuzz alignment, across merged and split words.
A match counts only where a reader sees a label: at the start of a line, before a colon, after punctuation,
a clear gap or a number; never across a colon, never as a fuzzy match that changes the first letter, never in
a heading in capitals. Words between a known wording and its colon are an unknown tail, which lowers the
label's quality so that its value goes to review.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from statistics import median

from rapidfuzz import fuzz

from digitize.extract.normalize import NORMALIZERS
from digitize.extract.text import fold, tone_marks, toneless
from digitize.model import Box, OcrWord

ANY = "*"
#: Labels of this many compact characters or fewer must stand where a label stands (line start, colon).
SHORT = 4
#: Labels shorter than this match only letter for letter ("quyen" must not be found in "nguyen").
FUZZY_FROM = 8
#: A gap before a mid-line label, against the line's median word gap, that makes it stand apart.
GAP_FACTOR = 1.8


def compact(text: str) -> str:
    """Folded letters and digits only: "Họ, chữ đệm, tên:" → "hochudemten"."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


@dataclass(frozen=True)
class Label:
    wordings: tuple[str, ...] | str  # as printed in every version, and the synonyms clerks write
    fields: dict[str, str]  # section → field name; ANY matches every section; empty = delimiter only
    kind: str = "text"  # normalizer name
    opens: str | None = None  # section this label starts
    only_in: tuple[str, ...] = ()  # sections where the label is looked for at all (empty: everywhere)

    @cached_property
    def compact(self) -> tuple[str, ...]:
        texts = (self.wordings,) if isinstance(self.wordings, str) else self.wordings
        return tuple(dict.fromkeys(compact(t) for t in texts))

    @cached_property
    def shapes(self) -> dict[str, tuple[str, ...]]:
        """Each compact wording's letters with their vowel marks, tone marks left out ("Vợ" → "vơ")."""
        texts = (self.wordings,) if isinstance(self.wordings, str) else self.wordings
        shapes: dict[str, tuple[str, ...]] = {}
        for text in texts:
            shape = "".join(ch for ch in toneless(text) if ch.isalnum())
            shapes[compact(text)] = (*shapes.get(compact(text), ()), shape)
        return shapes

    @property
    def text(self) -> str:
        return self.wordings if isinstance(self.wordings, str) else self.wordings[0]

    def field_in(self, section: str) -> str | None:
        return self.fields.get(section) or self.fields.get(ANY)


@dataclass(frozen=True)
class FormSpec:
    kind: str  # record kind: birth, death, marriage
    start_section: str
    labels: tuple[Label, ...]
    #: Headings of value columns (wife, husband) → the section each column's values belong to.
    columns: tuple[tuple[str, str], ...] = ()

    def expected_fields(self) -> list[str]:
        names: list[str] = []
        for label in self.labels:
            names += [f for f in label.fields.values() if f not in names]
        return names


@dataclass(frozen=True)
class LineText:
    """A visual line as compact folded characters, each mapped back to (word, character in the word)."""

    words: Sequence[OcrWord]
    chars: str
    where: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, words: Sequence[OcrWord]) -> LineText:
        chars: list[str] = []
        where: list[tuple[int, int]] = []
        for wi, word in enumerate(words):
            for ci, ch in enumerate(unicodedata.normalize("NFC", word.text)):
                folded = fold(ch)
                if len(folded) == 1 and folded.isalnum():
                    chars.append(folded)
                    where.append((wi, ci))
        return cls(words, "".join(chars), tuple(where))

    def text_of(self, wi: int) -> str:
        return unicodedata.normalize("NFC", self.words[wi].text)


@dataclass(frozen=True)
class LabelHit:
    label: Label
    start: int  # compact character where the label starts
    end: int  # compact character after it
    quality: float  # 1.0 exact with a colon, lower when fuzzy or without one
    colon: bool = False
    x0: int = 0  # left edge of the label's first word on the page


def _edits(length: int) -> int:
    """Letters a fuzzy label match may get wrong: one in the first eight, one more per seven."""
    return (length - 1) // 7


def _min_score(length: int) -> float:
    """Indel similarity a fuzzy label match needs (`_edits` wrong letters)."""
    return 100.0 * (1 - _edits(length) / length) - 0.01


def occurrences(wording: str, chars: str) -> Iterator[tuple[int, int, float]]:
    if len(wording) < FUZZY_FROM:
        for match in re.finditer(re.escape(wording), chars):
            yield match.start(), match.end(), 100.0
        return
    offset, cutoff = 0, _min_score(len(wording))
    shortest = len(wording) - _edits(len(wording))
    while offset < len(chars) - SHORT:
        found = fuzz.partial_ratio_alignment(wording, chars[offset:], score_cutoff=cutoff)
        if found is None:
            return
        # a line shorter than the wording is aligned inside it and scores whole ("Nơi đăng ký" in "Nơi
        # đăng ký thường trú"): a match must hold the wording's letters, a lost one or two aside
        if found.dest_end - found.dest_start >= shortest:
            yield offset + found.dest_start, offset + found.dest_end, found.score
        offset += found.dest_end


def _labels_on(line: LineText, spec: FormSpec, section: str | None) -> list[LabelHit]:
    """Labels where a reader sees them on one line, left to right; overlapping readings resolved in
    favour of the longest label, then the best match."""
    gaps = _gaps(line.words)
    candidates = []
    for label in spec.labels:
        if label.only_in and section is not None and section not in label.only_in:
            continue
        for wording in label.compact:
            for start, end, score in occurrences(wording, line.chars):
                end, score = _to_word_end(line, wording, start, end, score)
                hit = _plausible(label, len(wording), line, _snap(line, start), end, score, gaps)
                if hit is not None and (len(wording) > SHORT or _a_short_label(spec, wording, line, hit)):
                    candidates.append(hit)
    candidates.sort(key=lambda h: (-(h.end - h.start), -h.quality, h.start))
    chosen: list[LabelHit] = []
    for hit in candidates:
        if all(hit.end <= c.start or hit.start >= c.end for c in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


#: Letters of a longer label's next word that, read after a short label without its colon, make the
#: line that longer label's.
NEXT_LETTERS = 3


def _a_short_label(spec: FormSpec, wording: str, line: LineText, hit: LabelHit) -> bool:
    """A short label is its printed letters (`_same_letters`), and, without its colon, not the first word
    of another field's longer label whose next word follows it: "Số định J50Ii c3 nhấn: 0013…" is the
    personal ID's label with two words garbled by a speck, not a registration number "Số" (which started
    a block register's next entry in the middle of this one, held-out seed 7100000)."""
    if not _same_letters(hit.label, wording, line, hit):
        return False
    head = line.chars[hit.start : hit.start + len(wording) + NEXT_LETTERS]
    if hit.colon or len(head) < len(wording) + NEXT_LETTERS:
        return True
    return not any(
        longer.startswith(head)
        for label in spec.labels
        if not _same_field(label, hit.label)  # "Chỗ ở hiện nay": the same field's label worded longer
        for longer in label.compact
    )


def _same_field(a: Label, b: Label) -> bool:
    """Labels of one field however they name whose it is ("Nơi ở" and "Nơi ở hiện tại của mẹ")."""
    return a.fields == b.fields or bool(set(a.fields.values()) & set(b.fields.values()))


def _to_word_end(line: LineText, wording: str, start: int, end: int, score: float) -> tuple[int, float]:
    """A fuzzy match that stops a letter or two short of its word's end ("Họ và tên chđ", the last letter
    misread) ends with the word when the whole word still matches: else it is taken for part of a longer
    word and a shorter label ("Họ và tên") wins."""
    if score >= 100 or end >= len(line.chars):
        return end, score
    word = line.where[end - 1][0]
    stop = end
    while stop < len(line.chars) and line.where[stop][0] == word:
        stop += 1
    if stop == end or stop - end > 2 or stop - start > len(wording):
        return end, score  # the word goes on past the label's length: a longer word, not a misread one
    whole = fuzz.ratio(wording, line.chars[start:stop])
    return (stop, whole) if whole >= _min_score(len(wording)) else (end, score)


def _same_letters(label: Label, wording: str, line: LineText, hit: LabelHit) -> bool:
    """A short label is the word printed, not a word spelt alike: each letter read with a mark has the
    label's vowel shape ("Võ", a surname, is not "Vợ"); a letter whose marks were all lost may be it."""
    read = [line.text_of(wi)[ci] for wi, ci in line.where[hit.start : hit.end]]
    for shape in label.shapes[wording]:
        if len(read) != len(shape):
            continue  # a letter more before it ("Avợ", the match moved to the word's start): another word
        if all(fold(ch) == ch.lower() or toneless(ch) == s for ch, s in zip(read, shape, strict=True)):
            return True
    return False


def _gaps(words: Sequence[OcrWord]) -> list[float]:
    """Horizontal gap before each word (0 for the first)."""
    return [0.0] + [max(0.0, float(b.box[0] - a.box[2])) for a, b in zip(words, words[1:], strict=False)]


def _starts_alike(label: Label, line: LineText, start: int) -> bool:
    """An inexact match must begin with the label's first letter."""
    return any(line.chars[start] == wording[0] for wording in label.compact)


def _in_capitals(line: LineText, start: int) -> bool:
    """The match opens a heading in capitals ("SỔ ĐĂNG KÝ KHAI SINH"): its words and the rest of the line."""
    first = line.where[start][0]
    letters = [ch for wi in range(first, len(line.words)) for ch in line.text_of(wi) if ch.isalpha()]
    return len(letters) > 3 and all(ch.isupper() for ch in letters)


def _snap(line: LineText, start: int) -> int:
    """A fuzzy match that begins one letter into a word begins at the word (an extra letter read)."""
    wi, ci = line.where[start]
    if start > 0 and line.where[start - 1][0] == wi and (start < 2 or line.where[start - 2][0] != wi):
        return start - 1
    return start


def _plausible(
    label: Label, length: int, line: LineText, start: int, end: int, score: float, gaps: list[float]
) -> LabelHit | None:
    wi, ci = line.where[start]
    first_text = line.text_of(wi)
    if start >= end:
        return None
    if score < 100 and not _starts_alike(label, line, start):
        return None
    last = line.where[end - 1][0]
    if score < 100 and _runs_into_a_name(line, wi, last):
        return None  # "Họ và tên Hoàng …" is one letter and one more from "Họ và tên chồng"
    inside = [first_text[ci:], *(line.text_of(k) for k in range(wi + 1, last))] if wi < last else []
    if any(":" in text for text in inside):
        return None  # runs over a colon: a label and the start of its value, not one label
    if any(ch.isalnum() for ch in first_text[:ci]):
        return None  # starts inside a word: part of another word
    last_wi, last_ci = line.where[end - 1]
    last_text = line.text_of(last_wi)
    rest = last_text[last_ci + 1 :]
    if rest and rest[0].isalnum() and not (rest[0].isupper() and last_text[last_ci].islower()):
        return None  # ends inside a word that goes on in lower case: part of a longer word
    colon = rest.startswith(":") or (
        not rest and last_wi + 1 < len(line.words) and line.text_of(last_wi + 1).startswith(":")
    )
    if not (colon or _stands_apart(line, wi, ci, gaps)):
        return None
    if not colon and _in_capitals(line, start):
        return None  # a title, not "Nơi đăng ký khai sinh" misread or "Số" without its colon
    if not colon and _name_in_capitals(line, wi, last):
        return None  # "Họ, chữ đệm, tên VÕ XUÂN ĐẠT": the surname Võ, not "Họ, chữ đệm, tên vợ"
    if length <= SHORT and not colon and not _short_label_place(line, wi, ci, gaps):
        return None  # "Số", "Vợ": before a colon, at the start of a line, after punctuation or a number
    if length <= SHORT and not colon and _other_tones(label, line, start, end):
        return None  # "Nghệ An" opening a wrapped place's next line: not "Nghề" (occupation)
    return LabelHit(label, start, end, score / 100 * (1.0 if colon else 0.95), colon, line.words[wi].box[0])


def _other_tones(label: Label, line: LineText, start: int, end: int) -> bool:
    """The letters read carry a tone other than the wording's they fold to, letter for letter (a tone
    lost is no contradiction, a tone of another word is)."""
    read = [tone_marks(line.text_of(line.where[k][0])[line.where[k][1]]) for k in range(start, end)]
    for text in (label.wordings,) if isinstance(label.wordings, str) else label.wordings:
        if compact(text) == line.chars[start:end]:
            printed = [
                tone_marks(ch)
                for ch in unicodedata.normalize("NFC", text)
                if len(fold(ch)) == 1 and fold(ch).isalnum()
            ]
            return any(r and p != r for r, p in zip(read, printed, strict=False))
    return False


def _runs_into_a_name(line: LineText, first: int, last: int) -> bool:
    """An inexact match whose later words are capitalised on a line not in capitals: a label's words after
    the first are printed in lower case, so those are the value's (a name), not a misread label."""
    later = [line.text_of(k) for k in range(first + 1, last + 1)]
    return any(w[:1].isupper() for w in later) and not _in_capitals(line, 0)


def _name_in_capitals(line: LineText, first: int, last: int) -> bool:
    """A match without a colon whose later words hold one in capitals, on a line not in capitals: a
    label's words after the first are printed in lower case, so that word is the value's, a name (its
    letters folded, "VÕ" is "vợ"; held-out seed 8700000 gave a husband's details to the wife so)."""
    later = [line.text_of(k) for k in range(first + 1, last + 1)]
    capitals = any(sum(ch.isalpha() for ch in w) >= 2 and w.isupper() and _syllable(w) for w in later)
    return capitals and not _in_capitals(line, 0)


def _syllable(word: str) -> bool:
    """A word with a vowel: a name's syllable, not an abbreviation a label prints ("ĐKKS", "CMND")."""
    return any(fold(ch) in "aeiouy" for ch in word.lower())


def _at_line_start(line: LineText, wi: int, ci: int) -> bool:
    return wi == 0 or not any(
        ch.isalnum() for w in range(wi) for ch in line.text_of(w)
    )  # nothing but marks (bullets, dashes) before it


def _after_mark(line: LineText, wi: int) -> bool:
    before = line.text_of(wi - 1).rstrip() if wi else ""
    return bool(before) and before[-1] in ".,;:)…|"  # "|": a ruled grid's line between cells


def _short_label_place(line: LineText, wi: int, ci: int, gaps: list[float]) -> bool:
    return (
        _at_line_start(line, wi, ci)
        or _after_mark(line, wi)
        or _after_number(line, wi, gaps)
        or _after_a_year(line, wi)
    )


def _after_a_year(line: LineText, wi: int) -> bool:
    """Right after a year, the end of a date: "Sinh ngày 05 tháng 3 năm 1987 tại Trạm Y tế …", the
    sentences of the forms of before 2005, where the place follows the date without a mark or a gap."""
    return wi > 0 and re.search(r"(?<!\d)(1[89]|20)\d\d$", line.text_of(wi - 1)) is not None


def _after_number(line: LineText, wi: int, gaps: list[float]) -> bool:
    """A short label well apart from a number before it: the second field of a line ("Số 217   Sổ số
    03/2014"), not a word inside a value."""
    height = max(1, line.words[wi].box[3] - line.words[wi].box[1])
    return wi > 0 and any(ch.isdigit() for ch in line.text_of(wi - 1)) and gaps[wi] >= 1.5 * height


def _stands_apart(line: LineText, wi: int, ci: int, gaps: list[float]) -> bool:
    """A label without a colon: first on its line, after punctuation or a year, or after a clearly wide
    gap."""
    if _at_line_start(line, wi, ci) or _after_mark(line, wi) or _after_a_year(line, wi):
        return True
    others = [g for g in gaps[1:] if g > 0]
    height = max(1, line.words[wi].box[3] - line.words[wi].box[1])
    typical = median(others) if others else height / 3
    return gaps[wi] >= max(GAP_FACTOR * typical, 0.8 * height)


#: What stands before a word's first letter that specks, leaders and quotes give; anything else there
#: ("?", "*", "#") is a letter or figure misread, and stays with the value when the value opens the word.
SPECK_MARKS = frozenset(" '‘’`´.,:;-–_|\"“”·()[]")


def slice_words(line: LineText, start: int, end: int) -> list[OcrWord]:
    """The words between two compact positions, the first and last cut where a label begins or ends."""
    if start >= end:
        return []
    first_wi, first_ci = line.where[start]
    last_wi, last_ci = line.where[end - 1]
    first_ci = 0 if _misread_before(line, start) else first_ci
    out: list[OcrWord] = []
    for wi in range(first_wi, last_wi + 1):
        text = line.text_of(wi)
        lo = first_ci if wi == first_wi else 0
        hi = last_ci + 1 if wi == last_wi else len(text)
        if wi == last_wi and hi < len(text) and not any(ch.isalnum() for ch in text[hi:]):
            hi = len(text)  # keep trailing punctuation with its word
        out.append(_part(line.words[wi], text, lo, hi))
    return out


def _misread_before(line: LineText, start: int) -> bool:
    """The value opens its word after something no speck gives: "?1" after "Số", a hand's 7 misread,
    is the value's, not to be cut off it."""
    wi, ci = line.where[start]
    opens = start == 0 or line.where[start - 1][0] != wi
    return opens and any(ch not in SPECK_MARKS for ch in line.text_of(wi)[:ci])


def _part(word: OcrWord, text: str, lo: int, hi: int) -> OcrWord:
    if lo == 0 and hi >= len(text):
        return word
    x0, y0, x1, y1 = word.box
    width = (x1 - x0) / max(1, len(text))
    box = (round(x0 + lo * width), y0, round(x0 + hi * width), y1)
    return replace(word, text=text[lo:hi], box=box)


def labelled_values(
    words: Sequence[OcrWord], spec: FormSpec, section: str | None = None
) -> list[tuple[LabelHit, list[OcrWord]]]:
    """Each label on a line with the words after it, up to the next label."""
    line = LineText.of(words)
    hits = _labels_on(line, spec, section)
    if not hits:
        return []
    ends = [h.start for h in hits[1:]] + [len(line.chars)]
    pairs = []
    for hit, end in zip(hits, ends, strict=True):
        hit, words_after = _to_colon(hit, slice_words(line, hit.end, end))
        pairs.append((hit, value_words(words_after)))
    return pairs


#: Words an address opens with (a unit or a local division, a number, a name in capitals, an office).
ADDRESS_OPENERS = frozenset(
    (
        *("thành", "thị", "xã", "phường", "huyện", "quận", "tỉnh", "tổ", "khu", "xóm", "thôn", "ấp", "bản"),
        *("số", "ngõ", "ngách", "đường", "ủy", "uỷ", "trạm", "bệnh", "nhà", "tại"),
    )
)


def _label_word(text: str) -> bool:
    """A lower-case word that cannot open a place: the tail of a label printed without its colon."""
    word = text.strip(",.;:").lower()
    return bool(word) and text[:1].islower() and word.isalpha() and word not in ADDRESS_OPENERS


#: How many words a printed label may run on past the wording that was recognised, up to its colon.
LABEL_TAIL_WORDS = 3
#: A label known only by its beginning ("Nơi cư trú hiện nay:", "Nơi đăng ký thường trú:") may mean
#: something else than the wording it starts with: its values are never accepted without a person.
UNKNOWN_TAIL_QUALITY = 0.6


def _to_colon(hit: LabelHit, after: list[OcrWord]) -> tuple[LabelHit, list[OcrWord]]:
    """A label ends at its colon: words between the recognised wording and a colon within the next few
    words belong to the label (a wording this reader does not know), not to the value. Without a colon, a
    place that starts with lower-case words that open no address ("hiện nay xóm 3, …", "thường trú
    xóm 7, …") has those words as the rest of its label."""
    if hit.colon:
        return hit, after
    for k, word in enumerate(after[:LABEL_TAIL_WORDS]):
        text = word.text.rstrip()
        if any(ch.isdigit() for ch in text) or _a_listed_value(hit.label.kind, after[: k + 1]):
            break
        if text.endswith(":") or (k + 1 < len(after) and after[k + 1].text.startswith(":")):
            tail = replace(hit, quality=_tail_quality(hit, after[: k + 1]), colon=True)
            return tail, after[k + 1 :]
    if hit.label.kind == "text":
        lead = 0
        while lead < min(LABEL_TAIL_WORDS, len(after) - 1) and _label_word(after[lead].text):
            lead += 1
        if lead:
            return replace(hit, quality=_tail_quality(hit, after[:lead])), after[lead:]
    return hit, after


#: Kinds whose values come from a closed list: words that are an entry are the value, whatever follows.
LISTED = frozenset(("ethnicity", "nationality", "sex"))


def _a_listed_value(kind: str, words: list[OcrWord]) -> bool:
    """The words are an entry of the label's list ("Dân tộc Kinh: Quốc tịch …": a speck read as a colon
    after the value does not make "Kinh" the label's tail)."""
    return kind in LISTED and NORMALIZERS[kind](" ".join(w.text for w in words)).ok


#: Tails that leave a residence what it is: where the person lives now ("Nơi cư trú hiện nay").
CURRENT = frozenset(compact(t) for t in ("hiện nay", "hiện tại"))


def _tail_quality(hit: LabelHit, tail: list[OcrWord]) -> float:
    """A label's quality with words after its known wording: lowered so that the value goes to review,
    unless the words only say that a residence is the current one."""
    residence = all(name.endswith("residence") for name in hit.label.fields.values())
    if residence and compact(" ".join(w.text for w in tail)) in CURRENT:
        return hit.quality
    return hit.quality * UNKNOWN_TAIL_QUALITY


_LEADER = re.compile(r"^[.…:\-_·,;|]+$")  # "|": a grid's rule read as a mark


def value_words(words: list[OcrWord]) -> list[OcrWord]:
    """Words of a value without the colon, dotted leaders and stray marks around it."""
    kept = [w for w in words if not _LEADER.match(w.text.strip())]
    return [_trim(w) for w in kept if _trim(w).text]


def _trim(word: OcrWord) -> OcrWord:
    text = word.text.strip().strip(":.…_·|").strip()
    if text == word.text:
        return word
    return replace(word, text=text)


def value_regions(words: Sequence[OcrWord], spec: FormSpec, section: str | None = None) -> list[Box | None]:
    """For each label on a line (as `labelled_values` finds them), the box its value stands in: from the
    label's end to the next label, or about 25 letter heights on for the line's last label."""
    line = LineText.of(words)
    hits = _labels_on(line, spec, section)
    top, bottom = min(w.box[1] for w in words), max(w.box[3] for w in words)
    regions: list[Box | None] = []
    for k, hit in enumerate(hits):
        label_end = words[line.where[hit.end - 1][0]].box[2]
        following = words[line.where[hits[k + 1].start][0]].box[0] if k + 1 < len(hits) else None
        right = following if following is not None else label_end + 25 * (bottom - top)
        regions.append((label_end, top, max(label_end + 1, right), bottom))
    return regions
