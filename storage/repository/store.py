"""Saving results into the repository and the reuse lookup (`find_person`).

Saving is idempotent by the original's sha256: a document already stored is not stored again, so a
retried job or a re-run batch never duplicates rows. Only accepted values identify persons; values that
need review are stored with their provenance but never merge two persons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from digitize.errors import TransientStorageError
from digitize.model import EXTRACTOR_VERSION, DocumentResult, FieldStatus, FieldValue, Record
from storage.repository.models import (
    AuditEntry,
    Document,
    Event,
    EventPerson,
    FieldValueRow,
    Page,
    Person,
)

#: Field-name prefix → role of the person the field describes, per record kind.
ROLES: dict[str, dict[str, str]] = {
    "birth": {"mother_": "mother", "father_": "father", "": "subject"},
    "death": {"deceased_": "deceased"},
    "marriage": {"husband_": "husband", "wife_": "wife"},
}
EVENT_FIELDS = ("registration_number", "book_number", "registration_date", "registration_office")


@dataclass(frozen=True)
class SavedDocument:
    document_id: int
    created: bool  # False when the same original had been saved before


@dataclass(frozen=True)
class ObjectKeys:
    original: str
    signed: str | None
    result: str | None


def _accepted(fv: FieldValue | None) -> str | None:
    return fv.value if fv is not None and fv.status is FieldStatus.ACCEPTED else None


def _role_of(kind: str, name: str) -> tuple[str, str] | None:
    """(role, field without prefix) for a person field; None for event fields."""
    if name in EVENT_FIELDS or name.startswith("declarant"):
        return None
    for prefix, role in ROLES.get(kind, {}).items():
        if name.startswith(prefix) and (prefix or not any(name.startswith(p) for p in ROLES[kind] if p)):
            return role, name[len(prefix) :]
    return None


def _person_fields(record: Record) -> dict[str, dict[str, FieldValue]]:
    people: dict[str, dict[str, FieldValue]] = {}
    for name, fv in record.fields.items():
        role = _role_of(record.kind, name)
        if role:
            people.setdefault(role[0], {})[role[1]] = fv
    mother = record.fields.get("mother_full_name")
    if "subject" in people and mother is not None:
        people["subject"]["mother_full_name"] = mother  # part of the subject's identity key for reuse
    return people


def _find_or_create_person(session: Session, fields: dict[str, FieldValue]) -> Person:
    pid = _accepted(fields.get("personal_id"))
    name, dob = _accepted(fields.get("full_name")), _accepted(fields.get("date_of_birth"))
    mother = _accepted(fields.get("mother_full_name"))
    person = None
    if pid:
        person = session.scalar(select(Person).where(Person.personal_id == pid))
    elif name and dob and mother:
        person = session.scalar(
            select(Person).where(
                Person.full_name == name, Person.date_of_birth == dob, Person.mother_full_name == mother
            )
        )
    if person is None:
        person = Person(
            personal_id=pid,
            full_name=name,
            date_of_birth=dob,
            mother_full_name=mother,
            sex=_accepted(fields.get("sex")),
        )
        session.add(person)
        session.flush()
    return person


def _field_row(
    document: Document, index: int, name: str, fv: FieldValue, event_id: int, person_id: int | None
) -> FieldValueRow:
    return FieldValueRow(
        document_id=document.id,
        event_id=event_id,
        person_id=person_id,
        record_index=index,
        field=name,
        value=fv.value,
        raw_text=fv.raw_text,
        confidence=fv.confidence,
        page=fv.page,
        bbox=list(fv.box) if fv.box else None,
        status=str(fv.status),
        reason=fv.reason,
        method=fv.method,
        admin_unit=dict(fv.unit) if fv.unit else None,
        extractor_version=EXTRACTOR_VERSION,
    )


def save_record(session: Session, document: Document, index: int, record: Record) -> None:
    event = Event(
        kind=record.kind,
        document_id=document.id,
        record_index=index,
        **{k: record.value(k) for k in EVENT_FIELDS},
    )
    session.add(event)
    session.flush()
    person_ids: dict[str, int] = {}
    for role, fields in _person_fields(record).items():
        person = _find_or_create_person(session, fields)
        person_ids[role] = person.id
        session.add(EventPerson(event_id=event.id, person_id=person.id, role=role))
    for name, fv in record.fields.items():
        owner = _role_of(record.kind, name)
        person_id = person_ids.get(owner[0]) if owner else None
        row = _field_row(document, index, name, fv, event.id, person_id)
        if person_id is not None and owner is not None and owner[1] in IDENTITY_FIELDS:
            _flag_conflicts(session, row, owner[1], document)
        session.add(row)


#: Facts about a person that do not change between documents: two sources disagreeing on one is a conflict.
IDENTITY_FIELDS = ("full_name", "date_of_birth", "sex", "personal_id", "place_of_birth")


def _flag_conflicts(session: Session, row: FieldValueRow, person_field: str, document: Document) -> None:
    """An accepted value that contradicts an accepted value of the same person from another document:
    both are kept, both go to review (neither is offered for reuse until someone decides), and the
    conflict is audited."""
    if row.status != str(FieldStatus.ACCEPTED) or not row.value:
        return
    earlier = session.scalars(
        select(FieldValueRow).where(
            FieldValueRow.person_id == row.person_id,
            FieldValueRow.status == str(FieldStatus.ACCEPTED),
            FieldValueRow.document_id != document.id,
        )
    ).all()
    for other in earlier:
        if _person_field(other.field) != person_field or other.value == row.value:
            continue
        other_doc = session.get_one(Document, other.document_id)
        row.status, row.reason = (
            "needs_review",
            _joined(row.reason, f"conflicts with '{other.value}' in {other_doc.source_name}"),
        )
        other.status = other_doc.status = document.status = "needs_review"
        other.reason = _joined(other.reason, f"conflicts with '{row.value}' in {document.source_name}")
        session.add(
            AuditEntry(
                actor="system",
                action="conflict",
                entity="person",
                entity_id=str(row.person_id),
                detail={
                    "field": person_field,
                    "values": [other.value, row.value],
                    "documents": [other_doc.sha256, document.sha256],
                },
            )
        )


#: Person columns a reviewed value updates (the identity the reuse lookups search by).
PERSON_COLUMNS = ("personal_id", "full_name", "date_of_birth", "sex")


def carry_correction(session: Session, row: FieldValueRow) -> list[str]:
    """A reviewed value reaches every row that holds it: the event's registration columns, the person's
    identity columns, and a child's `mother_full_name` when the mother's name was corrected. Returns what
    could not be carried (a personal ID another person already has stays for a person to decide)."""
    left: list[str] = []
    if row.field in EVENT_FIELDS and row.event_id is not None:
        event = session.get(Event, row.event_id)
        if event is not None:
            setattr(event, row.field, row.value)
    column = _person_field(row.field)
    person = session.get(Person, row.person_id) if row.person_id is not None else None
    if person is not None and column in PERSON_COLUMNS:
        taken = column == "personal_id" and session.scalar(
            select(Person.id).where(Person.personal_id == row.value, Person.id != person.id)
        )
        if taken:
            left.append(f"personal ID {row.value} belongs to person {taken}: person {person.id} unchanged")
        else:
            setattr(person, column, row.value)
    if row.field == "mother_full_name" and row.event_id is not None:
        for child in session.scalars(
            select(Person)
            .join(EventPerson, EventPerson.person_id == Person.id)
            .where(EventPerson.event_id == row.event_id, EventPerson.role == "subject")
        ):
            child.mother_full_name = row.value
    return left


def _person_field(name: str) -> str:
    for roles in ROLES.values():
        for prefix in roles:
            if prefix and name.startswith(prefix):
                return name[len(prefix) :]
    return name


def _joined(reason: str, extra: str) -> str:
    return f"{reason}; {extra}" if reason else extra


def document_status(result: DocumentResult) -> str:
    review = any(fv.status is FieldStatus.NEEDS_REVIEW for r in result.records for fv in r.fields.values())
    return "needs_review" if review or result.errors else "done"


def find_document(engine: Engine, sha256: str) -> tuple[int, str] | None:
    """(id, status) of the document digitized from this original, if it was saved before."""
    with Session(engine) as session:
        row = session.execute(select(Document.id, Document.status).where(Document.sha256 == sha256)).first()
        return (int(row[0]), str(row[1])) if row else None


def save_result(
    engine: Engine, result: DocumentResult, keys: ObjectKeys, agency: str, batch: str, actor: str = "system"
) -> SavedDocument:
    """Store a result once. Concurrent workers may race on the document or on a person they share: the
    loser's transaction is rolled back and tried again, finding what the winner stored."""
    for _ in range(3):
        with Session(engine) as session:
            existing = session.scalar(select(Document.id).where(Document.sha256 == result.sha256))
            if existing is not None:
                return SavedDocument(existing, created=False)
            try:
                document = _add_document(session, result, keys, agency, batch, actor)
                session.commit()
            except IntegrityError:  # another worker stored this original, or one of its persons, first
                session.rollback()
                continue
            return SavedDocument(document.id, created=True)
    raise TransientStorageError(
        f"could not store {result.source}: concurrent writers kept conflicting",
        fix="the job is retried; if it persists, check the repository for duplicate keys",
    )


