"""A reader for label: value forms, as a person reads them (extracts, certificates, register blocks).

Labels are found on each visual line at character level, without diacritics, spaces or punctuation, and
with OCR-tolerant matching, so "Dântộc:" (merged), "Giới tính Nam" (no colon), "Ho va ten" (no tone
marks) and a label split over two words are all found. A `Label` lists every wording of every form
version a field was printed with, and the synonyms clerks write. A label counts where a reader would see
one: at the start of a line, before a colon, or after a clear gap or punctuation; the same words inside a
value ("xã Nam Sinh") are not a label.

The value of a label is the text up to the next label on the line (cut inside a merged word if need be),
or the next line when the label ends its line. Sections resolve labels that repeat (the parents' "Năm
sinh"); a label may open a section. Forms with two value columns (the marriage certificate: wife and
husband against one column of labels) are read by the x of their column headings. Every value keeps its
words' boxes and confidences.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from statistics import median

from rapidfuzz import fuzz

from digitize.config import ExtractConfig
from digitize.extract.normalize import NORMALIZERS, kind_of
from digitize.extract.text import fold
from digitize.model import Box, FieldStatus, FieldValue, OcrLine, OcrPage, OcrWord, Record, union_box

ANY = "*"
#: Labels of this many compact characters or fewer must stand where a label stands (line start, colon).
SHORT = 4
#: Labels shorter than this match only letter for letter ("quyen" must not be found in "nguyen").
FUZZY_FROM = 8
#: Share of a line's letters that column headings must cover for the line to be a row of headings.
HEADINGS_SHARE = 0.7
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


def _min_score(length: int) -> float:
    """Indel similarity a fuzzy label match needs: one wrong letter in the first eight, one more per seven."""
    edits = (length - 1) // 7
    return 100.0 * (1 - edits / length) - 0.01


def _occurrences(wording: str, chars: str) -> Iterator[tuple[int, int, float]]:
    if len(wording) < FUZZY_FROM:
        for match in re.finditer(re.escape(wording), chars):
            yield match.start(), match.end(), 100.0
        return
    offset, cutoff = 0, _min_score(len(wording))
    while offset < len(chars) - SHORT:
        found = fuzz.partial_ratio_alignment(wording, chars[offset:], score_cutoff=cutoff)
        if found is None:
            return
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
            for start, end, score in _occurrences(wording, line.chars):
                end, score = _to_word_end(line, wording, start, end, score)
                hit = _plausible(label, len(wording), line, _snap(line, start), end, score, gaps)
                if hit is not None:
                    candidates.append(hit)
    candidates.sort(key=lambda h: (-(h.end - h.start), -h.quality, h.start))
    chosen: list[LabelHit] = []
    for hit in candidates:
        if all(hit.end <= c.start or hit.start >= c.end for c in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


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
    if length <= SHORT and not colon and not _short_label_place(line, wi, ci, gaps):
        return None  # "Số", "Vợ": before a colon, at the start of a line, after punctuation or a number
    return LabelHit(label, start, end, score / 100 * (1.0 if colon else 0.95), colon)


def _at_line_start(line: LineText, wi: int, ci: int) -> bool:
    return wi == 0 or not any(
        ch.isalnum() for w in range(wi) for ch in line.text_of(w)
    )  # nothing but marks (bullets, dashes) before it


def _after_mark(line: LineText, wi: int) -> bool:
    before = line.text_of(wi - 1).rstrip() if wi else ""
    return bool(before) and before[-1] in ".,;:)…"


def _short_label_place(line: LineText, wi: int, ci: int, gaps: list[float]) -> bool:
    return _at_line_start(line, wi, ci) or _after_mark(line, wi) or _after_number(line, wi, gaps)


def _after_number(line: LineText, wi: int, gaps: list[float]) -> bool:
    """A short label well apart from a number before it: the second field of a line ("Số 217   Sổ số
    03/2014"), not a word inside a value."""
    height = max(1, line.words[wi].box[3] - line.words[wi].box[1])
    return wi > 0 and any(ch.isdigit() for ch in line.text_of(wi - 1)) and gaps[wi] >= 1.5 * height


def _stands_apart(line: LineText, wi: int, ci: int, gaps: list[float]) -> bool:
    """A label without a colon: first on its line, after punctuation, or after a clearly wide gap."""
    if _at_line_start(line, wi, ci) or _after_mark(line, wi):
        return True
    others = [g for g in gaps[1:] if g > 0]
    height = max(1, line.words[wi].box[3] - line.words[wi].box[1])
    typical = median(others) if others else height / 3
    return gaps[wi] >= max(GAP_FACTOR * typical, 0.8 * height)


def slice_words(line: LineText, start: int, end: int) -> list[OcrWord]:
    """The words between two compact positions, the first and last cut where a label begins or ends."""
    if start >= end:
        return []
    first_wi, first_ci = line.where[start]
    last_wi, last_ci = line.where[end - 1]
    out: list[OcrWord] = []
    for wi in range(first_wi, last_wi + 1):
        text = line.text_of(wi)
        lo = first_ci if wi == first_wi else 0
        hi = last_ci + 1 if wi == last_wi else len(text)
        if wi == last_wi and hi < len(text) and not any(ch.isalnum() for ch in text[hi:]):
            hi = len(text)  # keep trailing punctuation with its word
        out.append(_part(line.words[wi], text, lo, hi))
    return out


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
        pairs.append((hit, _value_words(words_after)))
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
        if any(ch.isdigit() for ch in text):
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


#: Tails that leave a residence what it is: where the person lives now ("Nơi cư trú hiện nay").
CURRENT = frozenset(compact(t) for t in ("hiện nay", "hiện tại"))


def _tail_quality(hit: LabelHit, tail: list[OcrWord]) -> float:
    """A label's quality with words after its known wording: lowered so that the value goes to review,
    unless the words only say that a residence is the current one."""
    residence = all(name.endswith("residence") for name in hit.label.fields.values())
    if residence and compact(" ".join(w.text for w in tail)) in CURRENT:
        return hit.quality
    return hit.quality * UNKNOWN_TAIL_QUALITY


_LEADER = re.compile(r"^[.…:\-_·,;]+$")


def _value_words(words: list[OcrWord]) -> list[OcrWord]:
    """Words of a value without the colon, dotted leaders and stray marks around it."""
    kept = [w for w in words if not _LEADER.match(w.text.strip())]
    return [_trim(w) for w in kept if _trim(w).text]


def _trim(word: OcrWord) -> OcrWord:
    text = word.text.strip().strip(":.…_·").strip()
    if text == word.text:
        return word
    return replace(word, text=text)


@dataclass
class Reading:
    """What the reader knows while it goes down the lines of one record."""

    spec: FormSpec
    config: ExtractConfig
    section: str
    found: dict[str, FieldValue] = field(default_factory=dict)
    pending: tuple[Label, float] | None = None  # a label that ended its line: its value may be below
    columns: list[tuple[float, str]] = field(default_factory=list)  # (x centre, section) of value columns
    #: Place values read on the line above (field → words, quality), which a wrapped line may continue.
    open_values: dict[str, tuple[list[OcrWord], float]] = field(default_factory=dict)
    previous_box: tuple[int, int, int, int] | None = None


def new_reading(spec: FormSpec, config: ExtractConfig) -> Reading:
    return Reading(spec, config, spec.start_section)


def read_form(pages: Sequence[OcrPage], spec: FormSpec, config: ExtractConfig) -> Record:
    reading = new_reading(spec, config)
    for page in pages:
        for line in page.lines:
            read_line(reading, line, page.number)
    return finish(reading)


def finish(reading: Reading) -> Record:
    for name in reading.spec.expected_fields():
        reading.found.setdefault(name, missing_field())
    return Record(reading.spec.kind, reading.found)


def read_line(reading: Reading, line: OcrLine, page: int) -> None:
    above, reading.previous_box = reading.previous_box, line.box
    if _column_headings(reading, line.words):
        return
    pairs = labelled_values(line.words, reading.spec, reading.section)
    if not pairs:
        continued: dict[str, tuple[list[OcrWord], float]] = {}
        if reading.pending is not None:
            _fill_pending(reading, list(line.words), page)
        elif above is not None:
            continued = _continue_values(reading, list(line.words), above, page)
        reading.open_values = continued  # a value wrapped over three lines goes on again
        return
    reading.pending = None
    reading.open_values = {}
    unread = any(not value for _, value in pairs)  # the labels are matched again only then
    regions = value_regions(line.words, reading.spec, reading.section) if unread else [None] * len(pairs)
    for (hit, value), region in zip(pairs, regions, strict=True):
        if hit.label.opens:
            reading.section = hit.label.opens
            reading.columns = []
        if not value:
            reading.pending = (hit.label, hit.quality)
            if region is not None:
                _unread(reading, hit.label, region, page)
            continue
        _assign(reading, hit.label, value, page, hit.quality)


def _column_headings(reading: Reading, words: Sequence[OcrWord]) -> bool:
    """A line naming two or more value columns (Bên nữ | Bên nam) starts column reading."""
    if not reading.spec.columns:
        return False
    line = LineText.of(words)
    found: list[tuple[float, str]] = []
    covered = [False] * len(line.chars)
    for heading, section in reading.spec.columns:
        wording = compact(heading)
        for start, end, _ in _occurrences(wording, line.chars):
            part = slice_words(line, start, end)
            box = union_box(w.box for w in part)
            covered[start:end] = [True] * (end - start)
            if not any(abs(x - (box[0] + box[2]) / 2) < 5 for x, _ in found):
                found.append(((box[0] + box[2]) / 2, section))
    sections = {s for _, s in found}
    # Headings make up the line ("Bên nữ   Bên nam"); "Họ tên chồng: VÕ VĂN KHÁNH" holds "chồng" and "vo"
    # too, but mostly other letters: a label and its value, not a row of column headings.
    if len(sections) < 2 or sum(covered) < HEADINGS_SHARE * len(line.chars):
        return False
    reading.columns = sorted(found)
    return True


def _assign(reading: Reading, label: Label, value: list[OcrWord], page: int, quality: float) -> None:
    if reading.columns:
        for section, words in _split_columns(reading.columns, value):
            _store(reading, label.field_in(section), label.kind, words, page, quality * 0.97)
        return
    _store(reading, label.field_in(reading.section), label.kind, value, page, quality)


def _split_columns(columns: list[tuple[float, str]], words: list[OcrWord]) -> list[tuple[str, list[OcrWord]]]:
    """The line's value words cut at its widest gaps (one fewer than the columns, only gaps clearly wider
    than between words), each run to the column whose heading is nearest the run's centre: a long value
    that reaches under the next heading stays with its own column."""

    def gap(k: int) -> int:
        return words[k].box[0] - words[k - 1].box[2]

    widest = sorted(range(1, len(words)), key=gap, reverse=True)
    candidates, others = widest[: len(columns) - 1], widest[len(columns) - 1 :]
    usual = median([max(0, gap(k)) for k in others] or [0])
    height = max((w.box[3] - w.box[1] for w in words), default=1)
    cuts = sorted(k for k in candidates if gap(k) > max(2.5 * usual, height))
    parts: dict[str, list[OcrWord]] = {}
    for run in (words[a:b] for a, b in zip([0, *cuts], [*cuts, len(words)], strict=True)):
        centre = (run[0].box[0] + run[-1].box[2]) / 2
        section = min(columns, key=lambda c: abs(c[0] - centre))[1]
        parts.setdefault(section, []).extend(run)
    return list(parts.items())


def _store(
    reading: Reading, name: str | None, kind: str, words: list[OcrWord], page: int, quality: float
) -> None:
    if kind == "bare_number":  # only a plain number counts ("Số: 12"), not a paper's "Số: 206/TLKS-BS"
        if not re.fullmatch(r"\d{1,6}", " ".join(w.text for w in words).strip(" .,")):
            return
        kind = "number"
    if name and (name not in reading.found or reading.found[name].method == UNREAD) and words:
        # a field's own normalizer whatever label found it (a parent's full date → the birth year)
        kind = kind_of(name, kind)
        reading.found[name] = make_value(words, kind, page, quality, "label", reading.config)
        if kind == "text":
            reading.open_values[name] = (words, quality)


def _continue_values(
    reading: Reading, words: list[OcrWord], above: tuple[int, int, int, int], page: int
) -> dict[str, tuple[list[OcrWord], float]]:
    """A line without labels right under a place value, starting where that value starts, continues it
    (an address wrapped in its box or column). The values continued, to go on with on the next line."""
    if not reading.open_values or not words:
        return {}
    height = max(1, above[3] - above[1])
    if words[0].box[1] - above[3] > 2.0 * height:
        return {}
    parts = _split_columns(reading.columns, words) if reading.columns else [(reading.section, words)]
    continued = {}
    for section, more in parts:
        name = next((n for n in reading.open_values if _belongs(n, section, reading)), None)
        if name is None:
            continue
        first, quality = reading.open_values[name]
        if abs(more[0].box[0] - first[0].box[0]) > 2.5 * height:
            continue  # starts elsewhere: a heading or the sign-off, not the rest of the value
        joined = [*first, *more]
        reading.found[name] = make_value(joined, "text", page, quality * 0.97, "label", reading.config)
        continued[name] = (joined, quality * 0.97)
    return continued


def _belongs(name: str, section: str, reading: Reading) -> bool:
    if not reading.columns:
        return True
    prefix = {"wife": "wife_", "husband": "husband_"}.get(section, "")
    return name.startswith(prefix)


#: The method of a field whose label was found with nothing read after it: its box is where the value
#: stands (the rest of the label's line), so a person can key it from the image; a value read later wins.
UNREAD = "label_only"


def _unread(reading: Reading, label: Label, region: Box, page: int) -> None:
    name = label.field_in(reading.section)
    if name and name not in reading.found and not reading.columns:
        reason = "label found, nothing read after it: key the value from the image"
        reading.found[name] = FieldValue(
            None, "", 0.0, page, region, FieldStatus.NEEDS_REVIEW, reason, UNREAD
        )


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


def _fill_pending(reading: Reading, words: list[OcrWord], page: int) -> None:
    """A line without labels under a label that ended its line is that label's value."""
    if reading.pending is None:
        return
    label, quality = reading.pending
    reading.pending = None
    value = _value_words(words)
    if value:
        _assign(reading, label, value, page, quality * 0.95)


#: Confidence given to an exact closed-vocabulary entry, unless some glyph was read with less than the
#: second figure (then the engine may have guessed the whole word).
VOCABULARY_FLOOR, VOCABULARY_FLOOR_MIN_OCR = 0.9, 0.2


def make_value(
    words: Sequence[OcrWord], kind: str, page: int, quality: float, method: str, config: ExtractConfig
) -> FieldValue:
    raw = " ".join(w.text for w in words).lstrip(":").strip()
    normalized = NORMALIZERS[kind](raw)
    confs = [w.confidence for w in words]
    ocr_conf = 0.5 * (sum(confs) / len(confs)) + 0.5 * min(confs)
    if normalized.exact and min(confs) >= VOCABULARY_FLOOR_MIN_OCR:
        # Letter for letter one of 54 ethnic groups (or a listed nationality): a misreading that lands
        # exactly on another entry is far less likely than the OCR engine's doubt about the glyphs.
        ocr_conf = max(ocr_conf, VOCABULARY_FLOOR)
    confidence = round(ocr_conf * quality * (1.0 if normalized.ok else 0.4), 3)
    reasons = [normalized.reason] if normalized.reason else []
    if min(confs) < 0.6:
        reasons.append(f"low OCR confidence ({min(confs):.2f})")
    status = FieldStatus.ACCEPTED if confidence >= config.accept_threshold else FieldStatus.NEEDS_REVIEW
    if any(w.pen for w in words):  # read and offered, never taken on trust: a person checks handwriting
        status = FieldStatus.NEEDS_REVIEW
        reasons.append("written by hand in pen: check it against the image")
    if status is FieldStatus.NEEDS_REVIEW and not reasons:
        reasons.append(f"confidence {confidence:.2f} under the threshold {config.accept_threshold:.2f}")
    return FieldValue(
        normalized.value,
        raw,
        confidence,
        page,
        union_box(w.box for w in words),
        status,
        "; ".join(reasons),
        method,
    )


def missing_field() -> FieldValue:
    return FieldValue(None, "", 0.0, None, None, FieldStatus.NEEDS_REVIEW, "not found on the page", "none")
