"""Intake in the repository: API clients and their keys, dossiers, the webhook outbox, the access audit.

Webhook deliveries are an outbox: the rows are written in the same transaction that records a document's
outcome (`record_item_finished`, called by `work.finish`), so a status change is never lost between the
database and the network. Dispatchers claim due rows with a lease, like work items.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from digitize.errors import ConfigError, ConflictError, PermissionDeniedError
from digitize.extract.text import plain_text
from storage.repository.models import (
    AuditEntry,
    Document,
    Dossier,
    FieldValueRow,
    IntakeClient,
    WebhookAttempt,
    WebhookDelivery,
    WorkItem,
)
from storage.repository.outbox import dossier_status
from storage.repository.work import as_utc, now

SCOPES = ("submit", "read", "reuse", "review")
_KEY_TAG = "sohoa"


# --- clients and keys -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientView:
    id: int
    name: str
    key_prefix: str
    scopes: tuple[str, ...]
    rate_per_minute: int | None
    revoked: bool
    agency: str | None = None  # bound: its dossiers (and so its reuse counts) name only this agency


@dataclass(frozen=True)
class NewClient:
    client: ClientView
    api_key: str = field(repr=False)
    webhook_secret: str = field(repr=False)


def secret_hash(secret: str) -> str:
    """How API keys and session tokens are stored: 256-bit random secrets need no slow hash."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _view(row: IntakeClient) -> ClientView:
    return ClientView(
        row.id,
        row.name,
        row.key_prefix,
        tuple(row.scopes),
        row.rate_per_minute,
        row.revoked_at is not None,
        row.agency,
    )


def create_client(
    engine: Engine,
    name: str,
    scopes: tuple[str, ...],
    rate_per_minute: int | None = None,
    agency: str | None = None,
) -> NewClient:
    """A new intake client; the API key and webhook secret are returned once and never shown again."""
    unknown = set(scopes) - set(SCOPES)
    if unknown or not scopes:
        raise ConfigError(f"unknown or no scopes {sorted(unknown)}", fix=f"choose from {', '.join(SCOPES)}")
    prefix = secrets.token_hex(6)
    api_key = f"{_KEY_TAG}_{prefix}_{secrets.token_urlsafe(32)}"
    secret = f"whsec_{secrets.token_urlsafe(32)}"
    row = IntakeClient(
        name=name,
        key_prefix=prefix,
        key_hash=secret_hash(api_key),
        scopes=list(scopes),
        webhook_secret=secret,
        rate_per_minute=rate_per_minute,
        agency=plain_text(agency) if agency else None,
    )
    with Session(engine) as session:
        session.add(row)
        try:
            session.commit()
        except IntegrityError:
            raise ConflictError(
                f"an intake client named {name!r} exists", fix="choose another name or revoke the old one"
            ) from None
        return NewClient(_view(row), api_key, secret)


def authenticate(engine: Engine, api_key: str) -> ClientView | None:
    """The client owning this key, or None (malformed, unknown or revoked); constant-time comparison."""
    parts = api_key.split("_")
    if len(parts) < 3 or parts[0] != _KEY_TAG:
        return None
    with Session(engine) as session:
        row = session.scalar(select(IntakeClient).where(IntakeClient.key_prefix == parts[1]))
        if row is None or not hmac.compare_digest(row.key_hash, secret_hash(api_key)):
            return None
        return None if row.revoked_at is not None else _view(row)