def _add_document(
    session: Session, result: DocumentResult, keys: ObjectKeys, agency: str, batch: str, actor: str
) -> Document:
    document = Document(
        sha256=result.sha256,
        source_name=result.source,
        agency=agency,
        batch=batch,
        document_type=str(result.document_type),
        page_count=len(result.pages),
        original_key=keys.original,
        signed_key=keys.signed,
        result_key=keys.result,
        signature_valid=result.signature.valid if result.signature else None,
        status=document_status(result),
        meta=dict(result.metadata),
        errors={"messages": list(result.errors)},
        form=result.form.as_dict(),
        form_version=result.form.version,
    )
    session.add(document)
    session.flush()
    for p in result.pages:
        session.add(
            Page(
                document_id=document.id,
                number=p.image.number,
                rotation=p.geometry.rotation,
                skew_deg=p.geometry.skew_deg,
                dpi=p.image.dpi,
                ocr_confidence=p.ocr.confidence,
            )
        )
    for index, record in enumerate(result.records):
        save_record(session, document, index, record)
    session.add(
        AuditEntry(
            actor=actor,
            action="digitized",
            entity="document",
            entity_id=result.sha256,
            detail={"source": result.source, "type": str(result.document_type)},
        )
    )
    return document


@dataclass(frozen=True)
class PersonView:
    person_id: int
    personal_id: str | None
    accepted: dict[str, str]
    documents: list[dict[str, Any]] = field(default_factory=list)


