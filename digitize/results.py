"""The JSON contract of a processed document (what `--out DIR/<stem>.json` holds and other tools read)."""

from __future__ import annotations

from typing import Any

from digitize.model import DocumentResult, FieldValue

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


def result_json(result: DocumentResult) -> dict[str, Any]:
    return {
        "source": result.source,
        "sha256": result.sha256,
        "document_type": str(result.document_type),
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
    }


def ocr_text(result: DocumentResult) -> str:
    """OCR text of every page, pages separated by form feed."""
    return "\f".join(p.ocr.text for p in result.pages)
