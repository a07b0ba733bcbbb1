"""The intake API's request and response bodies (published at /openapi.json)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Channel = Literal["in_person", "online", "postal"]
DocumentStatus = Literal["queued", "processing", "needs_review", "done", "failed"]
DossierStatus = Literal["receiving", "queued", "processing", "needs_review", "done", "failed"]

DOSSIER_CODE = r"^[A-Za-z0-9][A-Za-z0-9.\-_/]{0,99}$"
PROCEDURE_CODE = r"^[0-9]\.[0-9]{6}$"
PERSONAL_ID = r"^[0-9]{12}$"


class Problem(BaseModel):
    where: str = Field(description="the field or file the problem is in")
    message: str


class ErrorBody(BaseModel):
    error: str = Field(description="machine-readable code, e.g. unauthorized, payload_too_large")
    message: str = Field(description="what is wrong, naming the file or field")
    fix: str = Field("", description="what the caller should do about it")
    problems: list[Problem] = Field(default_factory=list)


class DocumentSummary(BaseModel):
    id: int
    name: str
    status: DocumentStatus


class DossierCreated(BaseModel):
    id: str
    status: DossierStatus
    status_url: str
    replayed: bool = Field(description="true when this answers an earlier request with the same key")
    documents: list[DocumentSummary]


class FieldOut(BaseModel):
    record: int = Field(description="index of the record on the document (registers hold several)")
    field: str
    value: str | None
    confidence: float
    status: str = Field(description="accepted, needs_review or missing")
    reason: str
    page: int | None
    box: list[int] | None = Field(description="x0, y0, x1, y1 in page pixels")


class DocumentOut(BaseModel):
    id: int
    name: str
    status: DocumentStatus
    error: str = Field(description="why the document failed, and the fix")
    document_type: str | None
    role: Literal["component", "result"] = Field(
        "component", description="a paper handed in, or the procedure's result (the e-result)"
    )
    pdf_url: str | None = Field(description="the signed e-copy, once there is one")
    fields: list[FieldOut]


class DossierOut(BaseModel):
    id: str
    code: str
    procedure_code: str
    agency: str
    channel: str
    status: DossierStatus
    received_at: datetime
    updated_at: datetime
    documents: list[DocumentOut]


class PersonDocument(BaseModel):
    id: int
    type: str
    source: str
    pdf_url: str | None


class PersonOut(BaseModel):
    personal_id: str
    data: dict[str, str] = Field(description="accepted values only (nothing awaiting review)")
    documents: list[PersonDocument]


class PersonDocuments(BaseModel):
    personal_id: str
    documents: list[PersonDocument]


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    database: bool
    queue: bool
