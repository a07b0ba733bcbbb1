"""The personal data repository (Kho dữ liệu điện tử của tổ chức, cá nhân): SQLAlchemy 2 models.

Persons are keyed by personal ID when known. Civil-status events link persons with roles. Every field
value keeps its provenance: document, page, box, confidence, extractor version, status and review.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

#: Work-item statuses after which nothing more happens to the item (until someone retries it).
TERMINAL = ("done", "needs_review", "failed")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[int]: JSON, list[str]: JSON}


class Document(Base):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    source_name: Mapped[str] = mapped_column(String(500))
    agency: Mapped[str] = mapped_column(String(100), index=True)
    batch: Mapped[str] = mapped_column(String(200), index=True)
    document_type: Mapped[str] = mapped_column(String(50), index=True)
    page_count: Mapped[int] = mapped_column(Integer)
    original_key: Mapped[str] = mapped_column(String(500))
    signed_key: Mapped[str | None] = mapped_column(String(500))
    result_key: Mapped[str | None] = mapped_column(String(500))
    signature_valid: Mapped[bool | None]
    status: Mapped[str] = mapped_column(String(30), index=True)  # done, needs_review, failed
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    errors: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: Which form the paper is (`digitize.model.FormLayout`), and its version to select on.
    form: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    form_version: Mapped[str | None] = mapped_column(String(60), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    pages: Mapped[list[Page]] = relationship(back_populates="document", cascade="all, delete-orphan")


class Page(Base):
    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("document_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    rotation: Mapped[int] = mapped_column(Integer)
    skew_deg: Mapped[float] = mapped_column(Float)
    dpi: Mapped[float] = mapped_column(Float)
    ocr_confidence: Mapped[float] = mapped_column(Float)
    document: Mapped[Document] = relationship(back_populates="pages")


class Person(Base):
    __tablename__ = "persons"
    id: Mapped[int] = mapped_column(primary_key=True)
    personal_id: Mapped[str | None] = mapped_column(String(12), unique=True, index=True)
    full_name: Mapped[str | None] = mapped_column(String(200), index=True)
    date_of_birth: Mapped[str | None] = mapped_column(String(10))
    sex: Mapped[str | None] = mapped_column(String(5))
    mother_full_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("document_id", "record_index"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)  # birth, death, marriage
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    record_index: Mapped[int] = mapped_column(Integer)
    registration_number: Mapped[str | None] = mapped_column(String(20))
    book_number: Mapped[str | None] = mapped_column(String(20))
    registration_date: Mapped[str | None] = mapped_column(String(10))
    registration_office: Mapped[str | None] = mapped_column(Text)


class EventPerson(Base):
    __tablename__ = "event_persons"
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)  # subject, mother, father, deceased, ...


class FieldValueRow(Base):
    __tablename__ = "field_values"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    record_index: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(60), index=True)
    value: Mapped[str | None] = mapped_column(Text)
    raw_text: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    page: Mapped[int | None] = mapped_column(Integer)
    bbox: Mapped[list[int] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str] = mapped_column(String(20))
    admin_unit: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    extractor_version: Mapped[str] = mapped_column(String(20))
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    __tablename__ = "audit_log"
    # The station asks the log by action and actor on every queue (what a clerk put off) and by action
    # when a document is finished (was it corrected): without this each asked the whole log.
    __table_args__ = (Index("ix_audit_log_action_actor", "action", "actor"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(100))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class WorkItem(Base):
    """One unit of queued work: a document, or one page of a register volume split for the queue.

    The repository, not Redis, is the record of a batch's progress: a job claims its item with a lease it
    renews while it runs; an item whose lease ran out (its worker died) is queued again. Status moves
    queued → processing → done | needs_review | failed; (batch, sha256) is unique, so submitting the same
    original twice to a batch adds no work.
    """

    __tablename__ = "work_items"
    __table_args__ = (UniqueConstraint("batch", "sha256"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    batch: Mapped[str] = mapped_column(String(200), index=True)
    agency: Mapped[str] = mapped_column(String(100))
    source_name: Mapped[str] = mapped_column(String(500))
    original_key: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    volume_key: Mapped[str | None] = mapped_column(String(500), index=True)
    page_number: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), index=True, default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    job_id: Mapped[str | None] = mapped_column(String(100))
    dossier_id: Mapped[str | None] = mapped_column(ForeignKey("dossiers.id"), index=True)
    #: In a dossier: "component" (a paper handed in) or "result" (the procedure's result: the e-result).
    role: Mapped[str] = mapped_column(String(20), default="component", server_default="component")
    error: Mapped[str] = mapped_column(Text, default="")
    #: The failure's message without file name or fix, for counting failures by reason.
    failure_reason: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    pipeline_ms: Mapped[float | None] = mapped_column(Float)
    queued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Volume(Base):
    """A register volume split into page items; joined (numbering and book checked) when all are done."""

    __tablename__ = "volumes"
    __table_args__ = (UniqueConstraint("batch", "volume_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    batch: Mapped[str] = mapped_column(String(200), index=True)
    volume_key: Mapped[str] = mapped_column(String(500))
    source_name: Mapped[str] = mapped_column(String(500))
    page_count: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, joined, needs_review
    problems: Mapped[list[str]] = mapped_column(default=list)
    joined_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class IntakeClient(Base):
    """An intake system (the province's one-stop system, the public service portal) and its API key.

    Only a SHA-256 of the key is kept (keys are 256-bit random, so a slow hash adds nothing); the prefix
    finds the row. The webhook secret must be kept as is: it signs every delivery to this client.
    """

    __tablename__ = "intake_clients"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    key_prefix: Mapped[str] = mapped_column(String(20), unique=True, index=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(default=list)
    webhook_secret: Mapped[str] = mapped_column(String(100))
    rate_per_minute: Mapped[int | None] = mapped_column(Integer)
    agency: Mapped[str | None] = mapped_column(String(100))  # when set, the only agency it may name
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Dossier(Base):
    """A dossier (hồ sơ) handed in by an intake system; its documents are work items.

    (client, Idempotency-Key) is unique: the same key with the same request returns this dossier, with a
    different request it is refused.
    """

    __tablename__ = "dossiers"
    __table_args__ = (UniqueConstraint("client_id", "idempotency_key"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("intake_clients.id"), index=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(100), index=True)
    procedure_code: Mapped[str] = mapped_column(String(20), index=True)
    agency: Mapped[str] = mapped_column(String(100), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    callback_url: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True, default="queued")
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WebhookDelivery(Base):
    """One event to one callback URL (the outbox); written in the transaction that changed the status."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("dossier_id", "event_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("intake_clients.id"), index=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    event: Mapped[str] = mapped_column(String(40))
    event_key: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(20), index=True, default="pending")  # delivered, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class WebhookAttempt(Base):
    """Every attempt to deliver a webhook: when, what the receiver answered, how long it took."""

    __tablename__ = "webhook_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_deliveries.id"), index=True)
    attempt: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str] = mapped_column(Text, default="")
    duration_ms: Mapped[float] = mapped_column(Float)


