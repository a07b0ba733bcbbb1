"""Keying a register page: rows the extractor did not find are added, rows it made of a smudge are deleted,
and the numbering is checked when the page is finished.

An added row is a record like any other (an event, its persons, a field per column), its cells waiting to
be keyed; its boxes are the row above's moved down one row, so its crops show where it is written. A row
is deleted with everything saved for it, audited with the values it held; a row holding a value the
extractor accepted is deleted only by a supervisor, and deleting a row of a finished page is announced
(`document.corrected`). Rows are added only while the page waits for review.
"""

from __future__ import annotations

import re

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from digitize.errors import ConflictError, NotFoundError, PermissionDeniedError
from digitize.extract.register import PAGE_FIELDS  # copied into an added row as they are
from digitize.model import DocumentType, FieldStatus, FieldValue, Record
from storage.repository.models import AuditEntry, Document, Event, EventPerson, FieldValueRow, Person
from storage.repository.outbox import record_document_corrected
from storage.repository.review import Staff, settle
from storage.repository.store import save_record
from storage.repository.work import now

REGISTER_PAGES = tuple(t.value for t in DocumentType if t.is_register_page)


def add_row(engine: Engine, document_id: int, staff: Staff) -> int:
    """A new entry below the page's last one; returns its record index."""
    with Session(engine) as session, session.begin():
        doc = _open_document(session, document_id, staff)
        if doc.status == "done":  # its entries were announced: a finished page changes field by field
            raise ConflictError(
                f"document {document_id} is finished; rows are added while it waits for review",
                fix="correct its fields instead (a supervisor), or key the entry on the page it belongs to",
            )
        last = session.scalar(
            select(func.max(FieldValueRow.record_index)).where(FieldValueRow.document_id == doc.id)
        )
        if last is None:
            raise ConflictError(f"document {document_id} has no rows to add to", fix="review it as it is")
        above = session.scalars(
            select(FieldValueRow).where(
                FieldValueRow.document_id == doc.id, FieldValueRow.record_index == last
            )
        ).all()
        kind = session.scalar(
            select(Event.kind).where(Event.document_id == doc.id, Event.record_index == last)
        )
        index = last + 1
        save_record(session, doc, index, Record(kind or "birth", {r.field: _below(r) for r in above}))
        doc.status = "needs_review"
        _audit(session, staff, "review.add_row", doc.id, index, {})
        return index


def _below(row: FieldValueRow) -> FieldValue:
    """A cell of the added row: the page header's value as decided, or an empty cell one row lower."""
    box = None
    if row.bbox:
        x0, y0, x1, y1 = row.bbox
        box = (x0, y0, x1, y1)
    if row.field in PAGE_FIELDS:
        status = FieldStatus.ACCEPTED if row.status == "accepted" else FieldStatus.NEEDS_REVIEW
        return FieldValue(
            row.value, row.raw_text, row.confidence, row.page, box, status, row.reason, row.method
        )
    if box:
        box = (box[0], box[3], box[2], box[3] + (box[3] - box[1]))
    reason = "row added at the station: key it from the image"
    return FieldValue(None, "", 0.0, row.page, box, FieldStatus.NEEDS_REVIEW, reason, "keyed")


def delete_row(engine: Engine, document_id: int, staff: Staff, record: int) -> int:
    """Remove an entry that is not one (a smudge, a ruled row read twice); returns the fields left waiting."""
    with Session(engine) as session, session.begin():
        doc = _open_document(session, document_id, staff)
        rows = session.scalars(
            select(FieldValueRow).where(
                FieldValueRow.document_id == doc.id, FieldValueRow.record_index == record
            )
        ).all()
        if not rows:
            raise NotFoundError(f"document {document_id} has no row {record + 1}", fix="reload the page")
        read = [r.field for r in rows if r.value and r.status == "accepted" and r.field not in PAGE_FIELDS]
        if read and staff.role != "supervisor":
            raise PermissionDeniedError(
                f"row {record + 1} holds accepted values ({', '.join(read)})",
                fix="correct its cells, or ask a supervisor to delete the row",
            )
        values = {r.field: r.value for r in rows if r.value}
        finished, moment = doc.status == "done", now()
        _remove(session, doc.id, record, {r.person_id for r in rows if r.person_id is not None})
        _audit(session, staff, "review.delete_row", doc.id, record, {"values": values})
        left = settle(session, doc, moment)
        if finished:  # an entry every client was given is gone: say so
            record_document_corrected(session, doc.id, moment)
        return left


