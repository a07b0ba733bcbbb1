"""Field extraction: one reader per document type, then cross-field validation."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from digitize.config import ExtractConfig
from digitize.extract.civil_status import BIRTH, DEATH, MARRIAGE
from digitize.extract.forms import read_form
from digitize.extract.labels import FormSpec
from digitize.extract.normalize import MISREAD_LETTERS, NO_PAPER_HOLDS, kind_of
from digitize.extract.place_checks import PLACE_FIELDS
from digitize.extract.register import read_register
from digitize.extract.register_columns import BIRTH_REGISTER, DEATH_REGISTER, MARRIAGE_REGISTER, RegisterSpec
from digitize.extract.validate import WORDS_DISAGREE, check_numbering, validate_record
from digitize.extract.verdicts import LOW_OCR, needs_review
from digitize.model import DocumentType, FieldStatus, FieldValue, OcrPage, Record

FORMS: dict[DocumentType, FormSpec] = {
    DocumentType.BIRTH_REGISTRATION: BIRTH,
    DocumentType.DEATH_REGISTRATION: DEATH,
    DocumentType.MARRIAGE_REGISTRATION: MARRIAGE,
}
REGISTERS: dict[DocumentType, RegisterSpec] = {
    DocumentType.BIRTH_REGISTER_PAGE: BIRTH_REGISTER,
    DocumentType.DEATH_REGISTER_PAGE: DEATH_REGISTER,
    DocumentType.MARRIAGE_REGISTER_PAGE: MARRIAGE_REGISTER,
}


def extract_records(doc_type: DocumentType, pages: Sequence[OcrPage], config: ExtractConfig) -> list[Record]:
    """Records found in the document (none for administrative and unknown documents)."""
    if doc_type in FORMS:
        records = [read_form(pages, FORMS[doc_type], config)]
    elif doc_type in REGISTERS:
        records = check_numbering(read_register(pages, config, REGISTERS[doc_type]), config)
    else:
        return []
    validated = [validate_record(record, config) for record in records]
    return distrust(validated, config)


def distrust(records: list[Record], config: ExtractConfig) -> list[Record]:
    """What a document as a whole says of its values: mostly unread, none is accepted; numbers read with
    letters for digits, none of its numbers is. In that order: numbers sent to review as handwriting are
    not values the OCR failed to read, and counting them so sent a typed register page with two slips
    ("27I01/2023", "27i05/2023") to review whole. Then the signs of a face or a hand the OCR misreads
    alike: years no paper holds and second readings that disagree (its numbers), words no Vietnamese text
    holds, or a third of its figures read unsure (its names and numbers)."""
    steps = (
        distrust_unread,
        distrust_written_numbers,
        distrust_misread_figures,
        distrust_misread_letters,
        distrust_unsure_figures,
    )
    for distrust_some in steps:
        records = distrust_some(records, config)
    return records


#: Share of a document's fields that must be readable for any of its values to be accepted unchecked.
READABLE_SHARE = 0.5


def distrust_unread(records: list[Record], config: ExtractConfig) -> list[Record]:
    """When most of a document could not be read (a hand-filled form, a faded page), the few values that
    were read are no surer than the rest: the engine that failed on their neighbours read them too. They
    all go to a person, with the reason."""
    values = [  # the fields the document has (a label found): a form version without a field is no failure
        fv
        for record in records
        for name, fv in record.fields.items()
        if fv.method != "none" and not name.endswith("_in_words")
    ]
    if not values or sum(fv.status is FieldStatus.ACCEPTED for fv in values) >= READABLE_SHARE * len(values):
        return records
    reason = "most of this document could not be read, so none of it is accepted unchecked"
    return _to_review(records, lambda name, fv: True, reason, config)


def _to_review(
    records: list[Record], which: Callable[[str, FieldValue], bool], reason: str, config: ExtractConfig
) -> list[Record]:
    """The records with every accepted value of the fields `which` picks sent to review for `reason`."""
    return [
        replace(
            record,
            fields={
                name: needs_review(fv, reason, config)
                if fv.status is FieldStatus.ACCEPTED and which(name, fv)
                else fv
                for name, fv in record.fields.items()
            },
        )
        for record in records
    ]


#: Field kinds written in digits, and letters the OCR reads for handwritten digits (0 → O, 1 → l, 5 → S …).
NUMERIC_KINDS = ("date", "year", "personal_id", "number", "book")
_LETTER_FOR_DIGIT = re.compile(r"\d[OoDQlIiSsBZzg]|[OoDQlIiSsBZzg]\d")
#: Numbers read with letters in them, in one document, that say its numbers are written by hand.
WRITTEN_NUMBERS = 2


def distrust_written_numbers(records: list[Record], config: ExtractConfig) -> list[Record]:
    """Numbers written by hand are misread alike ("52" as "92" as "51" as "91": the writer's 5 reads as a
    9 every time), so that they even agree with each other, and print-trained OCR is sure of some of them.
    Where several numbers of a document were read with letters for digits ("5O", "O5/O4/2021"), its
    numbers are handwriting: none of them is accepted unchecked."""
    mixed = sum(_letters_for_digits(fv) for fv in _numbers(records))
    if mixed < WRITTEN_NUMBERS:
        return records
    reason = f"the numbers of this document look handwritten ({mixed} read with letters for digits)"
    return _to_review(records, lambda name, fv: kind_of(name) in NUMERIC_KINDS, reason, config)


def _numbers(records: list[Record]) -> list[FieldValue]:
    """The document's values written in figures that were read at all."""
    return [
        fv
        for record in records
        for name, fv in record.fields.items()
        if kind_of(name) in NUMERIC_KINDS and fv.raw_text
    ]


