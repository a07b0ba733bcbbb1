"""The review station's data: the queue and reviewers' decisions (accounts and sessions: `staff`; what each
clerk keyed and double keying: `passes`).

Decisions are applied in one transaction: the field rows change (provenance "reviewed", who, when), every
decision is an `audit_log` row with the value before and after, and a document with nothing left to review
is finished again, which writes its webhook events through the outbox like any other finish.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from digitize.errors import PermissionDeniedError, RequestError
from digitize.extract.normalize import check_typed, kind_of
from digitize.extract.place_checks import suggested_value
from digitize.extract.text import plain_text
from digitize.extract.validate import id_problems
from storage.repository import passes
from storage.repository.models import (
    AuditEntry,
    Document,
    FieldValueRow,
    KeyedValue,
    Page,
    WorkItem,
)
from storage.repository.outbox import record_document_corrected, record_item_finished
from storage.repository.staff import (
    ROLES,
    Staff,
    add_staff,
    hash_password,
    password_matches,
    session_staff,
    set_locked,
    sign_in,
    sign_out,
)
from storage.repository.store import carry_correction
from storage.repository.work import now
from storage.repository.worklist import QueueEntry, postpone, review_queue

#: Accounts (`staff`) and the worklist (`worklist`) are named from here too, as the station always did.
__all__ = [
    "ACTIONS",
    "REQUIRED",
    "ROLES",
    "Decision",
    "Outcome",
    "PageSource",
    "QueueEntry",
    "ReviewDocument",
    "ReviewField",
    "Staff",
    "add_staff",
    "apply_decisions",
    "check_decisions",
    "has_corrections",
    "hash_password",
    "page_source",
    "password_matches",
    "postpone",
    "review_document",
    "review_queue",
    "session_staff",
    "set_locked",
    "settle",
    "sign_in",
    "sign_out",
    "waiting_count",
]

ACTIONS = ("accept", "correct", "illegible", "blank")
#: Fields an entry cannot lack: "blank" (nothing written there) is refused for them.
REQUIRED = ("registration_number", "full_name")


@dataclass(frozen=True)
class ReviewField:
    id: int
    record: int
    field: str
    value: str | None
    raw_text: str
    confidence: float
    status: str
    reason: str
    page: int | None
    box: list[int] | None
    method: str
    reviewed_by: str | None
    keys: tuple[tuple[str, str, str | None], ...] = ()  # (clerk, action, value) of each keying so far
    suggestion: str | None = None  # a value the reviewer can take with one key (`validate.suggested_value`)


@dataclass(frozen=True)
class ReviewDocument:
    id: int
    source_name: str
    document_type: str
    batch: str
    agency: str
    status: str
    signed_key: str | None
    page_dpi: dict[int, float]
    fields: list[ReviewField]
    keying: str = "single"  # or "double": every field keyed by two clerks (`passes`)
    form: dict[str, Any] = field(default_factory=dict)  # which form the paper is (`FormLayout.as_dict`)


@dataclass(frozen=True)
class PageSource:
    """Where crops of a document's pages come from: its signed copy, and each page's dpi."""

    signed_key: str | None
    page_dpi: dict[int, float]


def page_source(engine: Engine, document_id: int) -> PageSource | None:
    """What a crop needs, without reading the document's fields (a page asks for dozens of crops)."""
    with Session(engine) as session:
        row = session.execute(select(Document.signed_key).where(Document.id == document_id)).first()
        return None if row is None else PageSource(row[0], _page_dpi(session, document_id))


def _page_dpi(session: Session, document_id: int) -> dict[int, float]:
    return {p.number: p.dpi for p in session.scalars(select(Page).where(Page.document_id == document_id))}


def review_document(engine: Engine, document_id: int) -> ReviewDocument | None:
    with Session(engine) as session:
        doc = session.get(Document, document_id)
        if doc is None:
            return None
        rows = session.scalars(
            select(FieldValueRow)
            .where(FieldValueRow.document_id == document_id)
            .order_by(FieldValueRow.record_index, FieldValueRow.id)
        ).all()
        dpi = _page_dpi(session, document_id)
        keys: dict[int, list[tuple[str, str, str | None]]] = {}
        for k in session.scalars(
            select(KeyedValue).where(KeyedValue.document_id == document_id).order_by(KeyedValue.id)
        ):
            keys.setdefault(k.field_id, []).append((k.staff, k.action, k.value))
        fields = [
            ReviewField(
                r.id,
                r.record_index,
                r.field,
                r.value,
                r.raw_text,
                r.confidence,
                r.status,
                r.reason,
                r.page,
                r.bbox,
                r.method,
                r.reviewed_by,
                tuple(keys.get(r.id, ())),
                suggested_value(r.value, r.reason) if r.status == "needs_review" else None,
            )
            for r in rows
        ]
        return ReviewDocument(
            doc.id,
            doc.source_name,
            doc.document_type,
            doc.batch,
            doc.agency,
            doc.status,
            doc.signed_key,
            dpi,
            fields,
            passes.keying_mode(session, doc.batch),
            dict(doc.form or {}),
        )


