"""The intake API (`digitize serve`): dossiers in, status, signed e-copies and reuse lookups out.

Every route but /health needs an intake system's API key (`Authorization: Bearer sohoa_…`) with the
route's scope. This module maps the exception tree and the API's refusals to HTTP statuses, once, in
`_error_response`; every error body is `ErrorBody` JSON naming the problem and the fix.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, Form, Header, Path, Query, Request, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import text

from digitize.config import Config
from digitize.errors import (
    ConfigError,
    ConflictError,
    InputError,
    RequestError,
    SohoaError,
    TransientStorageError,
)
from digitize.executor import tune_process
from digitize.model import SourceDocument
from digitize.stages.load import count_pages, sniff_format
from storage.repository import intake
from storage.repository.intake import ClientView, DossierRequest, DossierView
from storage.repository.store import find_person
from workers.api_guard import AccessLog, BodyLimit, RateLimiter
from workers.api_reports import add_report_routes
from workers.api_schema import (
    DOSSIER_CODE,
    PERSONAL_ID,
    PROCEDURE_CODE,
    Channel,
    DocumentOut,
    DocumentSummary,
    DossierCreated,
    DossierOut,
    ErrorBody,
    FieldOut,
    Health,
    PersonDocument,
    PersonDocuments,
    PersonOut,
    Problem,
    Refusal,
)
from workers.batches import run_item, submit_dossier
from workers.jobs import Storage, build_services, open_storage
from workers.queue import JobQueue, RqQueue, ThreadQueue
from workers.review_web import Login, add_review_routes, login_redirect
from workers.tasks import worker_identity
from workers.webhooks import Dispatcher

log = logging.getLogger("sohoa.api")


@dataclass
class ApiContext:
    """What the routes need, built once by `serving`."""

    config: Config
    storage: Storage
    queue: JobQueue
    limiter: RateLimiter


_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text_}
    for status, text_ in (
        (401, "no valid API key"),
        (403, "the key lacks the scope"),
        (422, "the request or a document in it is invalid"),
        (429, "rate limit reached; see Retry-After"),
    )
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody, "description": "not found"}}
_PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "signed copy"}
}

#: Ids are 32-bit integer columns (PostgreSQL INTEGER); larger ones are refused by the schema.
MAX_ID = 2**31 - 1
FILES_HELP = "scans (PDF, TIFF, PNG, JPEG, judged by content); at least one of files and object_keys"

_STATUS_OF: tuple[tuple[type[SohoaError], int, str], ...] = (
    (ConflictError, 409, "conflict"),
    (RequestError, 422, "invalid_request"),
    (InputError, 422, "invalid_document"),
    (TransientStorageError, 503, "unavailable"),
    (ConfigError, 500, "misconfigured"),
    (SohoaError, 500, "internal"),
)


def _error_response(exc: Exception) -> JSONResponse:
    """The one mapping of errors to HTTP: refusals as they are, the exception tree by class."""
    headers: dict[str, str] = {}
    if isinstance(exc, Refusal):
        status, body = exc.status, ErrorBody(error=exc.error, message=exc.message, fix=exc.fix)
        if exc.retry_after:
            headers["Retry-After"] = str(exc.retry_after)
        if status == 401:
            headers["WWW-Authenticate"] = "Bearer"
    elif isinstance(exc, RequestValidationError):
        problems = [Problem(where=".".join(str(p) for p in e["loc"]), message=e["msg"]) for e in exc.errors()]
        status = 422
        body = ErrorBody(
            error="invalid_request",
            message="the request does not match the schema",
            fix="correct the fields named in problems",
            problems=problems,
        )
    elif isinstance(exc, SohoaError):
        status, code = next((s, c) for cls, s, c in _STATUS_OF if isinstance(exc, cls))
        body = ErrorBody(error=code, message=str(exc.source and f"{exc.source}: ") + exc.message, fix=exc.fix)
    else:  # a bug: its text may hold personal data, so only the class is logged
        log.error("unexpected %s while answering a request", exc.__class__.__name__)
        status, body = (
            500,
            ErrorBody(error="internal", message="unexpected error", fix="report it to the operators"),
        )
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def create_app(context: ApiContext) -> FastAPI:
    app = FastAPI(
        title="số hóa intake API",
        version="1",
        description="Dossiers in; status, fields, signed e-copies and reuse lookups out.",
    )

    async def handle(_request: Request, exc: Exception) -> JSONResponse:
        return _error_response(exc)

    async def to_login(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Login)
        return login_redirect(exc)

    for exc_type in (Refusal, RequestValidationError, SohoaError, Exception):
        app.add_exception_handler(exc_type, handle)
    app.add_exception_handler(Login, to_login)
    app.add_middleware(BodyLimit, max_bytes=context.config.api.max_upload_bytes)
    app.add_middleware(AccessLog)
    _routes(app, context)
    add_review_routes(app, context)
    return app


_bearer = HTTPBearer(auto_error=False, description="API key of the intake system: `Bearer sohoa_…`")


def _require(context: ApiContext, scope: str) -> Callable[..., ClientView]:
    def dependency(
        request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
    ) -> ClientView:
        client = (
            intake.authenticate(context.storage.repository, credentials.credentials) if credentials else None
        )
        if client is None:
            raise Refusal(
                401, "unauthorized", "missing, unknown or revoked API key", "send Authorization: Bearer <key>"
            )
        request.state.client_name = client.name
        if scope not in client.scopes:
            raise Refusal(
                403, "forbidden", f"this key lacks the {scope!r} scope", "ask for a key with that scope"
            )
        wait = context.limiter.take(client.id, client.rate_per_minute or context.config.api.rate_per_minute)
        if wait:
            raise Refusal(429, "rate_limited", "too many requests for this key", "retry later", int(wait) + 1)
        return client

    return dependency


def _routes(app: FastAPI, context: ApiContext) -> None:
    submitter = Depends(_require(context, "submit"))
    reader = Depends(_require(context, "read"))
    reuser = Depends(_require(context, "reuse"))

    @app.get("/health", response_model=Health, responses={503: {"model": Health}}, tags=["operations"])
    def health() -> JSONResponse:
        state = _health(context)
        return JSONResponse(state.model_dump(), status_code=200 if state.status == "ok" else 503)

    @app.get(
        "/metrics",
        response_class=Response,
        responses={**_ERRORS, 200: {"content": {"text/plain": {}}, "description": "Prometheus text"}},
        tags=["operations"],
    )
    def metrics(client: ClientView = reader) -> Response:
        return Response(_metrics(context), media_type="text/plain; version=0.0.4")

    @app.post(
        "/dossiers",
        status_code=201,
        response_model=DossierCreated,
        responses={
            **_ERRORS,
            200: {"model": DossierCreated, "description": "the same request again: the same dossier"},
            409: {"model": ErrorBody, "description": "Idempotency-Key reused for a different request"},
            413: {"model": ErrorBody, "description": "body over api.max_upload_bytes"},
            415: {"model": ErrorBody, "description": "a file is not PNG, JPEG, TIFF or PDF (by content)"},
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
        fields = {"code": code, "procedure_code": procedure_code, "agency": agency, "channel": channel}
        sources = _read_documents(context, files or [], object_keys or [])
        callback = _check_callback(context, callback_url)
        digest = _request_hash(fields | {"callback_url": callback}, sources, object_keys or [])
        req = DossierRequest(
            **fields, callback_url=callback, idempotency_key=idempotency_key, request_hash=digest
        )
        dossier_id, created = intake.open_dossier(context.storage.repository, client.id, req)
        items = submit_dossier(context.storage, context.queue, dossier_id, sources)
        body = _created(context, dossier_id, client, items, replayed=not created)
        return JSONResponse(
            body.model_dump(), status_code=201 if created else 200, headers={"Location": body.status_url}
        )

    @app.post(
        "/dossiers/{dossier_id}/results",
        status_code=202,
        response_model=DossierCreated,
        responses={**_ERRORS, **_NOT_FOUND, 413: {"model": ErrorBody}, 415: {"model": ErrorBody}},
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
        sources = _read_documents(context, files or [], object_keys or [])
        items = submit_dossier(context.storage, context.queue, view.id, sources, role="result")
        return _created(context, view.id, client, items, replayed=False)

    @app.get(
        "/dossiers/{dossier_id}",
        response_model=DossierOut,
        responses={**_ERRORS, **_NOT_FOUND},
        tags=["dossiers"],
    )
    def get_dossier(dossier_id: uuid.UUID, client: ClientView = reader) -> DossierOut:
        view = _own_dossier(context, str(dossier_id), client)
        intake.audit(context.storage.repository, client.name, "read", "dossier", view.id)
        return _dossier_out(view)

    @app.get(
        "/dossiers/{dossier_id}/documents/{document_id}/pdf",
        response_class=Response,
        responses={**_ERRORS, **_NOT_FOUND, **_PDF},
        tags=["dossiers"],
    )
    def get_signed_copy(
        dossier_id: uuid.UUID, document_id: Annotated[int, Path(ge=1, le=MAX_ID)], client: ClientView = reader
    ) -> Response:
        key = intake.signed_copy_key(context.storage.repository, str(dossier_id), document_id, client.id)
        if not key:
            raise Refusal(
                404, "not_found", "no signed copy for this document (yet)", "poll the dossier's status"
            )
        intake.audit(context.storage.repository, client.name, "download", "document", str(document_id))
        return Response(context.storage.store.get(key), media_type="application/pdf")

    @app.get(
        "/persons/{personal_id}",
        response_model=PersonOut,
        responses={**_ERRORS, **_NOT_FOUND},
        tags=["reuse"],
    )
    def get_person(
        personal_id: Annotated[str, Path(pattern=PERSONAL_ID)],
        client: ClientView = reuser,
        dossier_code: Annotated[
            str | None, Query(pattern=DOSSIER_CODE, description="dossier reusing it")
        ] = None,
    ) -> PersonOut:
        data, documents = _person(context, personal_id, client, dossier_code)
        return PersonOut(personal_id=personal_id, data=data, documents=documents)

    @app.get(
        "/persons/{personal_id}/documents",
        response_model=PersonDocuments,
        responses={**_ERRORS, **_NOT_FOUND},
        tags=["reuse"],
    )
    def get_person_documents(
        personal_id: Annotated[str, Path(pattern=PERSONAL_ID)],
        client: ClientView = reuser,
        dossier_code: Annotated[str | None, Query(pattern=DOSSIER_CODE)] = None,
    ) -> PersonDocuments:
        _, documents = _person(context, personal_id, client, dossier_code)
        return PersonDocuments(personal_id=personal_id, documents=documents)

    @app.get(
        "/persons/{personal_id}/documents/{document_id}/pdf",
        response_class=Response,
        responses={**_ERRORS, **_NOT_FOUND, **_PDF},
        tags=["reuse"],
    )
    def get_person_copy(
        personal_id: Annotated[str, Path(pattern=PERSONAL_ID)],
        document_id: Annotated[int, Path(ge=1, le=MAX_ID)],
        client: ClientView = reuser,
        dossier_code: Annotated[str | None, Query(pattern=DOSSIER_CODE)] = None,
    ) -> Response:
        view = find_person(context.storage.repository, personal_id=personal_id)
        doc = next((d for d in (view.documents if view else []) if d["id"] == document_id), None)
        if doc is None or not doc["signed_key"]:
            raise Refusal(
                404, "not_found", "no such document about this person", "list /persons/{id}/documents"
            )
        intake.audit(
            context.storage.repository,
            client.name,
            "reuse",
            "document",
            str(document_id),
            personal_id=personal_id,
            dossier_code=dossier_code,
        )
        return Response(context.storage.store.get(doc["signed_key"]), media_type="application/pdf")

    add_report_routes(app, context.storage.repository, reader)


def _created(
    context: ApiContext, dossier_id: str, client: ClientView, items: list[int], replayed: bool
) -> DossierCreated:
    view = intake.dossier_view(context.storage.repository, dossier_id, client.id)
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
    view = intake.dossier_view(context.storage.repository, dossier_id, client.id)
    if view is None:  # another client's dossier is as absent as a missing one
        raise Refusal(
            404, "not_found", f"no dossier {dossier_id} for this key", "check the id from POST /dossiers"
        )
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


def _person(
    context: ApiContext, personal_id: str, client: ClientView, dossier_code: str | None
) -> tuple[dict[str, str], list[PersonDocument]]:
    view = find_person(context.storage.repository, personal_id=personal_id)
    intake.audit(
        context.storage.repository,
        client.name,
        "reuse",
        "person",
        personal_id,
        found=view is not None,
        dossier_code=dossier_code,
    )
    if view is None:
        raise Refusal(
            404, "not_found", "no accepted data for this personal ID", "digitize the citizen's papers"
        )
    documents = [
        PersonDocument(
            id=d["id"],
            type=d["type"],
            source=d["source"],
            pdf_url=f"/persons/{personal_id}/documents/{d['id']}/pdf" if d["signed_key"] else None,
        )
        for d in view.documents
    ]
    return view.accepted, documents


def _read_documents(context: ApiContext, files: list[UploadFile], keys: list[str]) -> list[SourceDocument]:
    api = context.config.api
    if not files and not keys:
        raise Refusal(422, "no_documents", "the dossier has no documents", "attach files or object_keys")
    if len(files) + len(keys) > api.max_documents:
        raise Refusal(
            422, "too_many_documents", f"more than {api.max_documents} documents", "split the dossier"
        )
    sources = [_uploaded(f) for f in files] + [_referenced(context, k) for k in keys]
    pages = sum(count_pages(s, context.config.load) for s in sources)
    if pages > api.max_pages:
        raise Refusal(422, "too_many_pages", f"{pages} pages, more than {api.max_pages}", "split the dossier")
    return sources


def _uploaded(upload: UploadFile) -> SourceDocument:
    name = (upload.filename or "upload").replace("/", "_").replace("\\", "_")[-200:]
    data = upload.file.read()
    if not data:
        raise Refusal(422, "empty_file", f"{name}: the file is empty (0 bytes)", "attach the scan again")
    if sniff_format(data) is None:  # the name and the declared content type are not trusted
        raise Refusal(
            415,
            "unsupported_media_type",
            f"{name}: the content is not a PNG, JPEG, TIFF or PDF file",
            "send the scan itself; the file name and declared type are not trusted",
        )
    return SourceDocument(name, data)


def _referenced(context: ApiContext, key: str) -> SourceDocument:
    prefix = context.config.api.reference_prefix
    if not key.startswith(prefix) or ".." in key.split("/") or context.storage.store.head(key) is None:
        raise Refusal(
            422,
            "unknown_object",
            f"{key}: no such object under {prefix!r}",
            f"upload it under {prefix} first",
        )
    return SourceDocument(key.rsplit("/", 1)[-1], context.storage.store.get(key))


def _check_callback(context: ApiContext, url: str | None) -> str | None:
    if not url:
        return None
    allowed = ("https://", "http://") if context.config.api.allow_http_callbacks else ("https://",)
    if not url.startswith(allowed) or any(c.isspace() for c in url):
        raise Refusal(
            422, "invalid_callback", f"callback_url must start with {' or '.join(allowed)}", "fix the URL"
        )
    return url


def _request_hash(fields: dict[str, Any], sources: list[SourceDocument], keys: list[str]) -> str:
    docs = [(s.name, hashlib.sha256(s.data).hexdigest()) for s in sources]
    canonical = json.dumps({"fields": fields, "documents": docs, "keys": keys}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _health(context: ApiContext) -> Health:
    try:
        with context.storage.repository.connect() as connection:
            connection.execute(text("SELECT 1"))
        database = True
    except Exception:
        database = False
    queue = _queue_depth(context) is not None
    return Health(status="ok" if database and queue else "unavailable", database=database, queue=queue)


def _queue_depth(context: ApiContext) -> int | None:
    depth = getattr(context.queue, "depth", None)
    try:
        return int(depth()) if depth else 0
    except Exception:
        return None


def _metrics(context: ApiContext) -> str:
    counts = intake.counters(context.storage.repository)
    lines = [
        "# HELP sohoa_queue_depth Items waiting on the queue.",
        "# TYPE sohoa_queue_depth gauge",
        f"sohoa_queue_depth {_queue_depth(context) or 0}",
        "# HELP sohoa_items Work items by status.",
        "# TYPE sohoa_items gauge",
        *(f'sohoa_items{{status="{s}"}} {n}' for s, n in sorted(counts.items.items())),
        "# HELP sohoa_pages_per_minute Pages finished per minute over the last 15 minutes.",
        "# TYPE sohoa_pages_per_minute gauge",
        f"sohoa_pages_per_minute {counts.pages_last_15_min / 15:.3f}",
        "# HELP sohoa_failures Items that failed for good.",
        "# TYPE sohoa_failures gauge",
        f"sohoa_failures {counts.items.get('failed', 0)}",
        "# HELP sohoa_review_backlog Documents waiting for a person to review fields.",
        "# TYPE sohoa_review_backlog gauge",
        f"sohoa_review_backlog {counts.review_backlog}",
        "# HELP sohoa_webhook_deliveries Webhook deliveries by status.",
        "# TYPE sohoa_webhook_deliveries gauge",
        *(f'sohoa_webhook_deliveries{{status="{s}"}} {n}' for s, n in sorted(counts.deliveries.items())),
    ]
    return "\n".join(lines) + "\n"


@contextmanager
def serving(config: Config) -> Iterator[ApiContext]:
    """Storage, queue and webhook dispatcher for the API's lifetime, closed in order afterwards."""
    storage = open_storage(config)
    queue, close_queue = _queue(config)
    dispatcher = Dispatcher(storage.repository, config.api, worker_identity()).start()
    try:
        yield ApiContext(config, storage, queue, RateLimiter())
    finally:
        dispatcher.stop()
        close_queue()
        storage.close()


def _queue(config: Config) -> tuple[JobQueue, Callable[[], None]]:
    """RQ when configured; otherwise a thread of this process runs the same jobs (embedded default)."""
    if config.queue.redis_url:
        return RqQueue(config.queue), lambda: None
    tune_process()
    services = build_services(config)
    owner = worker_identity()
    holder: list[ThreadQueue] = []
    queue = ThreadQueue(lambda item: run_item(services, holder[0], item, owner))
    holder.append(queue)

    def close() -> None:
        queue.close()
        services.close()

    return queue, close