def find_person(
    engine: Engine,
    personal_id: str | None = None,
    full_name: str | None = None,
    date_of_birth: str | None = None,
    mother_full_name: str | None = None,
) -> PersonView | None:
    """The reuse path: a person's accepted data and the documents already digitized about them."""
    with Session(engine) as session:
        query = select(Person)
        if personal_id:
            query = query.where(Person.personal_id == personal_id)
        elif full_name and date_of_birth and mother_full_name:
            query = query.where(
                Person.full_name == full_name,
                Person.date_of_birth == date_of_birth,
                Person.mother_full_name == mother_full_name,
            )
        else:
            return None
        person = session.scalar(query)
        if person is None:
            return None
        rows = session.scalars(
            select(FieldValueRow).where(
                FieldValueRow.person_id == person.id, FieldValueRow.status == str(FieldStatus.ACCEPTED)
            )
        ).all()
        docs = session.scalars(select(Document).where(Document.id.in_({r.document_id for r in rows}))).all()
        return PersonView(
            person.id,
            person.personal_id,
            {r.field: r.value for r in rows if r.value},
            [
                {
                    "id": d.id,
                    "sha256": d.sha256,
                    "type": d.document_type,
                    "signed_key": d.signed_key,
                    "source": d.source_name,
                }
                for d in docs
            ],
        )
