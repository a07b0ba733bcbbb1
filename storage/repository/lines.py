"""What people read off the page, for a handwriting recognizer to learn from (`digitize export-lines`).

Every field a person decided (accepted as read, or corrected by typing) with its page, box and the text
that matches the image: what the clerk typed for a correction (kept in the audit entry as typed, before
the field's format made it canonical), or the OCR's own reading for a value the clerk confirmed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from storage.repository.models import AuditEntry, Document, FieldValueRow, Page


@dataclass(frozen=True)
class KeyedLine:
    field_id: int
    document_id: int
    source_name: str
    signed_key: str
    field: str
    page: int
    box: tuple[int, int, int, int]
    dpi: float
    text: str  # as written on the page, as far as the station knows it
    text_from: str  # "typed" (a correction) or "confirmed" (the OCR's reading, accepted by a person)
    value: str  # the stored, canonical value
    reviewed_by: str
    reviewed_at: datetime | None


def keyed_lines(engine: Engine, batch: str | None = None) -> Iterator[KeyedLine]:
    """Every field a person decided and that has a box on a stored copy, in document order."""
    query = (
        select(FieldValueRow, Document.source_name, Document.signed_key)
        .join(Document, Document.id == FieldValueRow.document_id)
        .where(
            FieldValueRow.method == "reviewed",
            FieldValueRow.status == "accepted",
            FieldValueRow.value.is_not(None),
            FieldValueRow.page.is_not(None),
            FieldValueRow.bbox.is_not(None),
            Document.signed_key.is_not(None),
        )
        .order_by(FieldValueRow.document_id, FieldValueRow.id)
    )
    if batch is not None:
        query = query.where(Document.batch == batch)
    with Session(engine) as session:
        dpis: dict[tuple[int, int], float] = {}  # a page's resolution, asked once for all its fields
        for row, source, signed_key in session.execute(query).all():
            typed = _typed(session, row.id)
            where = (row.document_id, int(row.page or 1))
            if where not in dpis:
                dpis[where] = _dpi(session, *where)
            yield KeyedLine(
                row.id,
                row.document_id,
                source,
                str(signed_key),
                row.field,
                int(row.page or 1),
                tuple(int(v) for v in (row.bbox or [])[:4]),  # type: ignore[arg-type]
                dpis[where],
                typed or row.raw_text,
                "typed" if typed else "confirmed",
                str(row.value),
                str(row.reviewed_by or ""),
                row.reviewed_at,
            )


def _typed(session: Session, field_id: int) -> str | None:
    """What the last correction of this field was typed as (None when it was accepted as read)."""
    entry = session.scalar(
        select(AuditEntry)
        .where(
            AuditEntry.entity == "field",
            AuditEntry.entity_id == str(field_id),
            AuditEntry.action.like("review.%"),
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    if entry is None or entry.action != "review.correct":
        return None
    return str(entry.detail.get("typed") or entry.detail.get("after") or "") or None


def _dpi(session: Session, document_id: int, number: int) -> float:
    dpi = session.scalar(select(Page.dpi).where(Page.document_id == document_id, Page.number == number))
    return float(dpi or 300.0)
