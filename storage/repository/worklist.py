"""The review station's worklist: documents with fields waiting, oldest first, as one clerk sees them (what
they keyed in a batch keyed twice waits for someone else; what they put off comes last)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from digitize.errors import NotFoundError
from storage.repository import passes
from storage.repository.models import AuditEntry, Document, FieldValueRow
from storage.repository.staff import Staff
from storage.repository.work import as_utc


@dataclass(frozen=True)
class QueueEntry:
    document_id: int
    source_name: str
    document_type: str
    batch: str
    agency: str
    saved_at: datetime
    pages: int
    to_review: int
    postponed: bool = False  # put off by this clerk (F10): listed after the others


def review_queue(
    engine: Engine,
    batch: str | None = None,
    agency: str | None = None,
    limit: int = 100,
    staff: str | None = None,
) -> list[QueueEntry]:
    """Documents with fields waiting for review, oldest first; for `staff`, only fields they have not
    keyed (in a batch keyed twice, what one clerk keyed waits for another)."""
    waiting = func.count(FieldValueRow.id)
    query = (
        select(Document, waiting)
        .join(FieldValueRow, FieldValueRow.document_id == Document.id)
        .where(FieldValueRow.status == "needs_review")
        .group_by(Document.id)
        .order_by(Document.created_at, Document.id)
    )
    if staff is not None:
        query = query.where(passes.not_keyed_by(staff))
    if batch:
        query = query.where(Document.batch == batch)
    if agency:
        query = query.where(Document.agency == agency)
    with Session(engine) as session:
        put_off = _postponed(session, staff) if staff else set()
        entries = [
            QueueEntry(
                d.id,
                d.source_name,
                d.document_type,
                d.batch,
                d.agency,
                as_utc(d.created_at),
                d.page_count,
                int(n),
                d.id in put_off,
            )
            for d, n in session.execute(query.limit(limit + len(put_off))).all()
        ]
    return sorted(entries, key=lambda e: e.postponed)[:limit]  # stable: oldest first within each part


def _postponed(session: Session, staff: str) -> set[int]:
    entries = session.scalars(
        select(AuditEntry.entity_id).where(AuditEntry.action == "review.postpone", AuditEntry.actor == staff)
    )
    return {int(e) for e in entries if e.isdigit()}


def postpone(engine: Engine, document_id: int, staff: Staff) -> None:
    """A clerk puts a document off (F10): it stays theirs to do, listed after the others."""
    with Session(engine) as session, session.begin():
        if session.get(Document, document_id) is None:
            raise NotFoundError(f"no document {document_id}", fix="go back to the queue")
        session.add(
            AuditEntry(
                actor=staff.username,
                action="review.postpone",
                entity="document",
                entity_id=str(document_id),
                detail={"document_id": document_id, "role": staff.role},
            )
        )
