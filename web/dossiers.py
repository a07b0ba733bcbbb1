"""Dossiers in and their state out: POST /dossiers, results, status and signed copies."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, Form, Header, Path, Request, Response, UploadFile
from fastapi.responses import JSONResponse

from digitize.errors import InputError, NotFoundError, RequestError, UnsupportedMediaError
from digitize.extract.text import plain_text
from digitize.model import SourceDocument
from digitize.stages.load import count_pages, sniff_format
from storage.repository import intake
from storage.repository.intake import ClientView, DossierRequest, DossierView
from web.auth import AUTH_ERRORS, NOT_FOUND, require
from web.context import ApiContext
from web.schema import (
    DOSSIER_CODE,
    PROCEDURE_CODE,
    Channel,
    DocumentOut,
    DocumentSummary,
    DossierCreated,
    DossierOut,
    ErrorBody,
    FieldOut,
)
from workers.batches import submit_dossier
from workers.webhooks import callback_target

#: Ids are 32-bit integer columns (PostgreSQL INTEGER); larger ones are refused by the schema.
MAX_ID = 2**31 - 1
PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "signed copy"}
}
_UPLOAD_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorBody, "description": "body over api.max_upload_bytes"},
    415: {"model": ErrorBody, "description": "a file is not PNG, JPEG, TIFF or PDF (by content)"},
}


def add_dossier_routes(app: FastAPI, context: ApiContext) -> None:
    submitter = Depends(require(context, "submit"))
    reader = Depends(require(context, "read"))

    @app.post(
        "/dossiers",
        status_code=201,
        response_model=DossierCreated,
        responses={
            **AUTH_ERRORS,
            **_UPLOAD_ERRORS,
            200: {"model": DossierCreated, "description": "the same request again: the same dossier"},
            409: {"model": ErrorBody, "description": "Idempotency-Key reused for a different request"},
        },
        tags=["dossiers"],
    )
    def create_dossier(
        request: Request,
        code: Annotated[str, Form(pattern=DOSSIER_CODE, description="dossier code (MaHoSo)")],
        procedure_code: Annotated[str, Form(pattern=PROCEDURE_CODE, description="e.g. 1.001193")],
        agency: Annotated[str, Form(min_length=1, max_length=100, description="receiving agency")],
        channel: Annotated[Channel, Form()],
        client: ClientView = submitter,
        callback_url: Annotated[str | None, Form(max_length=2000)] = None,
        files: Annotated[
            list[UploadFile] | None,
            File(
                description="scans (PDF, TIFF, PNG, JPEG, by content); at least one of files and object_keys"
            ),
        ] = None,
        object_keys: Annotated[list[str] | None, Form(description="documents already in the store")] = None,
        idempotency_key: Annotated[str | None, Header(min_length=1, max_length=200)] = None,
    ) -> JSONResponse:
        intake.check_agency(client, agency)  # before anything is written
        fields = {"code": code, "procedure_code": procedure_code, "agency": agency, "channel": channel}
        sources = read_documents(context, files or [], object_keys or [])
        callback = check_callback(context, callback_url)
        digest = _request_hash(fields | {"callback_url": callback}, sources, object_keys or [])
        req = DossierRequest(
            **fields, callback_url=callback, idempotency_key=idempotency_key, request_hash=digest
        )
        dossier_id, created = intake.open_dossier(context.storage.db, client.id, req)
        items = submit_dossier(context.storage, context.queue, dossier_id, sources)
        body = _created(context, dossier_id, client, items, replayed=not created)
        return JSONResponse(
            body.model_dump(), status_code=201 if created else 200, headers={"Location": body.status_url}
        )

    @app.post(
        "/dossiers/{dossier_id}/results",
        status_code=202,
        response_model=DossierCreated,
        responses={**AUTH_ERRORS, **NOT_FOUND, **_UPLOAD_ERRORS},
        tags=["dossiers"],
    )
    def add_result(
        dossier_id: uuid.UUID,
        client: ClientView = submitter,
        files: Annotated[
            list[UploadFile] | None,
            File(description="the procedure's result as issued (e.g. the signed paper extract), scanned"),
        ] = None,
        object_keys: Annotated[list[str] | None, Form(description="results already in the store")] = None,
    ) -> DossierCreated:
        """Attach the result of the procedure: it is digitized and signed like the components, and
        becomes the dossier's e-result (Decision 766, indicator 4.1). Sending the same file again adds
        nothing."""
        view = _own_dossier(context, str(dossier_id), client)
        sources = read_documents(context, files or [], object_keys or [])
        items = submit_dossier(context.storage, context.queue, view.id, sources, role="result")
        return _created(context, view.id, client, items, replayed=False)

    @app.get(
        "/dossiers/{dossier_id}",
        response_model=DossierOut,
        responses={**AUTH_ERRORS, **NOT_FOUND},
        tags=["dossiers"],
    )
    def get_dossier(dossier_id: uuid.UUID, client: ClientView = reader) -> DossierOut:
        view = _own_dossier(context, str(dossier_id), client)
        intake.audit(context.storage.db, client.name, "read", "dossier", view.id)
        return _dossier_out(view)

    @app.get(
        "/dossiers/{dossier_id}/documents/{document_id}/pdf",
        response_class=Response,
        responses={**AUTH_ERRORS, **NOT_FOUND, **PDF},
        tags=["dossiers"],
    )
    def get_signed_copy(
        dossier_id: uuid.UUID, document_id: Annotated[int, Path(ge=1, le=MAX_ID)], client: ClientView = reader
    ) -> Response:
        key = intake.signed_copy_key(context.storage.db, str(dossier_id), document_id, client.id)
        if not key:
            raise NotFoundError("no signed copy for this document (yet)", fix="poll the dossier's status")
        intake.audit(context.storage.db, client.name, "download", "document", str(document_id))
        return Response(context.storage.store.get(key), media_type="application/pdf")


def _created(
    context: ApiContext, dossier_id: str, client: ClientView, items: list[int], replayed: bool
) -> DossierCreated:
    view = intake.dossier_view(context.storage.db, dossier_id, client.id)
    assert view is not None
    return DossierCreated(
        id=dossier_id,
        status=view.status,  # type: ignore[arg-type]
        status_url=f"/dossiers/{dossier_id}",
        replayed=replayed,
        documents=[
            DocumentSummary.model_validate({"id": d.id, "name": d.name, "status": d.status})
            for d in view.documents
            if d.id in items
        ],
    )


def _own_dossier(context: ApiContext, dossier_id: str, client: ClientView) -> DossierView:
    view = intake.dossier_view(context.storage.db, dossier_id, client.id)
    if view is None:  # another client's dossier is as absent as a missing one
        raise NotFoundError(f"no dossier {dossier_id} for this key", fix="check the id from POST /dossiers")
    return view


def _dossier_out(view: DossierView) -> DossierOut:
    return DossierOut(
        id=view.id,
        code=view.code,
        procedure_code=view.procedure_code,
        agency=view.agency,
        channel=view.channel,
        status=view.status,  # type: ignore[arg-type]
        received_at=view.received_at,
        updated_at=view.updated_at,
        documents=[
            DocumentOut(
                id=d.id,
                name=d.name,
                status=d.status,  # type: ignore[arg-type]
                error=d.error,
                document_type=d.document_type,
                role=d.role,  # type: ignore[arg-type]
                pdf_url=f"/dossiers/{view.id}/documents/{d.id}/pdf" if d.has_signed_copy else None,
                fields=[FieldOut(**f.__dict__) for f in d.fields],
            )
            for d in view.documents
        ],
    )


def read_documents(context: ApiContext, files: list[UploadFile], keys: list[str]) -> list[SourceDocument]:
    """The request's documents, each checked by content; anything refused is refused before any write."""
    api = context.config.api
    if not files and not keys:
        raise RequestError(
            "the dossier has no documents", fix="attach files or object_keys", code="no_documents"
        )
    if len(files) + len(keys) > api.max_documents:
        raise RequestError(
            f"more than {api.max_documents} documents", fix="split the dossier", code="too_many_documents"
        )
    sources = [_uploaded(f) for f in files] + [_referenced(context, k) for k in keys]
    pages = sum(count_pages(s, context.config.load) for s in sources)
    if pages > api.max_pages:
        raise RequestError(
            f"{pages} pages, more than {api.max_pages}", fix="split the dossier", code="too_many_pages"
        )
    return sources