# --- decisions -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    field_id: int
    action: str  # accept, correct, illegible
    value: str | None = None
    reason: str = ""  # required when a supervisor changes a field that was already decided
    keystrokes: int = 0  # keys the clerk pressed in the field (for the keying figures)


@dataclass(frozen=True)
class Outcome:
    changed: list[int]  # field ids whose value changed
    remaining: int  # fields still waiting for review
    document_status: str
    reopened: bool = False  # a supervisor changed a value of a finished document (announced)
    waiting_for_you: int = 0  # fields still waiting that this clerk has not keyed (double keying)


def apply_decisions(
    engine: Engine,
    document_id: int,
    staff: Staff,
    decisions: list[Decision],
    reissued_key: str | None = None,
) -> Outcome:
    """Record reviewers' decisions on one document's fields; finish the document when nothing is left.

    `reissued_key` is the new signed revision made for the corrected values; it becomes the document's
    signed copy in the same transaction that announces the document, so the announcement links to it.
    """
    moment = now()
    with Session(engine) as session, session.begin():
        doc = session.get(Document, document_id, with_for_update=True)
        if doc is None:
            raise RequestError(f"no document {document_id}", fix="reload the queue")
        if reissued_key:
            doc.signed_key = reissued_key
        finished = doc.status == "done"
        changed = [d.field_id for d in decisions if _decide(session, doc, staff, d, moment)]
        remaining = settle(session, doc, moment)
        reopened = finished and bool(changed)
        if reopened:  # the e-result every client was given has changed: say so
            record_document_corrected(session, document_id, moment)
        mine = _waiting(session, document_id, staff.username) if remaining else 0
        return Outcome(changed, remaining, doc.status, reopened, mine)


def settle(session: Session, doc: Document, moment: datetime) -> int:
    """The fields of the document still waiting; with none left, the document is finished (or waits for
    the paper when a field was illegible)."""
    remaining = _waiting(session, doc.id)
    if remaining:
        return remaining
    illegible = session.scalar(
        select(func.count())
        .select_from(FieldValueRow)
        .where(FieldValueRow.document_id == doc.id, FieldValueRow.status == "illegible")
    )
    doc.status = "needs_paper" if illegible else "done"
    if doc.status == "done":  # a document needing the paper keeps its dossier waiting
        _finish_items(session, doc.id, moment)
    return 0


def check_decisions(engine: Engine, document_id: int, staff: Staff, decisions: list[Decision]) -> int:
    """Refuse (403/422) what `apply_decisions` would refuse, writing nothing, and say how many fields
    would still wait after them: run before a copy is signed for the decisions, so a refused request (or a
    first keying of a batch keyed twice, which decides nothing) leaves no signed copy behind."""
    with Session(engine) as session:
        doc = session.get(Document, document_id)
        if doc is None:
            raise RequestError(f"no document {document_id}", fix="reload the queue")
        try:
            for decision in decisions:
                _decide(session, doc, staff, decision, now())
            session.flush()
            return _waiting(session, document_id)
        finally:
            session.rollback()


def waiting_count(engine: Engine, document_id: int, staff: str | None = None) -> int:
    """How many fields of the document wait for review (for `staff`: that they have not keyed yet)."""
    with Session(engine) as session:
        return _waiting(session, document_id, staff)


def _waiting(session: Session, document_id: int, staff: str | None = None) -> int:
    query = (
        select(func.count())
        .select_from(FieldValueRow)
        .where(FieldValueRow.document_id == document_id, FieldValueRow.status == "needs_review")
    )
    if staff is not None:
        query = query.where(passes.not_keyed_by(staff))
    return int(session.scalar(query) or 0)


def has_corrections(engine: Engine, document_id: int) -> bool:
    """Whether a reviewer changed a value of this document (then its e-result is signed again)."""
    with Session(engine) as session:
        found = session.scalar(
            select(AuditEntry.id)
            .where(
                AuditEntry.action == "review.correct",
                AuditEntry.detail["document_id"].as_integer() == document_id,
            )
            .limit(1)
        )
    return found is not None