class StaffUser(Base):
    """A back-office account for the review station: reviewer or supervisor; the password is scrypt-hashed."""

    __tablename__ = "staff_users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))  # reviewer, supervisor
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StaffSession(Base):
    """A signed-in browser: only a SHA-256 of the cookie's token is kept; it expires when idle or old."""

    __tablename__ = "staff_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class BatchKeying(Base):
    """How a batch is keyed: "single" (one clerk decides) or "double" (two clerks key every field
    independently; what they agree on is accepted, what they do not goes to a third person)."""

    __tablename__ = "batch_keying"
    batch: Mapped[str] = mapped_column(String(200), primary_key=True)
    mode: Mapped[str] = mapped_column(String(10))
    set_by: Mapped[str] = mapped_column(String(100))
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class KeyedValue(Base):
    """What one clerk keyed for one field (every decision at the station, both modes): the value in its
    canonical form, the action, the keystrokes it took, and the pass (1, 2: the two keyings; 3: the
    arbitration)."""

    __tablename__ = "keyed_values"
    __table_args__ = (UniqueConstraint("field_id", "staff"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    field_id: Mapped[int] = mapped_column(ForeignKey("field_values.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    record_index: Mapped[int] = mapped_column(Integer)
    batch: Mapped[str] = mapped_column(String(200), index=True)
    staff: Mapped[str] = mapped_column(String(100), index=True)
    keying_pass: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    value: Mapped[str | None] = mapped_column(Text)
    keystrokes: Mapped[int] = mapped_column(Integer, default=0)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
