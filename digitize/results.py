"""The JSON contract of a processed document (what `--out DIR/<stem>.json` holds and other tools read)."""

from __future__ import annotations

from typing import Any

import numpy as np

from digitize.model import (
    DocumentResult,
    DocumentType,
    FieldStatus,
    FieldValue,
    FormLayout,
    Geometry,
    OcrPage,
    PageImage,
    ProcessedPage,
    Record,
    SignatureSummary,
)

CONTRACT_METADATA = ("TypeName", "CodeNumber", "CodeNotation", "IssuedDate", "OrganName", "Subject")


def field_json(fv: FieldValue) -> dict[str, Any]:
    return {
        "value": fv.value,
        "confidence": fv.confidence,
        "page": fv.page,
        "bbox": list(fv.box) if fv.box else None,
        "status": str(fv.status),
        "reason": fv.reason,
        "raw_text": fv.raw_text,
        "method": fv.method,
        **({"admin_unit": dict(fv.unit)} if fv.unit else {}),
    }


def result_json(result: DocumentResult, signed_sha256: str | None = None) -> dict[str, Any]:
    """The result as JSON; `signed_sha256` (the stored signed copy's digest) lets a worker that finds this
    JSON stored but not yet recorded record it without redoing the page (`result_from_json`)."""
    return {
        "source": result.source,
        "sha256": result.sha256,
        "document_type": str(result.document_type),
        "form": result.form.as_dict(),
        "pages": [
            {
                "number": p.image.number,
                "rotation": p.geometry.rotation,
                "skew_deg": p.geometry.skew_deg,
                "ocr_confidence": p.ocr.confidence,
                "dpi": round(p.image.dpi),
                "dpi_estimated": p.image.dpi_estimated,
                "flattened": p.geometry.flattened,
            }
            for p in result.pages
        ],
        "metadata": dict(result.metadata),
        "records": [
            {name: field_json(fv) for name, fv in record.fields.items()} for record in result.records
        ],
        "signature": (
            {
                "valid": result.signature.valid,
                "signer": result.signature.signer,
                "level": result.signature.level,
                "detail": result.signature.detail,
            }
            if result.signature
            else None
        ),
        "errors": list(result.errors),
        "seconds": result.seconds,
        "record_kinds": [record.kind for record in result.records],
        **({"signed_sha256": signed_sha256} if signed_sha256 else {}),
    }


def result_from_json(data: dict[str, Any]) -> DocumentResult:
    """What the repository needs of a result, read back from its JSON (no pixels, words or PDF bytes)."""
    kinds = data.get("record_kinds") or ["document"] * len(data["records"])
    records = tuple(
        Record(kind, {name: _field_from_json(f) for name, f in fields.items()})
        for kind, fields in zip(kinds, data["records"], strict=True)
    )
    signature = data.get("signature")
    return DocumentResult(
        source=data["source"],
        sha256=data["sha256"],
        document_type=DocumentType(data["document_type"]),
        pages=tuple(_page_from_json(p) for p in data["pages"]),
        records=records,
        metadata=dict(data["metadata"]),
        pdf=b"",
        signature=SignatureSummary(**signature) if signature else None,
        errors=tuple(data.get("errors", ())),
        seconds=float(data.get("seconds", 0.0)),
        form=_form_from_json(data.get("form") or {}),
    )


def _form_from_json(f: dict[str, Any]) -> FormLayout:
    return FormLayout(
        kind=f.get("kind"),
        paper=f.get("paper"),
        era=f.get("era"),
        parents=f.get("parents"),
        value_columns=int(f.get("value_columns", 1)),
        death_sentence=bool(f.get("death_sentence", False)),
        entries=int(f.get("entries", 0)),
        cues=tuple(f.get("cues", ())),
    )


def _field_from_json(f: dict[str, Any]) -> FieldValue:
    return FieldValue(
        value=f["value"],
        raw_text=f.get("raw_text", ""),
        confidence=float(f["confidence"]),
        page=f.get("page"),
        box=tuple(f["bbox"]) if f.get("bbox") else None,
        status=FieldStatus(f["status"]),
        reason=f.get("reason", ""),
        method=f.get("method", "label"),
        unit=tuple((k, v) for k, v in (f.get("admin_unit") or {}).items()),
    )


def _page_from_json(p: dict[str, Any]) -> ProcessedPage:
    empty = np.zeros((0, 0, 3), dtype=np.uint8)
    return ProcessedPage(
        PageImage(int(p["number"]), empty, float(p["dpi"]), bool(p.get("dpi_estimated", False))),
        Geometry(int(p["rotation"]), float(p["skew_deg"]), bool(p.get("flattened", False))),
        OcrPage(int(p["number"]), 0, 0, (), float(p["ocr_confidence"])),
    )


def ocr_text(result: DocumentResult) -> str:
    """OCR text of every page, pages separated by form feed."""
    return "\f".join(p.ocr.text for p in result.pages)