def revoke_client(engine: Engine, name_or_prefix: str) -> bool:
    with Session(engine) as session, session.begin():
        result = session.execute(
            update(IntakeClient)
            .where(
                or_(IntakeClient.name == name_or_prefix, IntakeClient.key_prefix == name_or_prefix),
                IntakeClient.revoked_at.is_(None),
            )
            .values(revoked_at=now())
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def list_clients(engine: Engine) -> list[ClientView]:
    with Session(engine) as session:
        return [_view(r) for r in session.scalars(select(IntakeClient).order_by(IntakeClient.id))]


# --- dossiers ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DossierRequest:
    code: str
    procedure_code: str
    agency: str
    channel: str
    callback_url: str | None
    idempotency_key: str | None
    request_hash: str


def dossier_batch(dossier_id: str) -> str:
    """The batch (and object-key segment) of a dossier's documents."""
    return f"dossier-{dossier_id}"


def check_agency(client: ClientView, agency: str) -> None:
    """A client bound to an agency names only that one: its dossiers, and so the reuse lookups and
    indicators counted for them, never fall to another agency (403 otherwise)."""
    if client.agency is not None and plain_text(agency).casefold() != client.agency.casefold():
        raise PermissionDeniedError(
            f"this key is bound to the agency {client.agency!r}, not {plain_text(agency)[:100]!r}",
            fix="send the agency the key was issued for, or ask for a key of the other agency",
        )


def open_dossier(engine: Engine, client_id: int, request: DossierRequest) -> tuple[str, bool]:
    """(dossier id, created). The same idempotency key with another request raises ConflictError."""
    with Session(engine) as session:
        found = _by_key(session, client_id, request)
        if found is not None:
            return found, False
        dossier_id = str(uuid.uuid4())
        session.add(
            Dossier(
                id=dossier_id,
                client_id=client_id,
                status="receiving",
                **{k: v for k, v in request.__dict__.items()},
            )
        )
        try:
            session.commit()
        except IntegrityError:  # a concurrent request with the same key won
            session.rollback()
            again = _by_key(session, client_id, request)
            if again is None:
                raise
            return again, False
        return dossier_id, True


def _by_key(session: Session, client_id: int, request: DossierRequest) -> str | None:
    if request.idempotency_key is None:
        return None
    row = session.scalar(
        select(Dossier).where(
            Dossier.client_id == client_id, Dossier.idempotency_key == request.idempotency_key
        )
    )
    if row is None:
        return None
    if row.request_hash != request.request_hash:
        raise ConflictError(
            "this Idempotency-Key was used for a different request",
            fix="send a new Idempotency-Key for a new dossier, or resend exactly the first request",
        )
    return row.id


def mark_received(engine: Engine, dossier_id: str) -> None:
    """Its documents are stored: the dossier moves from receiving to queued (once), or, when a result
    was added to a finished dossier, back to queued until that result is finished too."""
    with Session(engine) as session, session.begin():
        dossier = session.get(Dossier, dossier_id, with_for_update=True)
        if dossier is None:
            return
        if dossier.status == "receiving":
            dossier.status, dossier.updated_at = "queued", now()
            return
        statuses = session.scalars(select(WorkItem.status).where(WorkItem.dossier_id == dossier_id)).all()
        live = dossier_status(list(statuses))
        if live != dossier.status:
            dossier.status, dossier.updated_at = live, now()


@dataclass(frozen=True)
class FieldView:
    record: int
    field: str
    value: str | None
    confidence: float
    status: str
    reason: str
    page: int | None
    box: list[int] | None


@dataclass(frozen=True)
class DocumentView:
    id: int
    name: str
    status: str
    error: str
    document_type: str | None
    has_signed_copy: bool
    fields: list[FieldView]
    role: str = "component"


@dataclass(frozen=True)
class DossierView:
    id: str
    code: str
    procedure_code: str
    agency: str
    channel: str
    status: str
    received_at: datetime
    updated_at: datetime
    documents: list[DocumentView]


def dossier_view(engine: Engine, dossier_id: str, client_id: int) -> DossierView | None:
    """The dossier with its documents and fields, if it exists and belongs to this client."""
    with Session(engine) as session:
        row = session.get(Dossier, dossier_id)
        if row is None or row.client_id != client_id:
            return None
        items = session.scalars(
            select(WorkItem).where(WorkItem.dossier_id == dossier_id).order_by(WorkItem.id)
        ).all()
        documents = [_document_view(session, item) for item in items]
        live = row.status if row.status == "receiving" else dossier_status([i.status for i in items])
        return DossierView(
            row.id,
            row.code,
            row.procedure_code,
            row.agency,
            row.channel,
            live,
            as_utc(row.received_at),
            as_utc(row.updated_at),
            documents,
        )


def _document_view(session: Session, item: WorkItem) -> DocumentView:
    document = session.get(Document, item.document_id) if item.document_id is not None else None
    fields = (
        session.scalars(
            select(FieldValueRow)
            .where(FieldValueRow.document_id == document.id)
            .order_by(FieldValueRow.record_index, FieldValueRow.id)
        ).all()
        if document is not None
        else []
    )
    return DocumentView(
        item.id,
        item.source_name,
        item.status,
        item.error,
        document.document_type if document else None,
        bool(document and document.signed_key),
        [
            FieldView(f.record_index, f.field, f.value, f.confidence, f.status, f.reason, f.page, f.bbox)
            for f in fields
        ],
        item.role,
    )


def signed_copy_key(engine: Engine, dossier_id: str, item_id: int, client_id: int) -> str | None:
    """Object key of the signed copy of one document of the client's dossier (None: not there yet)."""
    with Session(engine) as session:
        row = session.execute(
            select(Document.signed_key)
            .join(WorkItem, WorkItem.document_id == Document.id)
            .join(Dossier, Dossier.id == WorkItem.dossier_id)
            .where(WorkItem.id == item_id, Dossier.id == dossier_id, Dossier.client_id == client_id)
        ).first()
        return row[0] if row else None


# --- webhook deliveries ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueDelivery:
    id: int
    event: str
    url: str
    payload: dict[str, Any]
    attempt: int
    secret: str = field(repr=False)


def claim_due_deliveries(engine: Engine, owner: str, lease_s: float, limit: int = 20) -> list[DueDelivery]:
    """Pending deliveries whose time has come, each claimed for one attempt by this dispatcher."""
    moment = now()
    due = or_(WebhookDelivery.lease_until.is_(None), WebhookDelivery.lease_until < moment)
    ready = (WebhookDelivery.status == "pending") & (WebhookDelivery.next_attempt_at <= moment) & due
    with Session(engine) as session:
        ids = session.scalars(
            select(WebhookDelivery.id).where(ready).order_by(WebhookDelivery.next_attempt_at).limit(limit)
        ).all()
    claimed = []
    for delivery_id in ids:
        with Session(engine) as session, session.begin():
            taken = session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.id == delivery_id, ready)
                .values(
                    attempts=WebhookDelivery.attempts + 1,
                    lease_owner=owner,
                    lease_until=moment + timedelta(seconds=lease_s),
                )
            )
            if taken.rowcount != 1:  # type: ignore[attr-defined]
                continue
            row = session.get_one(WebhookDelivery, delivery_id)
            secret = session.get_one(IntakeClient, row.client_id).webhook_secret
            claimed.append(DueDelivery(row.id, row.event, row.url, dict(row.payload), row.attempts, secret))
    return claimed


