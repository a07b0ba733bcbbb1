"""A reader for label: value forms, as a person reads them (extracts, certificates, register blocks).

Labels are found on each line by `digitize.extract.labels` (merged and split words, lost colons and tone
marks, every wording of every version); this module goes down the lines of a record and gives each label
its value.

The value of a label is the text up to the next label on the line (cut inside a merged word if need be),
or the next line when the label ends its line. Sections resolve labels that repeat (the parents' "Năm
sinh"); a label may open a section. Forms with two value columns (the marriage certificate: wife and
husband against one column of labels) are read by the x of their column headings. Every value keeps its
words' boxes and confidences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import median

from digitize.config import ExtractConfig
from digitize.extract.labels import (
    ANY,
    FormSpec,
    Label,
    LineText,
    compact,
    labelled_values,
    occurrences,
    slice_words,
    value_regions,
    value_words,
)
from digitize.extract.normalize import NORMALIZERS, figures_for_letters, kind_of
from digitize.extract.verdicts import LOW_OCR
from digitize.model import Box, FieldStatus, FieldValue, OcrLine, OcrPage, OcrWord, Record, union_box

#: Share of a line's letters that column headings must cover for the line to be a row of headings.
HEADINGS_SHARE = 0.7


@dataclass
class Reading:
    """What the reader knows while it goes down the lines of one record."""

    spec: FormSpec
    config: ExtractConfig
    section: str
    found: dict[str, FieldValue] = field(default_factory=dict)
    #: Labels with nothing after them on their line (label, quality, its left x): their values may stand
    #: below, each under its own label when a row of labels stands over a row of values.
    pending: list[tuple[Label, float, int]] = field(default_factory=list)
    columns: list[tuple[float, str]] = field(default_factory=list)  # (x centre, section) of value columns
    #: Where each value column's values started on the lines above (section → left x of each).
    column_starts: dict[str, list[int]] = field(default_factory=dict)
    #: Values read on the line above (field → words, quality), which a wrapped line may continue.
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
    if _speck(line, reading.previous_box):
        return  # dust read as "l" or "-" between a label and its value, or inside a wrapped value
    above, reading.previous_box = reading.previous_box, line.box
    if _column_headings(reading, line.words):
        return
    pairs = labelled_values(line.words, reading.spec, reading.section)
    if not pairs:
        if reading.pending:
            reading.open_values = {}
            _fill_pending(reading, list(line.words), page)  # a value under its label may wrap in turn
        else:  # a value wrapped over three lines goes on again
            reading.open_values = _continue_values(reading, list(line.words), above, page) if above else {}
        return
    if reading.pending:  # "Số:" / "45, ngày 20/03/2015": a value under its label, then the next label
        first = min(hit.x0 for hit, _ in pairs)
        _fill_pending(reading, [w for w in line.words if w.box[2] <= first], page)
    reading.pending = []
    reading.open_values = {}
    unread = any(not value for _, value in pairs)  # the labels are matched again only then
    regions = value_regions(line.words, reading.spec, reading.section) if unread else [None] * len(pairs)
    for (hit, value), region in zip(pairs, regions, strict=True):
        if hit.label.opens:
            reading.section = hit.label.opens
            reading.columns = []
        elif hit.label.kind == "name" and value:
            reading.section = _person_of(reading, hit.label)
        if not value:
            reading.pending.append((hit.label, hit.quality, hit.x0))
            if region is not None:
                _unread(reading, hit.label, region, page)
            continue
        _assign(reading, hit.label, value, page, hit.quality)


#: A line whose letters are under this share of the line above's height, with no more than
#: SPECK_CHARACTERS letters or digits, is dust the OCR read ("l -"), not text.
SPECK_HEIGHT, SPECK_CHARACTERS = 0.4, 2


def _speck(line: OcrLine, above: Box | None) -> bool:
    if above is None:
        return False
    _, top, _, bottom = line.box
    letters = sum(ch.isalnum() for ch in line.text)
    return bottom - top < SPECK_HEIGHT * (above[3] - above[1]) and letters <= SPECK_CHARACTERS


def _person_of(reading: Reading, label: Label) -> str:
    """A name label met again when the section's name is read is the other person's ("Họ tên xợ", the
    wife's label misread, after the husband's part): the one section still without its name, if only one."""
    name = label.field_in(reading.section)
    if reading.columns or name is None or name not in reading.found or reading.found[name].method == UNREAD:
        return reading.section
    others = [s for s, f in label.fields.items() if s not in (ANY, reading.section)]
    others = [s for s in others if label.fields[s] not in reading.found]
    return others[0] if len(others) == 1 else reading.section


def _column_headings(reading: Reading, words: Sequence[OcrWord]) -> bool:
    """A line naming two or more value columns (Bên nữ | Bên nam) starts column reading."""
    if not reading.spec.columns:
        return False
    line = LineText.of(words)
    found: list[tuple[float, str]] = []
    covered = [False] * len(line.chars)
    for heading, section in reading.spec.columns:
        wording = compact(heading)
        for start, end, _ in occurrences(wording, line.chars):
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
    reading.column_starts = {}
    return True


def _assign(reading: Reading, label: Label, value: list[OcrWord], page: int, quality: float) -> None:
    if reading.columns:
        for section, words in _split_columns(reading.columns, value, reading.column_starts):
            reading.column_starts.setdefault(section, []).append(words[0].box[0])
            _store(reading, label.field_in(section), label.kind, words, page, quality * 0.97)
        return
    _store(reading, label.field_in(reading.section), label.kind, value, page, quality)


def _split_columns(
    columns: list[tuple[float, str]], words: list[OcrWord], starts: dict[str, list[int]]
) -> list[tuple[str, list[OcrWord]]]:
    """The line's value words cut at its widest gaps (one fewer than the columns, only gaps clearly wider
    than between words), else where a column's values started on the lines above (`_at_starts`), each run
    to the column whose heading is nearest the run's centre: a long value that reaches under the next
    heading stays with its own column."""

    def gap(k: int) -> int:
        return words[k].box[0] - words[k - 1].box[2]

    widest = sorted(range(1, len(words)), key=gap, reverse=True)
    candidates, others = widest[: len(columns) - 1], widest[len(columns) - 1 :]
    usual = median([max(0, gap(k)) for k in others] or [0])
    height = max((w.box[3] - w.box[1] for w in words), default=1)
    cuts = sorted(k for k in candidates if gap(k) > max(2.5 * usual, height))
    cuts = cuts or _at_starts(words, starts, height)
    parts: dict[str, list[OcrWord]] = {}
    for run in (words[a:b] for a, b in zip([0, *cuts], [*cuts, len(words)], strict=True)):
        centre = (run[0].box[0] + run[-1].box[2]) / 2
        section = min(columns, key=lambda c: abs(c[0] - centre))[1]
        parts.setdefault(section, []).extend(run)
    return list(parts.items())


def _at_starts(words: list[OcrWord], starts: dict[str, list[int]], height: int) -> list[int]:
    """Where a word after the first starts, within half a letter's height, where all the values of a
    column but the leftmost started on the lines above: a long value ran up to the next column with no
    wider gap than between its words (FreeSerif, a probe: the wife's "xóm 5, xã Hải Minh, huyện" ended
    52 px before the husband's "xóm 4, …", and both went to the husband)."""
    lefts = sorted((min(xs), max(xs)) for xs in starts.values() if xs)[1:]
    found = (
        next((k for k in range(1, len(words)) if lo - height / 2 <= words[k].box[0] <= hi + height / 2), None)
        for lo, hi in lefts
    )
    return sorted({k for k in found if k is not None})


def _store(
    reading: Reading, name: str | None, kind: str, words: list[OcrWord], page: int, quality: float
) -> None:
    if kind == "bare_number":  # only a plain number counts ("Số: 12"), not a paper's "Số: 206/TLKS-BS"
        # "l6": a face's 1 read as a letter, offered for review rather than lost
        if not re.fullmatch(r"\d{1,6}", figures_for_letters(" ".join(w.text for w in words).strip(" .,"))[0]):
            return
        kind = "number"
    if kind == "number" and not any(ch.isdigit() for w in words for ch in w.text):
        return  # "SỔ ĐĂNG KÝ: KHAI SINH", a title with a speck for a colon: the number is further on
    if name and (name not in reading.found or reading.found[name].method == UNREAD) and words:
        # a field's own normalizer whatever label found it (a parent's full date → the birth year)
        kind = kind_of(name, kind)
        reading.found[name] = make_value(words, kind, page, quality, "label", reading.config)
        if kind in WRAPPING:
            reading.open_values[name] = (words, quality)


#: Values long enough to wrap onto the next line: places and the date in words ("… năm hai nghìn không" /
#: "trăm lẻ chín").
WRAPPING = frozenset(("text", "spelled_date"))


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
    continued = {}
    for name, more in _continuations(reading, words, height):
        first, quality = reading.open_values[name]
        if abs(more[0].box[0] - first[0].box[0]) > 2.5 * height:
            continue  # starts elsewhere: a heading or the sign-off, not the rest of the value
        joined = [*first, *more]
        reading.found[name] = make_value(joined, kind_of(name), page, quality * 0.97, "label", reading.config)
        continued[name] = (joined, quality * 0.97)
    return continued


def _continuations(reading: Reading, words: list[OcrWord], height: int) -> list[tuple[str, list[OcrWord]]]:
    """The words of a line each given to the open value it goes on: the one value, or in value columns the
    value starting nearest left of the word. Cutting at the widest gap split nothing when a wrapped
    typewritten place in one column ran to a gap no wider than its words' (the wife's "Cẩm Giàng, tỉnh
    Hải Dương" then the husband's), so both places lost their province."""
    if not reading.columns:
        return [(next(iter(reading.open_values)), words)]
    starts = sorted((first[0].box[0], name) for name, (first, _) in reading.open_values.items())
    parts: dict[str, list[OcrWord]] = {}
    for word in words:
        owners = [name for x, name in starts if x <= word.box[0] + height]
        parts.setdefault(owners[-1] if owners else starts[0][1], []).append(word)
    return list(parts.items())


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


def _fill_pending(reading: Reading, words: list[OcrWord], page: int) -> None:
    """A line without labels under labels with nothing after them: under one, the line is its value;
    under a row of them, each word goes to the label it stands under (the last that starts left of it)."""
    pending, reading.pending = reading.pending, []
    if len(pending) > 1:
        pending = sorted(pending, key=lambda p: p[2])
    for i, (label, quality, x0) in enumerate(pending):
        x1 = pending[i + 1][2] if i + 1 < len(pending) else None
        under = [w for w in words if (i == 0 or _centre(w) >= x0) and (x1 is None or _centre(w) < x1)]
        value = value_words(under)
        if value:
            _assign(reading, label, value, page, quality * 0.95)


def _centre(word: OcrWord) -> float:
    return (word.box[0] + word.box[2]) / 2


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
        reasons.append(f"{LOW_OCR} ({min(confs):.2f})")
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