def _letters_for_digits(fv: FieldValue) -> bool:
    return bool(_LETTER_FOR_DIGIT.search(fv.raw_text))


def _no_paper_holds(fv: FieldValue) -> bool:
    """A number its normalizer found no paper could hold ("48/01/2020", 11 digits, "t4")."""
    return any(said in fv.reason for said in NO_PAPER_HOLDS)


#: Tone and vowel marks the OCR reads as characters of their own, apart from their letters.
MARKS_APART = frozenset("“”`´ˆ˜¨")
#: What the normalizers say of a word no Vietnamese text holds.
MISREAD_LETTERS_SAID = MISREAD_LETTERS.split("(")[0]
_MISREAD_WORDS = re.compile(re.escape(MISREAD_LETTERS_SAID) + r"\(([^)]*)\)")
#: What a second reading of a number says when it gives other digits than the first.
SECOND_READING_DISAGREES = "a second reading of the number gave"
#: Numbers read two ways that disagree: read again from their box, or written in words beside them.
DISAGREEMENTS = (SECOND_READING_DISAGREES, WORDS_DISAGREE)
#: A year no paper holds (before 1880 or after next year) in a date, a year or a book number.
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
#: Impossible years and disagreeing second readings, in one document, that say its typeface's figures are
#: misread alike: at least two, and a quarter of its numbers (a register page holds many: two slips among
#: fifteen numbers are slips).
MISREAD_FIGURES, MISREAD_SHARE = 2, 0.25


def _alike(signs: int, values: int) -> bool:
    """Signs of misreading enough to say a document's values are misread alike: at least two, and a
    quarter of the values they are counted among."""
    return signs >= max(MISREAD_FIGURES, MISREAD_SHARE * values)


def distrust_misread_figures(records: list[Record], config: ExtractConfig) -> list[Record]:
    """A face whose figures the OCR misreads alike (Noto Sans Italic's 1 read as 7: "7994", "7990", and
    the registration number 111 read as 771 with confidence) shows it in years no paper holds, in dates
    and numbers no paper holds ("48/01/2020", 11 digits, "t4": a black-ink hand on a register page, whose
    "28/07" read "28/01" was accepted beside them) and in second readings of numbers that disagree with the
    first. Where two such are found, none of the document's numbers is accepted unchecked, nor a place
    holding one ("xóm 7" misread as the rest are). Run after
    the extraction and again after the second readings (`digitize/stages/reread.py`)."""
    latest = date.today().year + 1
    fields = [(name, fv) for record in records for name, fv in record.fields.items()]
    impossible = sum(
        not 1880 <= int(found) <= latest
        for name, fv in fields
        if kind_of(name) in ("date", "year", "book")
        for found in _YEAR.findall(fv.raw_text)
    )
    malformed = sum(_no_paper_holds(fv) for name, fv in fields if kind_of(name) in NUMERIC_KINDS)
    disagreed = sum(any(said in fv.reason for said in DISAGREEMENTS) for _, fv in fields)
    numbers = len(_numbers(records))
    if not _alike(impossible + malformed + disagreed, numbers):
        return records
    said = (
        f"{impossible} years no paper holds, {malformed} numbers no paper holds,"
        f" {disagreed} numbers read otherwise a second time"
    )
    reason = f"the figures of this document are misread alike ({said})"
    return _to_review(records, _with_figures, reason, config)