def record_attempt(
    engine: Engine,
    delivery: DueDelivery,
    status_code: int | None,
    error: str,
    duration_ms: float,
    retry_in_s: float | None,
) -> str:
    """Record one attempt; the delivery becomes delivered, pending (again after retry_in_s) or failed."""
    ok = status_code is not None and 200 <= status_code < 300
    status = "delivered" if ok else ("pending" if retry_in_s is not None else "failed")
    values: dict[str, object] = {"status": status, "lease_owner": None, "lease_until": None}
    if ok:
        values["delivered_at"] = now()
    elif retry_in_s is not None:
        values["next_attempt_at"] = now() + timedelta(seconds=retry_in_s)
    with Session(engine) as session, session.begin():
        session.add(
            WebhookAttempt(
                delivery_id=delivery.id,
                attempt=delivery.attempt,
                status_code=status_code,
                error=error,
                duration_ms=duration_ms,
            )
        )
        session.execute(update(WebhookDelivery).where(WebhookDelivery.id == delivery.id).values(**values))
    return status


# --- audit and metrics ------------------------------------------------------------------------------


def dossier_code_of_another(engine: Engine, client_id: int, code: str) -> bool:
    """Whether another intake system handed in a dossier under this code (a lookup may name its own
    dossiers, and codes not handed in yet: a portal fills a form before it sends the dossier)."""
    with Session(engine) as session:
        owners = set(session.scalars(select(Dossier.client_id).where(Dossier.code == code)).all())
    return bool(owners) and client_id not in owners


def audit(engine: Engine, actor: str, action: str, entity: str, entity_id: str, **detail: Any) -> None:
    """Who read or reused which personal data, when (the log itself is personal data: keep it there)."""
    with Session(engine) as session, session.begin():
        session.add(AuditEntry(actor=actor, action=action, entity=entity, entity_id=entity_id, detail=detail))


@dataclass(frozen=True)
class Counters:
    items: dict[str, int]
    review_backlog: int
    pages_last_15_min: int
    deliveries: dict[str, int]


def counters(engine: Engine) -> Counters:
    with Session(engine) as session:
        items = session.execute(select(WorkItem.status, func.count()).group_by(WorkItem.status)).all()
        backlog = session.scalar(select(func.count()).where(Document.status == "needs_review")) or 0
        recent = session.scalar(
            select(func.coalesce(func.sum(Document.page_count), 0))
            .join(WorkItem, WorkItem.document_id == Document.id)
            .where(WorkItem.finished_at >= now() - timedelta(minutes=15))
        )
        deliveries = session.execute(
            select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)
        ).all()
    return Counters(
        {str(s): int(n) for s, n in items},
        int(backlog),
        int(recent or 0),
        {str(s): int(n) for s, n in deliveries},
    )
