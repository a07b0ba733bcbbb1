"""Field extraction: one reader per document type, then cross-field validation."""

from __future__ import annotations

from collections.abc import Sequence

from digitize.config import ExtractConfig
from digitize.extract.civil_status import BIRTH, DEATH, MARRIAGE
from digitize.extract.forms import FormSpec, read_form
from digitize.extract.register import read_register
from digitize.extract.validate import check_numbering, validate_record
from digitize.model import DocumentType, OcrPage, Record

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
    return [validate_record(record, config) for record in records]