def _with_figures(name: str, fv: FieldValue) -> bool:
    """Numbers, and places holding one: a hamlet's or house number is read by the same misreading eye."""
    return kind_of(name) in NUMERIC_KINDS or (
        name.endswith(PLACE_FIELDS) and any(c.isdigit() for c in fv.raw_text)
    )


def distrust_misread_letters(records: list[Record], config: ExtractConfig) -> list[Record]:
    """A face whose tone marks the OCR reads apart (DejaVu Sans Mono: "Nguyêñ", "Quôc", "tê“xã") also loses
    some whole, and a name so read may be another real name ("Yên" for "Yến") that no check can tell. Where
    words no Vietnamese text holds, or marks read as marks of their own, reach two and a quarter of a
    document's names and places, none of its names is accepted unchecked, nor a place no unit list checked
    ("Tai nhà riêng"; the others are checked against the official list), nor any of its numbers:
    what misreads a page's letters so (a hand in black ink, held-out seed 5700000) misreads its figures
    too, and a birth year 1932 read 1952 agreed with its second reading."""
    texts = [
        fv for record in records for name, fv in record.fields.items() if kind_of(name) in ("name", "text")
    ]
    misread = len(set().union(*(_misread_words(fv) for fv in texts)))
    if not _alike(misread, sum(bool(fv.raw_text) for fv in texts)):
        return records
    reason = f"the letters of this document are misread alike ({misread} different words no text holds)"
    return _to_review(records, _names_numbers_unlisted, reason, config)


def _misread_words(fv: FieldValue) -> set[str]:
    """The words of a value no Vietnamese text holds, as its normalizer named them, and its words with
    marks read apart. A word is one sign however often it is written: a register page's every residence
    in "huyện Lục Nam" read "Luc" (FreeSans loses the dot under u) is one misread, not four."""
    named = (w.strip().lower() for m in _MISREAD_WORDS.finditer(fv.reason) for w in m.group(1).split(","))
    apart = (w.lower() for w in fv.raw_text.split() if MARKS_APART & set(w))
    return {*named, *apart}


def _names_numbers_unlisted(name: str, fv: FieldValue) -> bool:
    """Names, numbers, and places no unit list checked ("Tai nhà riêng" for "Tại nhà riêng")."""
    return kind_of(name) in ("name", *NUMERIC_KINDS) or (name.endswith(PLACE_FIELDS) and not fv.unit)


#: Numbers read unsure, in one document, that say the OCR does not know its writing: at least three, and a
#: third of its numbers. Typed pages show at most two (one face's dates that the figures model read
#: otherwise), or a sixth of a register page's numbers; black-ink hands a third to three quarters.
UNSURE_FIGURES, UNSURE_SHARE = 3, 1 / 3


def distrust_unsure_figures(records: list[Record], config: ExtractConfig) -> list[Record]:
    """A hand in black ink is not told from print by its colour, and a neat one is read well enough that
    most of its values pass (held-out seed 13700000: an Itim hand's "Võ Thu Linh" accepted at 0.97 as
    "Võ Thư Linh", another real name no check can tell). Its figures give it away: the two models read
    them otherwise, or unsure, or with letters for digits ("O9"), where a typed page's figures are read
    sure. Where a third of a document's numbers, and at least three, are so read, the OCR does not know
    its writing: none of its names is accepted unchecked, nor its numbers, nor a place no unit list
    checked."""
    numbers = _numbers(records)
    unsure = sum(_read_unsure(fv) for fv in numbers)
    if unsure < max(UNSURE_FIGURES, UNSURE_SHARE * len(numbers)):
        return records
    reason = f"the figures of this document are read unsure ({unsure} of {len(numbers)} numbers)"
    return _to_review(records, _names_numbers_unlisted, reason, config)


def _read_unsure(fv: FieldValue) -> bool:
    """A number read with a glyph under the engine's doubt, with letters for digits, or as no paper
    holds it."""
    return LOW_OCR in fv.reason or _letters_for_digits(fv) or _no_paper_holds(fv)