def _uploaded(upload: UploadFile) -> SourceDocument:
    name = plain_text(upload.filename or "").replace("/", "_").replace("\\", "_")[-200:] or "upload"
    data = upload.file.read()
    if not data:
        raise InputError(
            "the file is empty (0 bytes)", fix="attach the scan again", source=name, code="empty_file"
        )
    if sniff_format(data) is None:  # the name and the declared content type are not trusted
        raise UnsupportedMediaError(
            "the content is not a PNG, JPEG, TIFF or PDF file",
            fix="send the scan itself; the file name and declared type are not trusted",
            source=name,
        )
    return SourceDocument(name, data)


#: Object keys a request may name: at most this long and this deep.
MAX_KEY_LENGTH, MAX_KEY_DEPTH = 512, 16


def _valid_key(key: str) -> bool:
    parts = key.split("/")
    return (
        len(key) <= MAX_KEY_LENGTH
        and len(parts) <= MAX_KEY_DEPTH
        and plain_text(key) == key
        and not any(p in ("", ".", "..") for p in parts[:-1])
    )


def _referenced(context: ApiContext, key: str) -> SourceDocument:
    prefix = context.config.api.reference_prefix
    if not _valid_key(key):
        raise RequestError(
            f"{plain_text(key)[:80]!r}…: not an object key",
            fix="name an object under the intake prefix",
            code="unknown_object",
        )
    if not key.startswith(prefix) or context.storage.store.head(key) is None:
        raise RequestError(
            f"{key}: no such object under {prefix!r}",
            fix=f"upload it under {prefix} first",
            code="unknown_object",
        )
    return SourceDocument(key.rsplit("/", 1)[-1], context.storage.store.get(key))


def check_callback(context: ApiContext, url: str | None) -> str | None:
    """The callback URL if it may be called (checked again at every delivery), else RequestError."""
    if not url:
        return None
    callback_target(url, context.config.api)
    return url


def _request_hash(fields: dict[str, Any], sources: list[SourceDocument], keys: list[str]) -> str:
    docs = [(s.name, hashlib.sha256(s.data).hexdigest()) for s in sources]
    canonical = json.dumps({"fields": fields, "documents": docs, "keys": keys}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()