#: Normalizers whose verdict a person's value must pass (names and places are the person's to judge).
STRUCTURED = (
    "date",
    "year",
    "personal_id",
    "sex",
    "ethnicity",
    "nationality",
    "book",
    "number",
    "spelled_date",
)


def _checked(field: str, typed: str | None) -> str:
    """What a reviewer accepts or types, in the field's canonical form; a value that breaks the field's
    format (a date that is no date, an 11-digit ID, "Nm" for the sex) is refused, naming the reason."""
    text = plain_text(typed or "")
    if not text:
        raise RequestError(f"field {field}: no value", fix="type the value, or mark it illegible")
    kind = kind_of(field)
    if kind not in STRUCTURED:
        return text
    checked = check_typed(field, text)
    if not checked.ok or not checked.value:
        raise RequestError(
            f"field {field}: {text!r} — {checked.reason}",
            fix="type it as written on the paper (dates as 12/03/2015), or mark it illegible",
            code="invalid_value",
        )
    return checked.value


def _decide(session: Session, doc: Document, staff: Staff, decision: Decision, moment: datetime) -> bool:
    row = session.get(FieldValueRow, decision.field_id)
    if row is None or row.document_id != doc.id:
        raise RequestError(f"field {decision.field_id} is not on document {doc.id}", fix="reload the page")
    if decision.action not in ACTIONS:
        raise RequestError(f"unknown action {decision.action!r}", fix=f"use one of {', '.join(ACTIONS)}")
    reopening = row.status != "needs_review"
    extra = {"reopened": True, "reason": _reopening_reason(row, staff, decision)} if reopening else {}
    value = _decided_value(session, row, decision)
    if not reopening and passes.keying_mode(session, doc.batch) == "double":
        return _key_twice(session, doc, staff, decision, row, value, moment)
    if not reopening:
        passes.add_key(session, doc, row, staff.username, _kept(decision, value), moment, 1)
    return _settle_field(session, doc, staff, decision, row, value, moment, extra)


def _reopening_reason(row: FieldValueRow, staff: Staff, decision: Decision) -> str:
    if staff.role != "supervisor":
        raise PermissionDeniedError(
            f"field {row.field} was already decided ({row.status}); a reviewer changes only fields waiting",
            fix="ask a supervisor to reopen it",
        )
    reason = plain_text(decision.reason)[:500]
    if not reason:
        raise RequestError(
            f"field {row.field} was already decided ({row.status}); reopening it needs a reason",
            fix="say why the accepted value is wrong (it is kept in the audit log)",
            code="reason_required",
        )
    return reason


def _kept(decision: Decision, value: str | None) -> tuple[str, str | None, int]:
    return decision.action, value, decision.keystrokes


def _key_twice(
    session: Session,
    doc: Document,
    staff: Staff,
    decision: Decision,
    row: FieldValueRow,
    value: str | None,
    moment: datetime,
) -> bool:
    """A field of a batch keyed twice: the first keying waits for the second; two equal keyings decide
    it; two different ones wait for a third person, whose keying decides it."""
    keys = passes.keys_of(session, row.id)
    others = [k for k in keys if k.staff != staff.username]
    if not others or len(others) == 1 and len(keys) == 1:
        keying_pass = 2 if others else 1
        passes.add_key(session, doc, row, staff.username, _kept(decision, value), moment, keying_pass)
        if others and passes.same(others[0], decision.action, value):
            pair = {"double": "agreed", "keyed_by": [others[0].staff, staff.username]}
            return _settle_field(session, doc, staff, decision, row, value, moment, pair)
        row.reason = (
            f"keyed differently by {others[0].staff} and {staff.username}: a third person decides"
            if others
            else "keyed once: waits for the second keying"
        )
        _audit_keying(session, doc, staff, row, (decision.action, value, keying_pass), moment)
        return False
    if len(others) < len(keys):  # this clerk is one of the two who disagree
        raise PermissionDeniedError(
            f"field {row.field}: you and {others[0].staff} keyed it differently; a third person decides",
            fix="leave it to another clerk or a supervisor",
        )
    passes.add_key(session, doc, row, staff.username, _kept(decision, value), moment, 3)
    arbitration = {"double": "arbitrated", "keyed": {k.staff: k.value for k in others}}
    return _settle_field(session, doc, staff, decision, row, value, moment, arbitration)


