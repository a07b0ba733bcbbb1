"""A reader for label: value forms (extracts of birth, death and marriage records).

A `FormSpec` lists labels (as written, compared without diacritics and with OCR-tolerant matching). The
same label can mean different fields in different sections ("Năm sinh" of the mother and of the father); a
label may open a section. On each visual line the longest label wins at every position; the value of a
label is the words up to the next label on the same line. Every value keeps its words' boxes and
confidences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from digitize.config import ExtractConfig
from digitize.extract.normalize import NORMALIZERS
from digitize.extract.text import fold_token, similar
from digitize.model import FieldStatus, FieldValue, OcrLine, OcrPage, OcrWord, Record, union_box

ANY = "*"
FUZZY_TOKEN = 0.75


@dataclass(frozen=True)
class Label:
    text: str  # as printed, e.g. "Họ, chữ đệm, tên người mẹ"
    fields: dict[str, str]  # section → field name; ANY matches every section; empty = delimiter only
    kind: str = "text"  # normalizer name
    opens: str | None = None  # section this label starts

    @property
    def tokens(self) -> tuple[str, ...]:
        return tuple(t for t in (fold_token(w) for w in self.text.split()) if t)

    def field_in(self, section: str) -> str | None:
        return self.fields.get(section) or self.fields.get(ANY)


@dataclass(frozen=True)
class FormSpec:
    kind: str  # record kind: birth, death, marriage
    start_section: str
    labels: tuple[Label, ...]

    def expected_fields(self) -> list[str]:
        names: list[str] = []
        for label in self.labels:
            names += [f for f in label.fields.values() if f not in names]
        return names


@dataclass(frozen=True)
class LabelHit:
    label: Label
    start: int  # index of the label's first word on the line
    end: int  # index after its last word
    quality: float  # 1.0 exact, lower when fuzzy


def find_labels(words: Sequence[OcrWord], spec: FormSpec) -> list[LabelHit]:
    tokens = [fold_token(w.text) for w in words]
    hits: list[LabelHit] = []
    i = 0
    while i < len(tokens):
        best = _best_label_at(tokens, words, i, spec)
        if best is None:
            i += 1
            continue
        hits.append(best)
        i = best.end
    return hits


def labelled_values(words: Sequence[OcrWord], spec: FormSpec) -> list[tuple[LabelHit, Sequence[OcrWord]]]:
    """Each label on a line with the words after it, up to the next label."""
    hits = find_labels(words, spec)
    if not hits:
        return []
    ends = [h.start for h in hits[1:]] + [len(words)]
    return [(hit, words[hit.end : end]) for hit, end in zip(hits, ends, strict=True)]


def _best_label_at(tokens: list[str], words: Sequence[OcrWord], i: int, spec: FormSpec) -> LabelHit | None:
    best: LabelHit | None = None
    for label in spec.labels:
        hit = _match(label, tokens, words, i)
        if hit and (best is None or len(label.tokens) > len(best.label.tokens)):
            best = hit
    return best


def _match(label: Label, tokens: list[str], words: Sequence[OcrWord], i: int) -> LabelHit | None:
    want = label.tokens
    if i + len(want) > len(tokens):
        return None
    scores = [similar(want[k], tokens[i + k]) for k in range(len(want))]
    if min(scores) < FUZZY_TOKEN:
        return None
    end = i + len(want)
    colon = words[end - 1].text.endswith(":") or (end < len(words) and words[end].text.startswith(":"))
    if not colon and len(want) < 3:
        return None  # short labels ("Số", "Dân tộc") only count when followed by a colon
    return LabelHit(label, i, end, sum(scores) / len(scores) * (1.0 if colon else 0.9))


def read_form(pages: Sequence[OcrPage], spec: FormSpec, config: ExtractConfig) -> Record:
    section = spec.start_section
    found: dict[str, FieldValue] = {}
    for page in pages:
        for line in page.lines:
            section = _read_line(line, page.number, spec, section, found, config)
    for name in spec.expected_fields():
        found.setdefault(name, missing_field())
    return Record(spec.kind, found)


def _read_line(
    line: OcrLine,
    page: int,
    spec: FormSpec,
    section: str,
    found: dict[str, FieldValue],
    config: ExtractConfig,
) -> str:
    for hit, after in labelled_values(line.words, spec):
        if hit.label.opens:
            section = hit.label.opens
        field = hit.label.field_in(section)
        value_words = [w for w in after if w.text != ":"]
        if field and field not in found and value_words:
            found[field] = make_value(value_words, hit.label.kind, page, hit.quality, "label", config)
    return section


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
