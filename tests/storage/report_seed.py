"""A known set of dossiers, documents, failures and reuse lookups for the indicator reports.

Times are written in Vietnam time (UTC+7) and stored in UTC, as the application stores them. The period
under test is October 2026. Two dossiers sit just outside it on either side of midnight Vietnam time, so
a report that counted days in UTC would include one of them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from itertools import count

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.repository import intake
from storage.repository.models import AuditEntry, Document, Dossier, WorkItem

VN = timezone(timedelta(hours=7))
_serial = count(1)


def vn(day: str, hour: int = 9, minute: int = 0) -> datetime:
    """A moment given in Vietnam time, as the UTC datetime the repository stores."""
    y, m, d = (int(x) for x in day.split("-"))
    return datetime(y, m, d, hour, minute, tzinfo=VN).astimezone(UTC)


def _document(session: Session, agency: str, pages: int, created: datetime, status: str = "done") -> int:
    n = next(_serial)
    doc = Document(
        sha256=f"{n:064x}",
        source_name=f"scan{n}.png",
        agency=agency,
        batch="seed",
        document_type="birth_extract",
        page_count=pages,
        original_key=f"k/{n}/original.png",
        signed_key=f"k/{n}/signed.pdf",
        result_key=f"k/{n}/result.json",
        signature_valid=True,
        status=status,
        meta={},
        errors={},
        created_at=created,
    )
    session.add(doc)
    session.flush()
    return doc.id


def _item(
    session: Session,
    dossier: Dossier | None,
    queued: datetime,
    finished: datetime,
    status: str,
    *,
    role: str = "component",
    document_id: int | None = None,
    reason: str | None = None,
) -> None:
    n = next(_serial)
    session.add(
        WorkItem(
            batch=intake.dossier_batch(dossier.id) if dossier else "seed",
            agency="000.00.00.H00",
            source_name=f"item{n}.png",
            original_key=f"k/{n}/original.png",
            sha256=f"{n:064x}",
            status=status,
            attempts=1,
            dossier_id=dossier.id if dossier else None,
            role=role,
            error=f"item{n}.png: {reason} — a fix" if reason else "",
            failure_reason=reason,
            document_id=document_id,
            queued_at=queued,
            started_at=queued,
            finished_at=finished,
        )
    )


def _dossier(session: Session, client_id: int, code: str, agency: str, received: datetime) -> Dossier:
    row = Dossier(
        id=f"00000000-0000-4000-8000-{next(_serial):012d}",
        client_id=client_id,
        request_hash="h",
        code=code,
        procedure_code="1.001193",
        agency=agency,
        channel="online",
        status="done",
        received_at=received,
        updated_at=received,
    )
    session.add(row)
    session.flush()
    return row


def _signed(
    session: Session, dossier: Dossier, queued: datetime, finished: datetime, pages: int, **kw: str
) -> None:
    status = kw.pop("status", "done")
    doc = _document(session, dossier.agency, pages, finished, status)
    _item(session, dossier, queued, finished, status, document_id=doc, **kw)  # type: ignore[arg-type]


def _reuse(session: Session, code: str, at: datetime, found: bool) -> None:
    detail = {"found": found, "dossier_code": code}
    session.add(
        AuditEntry(at=at, actor="portal", action="reuse", entity="person", entity_id="x", detail=detail)
    )


def seed(engine: Engine) -> None:
    client = intake.create_client(engine, "portal", ("submit", "read"))
    with Session(engine) as s, s.begin():
        cid = client.client.id
        a1 = _dossier(s, cid, "A1", "UBND-A", vn("2026-10-05", 9))
        _signed(s, a1, vn("2026-10-05", 9), vn("2026-10-05", 12), 2)
        _signed(s, a1, vn("2026-10-05", 9), vn("2026-10-05", 12), 1)
        _signed(s, a1, vn("2026-10-06", 8), vn("2026-10-06", 9), 1, role="result")  # 24 h
        _reuse(s, "A1", vn("2026-10-05", 9), True)

        a2 = _dossier(s, cid, "A2", "UBND-A", vn("2026-10-05", 10))
        _signed(s, a2, vn("2026-10-05", 10), vn("2026-10-05", 15), 3, status="needs_review")
        _signed(s, a2, vn("2026-10-05", 21), vn("2026-10-05", 22), 1, role="result")  # 12 h

        a3 = _dossier(s, cid, "A3", "UBND-A", vn("2026-10-20", 8))
        _item(s, a3, vn("2026-10-20", 8), vn("2026-10-21", 7), "failed", reason="the PDF is encrypted")
        _signed(s, a3, vn("2026-10-21", 7, 30), vn("2026-10-21", 8), 1, role="result")  # 24 h
        _reuse(s, "A3", vn("2026-10-20", 8), False)

        a4 = _dossier(s, cid, "A4", "UBND-A", vn("2026-10-31", 23, 30))
        old = _document(s, "000.00.00.H00", 3, vn("2026-09-01"))  # the same paper, digitized before
        _item(s, a4, vn("2026-10-31", 23, 30), vn("2026-10-31", 23, 31), "done", document_id=old)
        _signed(s, a4, vn("2026-11-02", 8), vn("2026-11-02", 9), 1, role="result")  # after the period

        b1 = _dossier(s, cid, "B1", "UBND-B", vn("2026-10-10", 8))
        _signed(s, b1, vn("2026-10-10", 8), vn("2026-10-10", 11), 4)
        _reuse(s, "B1", vn("2026-11-05"), True)  # after the period: not counted for October

        b2 = _dossier(s, cid, "B2", "UBND-B", vn("2026-10-10", 8))
        _item(s, b2, vn("2026-10-10", 8), vn("2026-10-11", 9), "failed", reason="page 3 is only 90×60 pixels")

        _dossier(s, cid, "B3", "UBND-B", vn("2026-09-30", 23))  # the evening before the period
        _dossier(s, cid, "B4", "UBND-B", vn("2026-11-01", 0, 30))  # just after midnight: November

        loose = _document(s, "000.00.00.H00", 5, vn("2026-10-15"), "needs_review")  # `digitize submit`
        _item(s, None, vn("2026-10-15", 8), vn("2026-10-15"), "needs_review", document_id=loose)
