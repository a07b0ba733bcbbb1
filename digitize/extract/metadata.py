"""The digitization guide's document metadata (DocCode, TypeName, CodeNumber, CodeNotation, IssuedDate,
OrganName, Subject, plus Language, PageAmount, ConfidenceLevel, Format) from OCR text and records."""

from __future__ import annotations

import re
from collections.abc import Sequence

from digitize.extract.normalize import clean, full_date
from digitize.extract.text import fold
from digitize.model import DocumentType, OcrPage, Record

TYPE_NAMES = {
    DocumentType.BIRTH_REGISTRATION: "Trích lục khai sinh",
    DocumentType.BIRTH_REGISTER_PAGE: "Sổ đăng ký khai sinh",
    DocumentType.DEATH_REGISTER_PAGE: "Sổ đăng ký khai tử",
    DocumentType.MARRIAGE_REGISTER_PAGE: "Sổ đăng ký kết hôn",
    DocumentType.DEATH_REGISTRATION: "Trích lục khai tử",
    DocumentType.MARRIAGE_REGISTRATION: "Trích lục kết hôn",
    DocumentType.ADMINISTRATIVE_DOCUMENT: "Công văn",
    DocumentType.UNKNOWN: "Chưa phân loại",
}
_NUMBER = re.compile(r"^S[ốo6]\s*:?\s*(\d+)\s*/\s*([\wĐđ\-]+)", re.IGNORECASE)
_PLACE_DATE = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})")
_ADMIN_TYPES = (
    ("quyet dinh", "Quyết định"),
    ("to trinh", "Tờ trình"),
    ("bao cao", "Báo cáo"),
    ("thong bao", "Thông báo"),
    ("ke hoach", "Kế hoạch"),
)


def _code(pages: Sequence[OcrPage]) -> tuple[str | None, str | None]:
    for line in pages[0].lines if pages else ():
        for part in re.split(r"\s{2,}", line.text):
            match = _NUMBER.search(part.strip())
            if match:
                return match.group(1), match.group(2)
    return None, None


def _issued(pages: Sequence[OcrPage]) -> str | None:
    for page in pages:
        for line in page.lines:
            match = _PLACE_DATE.search(fold(line.text))
            if match:
                normalized = full_date(f"{match.group(1)}/{match.group(2)}/{match.group(3)}")
                if normalized.ok:
                    return normalized.value
    return None


def _admin(pages: Sequence[OcrPage]) -> dict[str, str | None]:
    lines = [line.text for line in pages[0].lines] if pages else []
    subject = next((clean(t[t.find("V/v") :]) for t in lines if "V/v" in t or "v/v" in t), None)
    folded = fold(" ".join(lines[:12]))
    type_name = next((name for key, name in _ADMIN_TYPES if key in folded), "Công văn")
    organ = None
    for text in lines[:3]:
        match = re.search(r"(SỞ|BỘ|UBND|ỦY BAN|PHÒNG)[^,]*", text)
        if match and not fold(text).startswith("cong hoa"):
            organ = clean(match.group(0)).title()
    return {"TypeName": type_name, "Subject": subject, "OrganName": organ}


def document_metadata(
    doc_type: DocumentType, pages: Sequence[OcrPage], records: Sequence[Record], source: str
) -> dict[str, str | None]:
    number, notation = _code(pages)
    meta: dict[str, str | None] = {
        "DocCode": None,
        "TypeName": TYPE_NAMES[doc_type],
        "CodeNumber": number,
        "CodeNotation": notation,
        "IssuedDate": _issued(pages),
        "OrganName": None,
        "Subject": None,
    }
    if doc_type is DocumentType.ADMINISTRATIVE_DOCUMENT:
        meta |= {k: v for k, v in _admin(pages).items() if v}
    elif records:
        meta |= _record_meta(doc_type, records[0])
    confidences = [p.confidence for p in pages]
    meta |= {
        "Language": "vi",
        "PageAmount": str(len(pages)),
        "ConfidenceLevel": f"{sum(confidences) / max(1, len(confidences)):.2f}",
        "Format": "application/pdf",
        "Description": f"Bản số hóa của {source}",
    }
    return meta


def _record_meta(doc_type: DocumentType, record: Record) -> dict[str, str | None]:
    office = record.value("registration_office")
    organ = clean(office.split(",")[0]) if office else None
    who = record.value("full_name") or record.value("deceased_full_name")
    if doc_type in (DocumentType.MARRIAGE_REGISTRATION, DocumentType.MARRIAGE_REGISTER_PAGE):
        who = f"{record.value('husband_full_name')} và {record.value('wife_full_name')}"
    subject = f"{TYPE_NAMES[doc_type]} của {who}" if who else TYPE_NAMES[doc_type]
    if doc_type.is_register_page:
        subject = f"{TYPE_NAMES[doc_type]} quyển {record.value('book_number') or '?'}"
    return {"OrganName": organ, "Subject": subject, "IssuedDate": record.value("registration_date")}