def _audit_keying(
    session: Session,
    doc: Document,
    staff: Staff,
    row: FieldValueRow,
    keyed: tuple[str, str | None, int],
    moment: datetime,
) -> None:
    """A keying that does not decide the field yet (its value is kept from the other clerks' view)."""
    action, value, keying_pass = keyed
    detail = {
        "document_id": doc.id,
        "field": row.field,
        "record": row.record_index,
        "keyed": value,
        "action": action,
        "pass": keying_pass,
        "role": staff.role,
    }
    session.add(
        AuditEntry(
            at=moment,
            actor=staff.username,
            action="review.keyed",
            entity="field",
            entity_id=str(row.id),
            detail=detail,
        )
    )


def _settle_field(
    session: Session,
    doc: Document,
    staff: Staff,
    decision: Decision,
    row: FieldValueRow,
    value: str | None,
    moment: datetime,
    extra: Mapping[str, object],
) -> bool:
    """The field decided: its value, status and provenance, carried to the event and persons, audited."""
    before = row.value
    row.value = value
    row.status = "illegible" if decision.action == "illegible" else "accepted"
    row.method, row.reviewed_by, row.reviewed_at = "reviewed", staff.username, moment
    row.reason = _REASONS.get(decision.action, "")
    changed = "correct" if row.value != before else decision.action.replace("correct", "accept")
    done = "illegible" if decision.action == "illegible" else changed
    # The event's and the person's columns hold accepted values only: a value accepted now reaches them
    # as a correction does (an entry keyed from nothing had empty ones).
    carried = row.status == "accepted" and (row.value != before or "reopened" not in extra)
    not_carried = carry_correction(session, row) if carried else []
    session.add(
        AuditEntry(
            at=moment,
            actor=staff.username,
            action=f"review.{done}",
            entity="field",
            entity_id=str(row.id),
            detail={
                "document_id": doc.id,
                "field": row.field,
                "record": row.record_index,
                "before": before,
                "after": row.value,
                "typed": plain_text(decision.value or "")[:500] if decision.action == "correct" else None,
                "role": staff.role,
                **extra,
                **({"not_carried": not_carried} if not_carried else {}),
            },
        )
    )
    return row.value != before


_REASONS = {"illegible": "illegible: needs the paper", "blank": "blank on the paper"}


def _decided_value(session: Session, row: FieldValueRow, decision: Decision) -> str | None:
    """The value a decision leaves on the field: checked against the field's format and, for a personal
    ID, sex or date of birth, against the other two as decided on the same record."""
    if decision.action == "illegible":
        return row.value
    if decision.action == "blank":
        if row.field in REQUIRED:
            raise RequestError(
                f"field {row.field} cannot be left blank: every entry has one",
                fix="type it as written, or mark it illegible (F9)",
                code="required",
            )
        return None
    typed = decision.value if decision.action == "correct" and decision.value is not None else row.value
    value = _checked(row.field, typed)
    _check_identity(session, row, value)
    return value


#: The personal ID's digits encode the century and sex and the year of birth (`validate.id_problems`).
_IDENTITY = ("personal_id", "date_of_birth", "sex")


def _check_identity(session: Session, row: FieldValueRow, value: str) -> None:
    part = next((p for p in _IDENTITY if row.field.endswith(p)), None)
    if part is None:
        return
    prefix = row.field[: -len(part)]
    decided = session.scalars(
        select(FieldValueRow).where(
            FieldValueRow.document_id == row.document_id,
            FieldValueRow.record_index == row.record_index,
            FieldValueRow.field.in_([prefix + p for p in _IDENTITY]),
            FieldValueRow.status == "accepted",
            FieldValueRow.id != row.id,
        )
    ).all()
    known = {r.field[len(prefix) :]: r.value for r in decided if r.value} | {part: value}
    if "personal_id" not in known:
        return
    problems = id_problems(known["personal_id"], known.get("date_of_birth"), known.get("sex"))
    if problems:
        raise RequestError(
            f"field {row.field}: {value!r} — {'; '.join(problems)}",
            fix="check the personal ID, sex and date of birth against the paper",
            code="inconsistent",
        )


def _finish_items(session: Session, document_id: int, moment: datetime) -> None:
    """The work items of a reviewed document are done: their dossiers update and announce it."""
    items = session.scalars(select(WorkItem.id).where(WorkItem.document_id == document_id)).all()
    for item_id in items:
        session.execute(
            update(WorkItem)
            .where(WorkItem.id == item_id, WorkItem.status == "needs_review")
            .values(status="done", finished_at=moment)
        )
        record_item_finished(session, item_id)
