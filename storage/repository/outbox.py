"""The webhook outbox: a dossier's status and its events, written in the transaction that finished a page.

`work.finish` calls `record_item_finished` inside its own transaction, so a status change and the event
announcing it are committed together or not at all: nothing is lost between the database and the network.
The dossier row is locked while its documents' statuses are read, so two documents finishing at once
still produce exactly one dossier event. Dispatchers (`workers.webhooks`) send what is written here.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.repository.models import TERMINAL, Dossier, WebhookDelivery, WorkItem, utcnow


def dossier_status(statuses: list[str]) -> str:
    """queued/processing while any document is; then failed, needs_review or done (worst first)."""
    if not statuses:
        return "receiving"
    if any(s not in TERMINAL for s in statuses):
        return "processing" if any(s != "queued" for s in statuses) else "queued"
    for worst in ("failed", "needs_review"):
        if worst in statuses:
            return worst
    return "done"


def record_item_finished(session: Session, item_id: int) -> None:
    """In the transaction that finished a work item: update its dossier and write the webhook events."""
    item = session.get(WorkItem, item_id)
    if item is None or item.dossier_id is None or item.status not in TERMINAL:
        return
    dossier = session.get(Dossier, item.dossier_id, with_for_update=True)  # serializes sibling finishes
    if dossier is None:
        return
    rows = session.execute(
        select(WorkItem.id, WorkItem.status).where(WorkItem.dossier_id == dossier.id).order_by(WorkItem.id)
    ).all()
    status = dossier_status([s for _, s in rows]) if dossier.status != "receiving" else "receiving"
    changed = status != dossier.status
    dossier.status, dossier.updated_at = status, utcnow()
    if not dossier.callback_url:
        return
    # Finishing again after `digitize retry` (attempts start over) is a new event: the finish time differs.
    finished = item.finished_at.isoformat() if item.finished_at else ""
    _add_event(session, dossier, f"document.{item.status}", f"doc:{item.id}:{finished}", item)
    if changed and status in TERMINAL:
        state = hashlib.sha256(repr(list(rows)).encode()).hexdigest()[:16]
        _add_event(session, dossier, f"dossier.{status}", f"dossier:{state}", None)


def record_document_corrected(session: Session, document_id: int, moment: datetime) -> None:
    """A supervisor changed a value of a finished document (and its copy was signed again): every dossier
    holding it hears `document.corrected`, linking to the new copy."""
    items = session.scalars(select(WorkItem).where(WorkItem.document_id == document_id)).all()
    for item in items:
        dossier = session.get(Dossier, item.dossier_id) if item.dossier_id is not None else None
        if dossier is not None and item.status == "done":
            _add_event(
                session, dossier, "document.corrected", f"corrected:{item.id}:{moment.isoformat()}", item
            )


def _add_event(session: Session, dossier: Dossier, event: str, key: str, item: WorkItem | None) -> None:
    exists = session.scalar(
        select(WebhookDelivery.id).where(
            WebhookDelivery.dossier_id == dossier.id, WebhookDelivery.event_key == key
        )
    )
    if exists is not None or dossier.callback_url is None:
        return
    payload: dict[str, Any] = {
        "event": event,
        "occurred_at": utcnow().isoformat(),
        "dossier": {"id": dossier.id, "code": dossier.code, "status": dossier.status},
    }
    if item is not None:
        payload["document"] = {
            "id": item.id,
            "name": item.source_name,
            "role": item.role,
            "status": item.status,
            "error": item.error,
            "pdf_url": f"/dossiers/{dossier.id}/documents/{item.id}/pdf" if item.status != "failed" else None,
        }
    session.add(
        WebhookDelivery(
            client_id=dossier.client_id,
            dossier_id=dossier.id,
            event=event,
            event_key=key,
            url=dossier.callback_url,
            payload=payload,
            status="pending",
            attempts=0,
            next_attempt_at=utcnow(),
        )
    )
