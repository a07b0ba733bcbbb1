"""Field extraction: one reader per document type, then cross-field validation."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from digitize.config import ExtractConfig
from digitize.extract.civil_status import BIRTH, DEATH, MARRIAGE
from digitize.extract.forms import read_form
from digitize.extract.labels import FormSpec
from digitize.extract.normalize import kind_of
from digitize.extract.register import read_register
from digitize.extract.validate import check_numbering, needs_review, validate_record
from digitize.model import DocumentType, FieldStatus, OcrPage, Record

FORMS: dict[DocumentType, FormSpec] = {
    DocumentType.BIRTH_REGISTRATION: BIRTH,
    DocumentType.DEATH_REGISTRATION: DEATH,
    DocumentType.MARRIAGE_REGISTRATION: MARRIAGE,
}


def extract_records(doc_type: DocumentType, pages: Sequence[OcrPage], config: ExtractConfig) -> list[Record]:
    """Records found in the document (none for administrative and unknown documents)."""
    if doc_type in FORMS:
        records = [read_form(pages, FORMS[doc_type], config)]
    elif doc_type is DocumentType.BIRTH_REGISTER_PAGE:
        records = check_numbering(read_register(pages, config), config)
    else:
        return []
    validated = [validate_record(record, config) for record in records]
    return distrust(validated, config)


def distrust(records: list[Record], config: ExtractConfig) -> list[Record]:
    """What a document as a whole says of its values: mostly unread, none is accepted; numbers read with
    letters for digits, none of its numbers is. In that order: numbers sent to review as handwriting are
    not values the OCR failed to read, and counting them so sent a typed register page with two slips
    ("27I01/2023", "27i05/2023") to review whole."""
    return distrust_written_numbers(distrust_unread(records, config), config)


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
    return _to_review(records, lambda name: True, reason, config)


def _to_review(
    records: list[Record], which: Callable[[str], bool], reason: str, config: ExtractConfig
) -> list[Record]:
    """The records with every accepted value of the fields `which` picks sent to review for `reason`."""
    return [
        replace(
            record,
            fields={
                name: needs_review(fv, reason, config)
                if fv.status is FieldStatus.ACCEPTED and which(name)
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
    numeric = [
        (record, name)
        for record in records
        for name, fv in record.fields.items()
        if kind_of(name) in NUMERIC_KINDS and fv.raw_text
    ]
    mixed = sum(bool(_LETTER_FOR_DIGIT.search(r.fields[n].raw_text)) for r, n in numeric)
    if mixed < WRITTEN_NUMBERS:
        return records
    reason = f"the numbers of this document look handwritten ({mixed} read with letters for digits)"
    return _to_review(records, lambda name: kind_of(name) in NUMERIC_KINDS, reason, config)