def _remove(session: Session, document_id: int, record: int, persons: set[int]) -> None:
    session.execute(
        delete(FieldValueRow).where(
            FieldValueRow.document_id == document_id, FieldValueRow.record_index == record
        )
    )
    event = session.scalar(
        select(Event).where(Event.document_id == document_id, Event.record_index == record)
    )
    if event is not None:
        session.execute(delete(EventPerson).where(EventPerson.event_id == event.id))
        session.delete(event)
    session.flush()
    for person_id in persons:  # a person made for this row alone goes with it
        linked = session.scalar(
            select(EventPerson.event_id).where(EventPerson.person_id == person_id).limit(1)
        )
        held = session.scalar(select(FieldValueRow.id).where(FieldValueRow.person_id == person_id).limit(1))
        if linked is None and held is None:
            session.execute(delete(Person).where(Person.id == person_id))


def _open_document(session: Session, document_id: int, staff: Staff) -> Document:
    doc = session.get(Document, document_id, with_for_update=True)
    if doc is None:
        raise NotFoundError(f"no document {document_id}", fix="go back to the queue")
    if doc.status == "done" and staff.role != "supervisor":
        raise PermissionDeniedError(
            f"document {document_id} is finished; a reviewer changes only documents waiting",
            fix="ask a supervisor to reopen it",
        )
    return doc


def _audit(
    session: Session, staff: Staff, action: str, document_id: int, record: int, extra: dict[str, object]
) -> None:
    session.add(
        AuditEntry(
            actor=staff.username,
            action=action,
            entity="document",
            entity_id=str(document_id),
            detail={"document_id": document_id, "record": record, "role": staff.role, **extra},
        )
    )


def numbering_problems(engine: Engine, document_id: int) -> list[str]:
    """Entry numbers that break the sequence on this page, or from the previous page of the same book in
    the same batch (a gap is an entry missed; a repeat, one keyed twice), said in Vietnamese for the
    station's clerk."""
    with Session(engine) as session:
        doc = session.get(Document, document_id)
        if doc is None or doc.document_type not in REGISTER_PAGES:
            return []
        numbers = _numbers(session, doc.id)
        previous = _previous_page(session, doc)
    problems = []
    if previous and numbers and numbers[0] != previous[-1] + 1:
        problems.append(
            f"trang bắt đầu ở số {numbers[0]}, trang trước của quyển kết thúc ở số {previous[-1]}"
        )
    for before, after in zip(numbers, numbers[1:], strict=False):
        if after == before:
            problems.append(f"số {after} ghi hai lần")
        elif after != before + 1:
            problems.append(f"sau số {before} là số {after}")
    return problems


def _numbers(session: Session, document_id: int) -> list[int]:
    rows = session.scalars(
        select(FieldValueRow)
        .where(FieldValueRow.document_id == document_id, FieldValueRow.field == "registration_number")
        .order_by(FieldValueRow.record_index)
    ).all()
    ordered = sorted(rows, key=lambda r: (r.page or 0, (r.bbox or [0, 0])[1], r.record_index))
    return [int(m.group()) for r in ordered if (m := re.search(r"\d+", r.value or ""))]


def _previous_page(session: Session, doc: Document) -> list[int]:
    book = session.scalar(
        select(FieldValueRow.value)
        .where(
            FieldValueRow.document_id == doc.id,
            FieldValueRow.field == "book_number",
            FieldValueRow.value.is_not(None),
        )
        .limit(1)
    )
    if not book:
        return []
    earlier = session.scalar(
        select(FieldValueRow.document_id)
        .join(Document, Document.id == FieldValueRow.document_id)
        .where(
            FieldValueRow.field == "book_number",
            FieldValueRow.value == book,
            Document.batch == doc.batch,
            Document.id < doc.id,
        )
        .order_by(Document.id.desc())
        .limit(1)
    )
    return _numbers(session, earlier) if earlier is not None else []
