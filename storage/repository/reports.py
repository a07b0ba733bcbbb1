"""The facts behind the indicator reports, read from the repository in a few queries.

Only reading happens here; `digitize.indicators` turns these facts into figures (no database there), so the
formulas are tested on plain data and the queries on SQLite and PostgreSQL.

Everything is "as of" the end of the period: an e-result signed or a reuse lookup made after it does not
count, so a report for October reads the same whether it is made on 1 November or in December.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Engine, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from digitize.facts import (
    DocumentFact,
    DossierFact,
    Facts,
    FailureFact,
    ItemFact,
    WaitFact,
    Window,
)
from storage.repository.models import AuditEntry, Document, Dossier, IntakeClient, WorkItem
from storage.repository.work import as_utc


def load_facts(engine: Engine, window: Window) -> Facts:
    with Session(engine) as session:
        return Facts(
            window,
            _dossiers(session, window),
            _documents(session, window),
            _failures(session, window),
            _waits(session, window),
        )


def _agency(window: Window, column: InstrumentedAttribute[str]) -> list[ColumnElement[bool]]:
    return [column == window.agency] if window.agency else []


def _dossiers(session: Session, window: Window) -> list[DossierFact]:
    in_window = [
        Dossier.received_at >= window.start,
        Dossier.received_at < window.end,
        *_agency(window, Dossier.agency),
    ]
    rows = session.execute(
        select(Dossier.id, Dossier.code, Dossier.agency, Dossier.received_at, IntakeClient.name)
        .join(IntakeClient, IntakeClient.id == Dossier.client_id)
        .where(*in_window)
        .order_by(Dossier.received_at, Dossier.id)
    ).all()
    items = _items_by_dossier(session, window, in_window)
    reused = _reused_codes(session, window)
    return [
        DossierFact(i, code, agency, as_utc(at), tuple(items.get(i, [])), (client, code) in reused)
        for i, code, agency, at, client in rows
    ]


def _items_by_dossier(
    session: Session, window: Window, in_window: list[ColumnElement[bool]]
) -> dict[str, list[ItemFact]]:
    rows = session.execute(
        select(
            WorkItem.dossier_id,
            WorkItem.role,
            WorkItem.finished_at,
            Document.signed_key,
            Document.created_at,
            Dossier.received_at,
        )
        .join(Dossier, Dossier.id == WorkItem.dossier_id)
        .outerjoin(Document, Document.id == WorkItem.document_id)
        .where(*in_window)
        .order_by(WorkItem.id)
    ).all()
    found: dict[str, list[ItemFact]] = {}
    for dossier_id, role, finished, signed_key, created, received in rows:
        found.setdefault(str(dossier_id), []).append(
            _item(window, role, finished, signed_key, created, received)
        )
    return found


def _item(
    window: Window,
    role: str,
    finished: datetime | None,
    signed_key: str | None,
    created: datetime | None,
    received: datetime,
) -> ItemFact:
    signed_at = as_utc(finished) if finished is not None and signed_key else None
    if signed_at is not None and signed_at >= window.end:
        signed_at = None
    before = created is not None and as_utc(created) < as_utc(received)
    return ItemFact(role, signed_at, before)


def _reused_codes(session: Session, window: Window) -> set[tuple[str, str]]:
    """(intake system, dossier code) of the period for which that system's own reuse lookup found
    accepted data by the end: another system naming the code moves nothing."""
    code = AuditEntry.detail["dossier_code"].as_string()
    period_codes = select(Dossier.code).where(
        Dossier.received_at >= window.start, Dossier.received_at < window.end
    )
    rows = session.execute(
        select(AuditEntry.actor, code, AuditEntry.detail["found"].as_boolean()).where(
            AuditEntry.action == "reuse", AuditEntry.at < window.end, code.in_(period_codes)
        )
    ).all()
    return {(str(actor), str(c)) for actor, c, found in rows if found}


def _documents(session: Session, window: Window) -> list[DocumentFact]:
    rows = session.execute(
        select(
            Document.id,
            Document.agency,
            Document.created_at,
            Document.page_count,
            Document.status,
            Dossier.agency,
        )
        .outerjoin(WorkItem, WorkItem.document_id == Document.id)
        .outerjoin(Dossier, Dossier.id == WorkItem.dossier_id)
        .where(
            Document.created_at < window.end,
            or_(Document.created_at >= window.start, Document.status == "needs_review"),
        )
        .order_by(Document.id, WorkItem.id)
    ).all()
    first: dict[int, DocumentFact] = {}
    for doc_id, own_agency, created, pages, status, dossier_agency in rows:
        agency = dossier_agency or own_agency
        if doc_id not in first and (window.agency is None or agency == window.agency):
            first[doc_id] = DocumentFact(agency, as_utc(created), int(pages), status)
    return list(first.values())


def _failures(session: Session, window: Window) -> list[FailureFact]:
    rows = session.execute(
        select(WorkItem.agency, Dossier.agency, WorkItem.finished_at, WorkItem.failure_reason, WorkItem.error)
        .outerjoin(Dossier, Dossier.id == WorkItem.dossier_id)
        .where(
            WorkItem.status == "failed",
            WorkItem.finished_at >= window.start,
            WorkItem.finished_at < window.end,
        )
        .order_by(WorkItem.id)
    ).all()
    facts = [
        FailureFact(dossier_agency or agency, as_utc(at), reason or _reason_from(error))
        for agency, dossier_agency, at, reason, error in rows
        if at is not None
    ]
    return [f for f in facts if window.agency is None or f.agency == window.agency]


def _reason_from(error: str) -> str:
    """Items failed before reasons were recorded: "<file>: <message> — <fix>" → "<message>"."""
    message = error.split(" — ", 1)[0]
    return message.split(": ", 1)[1] if ": " in message else message or "unrecorded"


def _waits(session: Session, window: Window) -> list[WaitFact]:
    rows = session.execute(
        select(WorkItem.agency, Dossier.agency, WorkItem.queued_at, WorkItem.finished_at)
        .outerjoin(Dossier, Dossier.id == WorkItem.dossier_id)
        .where(
            WorkItem.queued_at < window.end,
            or_(WorkItem.finished_at.is_(None), WorkItem.finished_at >= window.start),
        )
        .order_by(WorkItem.id)
    ).all()
    facts = [
        WaitFact(dossier_agency or agency, as_utc(queued), as_utc(finished) if finished else None)
        for agency, dossier_agency, queued, finished in rows
    ]
    return [f for f in facts if window.agency is None or f.agency == window.agency]
